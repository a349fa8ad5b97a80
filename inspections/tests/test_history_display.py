"""The change history shows times in Beijing time as 年-月-日 时:分, never a raw UTC timestamp."""

import datetime as dt

from inspections.models import Inspection
from inspections.selectors import _display


def test_history_shows_a_timestamp_in_local_time_to_the_minute():
    utc_evening = dt.datetime(2024, 1, 31, 16, 30, 12, 345678, tzinfo=dt.UTC)

    assert _display(Inspection, "finalised_at", utc_evening) == "2024-02-01 00:30"


def test_history_shows_a_date_as_year_month_day():
    assert _display(Inspection, "start_date", dt.date(2024, 2, 29)) == "2024-02-29"
