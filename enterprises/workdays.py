"""Working days (工作日): the one reader of the holiday calendar (``CalendarDay``).

Legal clocks such as the 7-working-day 复检 window or the 30-working-day rectification run on working
days: Monday–Friday, less the public holidays, plus the weekend days worked in exchange (调休).
A year with no holiday rows is counted as plain Monday–Friday; ``calendar_configured`` tells pages so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from enterprises.models import CalendarDay, CalendarDayKind


def _exceptions(start: date, end: date) -> dict[date, str]:
    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return dict(rows)


def _working(day: date, exceptions: dict[date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarDayKind.HOLIDAY:
        return False
    if kind == CalendarDayKind.WORKDAY:
        return True
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return _working(day, _exceptions(day, day))


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted; days ≥ 0).

    Seven working days after a delivery on Thursday 2024-09-12 (中秋 9/15–17, 调休 Saturday 9/14) is
    2024-09-24. ``days`` = 0 gives ``start`` itself.
    """
    if days < 0:
        raise ValueError("days must be ≥ 0")
    if days == 0:
        return start
    # Generous window: every 7 days hold ≥ 2 working days except around the longest holidays (≤ 9 days).
    exceptions = _exceptions(start, start + timedelta(days=days * 3 + 20))
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if _working(day, exceptions):
            left -= 1
    return day


def subtract_working_days(end: date, days: int) -> date:
    """The day ``days`` working days before ``end`` (for reminders such as 续证 windows)."""
    if days < 0:
        raise ValueError("days must be ≥ 0")
    exceptions = _exceptions(end - timedelta(days=days * 3 + 20), end)
    day, left = end, days
    while left:
        day -= timedelta(days=1)
        if _working(day, exceptions):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if _working(day, exceptions):
            count += 1
    return count


def calendar_configured(year: int) -> bool:
    """Whether any holiday of ``year`` is on file (a year without one counts Monday–Friday only)."""
    return CalendarDay.objects.filter(date__year=year, kind=CalendarDayKind.HOLIDAY).exists()


@dataclass(frozen=True)
class GridDay:
    """One cell of the month grid: the day, whether it is worked, and the calendar entry behind it."""

    day: date
    working: bool
    entry: CalendarDay | None

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass(frozen=True)
class GridMonth:
    month: int
    weeks: list[list[GridDay | None]]  # Monday first; None pads the first and last week
    working_days: int


def year_grid(year: int) -> list[GridMonth]:
    """The twelve months of ``year`` as Monday-first week rows, each day marked working or not."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    entries = {e.date: e for e in CalendarDay.objects.filter(date__gte=start, date__lte=end)}
    kinds = {d: e.kind for d, e in entries.items()}
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        cells: list[GridDay | None] = [None] * first.weekday()
        day = first
        while day <= last:
            cells.append(GridDay(day, _working(day, kinds), entries.get(day)))
            day += timedelta(days=1)
        cells += [None] * (-len(cells) % 7)
        weeks = [cells[i:i + 7] for i in range(0, len(cells), 7)]
        months.append(GridMonth(month, weeks, sum(1 for c in cells if c is not None and c.working)))
    return months


def subtract_working_days_each(ends: Iterable[date], days: int) -> dict[date, date]:
    """``subtract_working_days`` for many end dates with one read of the calendar (list pages)."""
    if days < 0:
        raise ValueError("days must be ≥ 0")
    ends = sorted(set(ends))
    if not ends:
        return {}
    exceptions = _exceptions(ends[0] - timedelta(days=days * 3 + 20), ends[-1])
    result = {}
    for end in ends:
        day, left = end, days
        while left:
            day -= timedelta(days=1)
            if _working(day, exceptions):
                left -= 1
        result[end] = day
    return result
