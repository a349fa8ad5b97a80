"""待办 of licence expiry and 复产 (registered from ``inspections.apps`` with a lazy import).

For the owning unit: 复产后跟踪检查 after a long suspension, licences expired while 在营/停产, and licences
in their renewal window (续证提醒).
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.duties.expiry import RENEWAL_KINDS, expiry_settings
from enterprises.duties.expiry_selectors import expired_while_operating, renewal_due, resumption_followups
from enterprises.workdays import subtract_working_days_each
from regsys.scoping import scope_for

LIMIT = 50


def expiry_work(user, *, unit, personal: bool, due_by: date | None, today: date):
    """The 证照与复产 section of a work list (``inspections.work_sources`` protocol)."""
    from inspections.work_sources import WorkItem, WorkSection

    if personal and unit is None:
        return None
    items = []
    can_write = scope_for(user).can_write
    for s in resumption_followups(unit=unit, as_of=today, user=user)[:LIMIT]:
        # who may record inspections opens the form for this enterprise; a read-only account its page
        url = (reverse("inspections:create") + f"?enterprise={s.enterprise_id}" if can_write
               else reverse("enterprises:detail", args=[s.enterprise_id]))
        items.append(WorkItem(
            title=_("复产后跟踪检查 · %(ent)s") % {"ent": s.enterprise.name},
            url=url,
            due_on=s.resumed_on, overdue=False,
            detail=_("停产 %(start)s 至 %(end)s（%(days)s 天），复产后尚无检查记录") % {
                "start": s.started_on.isoformat(), "end": s.resumed_on.isoformat(),
                "days": (s.resumed_on - s.started_on).days},
        ))
    expired = expired_while_operating(unit=unit, as_of=today, user=user)
    for lic in expired[:LIMIT]:
        items.append(WorkItem(
            title=_("证照已过期仍在营 · %(ent)s") % {"ent": lic.enterprise.name},
            url=reverse("enterprises:detail", args=[lic.enterprise_id]), due_on=lic.expires_on, overdue=True,
            detail=f"{lic.get_kind_display()} {lic.number}",
        ))
    renewals = list(renewal_due(unit=unit, as_of=today, user=user)[:LIMIT])
    ends = subtract_working_days_each([lic.expires_on for lic in renewals],
                                      expiry_settings(today.year).window_end)
    for lic in renewals:
        if lic.kind not in RENEWAL_KINDS:
            continue
        last_day = ends[lic.expires_on]
        if due_by is not None and last_day > due_by:
            continue
        items.append(WorkItem(
            title=_("续证提醒 · %(ent)s") % {"ent": lic.enterprise.name},
            url=reverse("enterprises:licences_expiring") + "?state=renewal",
            due_on=last_day, overdue=False,
            detail=_("%(kind)s %(no)s 有效期至 %(exp)s，应在 %(last)s 前提出延续申请") % {
                "kind": lic.get_kind_display(), "no": lic.number, "exp": lic.expires_on.isoformat(),
                "last": last_day.isoformat()},
        ))
    if not items:
        return None
    return WorkSection(key="licence_expiry", title=_("证照到期与复产跟踪"), items=items)
