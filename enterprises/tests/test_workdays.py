"""``enterprises.workdays`` (the one reader of the holiday calendar) and the default holiday data 2023–2026.

Expected dates are counted by hand from the 国务院办公厅 notices, never by calling the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from enterprises.holidays import default_days, holidays_load
from enterprises.models import CalendarDay, CalendarDayKind
from enterprises.workdays import (
    add_working_days,
    calendar_configured,
    is_working_day,
    subtract_working_days,
    working_days_between,
    year_grid,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def holidays():
    """The defaults (the migration loads them; a flushed transactional database may not have them)."""
    holidays_load()


def test_seven_working_days_skip_mid_autumn_and_count_the_tiaoxiu_saturday():
    # Thu 9/12 → Fri 9/13 (1), Sat 9/14 调休 (2), 9/15–17 中秋, 9/18–20 (3–5), Mon 9/23 (6), Tue 9/24 (7)
    assert add_working_days(D(2024, 9, 12), 7) == D(2024, 9, 24)


def test_national_day_both_ways():
    # Fri 9/27 → Sun 9/29 调休 (1), Mon 9/30 (2), 10/1–7 国庆, Tue 10/8 (3)
    assert add_working_days(D(2024, 9, 27), 3) == D(2024, 10, 8)
    assert subtract_working_days(D(2024, 10, 8), 3) == D(2024, 9, 27)
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 8)) == 3


def test_subtract_skips_spring_festival_and_counts_its_sunday():
    # back from Mon 2/19: Sun 2/18 调休 (1), 2/10–17 春节, Fri 2/9 (2), Thu 2/8 (3)
    assert subtract_working_days(D(2024, 2, 19), 3) == D(2024, 2, 8)


def test_is_working_day():
    assert is_working_day(D(2024, 2, 4)) is True  # Sunday worked (春节调休)
    assert is_working_day(D(2024, 2, 12)) is False  # Monday of 春节
    assert is_working_day(D(2024, 2, 3)) is False  # an ordinary Saturday
    assert is_working_day(D(2024, 3, 5)) is True  # an ordinary Tuesday


def test_across_the_new_year_2026():
    # Wed 2025-12-31 → 1/1–3 元旦, Sun 1/4 调休 (1), Mon 1/5 (2)
    assert add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 5)


def test_a_whole_year_2024_has_251_working_days():
    # 262 weekdays − 19 weekday holidays (元旦1, 春节5, 清明2, 劳动3, 端午1, 中秋2, 国庆5) + 8 调休 weekend days
    assert working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 251
    assert add_working_days(D(2023, 12, 31), 251) == D(2024, 12, 31)


def test_zero_and_negative():
    assert add_working_days(D(2024, 10, 3), 0) == D(2024, 10, 3)
    assert subtract_working_days(D(2024, 10, 3), 0) == D(2024, 10, 3)
    assert working_days_between(D(2024, 5, 10), D(2024, 5, 10)) == 0
    assert working_days_between(D(2024, 5, 10), D(2024, 5, 1)) == 0
    with pytest.raises(ValueError):
        add_working_days(D(2024, 5, 10), -1)
    with pytest.raises(ValueError):
        subtract_working_days(D(2024, 5, 10), -1)


def test_a_year_without_data_counts_monday_to_friday():
    assert calendar_configured(2030) is False
    assert calendar_configured(2024) is True
    # Fri 2030-01-04 → Mon 1/7; 2030-01-01 is not known as a holiday
    assert add_working_days(D(2030, 1, 4), 1) == D(2030, 1, 7)
    assert is_working_day(D(2030, 1, 1)) is True


def test_a_row_added_by_hand_is_used():
    CalendarDay.objects.create(date=D(2030, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    assert calendar_configured(2030) is True
    # Mon 2029-12-31 → Tue 1/1 is a holiday → Wed 1/2
    assert add_working_days(D(2029, 12, 31), 1) == D(2030, 1, 2)


def test_year_grid_february_2024():
    february = year_grid(2024)[1]
    # 21 weekdays − 2/12–16 (5) + Sun 2/4 and Sun 2/18 = 18
    assert february.working_days == 18
    cells = [c for week in february.weeks for c in week if c is not None]
    assert len(cells) == 29
    assert february.weeks[0][:3] == [None, None, None]  # 2024-02-01 is a Thursday
    by_day = {c.day: c for c in cells}
    assert by_day[D(2024, 2, 4)].working and by_day[D(2024, 2, 4)].entry.kind == CalendarDayKind.WORKDAY
    assert not by_day[D(2024, 2, 12)].working
    assert all(len(week) == 7 for week in february.weeks)


# ---------------------------------------------------------------- the default data


def _days(year: int, kind: str) -> list[dt.date]:
    return list(CalendarDay.objects.filter(date__year=year, kind=kind).values_list("date", flat=True))


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def test_2024_defaults_are_the_notice():
    holidays = ([D(2024, 1, 1)] + _span(D(2024, 2, 10), D(2024, 2, 17)) + _span(D(2024, 4, 4), D(2024, 4, 6))
                + _span(D(2024, 5, 1), D(2024, 5, 5)) + [D(2024, 6, 10)] + _span(D(2024, 9, 15), D(2024, 9, 17))
                + _span(D(2024, 10, 1), D(2024, 10, 7)))
    workdays = [D(2024, 2, 4), D(2024, 2, 18), D(2024, 4, 7), D(2024, 4, 28), D(2024, 5, 11), D(2024, 9, 14),
                D(2024, 9, 29), D(2024, 10, 12)]
    assert _days(2024, CalendarDayKind.HOLIDAY) == holidays
    assert _days(2024, CalendarDayKind.WORKDAY) == workdays


@pytest.mark.parametrize(("year", "workdays", "holiday_count"), [
    (2023, [D(2023, 1, 28), D(2023, 1, 29), D(2023, 4, 23), D(2023, 5, 6), D(2023, 6, 25), D(2023, 10, 7),
            D(2023, 10, 8)], 2 + 7 + 1 + 5 + 3 + 8),
    (2025, [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)], 1 + 8 + 3 + 5 + 3 + 8),
    (2026, [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)],
     3 + 9 + 3 + 5 + 3 + 3 + 7),
])
def test_other_years_defaults(year, workdays, holiday_count):
    assert _days(year, CalendarDayKind.WORKDAY) == workdays
    assert len(_days(year, CalendarDayKind.HOLIDAY)) == holiday_count
    assert all(day.weekday() >= 5 for day in workdays)
    assert CalendarDay.objects.filter(date__year=year, is_default=True).exclude(source="").count() == len(
        workdays) + holiday_count


def test_spot_checks_of_2025_and_2026():
    assert CalendarDay.objects.get(date=D(2025, 1, 28)).name == "春节"  # 除夕 is a holiday from 2025
    assert CalendarDay.objects.get(date=D(2025, 10, 8)).name == "国庆节、中秋节"
    assert CalendarDay.objects.get(date=D(2026, 2, 23)).kind == CalendarDayKind.HOLIDAY  # 正月初七
    assert "2026年" in CalendarDay.objects.get(date=D(2026, 10, 10)).source


def test_reload_adds_nothing_keeps_edits_and_does_not_restore_deletions():
    edited = CalendarDay.objects.get(date=D(2024, 6, 10))
    edited.name, edited.is_default = "端午节（本局调整）", False
    edited.save()
    deleted = CalendarDay.objects.get(date=D(2024, 9, 14))
    deleted.delete()
    count = CalendarDay.objects.count()

    assert holidays_load() == 0

    assert CalendarDay.objects.count() == count
    assert CalendarDay.objects.get(date=D(2024, 6, 10)).name == "端午节（本局调整）"
    assert not CalendarDay.objects.filter(date=D(2024, 9, 14)).exists()


def test_load_fills_an_empty_calendar():
    CalendarDay.objects.all().delete()
    CalendarDay.history.all().delete()

    added = holidays_load()

    assert added == len(default_days()) == CalendarDay.objects.count() == 141
