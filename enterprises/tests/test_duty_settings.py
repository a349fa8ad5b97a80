"""The one reader of the year's annual-duty settings (DutyYear)."""

import datetime

import pytest

from enterprises.duties.settings import duty_settings_for_year
from enterprises.models import DutyYear

pytestmark = pytest.mark.django_db


def test_default_rows_exist_for_2023_to_2026():
    rows = {d.year: d for d in DutyYear.objects.filter(year__in=[2023, 2024, 2025, 2026])}
    assert sorted(rows) == [2023, 2024, 2025, 2026]
    assert rows[2025].self_report_due == datetime.date(2025, 3, 31)
    assert rows[2025].responsibility_due == datetime.date(2025, 3, 31)
    assert rows[2025].udi_target_on == datetime.date(2025, 12, 31)
    assert (rows[2025].renewal_window_start, rows[2025].renewal_window_end) == (90, 30)
    assert rows[2025].long_suspension_days == 365


def test_a_year_with_its_row_reads_it():
    DutyYear.objects.filter(year=2026).update(self_report_due=datetime.date(2026, 4, 15), long_suspension_days=300)
    settings = duty_settings_for_year(2026)
    assert settings.pk is not None
    assert settings.self_report_due == datetime.date(2026, 4, 15)
    assert settings.long_suspension_days == 300


def test_a_year_without_a_row_takes_the_previous_years_values_moved_on():
    DutyYear.objects.filter(year=2026).update(
        self_report_due=datetime.date(2026, 4, 15), renewal_window_start=80, udi_target_on=None,
    )
    settings = duty_settings_for_year(2028)
    assert settings.pk is None
    assert settings.year == 2028
    assert settings.self_report_due == datetime.date(2028, 4, 15)
    assert settings.responsibility_due == datetime.date(2028, 3, 31)
    assert settings.renewal_window_start == 80
    assert settings.udi_target_on is None
    assert not DutyYear.objects.filter(year=2028).exists()


def test_29_february_moves_to_28_february():
    DutyYear.objects.filter(year=2026).update(self_report_due=datetime.date(2026, 3, 1))
    DutyYear.objects.create(
        year=2028, self_report_due=datetime.date(2028, 2, 29), responsibility_due=datetime.date(2028, 3, 31),
    )
    assert duty_settings_for_year(2029).self_report_due == datetime.date(2029, 2, 28)


def test_no_row_at_all_gives_the_defaults():
    DutyYear.objects.all().delete()
    settings = duty_settings_for_year(2030)
    assert settings.self_report_due == datetime.date(2030, 3, 31)
    assert settings.udi_target_on == datetime.date(2030, 12, 31)
    assert settings.renewal_window_end == 30
