"""Grade proposals: one test per criterion, the highest-wins rule, raises and credit escalation."""

import datetime

import pytest

from enterprises.choices import DeviceClass, HospitalGrade, InstitutionType, OperationMode
from enterprises.grading.choices import CreditKind, GradeStatus, Sector
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import CreditRecord, EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, TagFactory
from inspections.planning.tests.factories import CaseFactory, InspectionFactory, RectificationFactory

pytestmark = pytest.mark.django_db

YEAR = 2024
AS_OF = datetime.date(2024, 3, 1)


def propose_one(enterprise, sector):
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=enterprise.owning_unit, by=None, as_of=AS_OF)
    return EnterpriseGrade.objects.get(enterprise=enterprise, year=YEAR, sector=sector)


def codes(grade):
    return {r["code"] for r in grade.reasons}


def manufacturer(**kwargs):
    return EnterpriseFactory(is_operator=False, is_manufacturer=True, is_registrant=True, **kwargs)


@pytest.mark.parametrize(
    ("device_class", "level", "code"),
    [(DeviceClass.CLASS_3, "p3", "p-class3"), (DeviceClass.CLASS_2, "p2", "p-class2"),
     (DeviceClass.CLASS_1, "p1", "p-class1")],
)
def test_production_level_follows_the_device_class(device_class, level, code):
    enterprise = manufacturer(max_device_class=device_class)

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert grade.level.code == level
    assert codes(grade) == {code}
    assert grade.status == GradeStatus.PROPOSED


def test_key_catalogue_product_makes_production_level_four():
    enterprise = manufacturer(max_device_class=DeviceClass.CLASS_2,
                              tags=[TagFactory(code="key-catalogue")])

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert grade.level.code == "p4"
    assert grade.is_key is True
    assert codes(grade) == {"p-key-catalogue", "p-class2"}
    decisive = [r["code"] for r in grade.reasons if r["decisive"]]
    assert decisive == ["p-key-catalogue"]


def test_sterile_class_two_manufacturer_takes_the_highest_applicable_level():
    enterprise = manufacturer(max_device_class=DeviceClass.CLASS_2, tags=[TagFactory(code="sterile")])

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert grade.level.code == "p3"
    assert codes(grade) == {"p-sterile-implant", "p-class2"}


def test_entrusting_registrant_is_raised_one_level():
    enterprise = manufacturer(max_device_class=DeviceClass.CLASS_2, entrusts_production=True)

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert grade.level.code == "p3"
    assert codes(grade) == {"p-class2", "p-entrusted"}


def test_contract_only_manufacturer_is_raised_one_level():
    enterprise = EnterpriseFactory(is_operator=False, is_contract_manufacturer=True,
                                   max_device_class=DeviceClass.CLASS_1)

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert grade.level.code == "p2"
    assert codes(grade) == {"p-class1", "p-contract-only"}


def test_raise_stops_at_the_top_level():
    enterprise = manufacturer(max_device_class=DeviceClass.CLASS_3, entrusts_production=True,
                              tags=[TagFactory(code="key-catalogue")])

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert grade.level.code == "p4"


def test_plain_class_two_retailer_is_operation_level_one():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL, operates_class2=True)

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o1"
    assert grade.is_key is False
    assert [r["code"] for r in grade.reasons] == [""]


@pytest.mark.parametrize(
    ("kwargs", "tag", "code"),
    [({"provides_logistics": True}, None, "o-logistics"),
     ({"is_vbp_distributor": True}, None, "o-vbp"),
     ({}, "contact-lens", "o-contact-lens"),
     ({}, "cold-chain", "o-key-products"),
     ({}, "implant", "o-key-products"),
     ({}, "key-catalogue", "o-key-products")],
)
def test_operation_level_three_criteria(kwargs, tag, code):
    tags = [TagFactory(code=tag)] if tag else []
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL, tags=tags, **kwargs)

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o3"
    assert codes(grade) == {code}


def test_class_three_wholesaler_is_operation_level_two():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.WHOLESALE, operates_class3=True)

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o2"
    assert codes(grade) == {"o-wholesale-class3"}


def test_sterile_retailer_is_operation_level_two():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL, tags=[TagFactory(code="sterile")])

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o2"


def test_remote_warehouse_raises_operation_level():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.WHOLESALE, operates_class3=True,
                                   is_remote_warehouse=True)

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o3"
    assert codes(grade) == {"o-wholesale-class3", "o-remote-warehouse"}


