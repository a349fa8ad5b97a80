"""The cockpit's rules: periods, the colour rule, trends, pro-rata, and freezing a quarter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting.cockpit import base, service
from reporting.cockpit.base import Figure, Indicator, Period, Status, figure_status, figure_trend
from reporting.models import QuarterSnapshot

TODAY = dt.date(2026, 12, 1)


def _indicator(higher_is_better=True, compute=None):
    return Indicator(code="t", section="测试", name="测试指标", unit_label="家", higher_is_better=higher_is_better,
                     compute=compute or (lambda period, units: {}))


# ------------------------------------------------------------------ periods

def test_an_ended_quarter_counts_to_its_last_day():
    period = Period(2026, 2, TODAY)
    assert (period.start, period.period_start, period.as_of) == (
        dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert period.ended
    assert period.label == "2026年第二季度"
    # 1 Jan … 30 Jun is 181 of 365 days
    assert period.share_elapsed == Decimal(181) / Decimal(365)


def test_the_running_quarter_and_to_date_count_to_today():
    assert Period(2026, 4, TODAY).as_of == TODAY
    assert not Period(2026, 4, TODAY).ended
    to_date = Period(2026, None, TODAY)
    assert to_date.as_of == TODAY
    assert to_date.label == "2026年截至12月01日"
    assert not to_date.ended


def test_previous_and_last_year():
    assert Period(2026, 1, TODAY).previous() is None
    assert Period(2026, 3, TODAY).previous() == Period(2026, 2, TODAY)
    assert Period(2026, 3, TODAY).last_year() == Period(2025, 3, TODAY)
    # 截至今日 (1 Dec) compares with Q3, the last quarter that has ended, and with Q4 of last year
    assert Period(2026, None, TODAY).previous() == Period(2026, 3, TODAY)
    assert Period(2026, None, TODAY).last_year() == Period(2025, 4, TODAY)


def test_a_past_year_to_date_ends_on_31_december():
    assert Period(2025, None, TODAY).as_of == dt.date(2025, 12, 31)


def test_pro_rata_and_deadline():
    q2 = Period(2026, 2, TODAY)
    assert base.pro_rata(10, q2, integer=True) == 4  # 10 × 181/365 = 4.96 → 4 due
    assert base.pro_rata(Decimal(100), q2) == Decimal("49.6")
    assert base.pro_rata(None, q2) is None
    deadline = dt.date(2026, 3, 31)
    assert base.by_deadline(Decimal(100), Period(2026, 1, TODAY), deadline) == Decimal(100)
    assert base.by_deadline(Decimal(100), Period(2026, 1, dt.date(2026, 2, 10)), deadline) == Decimal(0)


# ------------------------------------------------------------------ colour and trend

@pytest.mark.parametrize(("actual", "expected", "status"), [
    (10, 5, Status.MET),
    (6, 5, Status.ON_TRACK),
    (5, 5, Status.ON_TRACK),
    (Decimal("4.5"), 5, Status.SLIGHTLY_BEHIND),  # 90 % of the expected
    (4, 5, Status.BEHIND),
])
def test_status_of_a_higher_is_better_figure(actual, expected, status):
    assert figure_status(_indicator(), Figure(actual=actual, target=10, expected=expected)) == status


def test_status_of_a_lower_is_better_figure():
    late = _indicator(higher_is_better=False)
    assert figure_status(late, Figure(actual=0, target=0)) == Status.MET
    assert figure_status(late, Figure(actual=3, target=0)) == Status.BEHIND


def test_status_without_target_or_configuration():
    assert figure_status(_indicator(), Figure(actual=7)) == Status.INFO
    assert figure_status(_indicator(), base.not_configured("未配置常住人口")) == Status.NOT_CONFIGURED
    assert figure_status(_indicator(), Figure(actual=None, target=100, note="尚无应提交的自查报告")) == Status.NOTHING_DUE


def test_trend_says_whether_the_change_is_better():
    up = figure_trend(_indicator(), Figure(actual=8), Figure(actual=5))
    assert (up.delta, up.direction, up.better) == (3, "up", True)
    worse = figure_trend(_indicator(higher_is_better=False), Figure(actual=8), Figure(actual=5))
    assert worse.better is False
    flat = figure_trend(_indicator(), Figure(actual=5), Figure(actual=5))
    assert (flat.direction, flat.better) == ("flat", None)
    assert figure_trend(_indicator(), Figure(actual=5), None).delta is None


def test_figure_round_trips_through_json():
    figure = Figure(actual=Decimal("49.6"), target=Decimal(100), expected=Decimal("49.6"), numerator=62,
                    denominator=125, url="/x/", note="")
    assert Figure.from_json(figure.as_json()) == figure


# ------------------------------------------------------------------ snapshots

@pytest.fixture
def counting(monkeypatch):
    """One indicator counting a mutable number, for the district and each unit."""
    state = {"n": 3}

    def compute(period, units):
        figures = {None: Figure(actual=state["n"] * len(units) if units else state["n"], target=10)}
        figures.update({u.pk: Figure(actual=state["n"], target=5) for u in units})
        return figures

    indicator = Indicator(code="count", section="测试", name="计数", unit_label="件", compute=compute)
    monkeypatch.setattr(service, "all_indicators", lambda year=None: [indicator])
    return state


@pytest.mark.django_db
def test_a_snapshot_freezes_figures_that_live_data_later_changes(counting):
    station = UnitFactory(kind=UnitKind.STATION)
    snapshot = service.snapshot_take(year=2026, quarter=2, today=TODAY)
    assert snapshot.as_of == dt.date(2026, 6, 30)
    assert snapshot.trigger == QuarterSnapshot.Trigger.SCHEDULE
    counting["n"] = 4  # a record dated in Q2 entered after the freeze
    chief = UserFactory(role=Role.LEADER, unit=UnitFactory(kind=UnitKind.BUREAU))
    table = service.cockpit_table(period=Period(2026, 2, TODAY), user=chief)
    cell = table.rows[0].district
    assert (cell.figure.actual, cell.snapshot.actual, cell.snapshot_diff) == (4, 3, 1)
    unit_cell = table.rows[0].units[station.pk]
    assert (unit_cell.figure.actual, unit_cell.snapshot.actual, unit_cell.snapshot_diff) == (4, 3, 1)


@pytest.mark.django_db
def test_a_station_user_sees_only_its_unit(counting):
    own, other = UnitFactory(kind=UnitKind.STATION), UnitFactory(kind=UnitKind.STATION)
    table = service.cockpit_table(period=Period(2026, 2, TODAY), user=UserFactory(role=Role.STATION_STAFF, unit=own))
    assert not table.district_visible
    assert table.rows[0].district is None
    assert set(table.rows[0].units) == {own.pk}
    assert other.pk not in table.rows[0].units


@pytest.mark.django_db
def test_refreezing_needs_a_reason_and_keeps_the_earlier_snapshot(counting):
    first = service.snapshot_take(year=2026, quarter=1, today=TODAY)
    chief = UserFactory(role=Role.LEADER, unit=UnitFactory(kind=UnitKind.BUREAU))
    with pytest.raises(ValidationError):
        service.snapshot_take(year=2026, quarter=1, today=TODAY, by=chief, reason="  ")
    assert list(QuarterSnapshot.objects.values_list("pk", "is_current")) == [(first.pk, True)]
    counting["n"] = 9
    second = service.snapshot_take(year=2026, quarter=1, today=TODAY, by=chief, reason="补录一季度检查")
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.trigger) == (False, True, QuarterSnapshot.Trigger.MANUAL)
    assert service.snapshot_figures(second)["count"][None].actual == 9


@pytest.mark.django_db
def test_a_running_quarter_cannot_be_frozen_nor_by_a_station_user(counting):
    with pytest.raises(ValidationError):
        service.snapshot_take(year=2026, quarter=4, today=TODAY)
    station_user = UserFactory(role=Role.STATION_STAFF, unit=UnitFactory(kind=UnitKind.STATION))
    with pytest.raises(PermissionDenied):
        service.snapshot_take(year=2026, quarter=2, today=TODAY, by=station_user)
    assert not QuarterSnapshot.objects.exists()


@pytest.mark.django_db
def test_snapshots_due_lists_ended_quarters_without_one(counting):
    service.snapshot_take(year=2026, quarter=1, today=TODAY)
    assert service.snapshots_due(TODAY) == [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 2), (2026, 3)]


@pytest.mark.django_db
def test_live_figures_are_cached_for_the_configured_time_but_a_snapshot_reads_the_records(counting, settings):
    settings.REGSYS_COCKPIT_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    station = UnitFactory(kind=UnitKind.STATION)
    period = Period(2026, 2, TODAY)
    assert service.cockpit_compute(period, [station])["count"][station.pk].actual == 3
    counting["n"] = 5
    assert service.cockpit_compute(period, [station])["count"][station.pk].actual == 3  # within 5 minutes
    assert service.cockpit_compute(period, [station], fresh=True)["count"][station.pk].actual == 5
    snapshot = service.snapshot_take(year=2026, quarter=2, today=TODAY)
    assert service.snapshot_figures(snapshot)["count"][station.pk].actual == 5
    settings.REGSYS_COCKPIT_CACHE_SECONDS = 0
    counting["n"] = 6
    assert service.cockpit_compute(period, [station])["count"][station.pk].actual == 6
    cache.clear()


def test_shared_reads_compute_once_inside_a_computation():
    calls = []

    def read():
        calls.append(1)
        return len(calls)

    with base.computing():
        assert (base.shared(("k",), read), base.shared(("k",), read)) == (1, 1)
    assert base.shared(("k",), read) == 2  # outside a computation: read every time
    assert base.shared(("k",), read) == 3
