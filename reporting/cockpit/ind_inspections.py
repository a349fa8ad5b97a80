"""Cockpit indicators of the section 监督检查: the year's inspection targets and the provincial entry.

Targets (``indicators_for(year)``, one indicator per active ``AnnualTarget`` of the year, code
``target-<code>``): the figures of ``inspections.planning.targets`` (the progress dashboard's rule), counting
only finalised inspections held from 1 January up to the period's as-of day.

- A count target (飞行检查 ≥10): ``actual`` is the number of enterprises inspected, ``target`` the required
  count, ``expected`` its pro-rata share (whole enterprises) by the as-of day.
- A coverage target (无菌/植入 ≥15%, 委托生产 100%): ``actual`` is the percentage covered (one decimal),
  ``target`` the required percentage, ``expected`` its pro-rata share; ``numerator``/``denominator`` the
  enterprises (or 委托生产 pairs) covered / to cover. A unit with nothing to cover reads "未配置" with that note.
- A district-only target (``district_only``) has no per-unit figures (``per_unit`` False).

All targets of a period, the district and every unit, come from ONE grouped pass (``counts_by_unit``): the
indicators of one ``indicators_for`` call share a memo keyed by (year, as-of day), so N targets do not run N
passes. A new ``indicators_for`` call (each cockpit page, each snapshot) starts with an empty memo.

Provincial entry (``INDICATORS``): finalised inspections of the year whose entry in the provincial system fell
due by the as-of day (the rule of ``inspections.deadlines``, counted in one grouped statement), per
inspecting unit: the share entered on time (target 100%) and the number late (target 0).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from inspections.choices import InspectionStatus
from inspections.deadlines import (
    provincial_entry_due,
    provincial_entry_due_q,
    provincial_entry_late,
    provincial_entry_late_q,
)
from inspections.models import AnnualTarget, Inspection
from inspections.planning.choices import TargetKind
from inspections.planning.targets import PAIR_TARGET_CODE, counts_by_unit, required_of
from reporting.cockpit.base import (
    HUNDRED,
    Figure,
    Figures,
    Indicator,
    Period,
    not_configured,
    percent,
    pro_rata,
    shared,
)

SECTION = _("监督检查")




def _inspection_list(**params) -> str:
    query = {k: v for k, v in params.items() if v is not None}
    return f"{reverse('inspections:list')}?{urlencode(query)}"


# ------------------------------------------------------------------ the year's targets


class _TargetPass:
    """The targets of each year and their grouped counts per as-of day, read once for a cockpit computation."""

    def __init__(self) -> None:
        self._targets: dict[int, dict[str, AnnualTarget]] = {}
        self._counts: dict[tuple[int, dt.date], dict] = {}

    def targets(self, year: int) -> dict[str, AnnualTarget]:
        if year not in self._targets:
            self._targets[year] = {t.code: t for t in AnnualTarget.objects.filter(year=year, is_active=True)}
        return self._targets[year]

    def counts(self, period: Period) -> dict:
        key = (period.year, period.as_of)
        if key not in self._counts:
            self._counts[key] = counts_by_unit(list(self.targets(period.year).values()), as_of=period.as_of)
        return self._counts[key]


def _target_url(target: AnnualTarget, period: Period, unit_id: int | None) -> str:
    if target.code == PAIR_TARGET_CODE:  # pairs, not inspections: the progress page lists the uncovered ones
        query = {"year": target.year, **({"unit": unit_id} if unit_id is not None else {})}
        return f"{reverse('planning:progress')}?{urlencode(query)}"
    return _inspection_list(target=target.pk, date_from=period.start.isoformat(), date_to=period.as_of.isoformat(),
                            enterprise_unit=unit_id)


def _target_figure(target: AnnualTarget, counts: tuple[int, int], period: Period, unit_id: int | None) -> Figure:
    total, done = counts
    url = _target_url(target, period, unit_id)
    if target.kind == TargetKind.COUNT:
        required = required_of(target, total)
        return Figure(actual=done, target=required, expected=pro_rata(required, period, integer=True),
                      numerator=done, url=url)
    if not total:
        return Figure(actual=None, note=_g("没有应覆盖的企业"), url=url, numerator=0, denominator=0)
    goal = (Decimal(target.min_ratio or 0) * HUNDRED).quantize(Decimal("0.1"))
    return Figure(actual=percent(done, total), target=goal, expected=pro_rata(goal, period),
                  numerator=done, denominator=total, url=url)


def _target_compute(code: str, shared: _TargetPass):
    def compute(period: Period, units: list) -> Figures:
        target = shared.targets(period.year).get(code)
        if target is None:
            note = _g("%(year)s年未设置该检查指标") % {"year": period.year}
            return {None: not_configured(note), **{u.pk: not_configured(note) for u in units}}
        per_unit = shared.counts(period)[target.pk]
        district = (sum(t for t, _d in per_unit.values()), sum(d for _t, d in per_unit.values()))
        figures: Figures = {None: _target_figure(target, district, period, None)}
        if not target.district_only:
            for unit in units:
                figures[unit.pk] = _target_figure(target, per_unit.get(unit.pk, (0, 0)), period, unit.pk)
        return figures

    return compute


def indicators_for(year: int) -> list[Indicator]:
    """One indicator per active inspection target of ``year``, all computed from one shared grouped pass."""
    shared = _TargetPass()
    indicators = []
    for target in sorted(shared.targets(year).values(), key=lambda t: (t.sort_order, t.code)):
        coverage = target.kind == TargetKind.COVERAGE
        indicators.append(Indicator(
            code=f"target-{target.code}", section=SECTION, name=target.name,
            unit_label="%" if coverage else _g("家"), compute=_target_compute(target.code, shared),
            per_unit=not target.district_only,
            description=target.basis or (_g("覆盖率：已检查企业数/应覆盖企业数") if coverage else _g("已检查企业数")),
        ))
    return indicators


# ------------------------------------------------------------------ provincial entry within one month


def _provincial_counts(period: Period) -> dict[int | None, tuple[int, int]]:
    """unit id (None: district) → (due by as-of, late): the finalised inspections of the year whose provincial
    entry fell due by the as-of day (``inspections.deadlines``), counted per inspecting unit in one grouped
    statement; the few rows without a stored due date (older records) are read with the rule in Python.
    Shared by both provincial indicators of one computation."""
    return shared(("provincial", period.start, period.as_of), lambda: _provincial_pass(period))


def _provincial_pass(period: Period) -> dict[int | None, tuple[int, int]]:
    today = period.as_of + dt.timedelta(days=1)  # late at the end of the as-of day
    due = (Inspection.objects.filter(start_date__gte=period.start, status=InspectionStatus.FINALISED)
           .filter(provincial_entry_due_q(on_or_before=period.as_of)).order_by())
    counts: dict[int | None, tuple[int, int]] = {None: (0, 0)}

    def add(unit_id: int, n: int, late: int) -> None:
        for key in (None, unit_id):
            was_due, was_late = counts.get(key, (0, 0))
            counts[key] = (was_due + n, was_late + late)

    grouped = (due.filter(provincial_entry_due__isnull=False).values("unit_id")
               .annotate(n=Count("pk"), late=Count("pk", filter=provincial_entry_late_q(today=today))))
    for row in grouped:
        add(row["unit_id"], row["n"], row["late"])
    for unit_id, end, start, entered in due.filter(provincial_entry_due__isnull=True).values_list(
            "unit_id", "end_date", "start_date", "provincial_entry_date"):
        late = provincial_entry_late(due=provincial_entry_due(end or start), entered_on=entered, today=today)
        add(unit_id, 1, int(late))
    return counts


def _late_url(period: Period, unit_id: int | None) -> str:
    return _inspection_list(provincial_late_on=period.as_of.isoformat(), date_from=period.start.isoformat(),
                            unit=unit_id)


def _rate_compute(period: Period, units: list) -> Figures:
    counts = _provincial_counts(period)

    def figure(key: int | None) -> Figure:
        due, late = counts.get(key, (0, 0))
        url = _late_url(period, key)
        if not due:
            return Figure(actual=None, target=HUNDRED, note=_g("截至该日没有到期应录入的检查"), url=url, numerator=0, denominator=0)
        return Figure(actual=percent(due - late, due), target=HUNDRED, expected=HUNDRED, numerator=due - late,
                      denominator=due, url=url)

    return {None: figure(None), **{u.pk: figure(u.pk) for u in units}}


def _late_compute(period: Period, units: list) -> Figures:
    counts = _provincial_counts(period)

    def figure(key: int | None) -> Figure:
        due, late = counts.get(key, (0, 0))
        return Figure(actual=late, target=0, expected=0, numerator=late, denominator=due, url=_late_url(period, key))

    return {None: figure(None), **{u.pk: figure(u.pk) for u in units}}


INDICATORS: list[Indicator] = [
    Indicator(
        code="provincial-entry-rate", section=SECTION, name=_("省局系统一个月内录入率"), unit_label="%",
        compute=_rate_compute,
        description=_("当年已完成检查中录入期限已到的，按期（检查结束后一个月内）录入省局系统的比例"),
    ),
    Indicator(
        code="provincial-entry-late", section=SECTION, name=_("省局系统逾期未录入/逾期录入"), unit_label=_("件"),
        compute=_late_compute, higher_is_better=False,
        description=_("当年已完成检查中录入期限已到，逾期录入或至今未录入省局系统的检查数"),
    ),
]
