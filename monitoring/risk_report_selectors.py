"""Reads behind the quarterly risk-consultation report (风险会商情况报告) to the city bureau.

One place for what the report counts, for a year + quarter and a unit (``None`` = the whole district):

- *new* (新增): risks named at a meeting of the quarter;
- *open* (在控): risks named at a meeting of this or an earlier quarter and not closed (销号) by the
  report date — the quarter's last day, or today while the quarter runs — so earlier quarters' open
  risks are carried over (结转);
- *closed* (本季度销号): risks closed between the quarter's first day and the report date;
- *overdue*: open risks whose 完成时限 is before the report date.

A unit's report holds the risks it owns or whose enterprise it supervises (``Risk.scope_unit_paths``),
and the candidates (``monitoring.risk_sources``) suggested for it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Prefetch, Q, QuerySet

from enterprises.models import Unit
from monitoring.choices import RiskStatus
from monitoring.models import Risk, RiskFollowUp, RiskMeeting
from monitoring.risk_sources import candidates_for


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return start, end


def report_date(year: int, quarter: int, today: dt.date) -> dt.date:
    """The date the register is read at: the quarter's last day, or today while the quarter runs."""
    return min(quarter_bounds(year, quarter)[1], today)


def quarter_meetings(year: int, quarter: int) -> list[RiskMeeting]:
    """The quarter's consultation meetings (normally one), in date order, with their units."""
    return list(RiskMeeting.objects.filter(year=year, quarter=quarter).order_by("held_on", "pk")
                .prefetch_related("units"))


def _unit_q(unit: Unit | None) -> Q:
    if unit is None:
        return Q()
    q = Q()
    for path in Risk.scope_unit_paths:
        q |= Q(**{path: unit})
    return q


def unit_risks(unit: Unit | None) -> QuerySet[Risk]:
    """Every risk of the unit's register (the district's when ``unit`` is None), ready for the report tables."""
    return (Risk.objects.filter(_unit_q(unit))
            .select_related("meeting", "enterprise", "owner_unit")
            .order_by("meeting__year", "meeting__quarter", "meeting__held_on", "pk"))


def _named_by(year: int, quarter: int) -> Q:
    """Named at a meeting of this quarter or an earlier one."""
    return Q(meeting__year__lt=year) | Q(meeting__year=year, meeting__quarter__lte=quarter)


def _closed_by(on: dt.date) -> Q:
    return Q(status=RiskStatus.CLOSED, closed_on__lte=on)


def new_risks(year: int, quarter: int, unit: Unit | None) -> QuerySet[Risk]:
    return unit_risks(unit).filter(meeting__year=year, meeting__quarter=quarter)


def open_risks(year: int, quarter: int, unit: Unit | None, today: dt.date) -> QuerySet[Risk]:
    """Open at the report date: named by then and not closed by then (earlier quarters' carried over)."""
    on = report_date(year, quarter, today)
    return unit_risks(unit).filter(_named_by(year, quarter)).exclude(_closed_by(on))


def closed_risks(year: int, quarter: int, unit: Unit | None, today: dt.date) -> QuerySet[Risk]:
    start, _end = quarter_bounds(year, quarter)
    on = report_date(year, quarter, today)
    return unit_risks(unit).filter(status=RiskStatus.CLOSED, closed_on__gte=start, closed_on__lte=on)


def quarter_follow_ups(risks: QuerySet[Risk], year: int, quarter: int, today: dt.date) -> QuerySet[Risk]:
    """``risks`` with their follow-up entries dated within the quarter (up to the report date)."""
    start, _end = quarter_bounds(year, quarter)
    on = report_date(year, quarter, today)
    entries = RiskFollowUp.objects.filter(on__gte=start, on__lte=on).order_by("on", "pk")
    return risks.prefetch_related(Prefetch("follow_ups", queryset=entries, to_attr="quarter_follow_ups"))


def candidate_counts(year: int, quarter: int, unit: Unit | None, today: dt.date) -> Counter:
    """线索/信号数 per source kind: the quarter's candidates proposed from every source (for a 所: those
    suggested for it)."""
    start, end = quarter_bounds(year, quarter)
    found = candidates_for(start=start, end=end, today=today)
    return Counter(c.source_kind for c in found if unit is None or c.unit_id == unit.pk)
