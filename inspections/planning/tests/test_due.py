"""Due dates: month arithmetic around month and year ends, status thresholds, DB filter = Python rule."""

import datetime

import pytest

from enterprises.choices import OperationMode
from enterprises.grading.choices import DueStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import EnterpriseGrade, GradeLevel
from enterprises.tests.factories import EnterpriseFactory
from inspections.choices import InspectionKind, InspectionStatus
from inspections.planning.due import (
    add_months,
    decorate,
    due_date,
    due_status,
    due_status_q,
    with_last_inspected,
)
from inspections.planning.tests.factories import InspectionFactory

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2023, 1, 31), 1, D(2023, 2, 28)),
     (D(2023, 12, 31), 12, D(2024, 12, 31)), (D(2023, 12, 15), 1, D(2024, 1, 15)),
     (D(2024, 2, 29), 12, D(2025, 2, 28)), (D(2022, 8, 31), 24, D(2024, 8, 31)),
     (D(2024, 3, 31), -1, D(2024, 2, 29))],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


class Scheme:
    year = 2024
    due_soon_days = 30
    tolerance_days = 30


@pytest.mark.parametrize(
    ("today", "expected"),
    [(D(2024, 5, 31), DueStatus.NOT_DUE), (D(2024, 6, 1), DueStatus.DUE_SOON), (D(2024, 6, 30), DueStatus.DUE_SOON),
     (D(2024, 7, 1), DueStatus.DUE), (D(2024, 7, 31), DueStatus.DUE), (D(2024, 8, 1), DueStatus.OVERDUE)],
)
def test_status_thresholds_around_a_due_date(today, expected):
    assert due_status(D(2024, 7, 1), today, Scheme) == expected


def test_sampled_level_has_no_due_date():
    level = GradeLevel(interval_months=None)
    assert due_date(D(2023, 5, 1), level, 2024) is None
    assert due_status(None, D(2024, 5, 1), Scheme) == DueStatus.SAMPLED


def test_never_inspected_is_due_by_year_end():
    assert due_date(None, GradeLevel(interval_months=24), 2024) == D(2024, 12, 31)


@pytest.mark.django_db
def test_due_date_follows_the_last_finalised_qualifying_inspection_and_recomputes():
    scheme, _ = scheme_ensure(year=2024)
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL, provides_logistics=True)  # 三级: 12 months
    grades_propose(year=2024, unit=enterprise.owning_unit, by=None, as_of=D(2024, 3, 1))
    InspectionFactory(enterprise=enterprise, start_date=D(2023, 1, 31))
    InspectionFactory(enterprise=enterprise, start_date=D(2023, 6, 30), status=InspectionStatus.DRAFT)
    InspectionFactory(enterprise=enterprise, start_date=D(2023, 7, 15), kind=InspectionKind.FOLLOW_UP)

    def current():
        rows = decorate(with_last_inspected(EnterpriseGrade.objects.select_related("level"), scheme), scheme,
                        D(2024, 2, 20))
        return rows[0].due_date, rows[0].due_status

    assert current() == (D(2024, 1, 31), DueStatus.DUE)

    InspectionFactory(enterprise=enterprise, start_date=D(2024, 2, 10), kind=InspectionKind.FLIGHT)

    assert current() == (D(2025, 2, 10), DueStatus.NOT_DUE)


@pytest.mark.django_db
@pytest.mark.parametrize("today", [D(2024, 1, 1), D(2024, 2, 29), D(2024, 3, 1), D(2024, 12, 31), D(2024, 7, 31)])
def test_database_status_filter_matches_the_python_rule(today):
    scheme, _ = scheme_ensure(year=2024)
    first = EnterpriseFactory(operation_mode=OperationMode.RETAIL, provides_logistics=True)  # 12 months
    last_dates = [D(2022, 12, 31), D(2023, 1, 31), D(2023, 2, 28), D(2023, 2, 1), D(2023, 1, 1), D(2023, 3, 31),
                  D(2023, 6, 30), D(2023, 7, 1), D(2023, 8, 31), D(2023, 11, 30), D(2023, 12, 31), D(2024, 1, 30)]
    enterprises = [first] + [
        EnterpriseFactory(operation_mode=OperationMode.WHOLESALE, provides_logistics=True, subdistrict=first.subdistrict)
        for _ in last_dates
    ]
    wholesale2 = EnterpriseFactory(operation_mode=OperationMode.WHOLESALE, operates_class3=True,
                                   subdistrict=first.subdistrict)  # 二级: 24 months, never inspected
    sampled = EnterpriseFactory(operation_mode=OperationMode.RETAIL, subdistrict=first.subdistrict)  # 一级
    for enterprise, last in zip(enterprises[1:], last_dates, strict=True):
        InspectionFactory(enterprise=enterprise, start_date=last)
    InspectionFactory(enterprise=sampled, start_date=D(2022, 3, 1))
    grades_propose(year=2024, unit=first.owning_unit, by=None, as_of=D(2024, 1, 1))
    base = with_last_inspected(EnterpriseGrade.objects.select_related("level"), scheme)
    expected = {g.pk: g.due_status for g in decorate(base, scheme, today)}

    by_filter = {}
    for status in DueStatus.values:
        for pk in base.filter(due_status_q(status, scheme, today)).values_list("pk", flat=True):
            assert pk not in by_filter
            by_filter[pk] = status

    assert by_filter == expected
    assert len(expected) == len(enterprises) + 2
    assert expected[EnterpriseGrade.objects.get(enterprise=wholesale2).pk] == (
        DueStatus.DUE if today == D(2024, 12, 31) else DueStatus.NOT_DUE)
    assert expected[EnterpriseGrade.objects.get(enterprise=sampled).pk] == DueStatus.SAMPLED
