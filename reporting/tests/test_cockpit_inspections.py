"""Cockpit indicators of 监督检查: the year's targets and the provincial entry, worked out by hand.

2024 is a leap year: 1 January–30 June is 182 of 366 days, so a pro-rata share by Q2's end is 182/366.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import (
    EnterpriseFactory,
    SubdistrictFactory,
    TagFactory,
    UnitFactory,
    UserFactory,
)
from inspections.choices import InspectionKind, InspectionStatus
from inspections.models import AnnualTarget
from inspections.planning.tests.factories import InspectionFactory
from reporting.cockpit import ind_inspections
from reporting.cockpit.base import Period, all_indicators
from reporting.cockpit.service import cockpit_compute

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 12, 1)
Q1, Q2, Q3 = Period(2024, 1, TODAY), Period(2024, 2, TODAY), Period(2024, 3, TODAY)


def target(code, **kwargs):
    defaults = {"year": 2024, "name": code, "confidence": "C", "links": "", "tag_codes": "", "inspection_kinds": ""}
    return AnnualTarget.objects.create(code=code, **{**defaults, **kwargs})


@pytest.fixture
def world():
    sterile = TagFactory(code="sterile")
    sd_a, sd_b = SubdistrictFactory(), SubdistrictFactory()
    a = [EnterpriseFactory(subdistrict=sd_a, tags=[sterile]) for _ in range(4)] + \
        [EnterpriseFactory(subdistrict=sd_a) for _ in range(2)]
    b = [EnterpriseFactory(subdistrict=sd_b, tags=[sterile]) for _ in range(6)]
    flight = InspectionKind.FLIGHT
    InspectionFactory(enterprise=a[0], kind=flight, start_date=D(2024, 3, 1))
    InspectionFactory(enterprise=a[0], kind=flight, start_date=D(2024, 5, 1))  # the same enterprise: once
    InspectionFactory(enterprise=a[1], start_date=D(2024, 2, 10))
    InspectionFactory(enterprise=a[4], kind=flight, start_date=D(2024, 4, 10))
    InspectionFactory(enterprise=b[0], kind=flight, start_date=D(2024, 6, 30))
    InspectionFactory(enterprise=b[1], start_date=D(2024, 7, 5))  # Q3: not by Q2's end
    InspectionFactory(enterprise=b[2], start_date=D(2024, 3, 3), status=InspectionStatus.DRAFT)  # not finalised
    InspectionFactory(enterprise=a[2], start_date=D(2023, 12, 31))  # last year
    targets = {
        "flight": target("flight", name="飞行检查", kind="count", inspection_kinds="flight", min_count=10,
                         district_only=True, sort_order=1),
        "sterile": target("sterile", name="无菌和植入类", kind="coverage", tag_codes="sterile",
                          min_ratio=Decimal("0.15"), sort_order=2),
    }
    return {"a": a, "b": b, "unit_a": sd_a.unit, "unit_b": sd_b.unit, "targets": targets, "tag": sterile}


def compute(period, units):
    return cockpit_compute(period, units, indicators=ind_inspections.indicators_for(period.year))


def test_one_indicator_per_active_target_of_the_year(world):
    target("old", year=2023, kind="count", min_count=1)
    target("off", kind="count", min_count=1, is_active=False)
    codes = [i.code for i in all_indicators(2024) if i.code.startswith("target-")]
    assert codes == ["target-flight", "target-sterile"]
    flight = next(i for i in ind_inspections.indicators_for(2024) if i.code == "target-flight")
    assert flight.per_unit is False and flight.section == "监督检查" and flight.name == "飞行检查"


def test_target_figures_for_the_district_and_two_units_by_q2(world):
    a, b = world["unit_a"], world["unit_b"]
    figures = compute(Q2, [a, b])
    flight = figures["target-flight"]
    assert set(flight) == {None}  # assessed district-wide only
    # flight inspections by 30 June: a0 (twice), a4, b0 → 3 enterprises; expected floor(10 × 182/366) = 4
    assert (flight[None].actual, flight[None].target, flight[None].expected) == (3, 10, 4)
    sterile = figures["target-sterile"]
    # sterile: A has a0–a3, of them a0 and a1 inspected → 2/4; B has b0–b5, b0 (30 June) → 1/6; district 3/10
    assert (sterile[a.pk].numerator, sterile[a.pk].denominator, sterile[a.pk].actual) == (2, 4, Decimal("50.0"))
    assert (sterile[b.pk].numerator, sterile[b.pk].denominator, sterile[b.pk].actual) == (1, 6, Decimal("16.7"))
    assert (sterile[None].numerator, sterile[None].denominator, sterile[None].actual) == (3, 10, Decimal("30.0"))
    # target 15.0%, expected 15 × 182/366 = 7.459… → 7.5
    assert (sterile[None].target, sterile[None].expected) == (Decimal("15.0"), Decimal("7.5"))


def test_as_of_excludes_later_inspections_and_a_late_entry_dated_in_the_quarter_counts_live(world):
    a, b = world["unit_a"], world["unit_b"]
    q1 = compute(Q1, [a, b])
    # by 31 March: flight a0 only; sterile A a0, a1 → 2/4, B none → 0/6
    assert q1["target-flight"][None].actual == 1
    assert q1["target-sterile"][b.pk].actual == Decimal("0.0")
    assert q1["target-sterile"][None].actual == Decimal("20.0")
    assert compute(Q3, [a, b])["target-sterile"][b.pk].numerator == 2  # b1 on 5 July counts by Q3
    # entered today, held on 20 May: Q2's live figure of B grows to 2/6
    InspectionFactory(enterprise=world["b"][3], start_date=D(2024, 5, 20))
    assert compute(Q2, [a, b])["target-sterile"][b.pk].actual == Decimal("33.3")
    assert compute(Q1, [a, b])["target-sterile"][b.pk].actual == Decimal("0.0")


def test_a_year_without_the_target_reads_not_configured(world):
    indicator = next(i for i in ind_inspections.indicators_for(2024) if i.code == "target-sterile")
    figure = indicator.compute(Period(2023, 2, TODAY), [world["unit_a"]])
    assert figure[None].configured is False and "2023年未设置" in figure[None].note
    unit_c = UnitFactory()  # no enterprises at all: nothing to cover (set up, nothing due)
    empty = indicator.compute(Q2, [unit_c])[unit_c.pk]
    assert (empty.configured, empty.actual, empty.denominator) == (True, None, 0)


def test_query_count_does_not_grow_with_targets_or_units(world):
    def count(units):
        with CaptureQueriesContext(connection) as ctx:
            compute(Q2, units)
        return len(ctx.captured_queries)

    few = count([world["unit_a"], world["unit_b"]])
    for i in range(3):
        target(f"more{i}", kind="coverage", tag_codes="sterile", inspection_kinds="routine",
               min_ratio=Decimal("0.5"), sort_order=10 + i)
    more_units = [world["unit_a"], world["unit_b"], UnitFactory(), UnitFactory()]
    assert count(more_units) == few
    assert few <= 3  # the targets, the grouped pass (+ the provincial indicators are not in this list)



def test_target_urls_list_the_counted_inspections(client, world):
    a = world["unit_a"]
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    figures = compute(Q2, [a, world["unit_b"]])
    client.force_login(chief)
    for figure in (figures["target-flight"][None], figures["target-sterile"][a.pk],
                   figures["target-sterile"][None]):
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["total"] == figure.numerator


# ------------------------------------------------------------------ provincial entry


@pytest.fixture
def entries():
    sd_a, sd_b = SubdistrictFactory(), SubdistrictFactory()
    ea, eb = EnterpriseFactory(subdistrict=sd_a), EnterpriseFactory(subdistrict=sd_b)

    def insp(enterprise, start, due=None, entered=None, **kw):
        return InspectionFactory(enterprise=enterprise, start_date=start, provincial_entry_due=due,
                                 provincial_entry_date=entered, **kw)

    insp(ea, D(2024, 3, 1), D(2024, 4, 1), D(2024, 3, 20))  # on time
    insp(ea, D(2024, 4, 10), D(2024, 5, 10), D(2024, 5, 20))  # entered late
    insp(ea, D(2024, 5, 15), D(2024, 6, 15))  # never entered: late
    insp(ea, D(2024, 6, 10), D(2024, 7, 10))  # due after 30 June: not counted by Q2
    insp(eb, D(2024, 2, 1), None, D(2024, 2, 20))  # no stored due: 1 March by the rule → on time
    insp(eb, D(2024, 5, 31), None, D(2024, 7, 5))  # due 30 June by the rule, entered 5 July → late
    insp(eb, D(2023, 12, 15), D(2024, 1, 15))  # last year's inspection
    insp(eb, D(2024, 3, 1), status=InspectionStatus.DRAFT)  # not finalised
    return sd_a.unit, sd_b.unit


def _provincial(period, units):
    by_code = {i.code: i for i in ind_inspections.INDICATORS}
    return (by_code["provincial-entry-rate"].compute(period, units),
            by_code["provincial-entry-late"].compute(period, units))


def test_provincial_entry_rate_and_late_count(entries):
    a, b = entries
    rate, late = _provincial(Q2, [a, b])
    # A: 3 due by 30 June, 1 on time → 33.3%, 2 late; B: 2 due, 1 on time → 50.0%; district 5 due, 2 on time
    assert (rate[a.pk].numerator, rate[a.pk].denominator, rate[a.pk].actual) == (1, 3, Decimal("33.3"))
    assert (rate[b.pk].numerator, rate[b.pk].denominator, rate[b.pk].actual) == (1, 2, Decimal("50.0"))
    assert (rate[None].numerator, rate[None].denominator, rate[None].actual) == (2, 5, Decimal("40.0"))
    assert (late[a.pk].actual, late[b.pk].actual, late[None].actual) == (2, 1, 3)
    assert late[None].target == 0
    # by 31 March only B's February inspection was due (1 March), entered on time
    rate, late = _provincial(Q1, [a, b])
    assert rate[None].actual == Decimal("100.0") and late[None].actual == 0
    assert (rate[a.pk].actual, rate[a.pk].denominator, late[a.pk].actual) == (None, 0, 0)


def test_late_urls_list_the_late_inspections_within_the_users_scope(client, entries):
    a, b = entries
    rate, late = _provincial(Q2, [a, b])
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.SECTION_STAFF)
    client.force_login(chief)
    assert client.get(late[None].url).context["total"] == 3
    assert client.get(late[a.pk].url).context["total"] == 2
    assert client.get(rate[b.pk].url).context["total"] == 1
    # a 所 user opening the district's list sees only its own unit's late inspections
    client.force_login(UserFactory(unit=a))
    assert client.get(late[None].url).context["total"] == 2
    client.force_login(UserFactory(unit=b))
    assert client.get(late[None].url).context["total"] == 1


def test_bad_filter_dates_show_nothing_rather_than_everything(client, entries):
    client.force_login(UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER))
    response = client.get("/inspections/?provincial_late_on=not-a-day")
    assert response.status_code == 200 and response.context["total"] == 0
