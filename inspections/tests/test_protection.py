"""Records that other records or the law need cannot be deleted; enterprises are deleted by administrators only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import ProtectedError
from django.urls import reverse
from rest_framework.test import APIClient

from campaigns.models import Campaign
from campaigns.services import campaign_delete
from enterprises.choices import EnterpriseStatus, LicenceStatus, Role
from enterprises.grading.choices import CreditKind
from enterprises.models import CreditRecord, Enterprise, EnterpriseGrade, EnterpriseStatusChange, Licence
from enterprises.services import enterprise_delete, licence_delete
from enterprises.tests.factories import LicenceFactory, UnitFactory, UserFactory
from inspections.choices import CaseProcedure, ReferralTarget
from inspections.models import (
    Case,
    ConflictOfInterest,
    DrawPick,
    Inspection,
    InspectionAmendment,
    Interview,
    PlanItem,
    Rectification,
    Referral,
)
from inspections.services import case_decide

from .factories import CaseFactory, InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


# The survey: every reference to a record other records or the law need is PROTECT.
PROTECTED = [
    (Licence, "enterprise"), (EnterpriseStatusChange, "enterprise"), (EnterpriseGrade, "enterprise"),
    (CreditRecord, "enterprise"), (Inspection, "enterprise"), (Inspection, "plan_item"),
    (Inspection, "checklist"), (InspectionAmendment, "inspection"), (Rectification, "inspection"),
    (Rectification, "follow_up"), (Interview, "inspection"), (Case, "enterprise"), (Case, "source_inspection"),
    (Case, "revoked_licence"), (Referral, "case"), (Referral, "inspection"), (PlanItem, "enterprise"),
    (PlanItem, "draw"), (DrawPick, "enterprise"), (ConflictOfInterest, "officer"), (ConflictOfInterest, "enterprise"),
]


@pytest.mark.parametrize(("model", "field"), PROTECTED)
def test_references_the_law_needs_are_protected(model, field):
    assert model._meta.get_field(field).remote_field.on_delete is models.PROTECT


def _revoking_case():
    unit, enterprise, (a, b) = station_with_staff()
    licence = LicenceFactory(enterprise=enterprise)
    case = CaseFactory(enterprise=enterprise, handlers=[a, b], filed_on=dt.date(2024, 6, 1),
                       procedure=CaseProcedure.SIMPLE)
    case_decide(case=case, decided_on=dt.date(2024, 6, 10), by=a, fine_amount=0, revoked_licence=licence)
    return case, licence, a


def test_a_licence_a_case_revoked_cannot_be_deleted():
    case, licence, user = _revoking_case()

    with pytest.raises(ValidationError) as info:
        licence_delete(licence=licence, by=user)

    assert info.value.messages == ["该证照已被案件 1 条引用（如案件吊销），不能删除；可修改其状态。"]
    case.refresh_from_db()
    assert case.revoked_licence_id == licence.pk
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.REVOKED


def test_a_licence_a_case_revoked_cannot_be_deleted_through_the_api():
    case, licence, user = _revoking_case()
    api = APIClient()
    api.force_authenticate(user)

    response = api.delete(f"/api/licences/{licence.pk}/")

    assert response.status_code == 400
    assert "案件 1 条" in response.data["non_field_errors"][0]
    case.refresh_from_db()
    assert case.revoked_licence_id == licence.pk


def test_a_case_with_a_referral_cannot_be_deleted():
    case, _licence, _user = _revoking_case()
    Referral.objects.create(enterprise=case.enterprise, unit=case.unit, case=case, target=ReferralTarget.POLICE,
                            referred_on=dt.date(2024, 6, 12))

    with pytest.raises(ProtectedError):
        case.delete()

    assert Referral.objects.filter(case=case).count() == 1


def _enterprise_with_records():
    unit, enterprise, (user, _b) = station_with_staff()
    LicenceFactory(enterprise=enterprise)
    CreditRecord.objects.create(enterprise=enterprise, kind=CreditKind.SERIOUS_DISHONEST,
                                recorded_on=dt.date(2024, 1, 5), reason="列入严重违法失信名单")
    return enterprise, user


def test_a_station_user_cannot_delete_an_enterprise_even_an_empty_one():
    _unit, enterprise, (user, _b) = station_with_staff()
    api = APIClient()
    api.force_authenticate(user)

    with pytest.raises(PermissionDenied) as info:
        enterprise_delete(enterprise=enterprise, by=user)
    response = api.delete(f"/api/enterprises/{enterprise.pk}/")

    assert str(info.value) == "只有系统管理员可以删除企业；企业停止经营请将经营状态改为“注销”"
    assert response.status_code == 403
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()


def test_an_administrator_cannot_delete_an_enterprise_with_licences_and_a_credit_record():
    enterprise, _user = _enterprise_with_records()
    administrator = UserFactory(unit=UnitFactory(), role=Role.ADMIN)
    api = APIClient()
    api.force_authenticate(administrator)

    response = api.delete(f"/api/enterprises/{enterprise.pk}/")

    assert response.status_code == 400
    assert response.data["non_field_errors"] == [
        "该企业已有信用记录 1 条、许可/备案 1 条等关联记录，不能删除；如已停止经营请将经营状态改为“注销”。"]
    assert Enterprise.objects.filter(pk=enterprise.pk, status=EnterpriseStatus.ACTIVE).exists()
    assert (enterprise.licences.count(), enterprise.credit_records.count()) == (1, 1)


def test_an_administrator_deletes_an_enterprise_entered_by_mistake():
    _unit, enterprise, _users = station_with_staff()
    administrator = UserFactory(unit=UnitFactory(), role=Role.ADMIN)
    api = APIClient()
    api.force_authenticate(administrator)

    response = api.delete(f"/api/enterprises/{enterprise.pk}/")

    assert response.status_code == 204
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()


def test_the_django_admin_lets_only_administrators_delete_and_never_protected_records(client):
    enterprise, _user = _enterprise_with_records()
    staff = UserFactory(unit=UnitFactory(), role=Role.SECTION_STAFF, is_staff=True, is_superuser=False)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_enterprise", "delete_enterprise"]))
    superuser = UserFactory(unit=UnitFactory(), role=Role.ADMIN, is_staff=True, is_superuser=True)
    url = reverse("admin:enterprises_enterprise_delete", args=[enterprise.pk])

    client.force_login(staff)
    refused = client.post(url, {"post": "yes"})
    client.force_login(superuser)
    protected = client.post(url, {"post": "yes"})

    assert refused.status_code == 403
    assert protected.status_code == 200
    assert "许可/备案" in protected.content.decode()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert (enterprise.licences.count(), enterprise.credit_records.count()) == (1, 1)


def test_a_campaign_tagging_inspections_cannot_be_deleted():
    _unit, enterprise, (user, _b) = station_with_staff()
    section = UserFactory(unit=UnitFactory(), role=Role.SECTION_STAFF)
    campaign = Campaign.objects.create(name="无菌植入专项", year=2024, start_date=dt.date(2024, 1, 1),
                                       end_date=dt.date(2024, 12, 31))
    inspection = InspectionFactory(enterprise=enterprise)
    inspection.campaigns.add(campaign)

    with pytest.raises(ValidationError) as info:
        campaign_delete(campaign=campaign, by=section)

    assert info.value.messages == [
        "该专项已关联监督检查等记录，删除会使这些记录失去专项归属，不能删除；可将其设为结束"]
    assert list(inspection.campaigns.all()) == [campaign]
