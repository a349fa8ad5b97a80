"""Deadlines of inspection work, defined once and used by services, selectors, pages and the demo.

鹿城计划 二(一)1: an inspection report is entered in the provincial NMPA supervision system within
one month after the inspection ends. "One month" is the same day of the next month, clamped to the
last day of that month (1月31日 → 2月29日 in a leap year, 2月28日 otherwise).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# How far ahead the 待办 list looks for follow-ups and provincial entries coming due.
DUE_SOON_DAYS = 7
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


def provincial_entry_late(*, due: date | None, entered_on: date | None, today: date) -> bool:
    """Entered after the due date, or still not entered once the due date has passed."""
    if due is None:
        return False
    if entered_on is not None:
        return entered_on > due
    return today > due


def rectification_overdue(*, deadline: date, completed_on: date | None, today: date) -> bool:
    """An order to correct that is still open after its deadline."""
    return completed_on is None and today > deadline


def due_soon_cutoff(today: date) -> date:
    return today + timedelta(days=DUE_SOON_DAYS)


def draft_stale_before(today: date) -> date:
    """Drafts of inspections held before this day are overdue."""
    return today - timedelta(days=DRAFT_STALE_DAYS)
