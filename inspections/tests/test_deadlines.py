import datetime as dt

import pytest

from inspections.deadlines import provincial_entry_due, provincial_entry_late, rectification_overdue


@pytest.mark.parametrize(
    ("ended_on", "due"),
    [
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),  # leap year: clamped to 29 Feb
        (dt.date(2023, 1, 31), dt.date(2023, 2, 28)),  # non-leap year: clamped to 28 Feb
        (dt.date(2023, 2, 28), dt.date(2023, 3, 28)),  # 28 Feb non-leap → same day next month
        (dt.date(2024, 2, 29), dt.date(2024, 3, 29)),
        (dt.date(2023, 12, 31), dt.date(2024, 1, 31)),  # December rolls into next year
        (dt.date(2024, 3, 31), dt.date(2024, 4, 30)),  # 30-day month
        (dt.date(2024, 5, 15), dt.date(2024, 6, 15)),
    ],
)
def test_provincial_entry_due_is_same_day_next_month_clamped(ended_on, due):
    assert provincial_entry_due(ended_on) == due


def test_provincial_entry_late_rules():
    due = dt.date(2024, 2, 29)
    assert provincial_entry_late(due=due, entered_on=None, today=dt.date(2024, 2, 29)) is False
    assert provincial_entry_late(due=due, entered_on=None, today=dt.date(2024, 3, 1)) is True
    assert provincial_entry_late(due=due, entered_on=dt.date(2024, 2, 29), today=dt.date(2024, 6, 1)) is False
    assert provincial_entry_late(due=due, entered_on=dt.date(2024, 3, 1), today=dt.date(2024, 6, 1)) is True


def test_rectification_overdue_only_when_open_after_deadline():
    deadline = dt.date(2024, 1, 31)
    assert rectification_overdue(deadline=deadline, completed_on=None, today=dt.date(2024, 1, 31)) is False
    assert rectification_overdue(deadline=deadline, completed_on=None, today=dt.date(2024, 2, 1)) is True
    assert rectification_overdue(deadline=deadline, completed_on=dt.date(2024, 2, 5),
                                 today=dt.date(2024, 3, 1)) is False
