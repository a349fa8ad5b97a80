"""Cockpit indicators of the annual duties (reporting/cockpit/ind_duties.py): self-reports, grading, UDI — hand-counted
figures for the district and two 所, the as-of cut-off, deadlines, 未配置 and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.choices import HospitalGrade, InstitutionType
from enterprises.duties.choices import FilingKind, Sector, UdiStatus
from enterprises.duties.settings import default_values
from enterprises.grading.choices import GradeStatus
from enterprises.grading.services import scheme_ensure
from enterprises.models import AnnualFiling, DutyYear, EnterpriseGrade, GradeLevel, HospitalUdi
from enterprises.tests import conftest as registry_fixtures
from enterprises.tests.factories import EnterpriseFactory, UnitFactory
from reporting.cockpit import ind_duties as ind
from reporting.cockpit.base import Period, Status, figure_status, indicator_by_code

pytestmark = pytest.mark.django_db
district = registry_fixtures.district  # the registry's small district (two 所, the 药械科), shared

HUNDRED = Decimal("100")


def _figures(fig):
    return (fig.actual, fig.target, fig.expected, fig.numerator, fig.denominator)


@pytest.fixture
def world(district):
    """甲 (station_a): operators a1, a2, a3; 乙 (station_b): operator b1 and manufacturer b2.

    Self-reports of 2024 (due 31 March): a1 on 20 Mar, a2 on 10 Apr (late), a3 none; b1 none, b2 on 1 Mar.
    Grades of 2024 (deadline 31 March): a1 approved 15 Mar, a2 approved 10 May, a3 only proposed; b1 approved
    30 Mar, b2 none.
    """
    a1, a2, a3 = (EnterpriseFactory(subdistrict=district.sub_a) for _ in range(3))
    b1 = EnterpriseFactory(subdistrict=district.sub_b)
    b2 = EnterpriseFactory(subdistrict=district.sub_b, owning_unit=district.station_b, is_operator=False,
                           is_manufacturer=True)
    for enterprise, sector, on in ((a1, Sector.OPERATION, dt.date(2024, 3, 20)),
                                   (a2, Sector.OPERATION, dt.date(2024, 4, 10)),
                                   (b2, Sector.PRODUCTION, dt.date(2024, 3, 1))):
        AnnualFiling.objects.create(enterprise=enterprise, year=2024, kind=FilingKind.SELF_REPORT, sector=sector,
                                    submitted_on=on)
    scheme_ensure(year=2024)
    level = GradeLevel.objects.get(scheme__year=2024, code="o1")

    def grade(enterprise, approved_on=None):
        EnterpriseGrade.objects.create(
            enterprise=enterprise, year=2024, sector="operation", level=level, proposed_level=level,
            proposed_at=timezone.make_aware(dt.datetime(2024, 1, 10, 9)),
            status=GradeStatus.APPROVED if approved_on else GradeStatus.PROPOSED,
            approved_at=timezone.make_aware(dt.datetime.combine(approved_on, dt.time(10))) if approved_on else None)

    grade(a1, dt.date(2024, 3, 15))
    grade(a2, dt.date(2024, 5, 10))
    grade(a3)
    grade(b1, dt.date(2024, 3, 30))
    return district


def test_self_report_rate_by_the_due_date(world):
    jia, yi = world.station_a, world.station_b
    today = dt.date(2024, 8, 1)

    q1 = ind.self_report_compute(Period(2024, 1, today), [jia, yi])
    q2 = ind.self_report_compute(Period(2024, 2, today), [jia, yi])
    early = ind.self_report_compute(Period(2024, None, dt.date(2024, 2, 15)), [jia, yi])

    # By 31 March: 甲 a1 of 3 = 33.3 %, 乙 b2 of 2 = 50 %, district 2 of 5; the due date has come: expected 100 %.
    assert _figures(q1[None]) == (Decimal("40.0"), HUNDRED, HUNDRED, 2, 5)
    assert _figures(q1[jia.pk]) == (Decimal("33.3"), HUNDRED, HUNDRED, 1, 3)
    assert _figures(q1[yi.pk]) == (Decimal("50.0"), HUNDRED, HUNDRED, 1, 2)
    # By 30 June a2's late report counts too: 甲 2 of 3, district 3 of 5.
    assert _figures(q2[jia.pk]) == (Decimal("66.7"), HUNDRED, HUNDRED, 2, 3)
    assert q2[jia.pk].note == "逾期提交1家，未提交1家"
    assert _figures(q2[None]) == (Decimal("60.0"), HUNDRED, HUNDRED, 3, 5)
    # On 15 February nothing is submitted and nothing is yet expected.
    assert _figures(early[None]) == (Decimal("0.0"), HUNDRED, Decimal(0), 0, 5)
    indicator = indicator_by_code("self_report_rate")
    assert figure_status(indicator, early[None]) == Status.ON_TRACK
    assert figure_status(indicator, q2[None]) == Status.BEHIND
    assert q2[jia.pk].url == f"{reverse('enterprises:filing_list')}?year=2024&kind=self_report&unit={jia.pk}"
    assert q2[None].url == f"{reverse('enterprises:filing_progress')}?year=2024&kind=self_report"


def test_grading_rate_counts_grades_approved_by_the_as_of_day(world):
    jia, yi = world.station_a, world.station_b
    today = dt.date(2024, 8, 1)

    q1 = ind.grading_compute(Period(2024, 1, today), [jia, yi])
    q2 = ind.grading_compute(Period(2024, 2, today), [jia, yi])
    early = ind.grading_compute(Period(2024, None, dt.date(2024, 3, 20)), [jia, yi])

    # Needed: 甲 3 (operation), 乙 2 (b1 operation, b2 production). By 31 March: a1, b1 approved.
    assert _figures(q1[None]) == (Decimal("40.0"), HUNDRED, HUNDRED, 2, 5)
    assert _figures(q1[jia.pk]) == (Decimal("33.3"), HUNDRED, HUNDRED, 1, 3)
    assert _figures(q1[yi.pk]) == (Decimal("50.0"), HUNDRED, HUNDRED, 1, 2)
    # By 30 June a2 too.
    assert _figures(q2[jia.pk]) == (Decimal("66.7"), HUNDRED, HUNDRED, 2, 3)
    assert _figures(q2[None]) == (Decimal("60.0"), HUNDRED, HUNDRED, 3, 5)
    # 20 March: only a1; the deadline (31 March) has not come, nothing expected.
    assert _figures(early[None]) == (Decimal("20.0"), HUNDRED, Decimal(0), 1, 5)
    assert q2[yi.pk].url == f"{reverse('grading:grade_list')}?year=2024&unit={yi.pk}"


def test_grading_without_the_years_scheme_is_not_configured(world):
    figures = ind.grading_compute(Period(2025, 1, dt.date(2025, 5, 1)), [world.station_a])

    assert figures[None].configured is False and figures[None].note == "未制定2025年度分级标准"
    assert figures[world.station_a.pk].configured is False
    assert figure_status(indicator_by_code("grading_rate"), figures[None]) == Status.NOT_CONFIGURED


@pytest.fixture
def hospitals(district):
    """三级甲等 hospitals: 甲 h1 applied 10 May, h2 applied 1 Aug, h3 deploying since 1 Mar; 乙 h4 applied (no date)."""
    def hospital(unit, sub):
        return EnterpriseFactory(subdistrict=sub, owning_unit=unit, is_operator=False, is_user_unit=True,
                                 institution_type=InstitutionType.HOSPITAL, hospital_grade=HospitalGrade.GRADE_3A)

    h1, h2, h3 = (hospital(district.station_a, district.sub_a) for _ in range(3))
    h4 = hospital(district.station_b, district.sub_b)
    for h, status, on in ((h1, UdiStatus.APPLIED, dt.date(2024, 5, 10)), (h2, UdiStatus.APPLIED, dt.date(2024, 8, 1)),
                          (h3, UdiStatus.DEPLOYING, dt.date(2024, 3, 1)), (h4, UdiStatus.APPLIED, None)):
        HospitalUdi.objects.create(enterprise=h, year=2024, status=status, status_on=on)
    return district


def test_udi_coverage_by_unit_and_target_date(hospitals, django_assert_max_num_queries):
    jia, yi = hospitals.station_a, hospitals.station_b
    empty = UnitFactory()
    units = [jia, yi, empty]

    q2 = ind.udi_compute(Period(2024, 2, dt.date(2024, 9, 1)), units)
    to_date = ind.udi_compute(Period(2024, None, dt.date(2024, 8, 15)), units)

    # By 30 June 甲 h1 applied: 1 of 3 = 33.3 %; 乙 h4 (no date: counts) 1 of 1; district 2 of 4.
    # Target date 31 December: nothing expected yet.
    assert _figures(q2[jia.pk]) == (Decimal("33.3"), HUNDRED, Decimal(0), 1, 3)
    assert _figures(q2[yi.pk]) == (Decimal("100.0"), HUNDRED, Decimal(0), 1, 1)
    assert _figures(q2[None]) == (Decimal("50.0"), HUNDRED, Decimal(0), 2, 4)
    assert q2[jia.pk].note == "目标日期2024年12月31日，部署中1家"
    assert q2[empty.pk].actual is None and q2[empty.pk].note == "无三级甲等医院"
    # By 15 August h2 counts too: 甲 2 of 3.
    assert _figures(to_date[jia.pk])[:1] + _figures(to_date[jia.pk])[3:] == (Decimal("66.7"), 2, 3)
    assert q2[yi.pk].url == f"{reverse('enterprises:udi_hospitals')}?year=2024&unit={yi.pk}"

    # The year's duty settings move the target date to 30 June: from then on the whole target is expected.
    DutyYear.objects.update_or_create(year=2024, defaults={**default_values(2024), "udi_target_on": dt.date(2024, 6, 30)})
    moved = ind.udi_compute(Period(2024, 2, dt.date(2024, 9, 1)), units)
    assert moved[None].expected == HUNDRED
    assert figure_status(indicator_by_code("udi_hospital_coverage"), moved[None]) == Status.BEHIND

    more = units + [UnitFactory() for _ in range(3)]
    with django_assert_max_num_queries(4):
        ind.udi_compute(Period(2024, 2, dt.date(2024, 9, 1)), more)


def test_duty_indicators_take_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    period = Period(2024, 2, dt.date(2024, 8, 1))
    few = [world.station_a, world.station_b]
    many = few + [UnitFactory() for _ in range(5)]

    for compute in (ind.self_report_compute, ind.grading_compute, ind.udi_compute):
        with django_assert_max_num_queries(12):
            compute(period, few)
        with django_assert_max_num_queries(12):
            compute(period, many)
