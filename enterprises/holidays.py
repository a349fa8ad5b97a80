"""The official holiday arrangements (国务院办公厅部分节假日安排的通知) as reference data for the calendar.

Every 放假 day and every 调休上班 day of each notice, loaded into ``CalendarDay`` as defaults
(``is_default``) by the enterprises data migration and by ``manage.py load_reference``. A reload adds
only what is missing: a day a user edited keeps the user's version, and a day a user deleted stays
deleted (its deletion is in the history). A new year's notice is a new entry in ``NOTICES``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

HOLIDAY = "holiday"
WORKDAY = "workday"


@dataclass(frozen=True)
class Notice:
    year: int
    source: str
    # (name, first day off, last day off, 调休上班 days)
    holidays: tuple[tuple[str, dt.date, dt.date, tuple[dt.date, ...]], ...]


D = dt.date

NOTICES: tuple[Notice, ...] = (
    Notice(2023, "国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）", (
        # 元旦 2022-12-31 至 2023-01-02: 12/31 is a Saturday of the previous year, not listed here.
        ("元旦", D(2023, 1, 1), D(2023, 1, 2), ()),
        ("春节", D(2023, 1, 21), D(2023, 1, 27), (D(2023, 1, 28), D(2023, 1, 29))),
        ("清明节", D(2023, 4, 5), D(2023, 4, 5), ()),
        ("劳动节", D(2023, 4, 29), D(2023, 5, 3), (D(2023, 4, 23), D(2023, 5, 6))),
        ("端午节", D(2023, 6, 22), D(2023, 6, 24), (D(2023, 6, 25),)),
        ("中秋节、国庆节", D(2023, 9, 29), D(2023, 10, 6), (D(2023, 10, 7), D(2023, 10, 8))),
    )),
    Notice(2024, "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）", (
        ("元旦", D(2024, 1, 1), D(2024, 1, 1), ()),
        ("春节", D(2024, 2, 10), D(2024, 2, 17), (D(2024, 2, 4), D(2024, 2, 18))),
        ("清明节", D(2024, 4, 4), D(2024, 4, 6), (D(2024, 4, 7),)),
        ("劳动节", D(2024, 5, 1), D(2024, 5, 5), (D(2024, 4, 28), D(2024, 5, 11))),
        ("端午节", D(2024, 6, 10), D(2024, 6, 10), ()),
        ("中秋节", D(2024, 9, 15), D(2024, 9, 17), (D(2024, 9, 14),)),
        ("国庆节", D(2024, 10, 1), D(2024, 10, 7), (D(2024, 9, 29), D(2024, 10, 12))),
    )),
    Notice(2025, "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）", (
        ("元旦", D(2025, 1, 1), D(2025, 1, 1), ()),
        ("春节", D(2025, 1, 28), D(2025, 2, 4), (D(2025, 1, 26), D(2025, 2, 8))),
        ("清明节", D(2025, 4, 4), D(2025, 4, 6), ()),
        ("劳动节", D(2025, 5, 1), D(2025, 5, 5), (D(2025, 4, 27),)),
        ("端午节", D(2025, 5, 31), D(2025, 6, 2), ()),
        ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8), (D(2025, 9, 28), D(2025, 10, 11))),
    )),
    Notice(2026, "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）", (
        ("元旦", D(2026, 1, 1), D(2026, 1, 3), (D(2026, 1, 4),)),
        ("春节", D(2026, 2, 15), D(2026, 2, 23), (D(2026, 2, 14), D(2026, 2, 28))),
        ("清明节", D(2026, 4, 4), D(2026, 4, 6), ()),
        ("劳动节", D(2026, 5, 1), D(2026, 5, 5), (D(2026, 5, 9),)),
        ("端午节", D(2026, 6, 19), D(2026, 6, 21), ()),
        ("中秋节", D(2026, 9, 25), D(2026, 9, 27), ()),
        ("国庆节", D(2026, 10, 1), D(2026, 10, 7), (D(2026, 9, 20), D(2026, 10, 10))),
    )),
)


@dataclass(frozen=True)
class DefaultDay:
    date: dt.date
    kind: str
    name: str
    source: str


def default_days() -> list[DefaultDay]:
    """Every day of every notice, in date order."""
    days = []
    for notice in NOTICES:
        for name, first, last, workdays in notice.holidays:
            day = first
            while day <= last:
                days.append(DefaultDay(day, HOLIDAY, name, notice.source))
                day += dt.timedelta(days=1)
            days.extend(DefaultDay(w, WORKDAY, f"{name}调休上班", notice.source) for w in workdays)
    return sorted(days, key=lambda d: d.date)


def holidays_load(calendar_model=None, history_model=None) -> int:
    """Add the default days that are missing; returns how many were added.

    A date already on file (edited or not) is left as it is; a date whose row a user deleted is not
    brought back. The models are passed in by the data migration (historical models) and taken from
    the app otherwise.
    """
    live = calendar_model is None
    if live:
        from enterprises.models import CalendarDay

        calendar_model, history_model = CalendarDay, CalendarDay.history.model
    present = set(calendar_model.objects.values_list("date", flat=True))
    deleted = set()
    if history_model is not None:
        deleted = set(history_model.objects.filter(history_type="-").values_list("date", flat=True))
    rows = [calendar_model(date=d.date, kind=d.kind, name=d.name, source=d.source, is_default=True)
            for d in default_days() if d.date not in present and d.date not in deleted]
    if live and rows:
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(rows, calendar_model, default_change_reason="载入国务院办公厅放假安排（默认值）")
    elif rows:
        calendar_model.objects.bulk_create(rows)
    return len(rows)
