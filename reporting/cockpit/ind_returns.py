"""Cockpit indicators of the section 专项整治报表: campaign returns filed and approved.

The returns a unit must file are the reporting calendar's slots (``reporting.selectors.return_slots``: each
form of each campaign × due date × filing unit, with the calendar's rule ``return_state``), those whose due
date falls from 1 January up to the period's as-of day. ``actual`` is the percentage (one decimal) of them
filed (submitted on time or late; a return sent back is not filed) or approved by the as-of day, ``target``
100%, ``expected`` 100% too (every return due by then should be in); ``numerator``/``denominator`` the returns.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from reporting.choices import ReturnStatus
from reporting.cockpit.base import HUNDRED, Figure, Figures, Indicator, Period, percent
from reporting.selectors import return_slots

SECTION = _("专项整治报表")


def _url(period: Period, unit_id: int | None, status: str | None = None) -> str:
    query = {"due_from": period.start.isoformat(), "due_to": period.as_of.isoformat(), "district": "false"}
    if unit_id is not None:
        query["unit"] = unit_id
    if status:  # approved by the as-of day
        query.update(status=status, reviewed_to=period.as_of.isoformat())
    else:  # submitted by the as-of day
        query["submitted_to"] = period.as_of.isoformat()
    return f"{reverse('reporting:return_list')}?{urlencode(query)}"


def _compute(*, approved: bool):
    def compute(period: Period, units: list) -> Figures:
        counts: dict[int | None, tuple[int, int]] = {None: (0, 0)}
        for slot in return_slots(start=period.start, as_of=period.as_of):
            done = slot.approved if approved else slot.filed
            for key in (None, slot.unit_id):
                due, n = counts.get(key, (0, 0))
                counts[key] = (due + 1, n + (1 if done else 0))

        def figure(key: int | None) -> Figure:
            due, done = counts.get(key, (0, 0))
            url = _url(period, key, ReturnStatus.APPROVED if approved else None)
            if not due:
                return Figure(actual=None, target=HUNDRED, numerator=0, denominator=0, url=url,
                              note=_g("截至该日没有到期应上报的专项整治报表"))
            return Figure(actual=percent(done, due), target=HUNDRED,
                          expected=HUNDRED, numerator=done, denominator=due, url=url)

        return {None: figure(None), **{u.pk: figure(u.pk) for u in units}}

    return compute


INDICATORS: list[Indicator] = [
    Indicator(
        code="returns-filed", section=SECTION, name=_("专项整治报表上报率"), unit_label="%",
        compute=_compute(approved=False),
        description=_("报送期限已到的专项整治报表中已上报的比例（已上报/应上报）"),
    ),
    Indicator(
        code="returns-approved", section=SECTION, name=_("专项整治报表审核通过率"), unit_label="%",
        compute=_compute(approved=True),
        description=_("报送期限已到的专项整治报表中已审核通过的比例（已审核通过/应上报）"),
    ),
]
