"""Compute the cockpit, freeze a quarter, and assemble the table the page, the API and the Word summary show.

``cockpit_table`` is the one reader of the cockpit: live figures of the period for the district and each
所 the user may see, the snapshot of the quarter (when one was taken) with the difference, and the trend
against the previous quarter and the same quarter last year (from their snapshots when taken, else live).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from enterprises.choices import UnitKind
from enterprises.models import Unit
from regsys.scoping import scope_for
from reporting.cockpit.base import (
    STATUS_COLOURS,
    STATUS_LABELS,
    Figure,
    Figures,
    Indicator,
    Period,
    Trend,
    all_indicators,
    computing,
    figure_status,
    figure_trend,
)
from reporting.models import QuarterSnapshot

Computed = dict[str, Figures]  # indicator code → figures


def league_units() -> list[Unit]:
    """The units of the per-所 league table: the 市场监管所, in their order."""
    return list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"))


def _cache_key(period: Period, units: list[Unit], indicators: list[Indicator]) -> str:
    codes = hashlib.sha1(",".join(i.code for i in indicators).encode()).hexdigest()[:12]
    ids = ",".join(str(u.pk) for u in units)
    return f"cockpit:v1:{period.year}:{period.quarter}:{period.as_of}:{ids}:{codes}"


def cockpit_compute(period: Period, units: list[Unit], *, indicators: list[Indicator] | None = None,
                    fresh: bool = False) -> Computed:
    """Every indicator's figures for the district and ``units`` in ``period``.

    Live figures are kept in the cache for ``REGSYS_COCKPIT_CACHE_SECONDS`` (the cockpit, the start pages and
    the API read them several times a minute; a figure is at most that old). ``fresh`` reads the records
    (a snapshot always does).
    """
    chosen = indicators if indicators is not None else all_indicators(period.year)
    seconds = settings.REGSYS_COCKPIT_CACHE_SECONDS
    key = _cache_key(period, units, chosen)
    if seconds and not fresh:
        cached = cache.get(key)
        if cached is not None:
            return _computed_from(cached)
    with computing():
        computed = {i.code: i.compute(period, units) for i in chosen}
    if seconds:
        cache.set(key, snapshot_data(computed), seconds)
    return computed


# ------------------------------------------------------------------ snapshots

def snapshot_data(computed: Computed) -> dict:
    return {
        code: {
            "district": figures[None].as_json() if figures.get(None) is not None else None,
            "units": {str(uid): f.as_json() for uid, f in figures.items() if uid is not None},
        }
        for code, figures in computed.items()
    }


def snapshot_figures(snapshot: QuarterSnapshot) -> Computed:
    return _computed_from(snapshot.data)


def _computed_from(data: dict) -> Computed:
    computed: Computed = {}
    for code, block in data.items():
        figures: Figures = {int(uid): Figure.from_json(f) for uid, f in block.get("units", {}).items()}
        if block.get("district") is not None:
            figures[None] = Figure.from_json(block["district"])
        computed[code] = figures
    return computed


def snapshot_current(year: int, quarter: int) -> QuarterSnapshot | None:
    return QuarterSnapshot.objects.filter(year=year, quarter=quarter, is_current=True).first()


def snapshots_of(year: int, quarter: int) -> QuerySet[QuarterSnapshot]:
    return QuarterSnapshot.objects.filter(year=year, quarter=quarter).select_related("taken_by")


def cockpit_may_freeze(user) -> bool:
    """Who may freeze a quarter on demand: the 药械科 and leaders (district-wide, not read-only)."""
    scope = scope_for(user)
    return scope.district_wide and scope.can_write


@transaction.atomic
def snapshot_take(*, year: int, quarter: int, today: dt.date, by=None, reason: str = "") -> QuarterSnapshot:
    """Freeze the figures of an ended quarter. A second snapshot of the same quarter needs a reason (and a
    user of the 药械科 or a leader); the earlier one is kept, no longer current."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("季度应为1至4")})
    period = Period(year, quarter, today)
    if not period.ended:
        raise ValidationError({"quarter": _("该季度尚未结束，季度结束后才能冻结数据")})
    if by is not None and not cockpit_may_freeze(by):
        raise PermissionDenied(_("只有区局药械科或局领导可以冻结季度数据"))
    previous = QuarterSnapshot.objects.select_for_update().filter(year=year, quarter=quarter, is_current=True).first()
    if previous is not None and not reason.strip():
        raise ValidationError({"reason": _("该季度已有快照，重新冻结须填写原因")})
    computed = cockpit_compute(period, league_units(), fresh=True)
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    return QuarterSnapshot.objects.create(
        year=year, quarter=quarter, as_of=period.as_of, taken_by=by, reason=reason.strip(), data=snapshot_data(computed),
        trigger=QuarterSnapshot.Trigger.MANUAL if by is not None else QuarterSnapshot.Trigger.SCHEDULE,
    )


