"""Audit gaps closed: each checklist answer change is in the inspection's history; the admin cannot
change a locked record (finalised inspection, its findings/answers, a closed case, a filed return)."""

import datetime as dt

import pytest
from django.urls import reverse

from enterprises.choices import Role
from enterprises.tests.factories import UserFactory
from inspections.choices import CaseStatus, InspectionStatus, PlanKind, PlanStatus
from inspections.models import ChecklistTemplate, Finding, InspectionPlan, PlanItem
from inspections.reference import load_reference

from .factories import CaseFactory, FindingFactory, InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


def test_each_checklist_answer_change_is_in_the_inspection_history(client):
    load_reference()
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], conclusion="")
    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    first, second = list(gsp.items.order_by("sort_order")[:2])
    url = reverse("inspections:checklist", args=[inspection.pk])
    client.force_login(a)
    client.post(url, {"template": gsp.pk, f"result_{first.pk}": "yes", f"result_{second.pk}": "yes"})
    client.force_login(b)

    client.post(url, {"template": gsp.pk, f"result_{first.pk}": "no", f"note_{first.pk}": "温湿度记录缺失",
                      f"result_{second.pk}": ""})
    detail = client.get(reverse("inspections:detail", args=[inspection.pk]))

    rows = [(r.who, r.action, r.changes) for r in detail.context["history"] if r.action.startswith("检查项目")]
    assert rows == [
        (b.display_name, f"检查项目 {second.code} 清除", [("结果", "符合", "—")]),
        (b.display_name, f"检查项目 {first.code} 修改", [("结果", "符合", "不符合"), ("说明", "—", "温湿度记录缺失")]),
        (a.display_name, f"检查项目 {second.code} 填写", [("结果", "—", "符合")]),
        (a.display_name, f"检查项目 {first.code} 填写", [("结果", "—", "符合")]),
    ]
    page = detail.content.decode()
    assert f"检查项目 {first.code} 修改" in page
    assert "结果：符合 → 不符合" in page


def test_saving_the_same_answers_again_adds_no_history(client):
    load_reference()
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    item = gsp.items.order_by("sort_order").first()
    client.force_login(a)
    url = reverse("inspections:checklist", args=[inspection.pk])

    client.post(url, {"template": gsp.pk, f"result_{item.pk}": "yes"})
    client.post(url, {"template": gsp.pk, f"result_{item.pk}": "yes"})

    assert inspection.answers.get().history.count() == 1


@pytest.fixture
def finalised():
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.FINALISED,
                                   summary="现场检查")
    finding = FindingFactory(inspection=inspection, text="未建立进货查验记录")
    return inspection, finding


def test_the_admin_shows_a_finalised_inspection_read_only_with_the_amendment_link(admin_client, finalised):
    inspection, finding = finalised
    change = reverse("admin:inspections_inspection_change", args=[inspection.pk])

    page = admin_client.get(change)
    post = admin_client.post(change, {"summary": "后台改写", "kind": inspection.kind,
                                      "start_date": "2024-05-10", "enterprise": inspection.enterprise_id,
                                      "unit": inspection.unit_id, "staff_count": 2, "status": "finalised"})
    delete = admin_client.post(reverse("admin:inspections_inspection_delete", args=[inspection.pk]), {"post": "yes"})
    finding_post = admin_client.post(reverse("admin:inspections_finding_change", args=[finding.pk]),
                                     {"inspection": inspection.pk, "severity": finding.severity, "text": "改写"})

    assert page.status_code == 200
    assert reverse("inspections:amend", args=[inspection.pk]) in page.content.decode()
    assert (post.status_code, delete.status_code, finding_post.status_code) == (403, 403, 403)
    inspection.refresh_from_db()
    finding.refresh_from_db()
    assert (inspection.summary, inspection.status, finding.text) == ("现场检查", InspectionStatus.FINALISED,
                                                                      "未建立进货查验记录")
    assert inspection.history.count() == 1


def test_the_admin_cannot_add_a_finding_to_a_finalised_inspection(admin_client, finalised):
    inspection, _finding = finalised

    response = admin_client.post(reverse("admin:inspections_finding_add"), {
        "inspection": inspection.pk, "severity": "general", "text": "后台补录"})

    assert response.status_code == 200
    assert "检查记录已完成并锁定，不能在后台修改" in response.content.decode()
    assert list(Finding.objects.filter(inspection=inspection).values_list("text", flat=True)) == ["未建立进货查验记录"]


def test_the_admin_still_edits_a_draft(admin_client):
    inspection = InspectionFactory(summary="草稿")
    change = reverse("admin:inspections_inspection_change", args=[inspection.pk])

    page = admin_client.get(change)

    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()
    assert "草稿，可直接修改" in page.content.decode()


def test_the_admin_cannot_change_a_closed_case(client):
    case = CaseFactory(status=CaseStatus.CLOSED, closed_on=dt.date(2024, 7, 1))
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:inspections_case_change", args=[case.pk]), {"violation": "改写"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.violation == "经营未取得注册证的第二类医疗器械"


def test_the_admin_cannot_change_an_approved_plan_or_its_items(admin_client):
    _unit, enterprise, _users = station_with_staff()
    plan = InspectionPlan.objects.create(unit=enterprise.owning_unit, year=2024, kind=PlanKind.ROUTINE,
                                         status=PlanStatus.APPROVED)
    item = PlanItem.objects.create(plan=plan, enterprise=enterprise, kind="routine", target_month=5)

    plan_post = admin_client.post(reverse("admin:inspections_inspectionplan_change", args=[plan.pk]),
                                  {"unit": plan.unit_id, "year": 2024, "kind": PlanKind.ROUTINE, "status": "draft"})
    item_post = admin_client.post(reverse("admin:inspections_planitem_change", args=[item.pk]),
                                  {"plan": plan.pk, "enterprise": enterprise.pk, "kind": "routine",
                                   "target_month": 9, "source": "manual"})
    item_delete = admin_client.post(reverse("admin:inspections_planitem_delete", args=[item.pk]), {"post": "yes"})

    assert (plan_post.status_code, item_post.status_code, item_delete.status_code) == (403, 403, 403)
    plan.refresh_from_db()
    item.refresh_from_db()
    assert (plan.status, item.target_month) == (PlanStatus.APPROVED, 5)
