"""Deadlines of inspection work, defined once and used by services, selectors, pages and the demo.

鹿城计划 二(一)1: an inspection report is entered in the provincial NMPA supervision system within
one month after the inspection ends. "One month" is the same day of the next month, clamped to the
last day of that month (1月31日 → 2月29日 in a leap year, 2月28日 otherwise).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db.models import F, Q

# How far ahead the 待办 list looks for follow-ups and provincial entries coming due (the default horizon).
DUE_SOON_DAYS = 7
# The horizons a user may pick on 待办: days ahead, or None for every open item whatever its date.
HORIZONS: tuple[int | None, ...] = (7, 30, None)
# A draft not finalised this many days after the inspection counts as overdue on the unit's list.
DRAFT_STALE_DAYS = 7


def add_one_month(day: date) -> date:
    """The same day of the next month, clamped to that month's last day."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def provincial_entry_due(ended_on: date) -> date:
    """The last day to enter an inspection ending on ``ended_on`` in the provincial system."""
    return add_one_month(ended_on)


def provincial_entry_ended_by(due_by: date) -> date:
    """The last end date whose provincial entry is due on or before ``due_by``.

    ``provincial_entry_due`` never decreases as the end date grows, so "due ≤ X" is "ended ≤ this day":
    the rule as a date bound, for inspections whose due date was never stored (records older than the
    column, or written outside the services).
    """
    day = due_by - timedelta(days=27)  # one month is at least 28 days: this day's due is after due_by
    while provincial_entry_due(day) > due_by:
        day -= timedelta(days=1)
    while provincial_entry_due(day + timedelta(days=1)) <= due_by:
        day += timedelta(days=1)
    return day


def provincial_entry_due_q(*, on_or_before: date) -> Q:
    """Inspections whose provincial entry is due on or before a day, stored due date or not."""
    ended_by = provincial_entry_ended_by(on_or_before)
    return Q(provincial_entry_due__lte=on_or_before) | Q(provincial_entry_due__isnull=True) & (
        Q(end_date__lte=ended_by) | Q(end_date__isnull=True, start_date__lte=ended_by)
    )


def provincial_entry_late(*, due: date | None, entered_on: date | None, today: date) -> bool:
    """Entered after the due date, or still not entered once the due date has passed."""
    if due is None:
        return False
    if entered_on is not None:
        return entered_on > due
    return today > due


def provincial_entry_late_q(*, today: date) -> Q:
    """:func:`provincial_entry_late` in SQL terms, for inspections with a stored due date (grouped counts):
    entered after it, or not entered and ``today`` past it. Rows without a stored due date are not matched;
    a caller counts them with :func:`provincial_entry_late` on :func:`provincial_entry_due`."""
    return Q(provincial_entry_due__isnull=False) & (
        Q(provincial_entry_date__gt=F("provincial_entry_due"))
        | Q(provincial_entry_date__isnull=True, provincial_entry_due__lt=today)
    )


def rectification_overdue(*, deadline: date, completed_on: date | None, today: date) -> bool:
    """An order to correct that is still open after its deadline."""
    return completed_on is None and today > deadline


def parse_horizon(value: str | None) -> int | None:
    """The horizon named by a query parameter (``7``, ``30``, ``all``); anything else is the default."""
    if value == "all":
        return None
    if value and value.isdigit() and int(value) in HORIZONS:
        return int(value)
    return DUE_SOON_DAYS


def due_soon_cutoff(today: date, horizon: int | None = DUE_SOON_DAYS) -> date | None:
    """The last due date a 待办 list shows: ``horizon`` days ahead; None (every open item) for no horizon."""
    if horizon is None:
        return None
    return today + timedelta(days=horizon)


def draft_stale_before(today: date) -> date:
    """Drafts of inspections held before this day are overdue."""
    return today - timedelta(days=DRAFT_STALE_DAYS)