def snapshots_due(today: dt.date, *, years_back: int = 1) -> list[tuple[int, int]]:
    """Ended quarters of this year and the last ``years_back`` years that have no snapshot yet."""
    taken = set(QuarterSnapshot.objects.filter(is_current=True).values_list("year", "quarter"))
    due = []
    for year in range(today.year - years_back, today.year + 1):
        for quarter in (1, 2, 3, 4):
            if Period(year, quarter, today).ended and (year, quarter) not in taken:
                due.append((year, quarter))
    return due


# ------------------------------------------------------------------ the table

@dataclass
class Cell:
    """One figure as shown: live, its status, the snapshot and the trends."""

    indicator: Indicator
    figure: Figure | None
    status: str
    snapshot: Figure | None = None
    vs_previous: Trend | None = None
    vs_last_year: Trend | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def snapshot_diff(self):
        """Live minus snapshot (None when there is no snapshot or either figure is missing)."""
        if self.snapshot is None or self.figure is None or self.snapshot.actual is None or self.figure.actual is None:
            return None
        return self.figure.actual - self.snapshot.actual


@dataclass
class Row:
    indicator: Indicator
    district: Cell | None
    units: dict[int, Cell] = field(default_factory=dict)


@dataclass
class CockpitTable:
    period: Period
    units: list[Unit]
    rows: list[Row]
    district_visible: bool
    snapshot: QuarterSnapshot | None

    @property
    def sections(self) -> list[tuple[str, list[Row]]]:
        grouped: dict[str, list[Row]] = {}
        for row in self.rows:
            grouped.setdefault(row.indicator.section, []).append(row)
        return list(grouped.items())


def _figures_for(period: Period | None, units: list[Unit], indicators: list[Indicator]) -> Computed | None:
    """An earlier period's figures: its current snapshot when taken, else computed live."""
    if period is None or period.year < 2000:
        return None
    if period.quarter is not None and period.ended:
        snap = snapshot_current(period.year, period.quarter)
        if snap is not None:
            return snapshot_figures(snap)
    return cockpit_compute(period, units, indicators=indicators)


def _cell(indicator: Indicator, key: int | None, live: Computed, snap: Computed | None, prev: Computed | None,
          last: Computed | None) -> Cell:
    figure = live.get(indicator.code, {}).get(key)
    status = figure_status(indicator, figure) if figure is not None else "not_configured"

    def earlier(data: Computed | None) -> Figure | None:
        return data.get(indicator.code, {}).get(key) if data is not None else None

    return Cell(
        indicator=indicator, figure=figure, status=status, snapshot=earlier(snap),
        vs_previous=figure_trend(indicator, figure, earlier(prev)),
        vs_last_year=figure_trend(indicator, figure, earlier(last)),
    )


def cockpit_units(user) -> tuple[list[Unit], bool]:
    """The units ``user`` may see in the cockpit, and whether the district figures are visible."""
    scope = scope_for(user)
    if scope.district_wide:
        return league_units(), True
    if scope.unit_id is None:
        return [], False
    return list(Unit.objects.filter(pk=scope.unit_id)), False


def cockpit_table(*, period: Period, user, trends: bool = True) -> CockpitTable:
    """The cockpit as ``user`` may see it: the district (district-wide users) and each visible 所."""
    units, district_visible = cockpit_units(user)
    indicators = all_indicators(period.year)
    live = cockpit_compute(period, units, indicators=indicators)
    snapshot = snapshot_current(period.year, period.quarter) if period.quarter is not None else None
    snap = snapshot_figures(snapshot) if snapshot is not None else None
    prev = _figures_for(period.previous(), units, indicators) if trends else None
    last = _figures_for(period.last_year(), units, indicators) if trends else None
    rows = []
    for indicator in indicators:
        district = _cell(indicator, None, live, snap, prev, last) if district_visible else None
        unit_cells = {u.pk: _cell(indicator, u.pk, live, snap, prev, last) for u in units} if indicator.per_unit else {}
        rows.append(Row(indicator=indicator, district=district, units=unit_cells))
    return CockpitTable(period=period, units=units, rows=rows, district_visible=district_visible, snapshot=snapshot)


def cockpit_quarters(*, year: int, today: dt.date, units: list[Unit], indicators: list[Indicator],
                     known: dict[int, Computed] | None = None) -> dict[int, Computed]:
    """The figures of each quarter of ``year`` that has begun (for the quarter trend): an ended quarter's
    current snapshot when taken, else computed live for ``units`` (none: the district alone).
    ``known``: quarters the caller has computed already."""
    known = known or {}
    snapshots = {s.quarter: s for s in QuarterSnapshot.objects.filter(year=year, is_current=True)}
    found: dict[int, Computed] = {}
    for quarter in (1, 2, 3, 4):
        period = Period(year, quarter, today)
        if period.period_start > today:
            break
        if period.ended and quarter in snapshots:
            found[quarter] = snapshot_figures(snapshots[quarter])
        elif quarter in known:
            found[quarter] = known[quarter]
        else:
            found[quarter] = cockpit_compute(period, units, indicators=indicators)
    return found