@pytest.mark.parametrize(
    ("kwargs", "tag", "level", "code"),
    [({"institution_type": InstitutionType.HOSPITAL, "hospital_grade": HospitalGrade.GRADE_2}, None, "u2",
      "u-hospital-2plus"),
     ({"institution_type": InstitutionType.HOSPITAL, "hospital_grade": HospitalGrade.GRADE_1}, None, "u1", ""),
     ({"institution_type": InstitutionType.CLINIC}, "implant", "u2", "u-sterile-implant"),
     ({"institution_type": InstitutionType.CLINIC}, "vbp", "u2", "u-vbp")],
)
def test_use_unit_key_or_general(kwargs, tag, level, code):
    tags = [TagFactory(code=tag)] if tag else []
    enterprise = EnterpriseFactory(is_operator=False, is_user_unit=True, tags=tags, **kwargs)

    grade = propose_one(enterprise, Sector.USE)

    assert grade.level.code == level
    assert codes(grade) == {code}


def test_enterprise_with_two_sectors_gets_two_grades():
    enterprise = EnterpriseFactory(is_manufacturer=True, is_registrant=True, is_operator=True,
                                   max_device_class=DeviceClass.CLASS_2, operation_mode=OperationMode.RETAIL)

    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=enterprise.owning_unit, by=None, as_of=AS_OF)

    assert set(EnterpriseGrade.objects.filter(enterprise=enterprise).values_list("sector", "level__code")) == {
        ("production", "p2"), ("operation", "o1"),
    }


def test_last_years_penalty_puts_operator_on_the_key_list():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL)
    CaseFactory(enterprise=enterprise, filed_on=datetime.date(2023, 3, 1), decided_on=datetime.date(2023, 5, 2))

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o3"
    assert grade.is_key is True
    assert codes(grade) == {"", "c-penalty"}


def test_penalty_from_two_years_ago_does_not_escalate():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL)
    CaseFactory(enterprise=enterprise, filed_on=datetime.date(2022, 3, 1), decided_on=datetime.date(2022, 5, 2))

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o1"
    assert grade.is_key is False


def test_overdue_unfinished_rectification_escalates_but_a_completed_one_does_not():
    late = EnterpriseFactory(operation_mode=OperationMode.RETAIL)
    done = EnterpriseFactory(operation_mode=OperationMode.RETAIL, subdistrict=late.subdistrict)
    RectificationFactory(inspection=InspectionFactory(enterprise=late, start_date=datetime.date(2023, 10, 1)))
    RectificationFactory(inspection=InspectionFactory(enterprise=done, start_date=datetime.date(2023, 10, 1)),
                         completed_on=datetime.date(2023, 11, 20))

    late_grade = propose_one(late, Sector.OPERATION)
    done_grade = EnterpriseGrade.objects.get(enterprise=done, sector=Sector.OPERATION)

    assert (late_grade.level.code, late_grade.is_key) == ("o3", True)
    assert codes(late_grade) == {"", "c-rectification"}
    assert (done_grade.level.code, done_grade.is_key) == ("o1", False)


def test_rectification_not_yet_past_its_deadline_does_not_escalate():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL)
    RectificationFactory(inspection=InspectionFactory(enterprise=enterprise, start_date=datetime.date(2024, 2, 1)),
                         ordered_on=datetime.date(2024, 2, 1), deadline=datetime.date(2024, 3, 15))

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o1"


def test_bad_credit_record_escalates_even_a_manufacturer():
    enterprise = manufacturer(max_device_class=DeviceClass.CLASS_1)
    CreditRecord.objects.create(enterprise=enterprise, kind=CreditKind.BAD_CREDIT,
                                recorded_on=datetime.date(2023, 8, 1), reason="虚假宣传被列入经营异常")

    grade = propose_one(enterprise, Sector.PRODUCTION)

    assert (grade.level.code, grade.is_key) == ("p4", True)
    assert codes(grade) == {"p-class1", "c-bad-credit"}


def test_serious_dishonest_case_counts_as_bad_credit():
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL)
    CaseFactory(enterprise=enterprise, listed_serious_dishonest=True)

    grade = propose_one(enterprise, Sector.OPERATION)

    assert codes(grade) == {"", "c-penalty", "c-bad-credit"}


def test_inactive_criterion_is_ignored():
    scheme, _created = scheme_ensure(year=YEAR)
    scheme.criteria.filter(code="o-logistics").update(is_active=False)
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL, provides_logistics=True)

    grade = propose_one(enterprise, Sector.OPERATION)

    assert grade.level.code == "o1"
