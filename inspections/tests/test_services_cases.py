import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import LicenceKind, LicenceStatus
from enterprises.tests.factories import LicenceFactory, UnitFactory, UserFactory
from inspections import services
from inspections.choices import CaseProcedure, CaseStatus, ReferralTarget
from inspections.models import Case, Referral
from inspections.services import PenalisedPersonInput

from .factories import CaseFactory, InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


def test_case_opened_from_inspection_gets_number_handlers_and_unit():
    unit, enterprise, (a, b) = station_with_staff()
    unit.short_name = "五马所"
    unit.save()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 5, 10))

    case = services.case_open(enterprise=enterprise, source_inspection=inspection, filed_on=dt.date(2024, 5, 15),
                              procedure=CaseProcedure.ORDINARY, violation="经营无证医疗器械", handlers=[a, b], by=a)

    assert case.number == "五马所械案〔2024〕1号"
    assert case.unit == unit
    assert case.status == CaseStatus.FILED
    assert sorted(case.handlers.values_list("pk", flat=True)) == sorted([a.pk, b.pk])


def test_case_lifecycle_in_order_with_dates():
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, filed_on=dt.date(2024, 6, 1))

    services.case_advance(case=case, to_status=CaseStatus.INVESTIGATING, on_date=dt.date(2024, 6, 3), by=a)
    services.case_advance(case=case, to_status=CaseStatus.NOTIFIED, on_date=dt.date(2024, 6, 20), by=a)
    services.case_decide(case=case, decided_on=dt.date(2024, 7, 1), fine_amount=Decimal("50000"),
                         confiscation_amount=Decimal("3200.50"), by=a,
                         persons=[PenalisedPersonInput(name="李四", position="企业负责人", fine_amount=Decimal("10000"))])
    services.case_advance(case=case, to_status=CaseStatus.EXECUTING, on_date=dt.date(2024, 7, 5), by=a)
    services.case_advance(case=case, to_status=CaseStatus.CLOSED, on_date=dt.date(2024, 7, 30), by=a)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert (case.investigated_on, case.notified_on, case.decided_on, case.executed_on, case.closed_on) == (
        dt.date(2024, 6, 3), dt.date(2024, 6, 20), dt.date(2024, 7, 1), dt.date(2024, 7, 5), dt.date(2024, 7, 30))
    assert case.fine_amount == Decimal("50000.00")
    assert case.confiscation_amount == Decimal("3200.50")
    assert list(case.penalised_persons.values_list("name", "fine_amount")) == [("李四", Decimal("10000.00"))]
    assert case.history.count() == 7  # created, handlers assigned, then one row per step


def test_case_cannot_skip_steps_in_ordinary_procedure():
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, procedure=CaseProcedure.ORDINARY)

    with pytest.raises(ValidationError):
        services.case_advance(case=case, to_status=CaseStatus.CLOSED, on_date=dt.date(2024, 6, 5), by=a)
    with pytest.raises(ValidationError):
        services.case_decide(case=case, decided_on=dt.date(2024, 6, 5), by=a)

    case.refresh_from_db()
    assert case.status == CaseStatus.FILED
    assert case.decided_on is None


def test_simple_procedure_goes_straight_to_decision():
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, procedure=CaseProcedure.SIMPLE)

    services.case_decide(case=case, decided_on=dt.date(2024, 6, 1), fine_amount=Decimal("2000"), by=a)

    assert case.status == CaseStatus.DECIDED


def test_step_date_before_previous_step_refused():
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, filed_on=dt.date(2024, 6, 10))

    with pytest.raises(ValidationError) as exc:
        services.case_advance(case=case, to_status=CaseStatus.INVESTIGATING, on_date=dt.date(2024, 6, 9), by=a)

    assert exc.value.message_dict == {"on_date": ["调查日期不能早于立案日期（2024-06-10）"]}
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


def test_decision_revoking_licence_marks_it_revoked():
    unit, enterprise, (a, b) = station_with_staff()
    licence = LicenceFactory(enterprise=enterprise, kind=LicenceKind.OPERATION_LICENCE)
    case = CaseFactory(enterprise=enterprise, procedure=CaseProcedure.SIMPLE)

    services.case_decide(case=case, decided_on=dt.date(2024, 6, 20), revoked_licence=licence,
                         suspension_ordered=True, listed_serious_dishonest=True, by=a)

    licence.refresh_from_db()
    case.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert licence.history.first().history_change_reason == f"案件{case.number}吊销"
    assert case.revoked_licence == licence
    assert case.suspension_ordered is True and case.listed_serious_dishonest is True


def test_revoking_another_enterprises_licence_refused():
    unit, enterprise, (a, b) = station_with_staff()
    other_licence = LicenceFactory()
    case = CaseFactory(enterprise=enterprise, procedure=CaseProcedure.SIMPLE)

    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=case, decided_on=dt.date(2024, 6, 20), revoked_licence=other_licence, by=a)

    assert exc.value.message_dict == {"revoked_licence": ["吊销的许可证不属于当事企业"]}
    other_licence.refresh_from_db()
    assert other_licence.status == LicenceStatus.VALID
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


def test_other_station_cannot_change_case():
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise)
    stranger = UserFactory(unit=UnitFactory())

    with pytest.raises(PermissionDenied):
        services.case_advance(case=case, to_status=CaseStatus.INVESTIGATING, on_date=dt.date(2024, 6, 3),
                              by=stranger)
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


@pytest.mark.parametrize("target", [t for t, _label in ReferralTarget.choices])
def test_referrals_to_each_target(target):
    unit, enterprise, (a, b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, filed_on=dt.date(2024, 6, 1))

    referral = services.referral_create(enterprise=enterprise, case=case, target=target,
                                        referred_on=dt.date(2024, 6, 15), note="线索", by=a)

    assert referral.unit == unit
    assert Referral.objects.filter(target=target).count() == 1


def test_police_referral_needs_a_case():
    unit, enterprise, (a, b) = station_with_staff()

    with pytest.raises(ValidationError) as exc:
        services.referral_create(enterprise=enterprise, target=ReferralTarget.POLICE,
                                 referred_on=dt.date(2024, 6, 15), by=a)

    assert exc.value.message_dict == {"case": ["移送公安机关须关联案件"]}
    assert Referral.objects.count() == 0
    services.referral_create(enterprise=enterprise, target=ReferralTarget.HEALTH, referred_on=dt.date(2024, 6, 15),
                             by=a)
    assert Referral.objects.count() == 1


def test_duplicate_case_number_refused():
    unit, enterprise, (a, b) = station_with_staff()
    CaseFactory(enterprise=enterprise, number="X-1")

    with pytest.raises(ValidationError):
        services.case_open(enterprise=enterprise, number="X-1", filed_on=dt.date(2024, 6, 1),
                           procedure=CaseProcedure.SIMPLE, violation="v", by=a)
    assert Case.objects.count() == 1


def test_decision_needs_two_enforcement_certificate_holders():
    unit, enterprise, (a, b) = station_with_staff()
    b.enforcement_cert_no = ""
    b.inspector_cert_no = "浙械检00009"
    b.save()
    case = CaseFactory(enterprise=enterprise, procedure=CaseProcedure.SIMPLE, handlers=[a, b])

    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=case, decided_on=dt.date(2024, 6, 2), fine_amount=Decimal("500"), by=a)

    assert exc.value.message_dict == {"handlers": ["作出行政处罚决定须有两名以上持执法证的承办人（当前 1 名）"]}
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED
    assert case.fine_amount == 0
