"""API actions: grade change/approve and plan approve go through the services and their rules."""

import datetime

import pytest
from django.contrib import admin

from enterprises.choices import OperationMode, Role, UnitKind
from enterprises.grading.choices import GradeStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import CreditRecord, EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import PlanStatus
from inspections.planning.generate import plan_generate

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def setup():
    sd = SubdistrictFactory()
    enterprise = EnterpriseFactory(subdistrict=sd, operation_mode=OperationMode.RETAIL, provides_logistics=True)
    staff = UserFactory(unit=sd.unit)
    UserFactory(unit=sd.unit)
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    return enterprise, staff, chief, EnterpriseGrade.objects.get(enterprise=enterprise)


def test_api_grade_change_needs_a_level_of_the_sector(client, setup):
    enterprise, staff, chief, grade = setup
    client.force_login(staff)

    bad = client.post(f"/api/grades/{grade.pk}/change/", {"level": "p4", "reason": "x"},
                      content_type="application/json")
    empty = client.post(f"/api/grades/{grade.pk}/change/", {"level": "o2", "reason": ""},
                        content_type="application/json")
    good = client.post(f"/api/grades/{grade.pk}/change/", {"level": "o2", "reason": "已停止贮存配送业务"},
                       content_type="application/json")

    assert (bad.status_code, empty.status_code, good.status_code) == (400, 400, 200)
    assert good.json()["level_code"] == "o2"
    assert good.json()["status"] == GradeStatus.CHANGED


def test_api_grade_approve_is_for_the_chief(client, setup):
    enterprise, staff, chief, grade = setup
    client.force_login(staff)
    assert client.post(f"/api/grades/{grade.pk}/approve/").status_code == 403
    grade.refresh_from_db()
    assert grade.status == GradeStatus.PROPOSED

    client.force_login(chief)
    response = client.post(f"/api/grades/{grade.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == GradeStatus.APPROVED


def test_api_plan_submit_and_approve(client, setup):
    enterprise, staff, chief, grade = setup
    plan = plan_generate(unit=enterprise.owning_unit, year=YEAR, by=None, seed="x").routine
    client.force_login(staff)

    assert client.post(f"/api/plans/{plan.pk}/submit/").json()["status"] == PlanStatus.SUBMITTED
    assert client.post(f"/api/plans/{plan.pk}/approve/").status_code == 403
    client.force_login(chief)
    assert client.post(f"/api/plans/{plan.pk}/approve/").json()["status"] == PlanStatus.APPROVED


def test_api_credit_record_for_another_unit_is_refused(client, setup):
    enterprise, staff, chief, grade = setup
    foreign = EnterpriseFactory()
    client.force_login(staff)

    refused = client.post("/api/credit-records/", {"enterprise": foreign.pk, "kind": "bad_credit",
                                                   "recorded_on": f"{YEAR}-01-02", "reason": "x"},
                          content_type="application/json")
    created = client.post("/api/credit-records/", {"enterprise": enterprise.pk, "kind": "bad_credit",
                                                   "recorded_on": f"{YEAR}-01-02", "reason": "不良记录"},
                          content_type="application/json")

    assert (refused.status_code, created.status_code) == (400, 201)
    assert list(CreditRecord.objects.values_list("enterprise_id", flat=True)) == [enterprise.pk]


def test_every_new_model_has_an_admin():
    from enterprises.grading import admin as grading_admin  # noqa: F401
    from enterprises.models import CreditRecord, EnterpriseGrade, GradeLevel, GradingCriterion, GradingScheme
    from inspections.models import (
        AnnualTarget,
        ConflictOfInterest,
        DrawPick,
        InspectionPlan,
        PlanItem,
        RandomDraw,
    )
    from inspections.planning import admin as planning_admin  # noqa: F401

    for model in (CreditRecord, EnterpriseGrade, GradeLevel, GradingCriterion, GradingScheme, AnnualTarget,
                  ConflictOfInterest, DrawPick, InspectionPlan, PlanItem, RandomDraw):
        assert admin.site.is_registered(model), model
