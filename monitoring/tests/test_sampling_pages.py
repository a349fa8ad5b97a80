"""Sampling pages, API, export and 待办: a 所 reaches only its own samples, the 药械科 all; refusals are Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory, UserFactory
from monitoring.models import Sample, SampleStep, SamplingStepRule, SamplingTask
from monitoring.sampling_work import sampling_work
from monitoring.services import sampling as services

from .factories import SampleFactory, SamplingTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    """One sample per 所: 五马's is overdue at 数据录入, 藤桥's waits for the report with time to spare."""
    today = timezone.localdate()
    task = SamplingTaskFactory(name="2024年省级医疗器械监督抽检", quota=4)
    colleague_a = UserFactory(unit=district.station_a, full_name="五马检查员二")
    colleague_b = UserFactory(unit=district.station_b, full_name="藤桥检查员二")
    shop_a = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    shop_b = EnterpriseFactory(name="藤桥医疗器械商行", subdistrict=district.sub_b)
    mine = services.sample_create(
        by=district.inspector_a, officers=[district.inspector_a, colleague_a], task=task, sample_no="WM-001",
        enterprise=shop_a, link="operation", product_name="医用外科口罩", batch="K2401", quantity="100只",
        sampled_on=today - dt.timedelta(days=20))
    other = services.sample_create(
        by=district.inspector_b, officers=[district.inspector_b, colleague_b], task=task, sample_no="TQ-001",
        enterprise=shop_b, link="use", product_name="一次性使用输液器", batch="S2402", quantity="300套",
        sampled_on=today - dt.timedelta(days=2))
    services.sample_step_record(sample=other, step="data_entered", done_on=today - dt.timedelta(days=1),
                                by=district.inspector_b)
    return {"task": task, "mine": Sample.objects.get(pk=mine.pk), "other": Sample.objects.get(pk=other.pk),
            "colleague_a": colleague_a}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_station_lists_its_own_samples_and_is_refused_the_other(client, district, world):
    client.force_login(district.inspector_a)
    response = client.get(reverse("monitoring:sample_list"))
    assert [s.sample_no for s in response.context["objects"]] == ["WM-001"]
    assert response.context["objects"][0].late is True
    assert client.get(reverse("monitoring:sample_detail", args=[world["other"].pk])).status_code == 404
    before = SampleStep.objects.filter(done_on__isnull=False).count()
    response = client.post(reverse("monitoring:sample_step", args=[world["other"].pk]),
                           {"step": "report_received", "done_on": "2024-09-01"})
    assert response.status_code == 404
    assert SampleStep.objects.filter(done_on__isnull=False).count() == before


def test_district_filters_overdue_samples(client, district, world):
    client.force_login(district.section_user)
    response = client.get(reverse("monitoring:sample_list"))
    assert sorted(s.sample_no for s in response.context["objects"]) == ["TQ-001", "WM-001"]
    response = client.get(reverse("monitoring:sample_list"), {"overdue": "true"})
    assert [s.sample_no for s in response.context["objects"]] == ["WM-001"]
    response = client.get(reverse("monitoring:sample_list"), {"next_step": "report_received"})
    assert [s.sample_no for s in response.context["objects"]] == ["TQ-001"]
    response = client.get(reverse("monitoring:sample_list"), {"year": "0"})
    assert list(response.context["objects"]) == []


def test_export_is_a_job_of_the_users_rows(client, district, world, export_file):
    client.force_login(district.inspector_b)
    wb = export_file(client, reverse("monitoring:sampling_export"))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("抽样单号", "计划年度", "抽检级别")
    assert [r[0] for r in rows[1:]] == ["TQ-001"]
    assert rows[1][15] in ("藤桥检查员、藤桥检查员二", "藤桥检查员二、藤桥检查员")
    client.force_login(district.section_user)
    wb = export_file(client, reverse("monitoring:sampling_export"), {"overdue": "true"})
    assert [r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)] == ["WM-001"]


def test_task_list_counts_quota_and_samples(client, district, world):
    client.force_login(district.inspector_a)
    response = client.get(reverse("monitoring:sampling_task_list"))
    [task] = response.context["objects"]
    assert (task.quota, task.taken, task.taken_mine) == (4, 2, 1)
    assert response.context["can_manage"] is False
    assert client.get(reverse("monitoring:sampling_task_create")).status_code == 403


def test_section_creates_a_task_on_the_page(client, district):
    client.force_login(district.section_user)
    response = client.post(reverse("monitoring:sampling_task_create"), {
        "level": "national", "year": "2024", "name": "2024年国家医疗器械抽检（鹿城）", "quota": "6"})
    assert response.status_code == 302
    assert SamplingTask.objects.get().name == "2024年国家医疗器械抽检（鹿城）"


def test_create_sample_on_the_page_refuses_one_officer(client, district, world):
    client.force_login(district.inspector_a)
    shop = world["mine"].enterprise
    data = {"enterprise": shop.pk, "task": world["task"].pk, "sample_no": "WM-002", "link": "operation",
            "product_name": "电子体温计", "batch": "T1", "quantity": "5支", "sampled_on": "2024-06-03",
            "officers": [district.inspector_a.pk]}
    response = client.post(reverse("monitoring:sample_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"officers": ["抽样人员不少于两名"]}
    assert not Sample.objects.filter(sample_no="WM-002").exists()
    data["officers"] = [district.inspector_a.pk, world["colleague_a"].pk]
    response = client.post(reverse("monitoring:sample_create"), data)
    sample = Sample.objects.get(sample_no="WM-002")
    assert response["Location"] == reverse("monitoring:sample_detail", args=[sample.pk])
    assert (sample.unit, sample.next_step) == (district.station_a, "data_entered")


def test_receipt_is_served_to_its_unit_only(client, district, world):
    step = world["mine"].steps.get(step="sampled")
    step.file.save("回执.pdf", ContentFile(b"%PDF-1.4 x"))
    client.force_login(district.inspector_a)
    response = client.get(reverse("monitoring:sample_step_file", args=[step.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    client.force_login(district.inspector_b)
    assert client.get(reverse("monitoring:sample_step_file", args=[step.pk])).status_code == 404


def test_work_lists_show_the_units_samples(district, world):
    today = timezone.localdate()
    mine = sampling_work(district.inspector_a, unit=district.station_a, personal=True,
                         due_by=today + dt.timedelta(days=7), today=today)
    assert [(i.title, i.overdue) for i in mine.items] == [("数据录入 · 医用外科口罩", True)]
    overdue_b = sampling_work(district.section_user, unit=district.station_b, personal=False,
                              due_by=today - dt.timedelta(days=1), today=today)
    assert overdue_b is None


def test_unit_overdue_page_lists_the_overdue_sample(client, district, world):
    client.force_login(district.inspector_a)
    response = client.get(reverse("inspections:unit_list"), {"overdue": "1"})
    titles = [i.title for s in response.context["extra"] if s.key == "sampling" for i in s.items]
    assert titles == ["数据录入 · 医用外科口罩"]


def test_rules_page_is_edited_by_the_section_only(client, district):
    client.force_login(district.inspector_a)
    response = client.get(reverse("monitoring:sampling_rules"))
    assert response.status_code == 200 and response.context["can_edit"] is False
    assert client.post(reverse("monitoring:sampling_rules"), {}).status_code == 403
    client.force_login(district.section_user)
    rules = list(SamplingStepRule.objects.all())
    data = {"form-TOTAL_FORMS": str(len(rules)), "form-INITIAL_FORMS": str(len(rules))}
    for i, rule in enumerate(rules):
        data.update({f"form-{i}-step": rule.step, f"form-{i}-days": str(rule.days), f"form-{i}-basis": rule.basis})
        if rule.working_days:
            data[f"form-{i}-working_days"] = "on"
    data["form-0-days"] = "7"
    response = client.post(reverse("monitoring:sampling_rules"), data)
    assert response.status_code == 302
    assert SamplingStepRule.objects.get(step=rules[0].step).days == 7


# ----------------------------------------------------------------- API


def test_api_lists_scoped_samples_and_tasks_for_everyone(district, world):
    response = _api(district.inspector_b).get("/api/samples/")
    assert [r["sample_no"] for r in response.json()["results"]] == ["TQ-001"]
    assert _api(district.inspector_b).get(f"/api/samples/{world['mine'].pk}/").status_code == 404
    tasks = _api(district.inspector_b).get("/api/sampling-tasks/").json()["results"]
    assert [(t["name"], t["taken"]) for t in tasks] == [("2024年省级医疗器械监督抽检", 2)]


def test_api_task_writes_are_the_sections(district, world):
    payload = {"level": "district", "year": 2024, "name": "2024年区级抽检", "quota": 3}
    assert _api(district.inspector_a).post("/api/sampling-tasks/", payload, format="json").status_code == 403
    response = _api(district.section_user).post("/api/sampling-tasks/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["taken"] == 0  # the written task answers with its count too
    assert SamplingTask.objects.filter(name="2024年区级抽检").count() == 1
    # the quota may be left out (0 until known); a year outside 2000–2100 is a Chinese 400
    response = _api(district.section_user).post("/api/sampling-tasks/", {
        "level": "district", "year": 2024, "name": "2024年区级抽检（追加）"}, format="json")
    assert (response.status_code, response.json()["quota"]) == (201, 0)
    response = _api(district.section_user).post("/api/sampling-tasks/", {
        "level": "district", "year": 1, "name": "年度有误"}, format="json")
    assert response.status_code == 400 and "year" in response.json()


def test_api_step_out_of_order_is_a_chinese_400(district, world):
    sample = world["mine"]
    response = _api(district.inspector_a).post(f"/api/samples/{sample.pk}/steps/", {
        "step": "report_delivered", "done_on": str(timezone.localdate()), "version": sample.version},
        format="json")
    assert response.status_code == 400
    assert response.json() == {"step": ["请按顺序办理：当前应办理“数据录入”"]}
    sample.refresh_from_db()
    assert sample.next_step == "data_entered"


def test_api_records_the_next_step(district, world):
    sample = world["mine"]
    day = timezone.localdate()
    response = _api(district.inspector_a).post(f"/api/samples/{sample.pk}/steps/", {
        "step": "data_entered", "done_on": str(day), "note": "已录入国家抽检系统", "version": sample.version},
        format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["next_step"], body["next_due_on"]) == ("report_received", str(day + dt.timedelta(days=30)))
    assert [s["step"] for s in body["steps"] if s["done_on"]] == ["sampled", "data_entered"]


def test_api_create_refuses_another_units_officer(district, world):
    response = _api(district.inspector_a).post("/api/samples/", {
        "task": world["task"].pk, "sample_no": "WM-9", "enterprise": world["mine"].enterprise_id,
        "link": "operation", "product_name": "口罩", "batch": "1", "quantity": "10只", "sampled_on": "2024-05-10",
        "officers": [district.inspector_a.pk, district.inspector_b.pk]}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["officers"]
    assert not Sample.objects.filter(sample_no="WM-9").exists()


def test_factory_sample_has_no_steps_until_synced(district):
    sample = SampleFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_a))
    services.steps_sync(sample)
    assert list(sample.steps.values_list("step", flat=True)) == ["sampled", "data_entered"]


def test_edit_page_saves_and_refuses_a_stale_version(client, district, world):
    sample = world["mine"]
    client.force_login(district.inspector_a)
    data = {"enterprise": sample.enterprise_id, "task": sample.task_id, "sample_no": sample.sample_no,
            "link": "use", "product_name": "医用外科口罩（灭菌级）", "batch": sample.batch, "quantity": "100只",
            "sampled_on": str(sample.sampled_on), "officers": [district.inspector_a.pk, world["colleague_a"].pk],
            "version": sample.version - 1}
    response = client.post(reverse("monitoring:sample_edit", args=[sample.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    sample.refresh_from_db()
    assert (sample.product_name, sample.link) == ("医用外科口罩", "operation")
    data["version"] = sample.version
    response = client.post(reverse("monitoring:sample_edit", args=[sample.pk]), data)
    assert response.status_code == 302
    sample.refresh_from_db()
    assert (sample.product_name, sample.link) == ("医用外科口罩（灭菌级）", "use")
