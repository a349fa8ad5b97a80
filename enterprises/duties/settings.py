"""The year's annual-duty settings (``DutyYear``): the one rule for which settings apply to a year.

Every rule that depends on them — the self-report and responsibility-letter deadlines, the long-suspension
threshold (停业/停产满一年), the licence renewal reminder window, the UDI coverage target date — reads them
through :func:`duty_settings_for_year`. The defaults (默认值，可修改) live here too and are what the data
migration wrote for 2023–2026.
"""

from __future__ import annotations

import datetime

from enterprises.models import DutyYear

# The fields users set; a year without its own row takes the previous year's values (dates moved on).
SETTINGS_FIELDS = (
    "self_report_due", "responsibility_due", "long_suspension_days", "renewal_window_start",
    "renewal_window_end", "udi_target_on",
)
DATE_FIELDS = ("self_report_due", "responsibility_due", "udi_target_on")


def default_values(year: int) -> dict:
    """The defaults of a year (默认值，可修改): reports and letters due 3月31日, UDI coverage by 12月31日."""
    return {
        "self_report_due": datetime.date(year, 3, 31),
        "responsibility_due": datetime.date(year, 3, 31),
        "long_suspension_days": 365,
        "renewal_window_start": 90,
        "renewal_window_end": 30,
        "udi_target_on": datetime.date(year, 12, 31),
    }


def _move_year(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 2月29日 in a year without one
        return day.replace(year=day.year + years, day=28)


def duty_settings_for_year(year: int) -> DutyYear:
    """The year's settings; when not yet created, an unsaved copy of the previous year's (else the defaults).

    A copied date keeps its day and month in ``year`` (the previous year's 3月31日 becomes this year's).
    """
    current = DutyYear.objects.filter(year=year).first()
    if current is not None:
        return current
    previous = DutyYear.objects.filter(year__lt=year).order_by("-year").first()
    if previous is None:
        return DutyYear(year=year, **default_values(year))
    values = {name: getattr(previous, name) for name in SETTINGS_FIELDS}
    for name in DATE_FIELDS:
        values[name] = _move_year(values[name], year - previous.year)
    return DutyYear(year=year, **values)
