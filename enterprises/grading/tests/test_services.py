"""Grade workflow: proposals kept or refreshed, staff changes with a reason, chief approval, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import OperationMode, Role, UnitKind
from enterprises.grading.choices import GradeStatus, Sector
from enterprises.grading.services import (
    credit_record_create,
    grade_approve,
    grade_change,
    grades_approve,
    grades_propose,
    scheme_ensure,
)
from enterprises.models import EnterpriseGrade, GradeLevel, GradingScheme
from enterprises.tests.factories import EnterpriseFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2024
AS_OF = datetime.date(2024, 3, 1)


@pytest.fixture
def grade():
    scheme_ensure(year=YEAR)
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL)
    grades_propose(year=YEAR, unit=enterprise.owning_unit, by=None, as_of=AS_OF)
    return EnterpriseGrade.objects.get(enterprise=enterprise)


def level(code):
    return GradeLevel.objects.get(scheme__year=YEAR, code=code)


def test_scheme_ensure_copies_last_years_changes():
    scheme, created = scheme_ensure(year=2024)
    scheme.levels.filter(code="o1").update(sample_ratio="0.300")
    scheme.tolerance_days = 45
    scheme.save()

    copy, created_again = scheme_ensure(year=2025)

    assert (created, created_again) == (True, True)
    assert copy.tolerance_days == 45
    assert str(copy.levels.get(code="o1").sample_ratio) == "0.300"
    assert copy.criteria.get(code="o-logistics").level.scheme_id == copy.id
    assert copy.grading_deadline == datetime.date(2025, 3, 31)


def test_scheme_ensure_keeps_an_existing_year():
    scheme, _ = scheme_ensure(year=2024)
    scheme.levels.filter(code="o3").update(name="三级（改）")

    again, created = scheme_ensure(year=2024)

    assert created is False
    assert again.levels.get(code="o3").name == "三级（改）"
    assert GradingScheme.objects.count() == 1


def test_staff_change_needs_a_reason_and_nothing_changes_without_one(grade):
    staff = UserFactory(unit=grade.enterprise.owning_unit)

    with pytest.raises(ValidationError):
        grade_change(grade=grade, level=level("o2"), is_key=False, reason="  ", by=staff)

    grade.refresh_from_db()
    assert (grade.level.code, grade.status, grade.change_reason) == ("o1", GradeStatus.PROPOSED, "")


def test_staff_change_then_chief_approval_keeps_history(grade):
    staff = UserFactory(unit=grade.enterprise.owning_unit)
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)

    grade_change(grade=grade, level=level("o2"), is_key=False, reason="投诉较多", by=staff)
    grade_approve(grade=grade, by=chief)

    grade.refresh_from_db()
    assert (grade.level.code, grade.proposed_level.code, grade.status) == ("o2", "o1", GradeStatus.APPROVED)
    assert grade.approved_by == chief
    statuses = list(grade.history.order_by("history_date").values_list("status", "level__code"))
    assert statuses == [("proposed", "o1"), ("changed", "o2"), ("approved", "o2")]


def test_station_user_cannot_change_another_units_grade(grade):
    outsider = UserFactory()

    with pytest.raises(PermissionDenied):
        grade_change(grade=grade, level=level("o3"), is_key=True, reason="x", by=outsider)

    grade.refresh_from_db()
    assert grade.level.code == "o1"


def test_change_refuses_a_level_of_another_sector(grade):
    staff = UserFactory(unit=grade.enterprise.owning_unit)

    with pytest.raises(ValidationError):
        grade_change(grade=grade, level=level("p4"), is_key=False, reason="x", by=staff)


def test_only_the_chief_approves(grade):
    staff = UserFactory(unit=grade.enterprise.owning_unit)

    with pytest.raises(PermissionDenied):
        grade_approve(grade=grade, by=staff)
    with pytest.raises(PermissionDenied):
        grades_approve(grades=EnterpriseGrade.objects.all(), by=staff)

    grade.refresh_from_db()
    assert grade.status == GradeStatus.PROPOSED


def test_new_proposal_leaves_approved_grades_and_keeps_staff_level(grade):
    chief = UserFactory(role=Role.LEADER)
    other = EnterpriseFactory(operation_mode=OperationMode.RETAIL, subdistrict=grade.enterprise.subdistrict)
    grades_propose(year=YEAR, unit=grade.enterprise.owning_unit, by=None, as_of=AS_OF)
    changed = EnterpriseGrade.objects.get(enterprise=other)
    grade_change(grade=changed, level=level("o2"), is_key=False, reason="现场发现冷链产品",
                 by=UserFactory(unit=other.owning_unit))
    grade_approve(grade=grade, by=chief)
    for enterprise in (grade.enterprise, other):
        enterprise.provides_logistics = True
        enterprise.save()

    result = grades_propose(year=YEAR, unit=grade.enterprise.owning_unit, by=None, as_of=AS_OF)

    grade.refresh_from_db()
    changed.refresh_from_db()
    assert (result.created, result.updated, result.kept) == (0, 0, 2)
    assert (grade.level.code, grade.proposed_level.code, grade.status) == ("o1", "o1", GradeStatus.APPROVED)
    assert (changed.level.code, changed.proposed_level.code, changed.status) == ("o2", "o3", GradeStatus.CHANGED)


def test_station_user_proposes_only_for_own_unit():
    scheme_ensure(year=YEAR)
    enterprise = EnterpriseFactory()
    outsider = UserFactory()

    with pytest.raises(PermissionDenied):
        grades_propose(year=YEAR, unit=enterprise.owning_unit, by=outsider)
    with pytest.raises(PermissionDenied):
        grades_propose(year=YEAR, unit=None, by=outsider)

    assert EnterpriseGrade.objects.count() == 0


def test_proposal_without_scheme_is_refused():
    enterprise = EnterpriseFactory()

    with pytest.raises(ValidationError):
        grades_propose(year=2030, unit=enterprise.owning_unit, by=None)


def test_bulk_approval_counts_only_pending_grades(grade):
    chief = UserFactory(role=Role.LEADER)
    EnterpriseFactory(operation_mode=OperationMode.RETAIL, subdistrict=grade.enterprise.subdistrict)
    grades_propose(year=YEAR, unit=grade.enterprise.owning_unit, by=None, as_of=AS_OF)
    grade_approve(grade=grade, by=chief)

    count = grades_approve(grades=EnterpriseGrade.objects.all(), by=chief)

    assert count == 1
    assert set(EnterpriseGrade.objects.values_list("status", flat=True)) == {GradeStatus.APPROVED}


def test_credit_record_then_proposal_puts_enterprise_on_key_list(grade):
    staff = UserFactory(unit=grade.enterprise.owning_unit)

    credit_record_create(enterprise=grade.enterprise, kind="bad_credit", recorded_on=datetime.date(2024, 2, 1),
                         reason="提供虚假材料", by=staff)
    grades_propose(year=YEAR, unit=grade.enterprise.owning_unit, by=None, as_of=AS_OF)

    grade.refresh_from_db()
    assert (grade.level.code, grade.is_key, grade.sector) == ("o3", True, Sector.OPERATION)


def test_credit_record_refuses_end_before_start(grade):
    staff = UserFactory(unit=grade.enterprise.owning_unit)

    with pytest.raises(ValidationError):
        credit_record_create(enterprise=grade.enterprise, kind="bad_credit", recorded_on=datetime.date(2024, 2, 1),
                             valid_until=datetime.date(2024, 1, 1), reason="x", by=staff)

    assert grade.enterprise.credit_records.count() == 0
