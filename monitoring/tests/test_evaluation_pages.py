"""Evaluation pages, API and the 待办 entry: scoping (a 所 reads its own, edits none), the district's work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.choices import Role
from enterprises.tests.factories import UserFactory
from inspections.models import Inspection, Interview
from monitoring.choices import EvaluationStatus, EventOutcome
from monitoring.models import Evaluation
from monitoring.services.evaluations import evaluations_scan

from .evaluation_world import ReportFactory, build_district

pytestmark = pytest.mark.django_db

OPENED = dt.date(2024, 4, 1)


@pytest.fixture
def district():
    return build_district()


@pytest.fixture
def evaluations(district):
    """One death evaluation per 所 (opened 1 April 2024, so long overdue) and a cluster across both."""
    ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_a, registrant=district.registrant,
                  code="AE-A-DEATH", product_name="甲产品")
    ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_b, code="AE-B-DEATH", product_name="乙产品")
    for code, hospital in (("AE-C-1", district.hospital_b), ("AE-C-2", district.hospital_b),
                           ("AE-C-3", district.hospital_a)):
        ReportFactory(reporter=hospital, code=code, batch="CL1", product_name="丙产品")
    evaluations_scan(today=OPENED)
    return {e.primary_report.code: e for e in Evaluation.objects.select_related("primary_report")}


def _codes(response) -> set[str]:
    return {e.primary_report.code for e in response.context["objects"]}


# ---------------------------------------------------------------- pages

def test_district_user_sees_every_evaluation_overdue_first(client, district, evaluations):
    evaluations["AE-B-DEATH"].status = EvaluationStatus.EVALUATED
    evaluations["AE-B-DEATH"].save()
    client.force_login(district.chief)

    response = client.get(reverse("monitoring:evaluation_list"))

    assert response.status_code == 200
    codes = [e.primary_report.code for e in response.context["objects"]]
    assert codes[-1] == "AE-B-DEATH"  # evaluated: after the overdue ones
    assert set(codes) == {"AE-A-DEATH", "AE-B-DEATH", "AE-C-1"}
    assert "重新扫描" in response.content.decode()


def test_list_filters(client, district, evaluations):
    client.force_login(district.chief)
    url = reverse("monitoring:evaluation_list")
    assert _codes(client.get(url, {"trigger": "cluster"})) == {"AE-C-1"}
    assert _codes(client.get(url, {"q": "AE-C-3"})) == {"AE-C-1"}
    assert _codes(client.get(url, {"q": "乙产品"})) == {"AE-B-DEATH"}
    assert _codes(client.get(url, {"overdue": "true"})) == {"AE-A-DEATH", "AE-B-DEATH", "AE-C-1"}
    assert _codes(client.get(url, {"overdue": "false"})) == set()


def test_station_user_sees_evaluations_of_its_reports_only_and_reads_them(client, district, evaluations):
    client.force_login(district.user_a)

    listed = _codes(client.get(reverse("monitoring:evaluation_list")))
    own = client.get(reverse("monitoring:evaluation_detail", args=[evaluations["AE-A-DEATH"].pk]))
    cluster = client.get(reverse("monitoring:evaluation_detail", args=[evaluations["AE-C-1"].pk]))
    other = client.get(reverse("monitoring:evaluation_detail", args=[evaluations["AE-B-DEATH"].pk]))

    assert listed == {"AE-A-DEATH", "AE-C-1"}  # the cluster holds one of its reports
    assert own.status_code == 200 and cluster.status_code == 200
    assert other.status_code == 404
    assert "evaluation-actions" not in own.content.decode()
    assert [r.code for r in cluster.context["reports"]] == ["AE-C-3"]  # not the other 所's reports
    assert "AE-C-1" not in cluster.content.decode() and "AE-C-2" not in cluster.content.decode()
    assert "乙区中医院" not in cluster.content.decode()
    assert "重新扫描" not in client.get(reverse("monitoring:evaluation_list")).content.decode()


def test_station_user_cannot_change_its_own_evaluation(client, district, evaluations):
    evaluation = evaluations["AE-A-DEATH"]
    client.force_login(district.user_a)
    payload = {"opinion": "x", "causality": "certain", "evaluated_on": "2024-04-02", "version": evaluation.version}
    for name in ("evaluation_edit", "evaluation_interview", "evaluation_inspection", "evaluation_close"):
        assert client.post(reverse(f"monitoring:{name}", args=[evaluation.pk]), payload).status_code == 403
    assert client.post(reverse("monitoring:evaluation_scan")).status_code == 403
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version) == ("open", 1)
    assert Interview.objects.count() == 0 and Inspection.objects.count() == 0


def test_district_user_walks_evaluate_measures_close(client, district, evaluations):
    evaluation = evaluations["AE-A-DEATH"]
    client.force_login(district.chief)
    today = timezone.localdate().isoformat()

    response = client.post(reverse("monitoring:evaluation_edit", args=[evaluation.pk]), {
        "opinion": "使用过程中输液器破裂，与器械很可能有关", "causality": "probable", "evaluated_on": today,
        "measures": "要求注册人排查", "version": evaluation.version})
    assert response.status_code == 302
    response = client.post(reverse("monitoring:evaluation_interview", args=[evaluation.pk]), {
        "enterprise": district.registrant.pk, "held_on": today, "persons": "质量负责人"})
    assert response.status_code == 302
    response = client.post(reverse("monitoring:evaluation_inspection", args=[evaluation.pk]), {
        "enterprise": district.registrant.pk, "unit": "", "start_date": today})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    response = client.post(reverse("monitoring:evaluation_close", args=[evaluation.pk]), {
        "closed_on": today, "closure_note": "企业已召回", "version": evaluation.version})
    assert response.status_code == 302

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CLOSED
    assert evaluation.interview.enterprise == district.registrant
    assert evaluation.inspection.kind == "for_cause" and evaluation.inspection.status == "draft"
    page = client.get(reverse("monitoring:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "企业已召回" in page and "有因检查" in page and "关闭" in page
    assert "evaluation-actions" not in page  # closed: no more actions


def test_evaluate_form_shows_errors_and_saves_nothing(client, district, evaluations):
    evaluation = evaluations["AE-A-DEATH"]
    client.force_login(district.chief)
    response = client.post(reverse("monitoring:evaluation_edit", args=[evaluation.pk]),
                           {"opinion": "", "causality": "", "evaluated_on": "", "version": evaluation.version})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"opinion", "causality", "evaluated_on"}
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_measure_form_offers_only_the_reports_enterprises(client, district, evaluations):
    client.force_login(district.chief)
    response = client.get(reverse("monitoring:evaluation_inspection", args=[evaluations["AE-A-DEATH"].pk]))
    offered = set(response.context["form"].fields["enterprise"].queryset)
    assert offered == {district.hospital_a, district.registrant}
    response = client.post(reverse("monitoring:evaluation_inspection", args=[evaluations["AE-A-DEATH"].pk]),
                           {"enterprise": district.hospital_b.pk, "start_date": "2024-04-02"})
    assert response.status_code == 200 and response.context["form"].errors["enterprise"]
    assert Inspection.objects.count() == 0


def test_rescan_button_opens_new_evaluations(client, district, evaluations):
    ReportFactory(outcome=EventOutcome.SERIOUS, reporter=district.hospital_b, code="AE-NEW")
    client.force_login(district.chief)
    response = client.post(reverse("monitoring:evaluation_scan"), follow=True)
    assert "新建或更新评价 1 项" in response.content.decode()
    assert Evaluation.objects.filter(primary_report__code="AE-NEW").count() == 1


# ---------------------------------------------------------------- 待办

def test_overdue_evaluations_are_in_the_sections_todo(client, district, evaluations):
    client.force_login(district.chief)
    page = client.get(reverse("inspections:todo")).content.decode()
    assert 'id="todo-ae-evaluations"' in page
    for code in ("AE-A-DEATH", "AE-B-DEATH", "AE-C-1"):
        assert code in page
    assert "逾期" in page


def test_evaluated_ones_leave_the_todo_and_a_station_user_has_none(client, district, evaluations):
    Evaluation.objects.exclude(primary_report__code="AE-A-DEATH").update(status=EvaluationStatus.EVALUATED)
    client.force_login(district.chief)
    page = client.get(reverse("inspections:todo")).content.decode()
    assert "AE-A-DEATH" in page and "AE-B-DEATH" not in page
    client.force_login(district.user_a)
    assert 'id="todo-ae-evaluations"' not in client.get(reverse("inspections:todo")).content.decode()


def test_unit_list_shows_the_sections_overdue_evaluations(client, district, evaluations):
    leader = UserFactory(unit=district.section, role=Role.LEADER)
    client.force_login(leader)
    page = client.get(reverse("inspections:unit_list"), {"unit": district.section.pk, "overdue": "1"})
    assert "AE-A-DEATH" in page.content.decode()
    page = client.get(reverse("inspections:unit_list"), {"unit": district.station_a.pk})
    assert 'id="todo-ae-evaluations"' not in page.content.decode()


def test_not_yet_due_evaluation_is_not_in_my_todo(client, district):
    ReportFactory(outcome=EventOutcome.DEATH, code="AE-FRESH")
    evaluations_scan(today=timezone.localdate())  # due in 15 days: beyond the week the 待办 looks ahead
    client.force_login(district.chief)
    assert "AE-FRESH" not in client.get(reverse("inspections:todo")).content.decode()


# ---------------------------------------------------------------- API

def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_lists_scoped_evaluations(district, evaluations):
    own = _api(district.user_a).get("/api/ae-evaluations/")
    everything = _api(district.chief).get("/api/ae-evaluations/")
    other = _api(district.user_a).get(f"/api/ae-evaluations/{evaluations['AE-B-DEATH'].pk}/")

    assert own.status_code == 200
    assert {row["id"] for row in own.json()["results"]} == {evaluations["AE-A-DEATH"].pk, evaluations["AE-C-1"].pk}
    assert len(everything.json()["results"]) == 3
    cluster = next(row for row in own.json()["results"] if row["id"] == evaluations["AE-C-1"].pk)
    assert cluster["report_codes"] == ["AE-C-3"]  # the other 所's reports of the cluster stay hidden
    whole = next(row for row in everything.json()["results"] if row["id"] == evaluations["AE-C-1"].pk)
    assert whole["report_codes"] == ["AE-C-1", "AE-C-2", "AE-C-3"]
    assert other.status_code == 404


def test_api_update_evaluates_with_version(district, evaluations):
    evaluation = evaluations["AE-A-DEATH"]
    url = f"/api/ae-evaluations/{evaluation.pk}/"
    today = timezone.localdate().isoformat()
    body = {"opinion": "可能有关", "causality": "possible", "evaluated_on": today, "measures": ""}

    missing = _api(district.chief).put(url, body, format="json")
    done = _api(district.chief).put(url, {**body, "version": 1}, format="json")
    stale = _api(district.chief).patch(url, {"opinion": "改", "version": 1}, format="json")

    assert missing.status_code == 400 and "version" in missing.json()
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["version"]) == ("evaluated", 2)
    assert stale.status_code == 409
    evaluation.refresh_from_db()
    assert evaluation.opinion == "可能有关"


def test_api_refuses_station_writes_and_bad_input(district, evaluations):
    own = evaluations["AE-A-DEATH"]
    other = evaluations["AE-B-DEATH"]
    body = {"opinion": "x", "causality": "certain", "evaluated_on": "2024-04-02", "version": 1}

    assert _api(district.user_a).put(f"/api/ae-evaluations/{own.pk}/", body, format="json").status_code == 403
    assert _api(district.user_a).put(f"/api/ae-evaluations/{other.pk}/", body, format="json").status_code == 404
    bad = _api(district.chief).put(f"/api/ae-evaluations/{own.pk}/", {**body, "opinion": "", "causality": "x"},
                                   format="json")
    assert bad.status_code == 400 and {"opinion", "causality"} <= set(bad.json())
    closing = _api(district.chief).post(f"/api/ae-evaluations/{own.pk}/close/",
                                        {"closed_on": "2024-04-02", "closure_note": "结束", "version": 1},
                                        format="json")
    assert closing.status_code == 400  # no opinion yet
    own.refresh_from_db()
    assert (own.status, own.version) == ("open", 1)


def test_api_close(district, evaluations):
    evaluation = evaluations["AE-A-DEATH"]
    today = timezone.localdate().isoformat()
    api = _api(district.chief)
    api.patch(f"/api/ae-evaluations/{evaluation.pk}/",
              {"opinion": "无关", "causality": "unlikely", "evaluated_on": today, "version": 1}, format="json")
    response = api.post(f"/api/ae-evaluations/{evaluation.pk}/close/",
                        {"closed_on": today, "closure_note": "不需进一步措施", "version": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
