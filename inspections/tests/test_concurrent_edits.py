"""Optimistic locking of cases, inspections, findings, 责令改正 and 约谈: a stale save writes nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import Role
from enterprises.tests.factories import UserFactory
from inspections.choices import InspectionStatus
from inspections.models import Interview

from .factories import (
    CaseFactory,
    FindingFactory,
    InspectionFactory,
    RectificationFactory,
    station_with_staff,
)

pytestmark = pytest.mark.django_db


def _initial(client, url) -> dict:
    """What an edit page posts back unchanged (its initial values, version included)."""
    form = client.get(url).context["form"]
    data = {}
    for name, value in form.initial.items():
        if value in (None, False, ""):
            continue
        data[name] = "on" if value is True else value
    return data


def _clients(*users):
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.fixture
def station():
    unit, enterprise, (a, b) = station_with_staff()
    return {"unit": unit, "enterprise": enterprise, "a": a, "b": b}


def test_two_users_edit_the_same_case_through_the_pages(station):
    case = CaseFactory(enterprise=station["enterprise"], handlers=[station["a"], station["b"]])
    first, second = _clients(station["a"], station["b"])
    url = reverse("inspections:case_edit", args=[case.pk])
    first_data, second_data = _initial(first, url), _initial(second, url)

    saved = second.post(url, {**second_data, "violation": "经营无证产品（补充：数量120件）"})
    stale = first.post(url, {**first_data, "legal_basis": "《条例》第八十六条第一款"})

    assert saved.status_code == 302
    assert stale.status_code == 200
    case.refresh_from_db()
    assert (case.violation, case.legal_basis, case.version) == (
        "经营无证产品（补充：数量120件）", "《医疗器械监督管理条例》第八十六条", 2)
    page = stale.content.decode()
    assert "违法事实：经营无证产品（补充：数量120件） → 经营未取得注册证的第二类医疗器械" in page
    assert "《条例》第八十六条第一款" in page  # the user's input is kept
    assert 'name="version" value="2"' in page

    again = first.post(url, {**first_data, "violation": "经营无证产品（补充：数量120件）",
                             "legal_basis": "《条例》第八十六条第一款", "version": 2})

    assert again.status_code == 302
    case.refresh_from_db()
    assert (case.violation, case.legal_basis, case.version) == (
        "经营无证产品（补充：数量120件）", "《条例》第八十六条第一款", 3)


def test_two_users_edit_the_same_case_through_the_api(station):
    case = CaseFactory(enterprise=station["enterprise"], handlers=[station["a"], station["b"]])
    first, second = APIClient(), APIClient()
    first.force_authenticate(station["a"])
    second.force_authenticate(station["b"])
    assert first.get(f"/api/cases/{case.pk}/").data["version"] == 1

    saved = second.patch(f"/api/cases/{case.pk}/", {"violation": "他人修改", "version": 1}, format="json")
    stale = first.patch(f"/api/cases/{case.pk}/", {"violation": "我的修改", "version": 1}, format="json")
    missing = first.patch(f"/api/cases/{case.pk}/", {"violation": "我的修改"}, format="json")

    assert (saved.status_code, saved.data["version"]) == (200, 2)
    assert stale.status_code == 409
    assert stale.data["changes"] == [
        {"field": "violation", "label": "违法事实", "theirs": "他人修改", "yours": "我的修改"}]
    assert missing.status_code == 400
    case.refresh_from_db()
    assert (case.violation, case.version) == ("他人修改", 2)


def test_two_users_edit_the_same_inspection_through_the_page_and_the_api(station):
    inspection = InspectionFactory(enterprise=station["enterprise"], officers=[station["a"], station["b"]],
                                   conclusion="", summary="现场检查", start_date=dt.date(2024, 5, 10))
    (page,) = _clients(station["a"])
    api = APIClient()
    api.force_authenticate(station["b"])
    url = reverse("inspections:edit", args=[inspection.pk])
    data = _initial(page, url)
    data.update({"officers-TOTAL_FORMS": "2", "officers-INITIAL_FORMS": "2", "officers-MIN_NUM_FORMS": "0",
                 "officers-MAX_NUM_FORMS": "1000"})
    for index, officer in enumerate(inspection.officers.order_by("pk")):
        data.update({f"officers-{index}-user": officer.user_id, f"officers-{index}-name": officer.name,
                     f"officers-{index}-cert_kind": officer.cert_kind, f"officers-{index}-cert_no": officer.cert_no})

    saved = api.patch(f"/api/inspections/{inspection.pk}/", {"summary": "药房货架检查", "version": 1},
                      format="json")
    stale = page.post(url, {**data, "conclusion": "compliant"})

    assert saved.status_code == 200
    assert stale.status_code == 200
    assert "检查情况：药房货架检查 → 现场检查" in stale.content.decode()
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.conclusion, inspection.version) == ("药房货架检查", "", 2)

    stale_api = api.patch(f"/api/inspections/{inspection.pk}/", {"conclusion": "compliant", "version": 1},
                          format="json")
    again = page.post(url, {**data, "summary": "药房货架检查", "conclusion": "compliant", "version": 2})

    assert stale_api.status_code == 409
    assert again.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.conclusion) == ("药房货架检查", "compliant")


def test_a_stale_rectification_order_is_refused(station):
    inspection = InspectionFactory(enterprise=station["enterprise"], officers=[station["a"], station["b"]],
                                   start_date=dt.date(2024, 5, 10))
    rect = RectificationFactory(inspection=inspection, requirements="整改温湿度记录")
    deadline = rect.deadline
    first, second = _clients(station["a"], station["b"])
    url = reverse("inspections:rectification", args=[inspection.pk])
    first_data, second_data = _initial(first, url), _initial(second, url)

    saved = second.post(url, {**second_data, "requirements": "整改温湿度记录并培训"})
    stale = first.post(url, {**first_data, "deadline": "2024-07-01"})

    assert saved.status_code == 302
    assert stale.status_code == 200
    assert "整改内容：整改温湿度记录并培训 → 整改温湿度记录" in stale.content.decode()
    rect.refresh_from_db()
    assert (rect.requirements, rect.deadline) == ("整改温湿度记录并培训", deadline)
    assert deadline != dt.date(2024, 7, 1)


def test_a_stale_interview_update_through_the_api_is_refused(station):
    interview = Interview.objects.create(enterprise=station["enterprise"], unit=station["unit"],
                                         held_on=dt.date(2024, 3, 6), persons="张三")
    api = APIClient()
    api.force_authenticate(station["a"])
    body = {"enterprise": station["enterprise"].pk, "held_on": "2024-03-06", "persons": "张三、李四", "record": ""}

    saved = api.put(f"/api/interviews/{interview.pk}/", {**body, "version": 1}, format="json")
    stale = api.put(f"/api/interviews/{interview.pk}/", {**body, "persons": "王五", "version": 1}, format="json")

    assert saved.status_code == 200
    assert stale.status_code == 409
    assert stale.data["changes"] == [{"field": "persons", "label": "被约谈人员", "theirs": "张三、李四", "yours": "王五"}]
    interview.refresh_from_db()
    assert (interview.persons, interview.version) == ("张三、李四", 2)


def test_two_chiefs_amend_the_same_finalised_inspection(station):
    inspection = InspectionFactory(enterprise=station["enterprise"], officers=[station["a"], station["b"]],
                                   status=InspectionStatus.FINALISED, conclusion="compliant", staff_count=2)
    first, second = _clients(UserFactory(unit=station["unit"], role=Role.LEADER),
                             UserFactory(unit=station["unit"], role=Role.LEADER))
    url = reverse("inspections:amend", args=[inspection.pk])
    first_data, second_data = _initial(first, url), _initial(second, url)

    saved = second.post(url, {**second_data, "conclusion": "non_compliant", "reason": "结论录错"})
    stale = first.post(url, {**first_data, "staff_count": 3, "reason": "人次录错"})

    assert saved.status_code == 302
    assert stale.status_code == 200
    assert "检查结论：不符合 → 符合要求" in stale.content.decode()
    inspection.refresh_from_db()
    assert (inspection.conclusion, inspection.staff_count) == ("non_compliant", 2)
    assert list(inspection.amendments.values_list("reason", flat=True)) == ["结论录错"]


def test_a_stale_finding_update_through_the_api_is_refused(station):
    inspection = InspectionFactory(enterprise=station["enterprise"], officers=[station["a"], station["b"]])
    finding = FindingFactory(inspection=inspection, severity="general", text="温湿度记录不全")
    first, second = APIClient(), APIClient()
    first.force_authenticate(station["a"])
    second.force_authenticate(station["b"])
    body = {"inspection": inspection.pk, "severity": "general"}
    assert first.get(f"/api/findings/{finding.pk}/").data["version"] == 1

    saved = second.put(f"/api/findings/{finding.pk}/", {**body, "text": "温湿度记录缺3个月", "version": 1},
                       format="json")
    stale = first.put(f"/api/findings/{finding.pk}/", {**body, "severity": "serious", "text": "温湿度记录不全",
                                                        "version": 1}, format="json")
    missing = first.put(f"/api/findings/{finding.pk}/", {**body, "text": "x"}, format="json")

    assert saved.status_code == 200
    assert stale.status_code == 409
    assert stale.data["changes"] == [
        {"field": "text", "label": "缺陷内容", "theirs": "温湿度记录缺3个月", "yours": "温湿度记录不全"}]
    assert missing.status_code == 400
    finding.refresh_from_db()
    assert (finding.severity, finding.text, finding.version) == ("general", "温湿度记录缺3个月", 2)
