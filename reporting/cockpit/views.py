"""The cockpit page (季度工作驾驶舱 / 本所进度) and the on-demand quarter freeze."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regsys import page_parts
from regsys.scoping import scope_for
from reporting.cockpit.base import QUARTER_LABELS, Indicator, Period
from reporting.cockpit.forms import NOW, PeriodForm, SnapshotForm, quarters_begun
from reporting.cockpit.service import (
    Cell,
    CockpitTable,
    Computed,
    cockpit_may_freeze,
    cockpit_quarters,
    cockpit_table,
    snapshot_take,
    snapshots_of,
)
from reporting.waiting import waiting_for

# ECharts colours of the status colours (Bootstrap's palette)
CHART_COLOURS = {"success": "#198754", "primary": "#0d6efd", "warning": "#ffc107", "danger": "#dc3545",
                 "secondary": "#6c757d", "light": "#adb5bd"}
TREND_INDICATORS = 6  # lines in the quarter-trend chart


def cockpit_url(period: Period) -> str:
    quarter = NOW if period.quarter is None else period.quarter
    return reverse("reporting:cockpit") + "?" + urlencode({"year": period.year, "quarter": quarter})


@dataclass
class MainRow:
    """A row of the targets table: the district's cell (a 所 user: its own unit's)."""

    indicator: Indicator
    cell: Cell


def _main_rows(table: CockpitTable) -> list[tuple[str, list[MainRow]]]:
    own = table.units[0].pk if not table.district_visible and table.units else None
    sections = []
    for section, rows in table.sections:
        shown = []
        for row in rows:
            cell = row.district if table.district_visible else row.units.get(own)
            if cell is not None:
                shown.append(MainRow(indicator=row.indicator, cell=cell))
        if shown:
            sections.append((section, shown))
    return sections


def _league(table: CockpitTable) -> dict:
    rows = [row for row in table.rows if row.units]
    return {
        "columns": [row.indicator for row in rows],
        "rows": [(unit, [row.units.get(unit.pk) for row in rows]) for unit in table.units],
    }


def _number(value) -> float | None:
    return None if value is None else float(value)


def _share(value, target) -> float | None:
    """``value`` as a percentage of ``target`` (one decimal)."""
    if value is None or not target:
        return None
    return float((Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1")))


def _assessed(indicator: Indicator, cell: Cell | None) -> bool:
    """A figure that can be drawn as a share of its target: configured, with a positive target to reach."""
    figure = cell.figure if cell is not None else None
    return (figure is not None and figure.configured and figure.actual is not None and indicator.higher_is_better
            and figure.target is not None and Decimal(figure.target) > 0)


def _charts(table: CockpitTable, main: list[tuple[str, list[MainRow]]], quarters: dict[int, Computed]) -> dict:
    key = None if table.district_visible else (table.units[0].pk if table.units else None)
    progress = [r for _, rows in main for r in rows if _assessed(r.indicator, r.cell)]
    per_unit = [row for row in table.rows if row.units]
    trend_indicators = [r.indicator for r in progress][:TREND_INDICATORS]
    return {
        "progress": {
            "names": [r.indicator.name for r in progress],
            "actual": [_share(r.cell.figure.actual, r.cell.figure.target) for r in progress],
            "expected": [_share(r.cell.figure.expected, r.cell.figure.target) for r in progress],
            "colours": [CHART_COLOURS[r.cell.colour] for r in progress],
            "urls": [r.cell.figure.url for r in progress],
        },
        "units": [unit.display_name for unit in table.units],
        "per_unit": [{
            "code": row.indicator.code, "name": row.indicator.name, "unit_label": row.indicator.unit_label,
            "actual": [_number(c.figure.actual) if c and c.figure else None for c in cells],
            "expected": [_number(c.figure.expected) if c and c.figure else None for c in cells],
            "colours": [CHART_COLOURS[c.colour] if c else CHART_COLOURS["light"] for c in cells],
            "urls": [c.figure.url if c and c.figure else "" for c in cells],
        } for row in per_unit for cells in [[row.units.get(u.pk) for u in table.units]]],
        "quarters": [str(QUARTER_LABELS[q]) for q in quarters],
        "trend": [{
            "name": indicator.name,
            "values": [_share(f.actual, f.target) if (f := quarters[q].get(indicator.code, {}).get(key)) else None
                       for q in quarters],
        } for indicator in trend_indicators],
    }


@login_required
def cockpit(request):
    """季度工作驾驶舱: every target of the year, the league table of the 所, charts, snapshots."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, user=request.user, today=today)
    if form.is_bound and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    period = form.period() if form.is_bound else Period(today.year, None, today)
    body = page_parts.rendered(request, "cockpit", "reporting/cockpit/_page.html",
                               lambda: _cockpit_context(request.user, form, period, today),
                               vary=(period.year, period.quarter, period.as_of))
    return render(request, "reporting/cockpit/cockpit.html", {
        "body": body, "unit_view": not scope_for(request.user).district_wide})  # as cockpit_units decides


def _cockpit_context(user, form, period: Period, today) -> dict:
    table = cockpit_table(period=period, user=user)
    main = _main_rows(table)
    indicators = [row.indicator for row in table.rows]
    trend_units = [] if table.district_visible else table.units
    known = {}
    if period.quarter is not None:
        known[period.quarter] = {
            row.indicator.code: {None: row.district.figure} if row.district else {
                uid: c.figure for uid, c in row.units.items()} for row in table.rows}
    quarters = cockpit_quarters(year=period.year, today=today, units=trend_units, indicators=indicators, known=known) \
        if table.rows and (table.district_visible or table.units) else {}
    snapshots = list(snapshots_of(period.year, period.quarter)) if period.quarter is not None else []
    can_freeze = cockpit_may_freeze(user)
    return {
        "form": form, "period": period, "table": table, "main": main, "league": _league(table),
        "charts": _charts(table, main, quarters), "snapshots": snapshots, "can_freeze": can_freeze,
        "snapshot_form": SnapshotForm(initial={"year": period.year, "quarter": period.quarter}, user=user)
        if can_freeze and period.ended else None,
        "years": form.years, "quarters": [(q, QUARTER_LABELS[q]) for q in quarters_begun(period.year, today)],
        "waiting": waiting_for(user), "unit_view": not table.district_visible,
        "own_unit": table.units[0] if not table.district_visible and table.units else None,
    }


@login_required
@require_POST
def cockpit_snapshot(request):
    """冻结 (or freeze again, with a reason) an ended quarter's figures; back to that quarter's cockpit."""
    if not cockpit_may_freeze(request.user):
        raise PermissionDenied(_("只有区局药械科或局领导可以冻结季度数据"))
    form = SnapshotForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("reporting:cockpit"))
    data = form.cleaned_data
    target = cockpit_url(Period(data["year"], data["quarter"], timezone.localdate()))
    try:
        snapshot = snapshot_take(year=data["year"], quarter=data["quarter"], today=timezone.localdate(),
                                 by=request.user, reason=data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(target)
    messages.success(request, _("已冻结%(label)s数据（数据截至%(day)s）") % {
        "label": Period(data["year"], data["quarter"], timezone.localdate()).label, "day": f"{snapshot.as_of:%Y-%m-%d}"})
    return redirect(target)
