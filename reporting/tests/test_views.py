"""Pages and API of the reporting app, with the unit boundary on every one of them."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Campaign
from reporting.choices import JobStatus, ReturnStatus
from reporting.models import ExportJob, Return

from .scenario import build

CUTOFF = dt.date(2023, 9, 30)


@pytest.fixture
def s(forms, file_return):
    data = build(forms)
    data["t1"], data["t2"] = forms["统计表一"], forms["统计表二"]
    data["ret_a"] = file_return(campaign=data["campaign"], template=data["t1"], unit=data["unit_a"], cutoff=CUTOFF,
                                by=data["user_a"])
    data["ret_b"] = file_return(campaign=data["campaign"], template=data["t1"], unit=data["unit_b"], cutoff=CUTOFF,
                                by=data["user_b"])
    return data


def test_return_list_shows_only_the_units_own_returns(client, s, export_file):
    client.force_login(s["user_a"])

    response = client.get(reverse("reporting:return_list"))

    assert [r.pk for r in response.context["page"]] == [s["ret_a"].pk]
    export = export_file(client, reverse("reporting:return_list"), {"export": "xlsx"})
    rows = list(export.active.values)
    assert [r[2] for r in rows[1:]] == ["五马市场监管所"]


def test_district_user_sees_every_return_and_filters(client, s):
    client.force_login(s["section"])

    everything = client.get(reverse("reporting:return_list"))
    only_b = client.get(reverse("reporting:return_list"), {"unit": s["unit_b"].pk})

    assert {r.pk for r in everything.context["page"]} == {s["ret_a"].pk, s["ret_b"].pk}
    assert [r.pk for r in only_b.context["page"]] == [s["ret_b"].pk]


def test_return_detail_of_another_unit_is_not_found(client, s):
    client.force_login(s["user_b"])

    assert client.get(reverse("reporting:return_detail", args=[s["ret_a"].pk])).status_code == 404
    assert client.get(reverse("reporting:return_cell", args=[s["ret_a"].pk]),
                      {"row": "medical_mask_manufacturers", "metric": "staff_dispatched"}).status_code == 404
    assert client.post(reverse("reporting:return_action", args=[s["ret_a"].pk, "submit"])).status_code == 404
    s["ret_a"].refresh_from_db()
    assert s["ret_a"].status == ReturnStatus.DRAFT


def test_return_detail_links_every_number_to_its_records(client, s):
    client.force_login(s["user_a"])

    page = client.get(reverse("reporting:return_detail", args=[s["ret_a"].pk])).content.decode()
    cell = client.get(reverse("reporting:return_cell", args=[s["ret_a"].pk]),
                      {"row": "medical_mask_manufacturers", "metric": "enterprises_inspected"})

    assert "row=medical_mask_manufacturers&column=enterprises_inspected" in page
    assert "本单位已完成并关联本专项的监督检查次数" in page  # the column's definition as help
    assert [r[1][0] for r in cell.context["table"]] == [dt.date(2023, 5, 10), dt.date(2023, 7, 1)]
    assert cell.context["table"][0][0] == reverse("inspections:detail", args=[cell.context["page"][0].pk])
    persons = client.get(reverse("reporting:return_cell", args=[s["ret_a"].pk]),
                         {"row": "medical_mask_manufacturers", "metric": "responsible_persons_punished"})
    assert len(persons.context["table"]) == 2


def test_submit_and_approve_through_the_pages(client, s):
    client.force_login(s["user_a"])
    client.post(reverse("reporting:return_action", args=[s["ret_a"].pk, "submit"]))
    client.force_login(s["section"])
    client.post(reverse("reporting:return_action", args=[s["ret_a"].pk, "approve"]), {"comment": "同意"})

    s["ret_a"].refresh_from_db()
    assert (s["ret_a"].status, s["ret_a"].review_comment) == (ReturnStatus.APPROVED, "同意")
    page = client.get(reverse("reporting:return_detail", args=[s["ret_a"].pk])).content.decode()
    assert "状态：已上报待审核 → 已审核通过" in page
    assert f"审核人：— → {s['section']}" in page
    assert "+00:00" not in page and "校验提示：" not in page


def test_an_approved_return_offers_no_recompute_and_refuses_one_posted(client, s):
    client.force_login(s["user_a"])
    client.post(reverse("reporting:return_action", args=[s["ret_a"].pk, "submit"]))
    client.force_login(s["section"])
    client.post(reverse("reporting:return_action", args=[s["ret_a"].pk, "approve"]), {"comment": "同意"})
    client.force_login(s["user_a"])

    page = client.get(reverse("reporting:return_detail", args=[s["ret_a"].pk])).content.decode()
    refused = client.post(reverse("reporting:return_recompute", args=[s["ret_a"].pk]),
                          {"reason": "补录", "digest": "x"}, follow=True)

    assert "recompute-return" not in page
    assert "该报表已上报或已审核通过并锁定；如需重新计算，须先由药械科退回" in refused.content.decode()
    assert list(Return.objects.filter(unit=s["unit_a"]).values_list("version", "status", "is_current")) == [
        (1, ReturnStatus.APPROVED, True)]


def test_create_page_files_a_return_and_shows_field_errors(client, s):
    client.force_login(s["user_a"])
    url = reverse("reporting:return_create")

    Campaign.objects.exclude(pk=s["campaign"].pk).update(is_active=False)  # the scenario's other campaign ended
    blank = client.get(url)
    assert "---------" not in blank.content.decode()
    assert blank.context["form"]["campaign"].value() == s["campaign"].pk  # the campaign in progress
    bad = client.post(url, {"campaign": s["campaign"].pk, "template": s["t2"].pk, "unit": s["unit_a"].pk,
                            "cutoff": "2023-03-01"})
    assert "截止日期不能早于专项整治开始日期（2023-04-01）" in bad.content.decode()
    assert Return.objects.filter(template=s["t2"]).count() == 0
    good = client.post(url, {"campaign": s["campaign"].pk, "template": s["t2"].pk, "unit": s["unit_a"].pk,
                             "cutoff": "2023-09-30", "filled_by": "张所员", "contact": "123"})
    ret = Return.objects.get(template=s["t2"])
    assert good.status_code == 302 and ret.unit == s["unit_a"]
    forged = client.post(url, {"campaign": s["campaign"].pk, "template": s["t2"].pk, "unit": s["unit_b"].pk,
                               "cutoff": "2023-09-30"})
    assert forged.status_code == 200 and Return.objects.filter(template=s["t2"], unit=s["unit_b"]).count() == 0


def test_download_centre_lists_own_files_and_downloads_them(client, s):
    client.force_login(s["user_a"])

    page = client.get(reverse("reporting:downloads"))
    job = s["ret_a"].jobs.get()
    download = client.get(reverse("reporting:job_file", args=[job.pk, "xlsx"]))
    row = client.get(reverse("reporting:job_row", args=[job.pk]))

    assert [j.pk for j in page.context["page"]] == [job.pk]
    assert job.status == JobStatus.SUCCESS and job.progress == 100 and job.total_size > 0
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content))).sheetnames == ["五马所", "校验提示"]
    assert "hx-get" not in row.content.decode()  # finished: no more polling
    assert job.title == "2023年统计表一 五马所 截至2023-09-30 v1"
    assert "已完成 · 已完成" not in row.content.decode()
    other = s["ret_b"].jobs.get()
    assert client.get(reverse("reporting:job_file", args=[other.pk, "docx"])).status_code == 404
    assert client.get(reverse("reporting:job_row", args=[other.pk])).status_code == 404


def test_a_failed_job_shows_its_error_and_can_be_retried(client, s, monkeypatch, django_capture_on_commit_callbacks):
    import reporting.services as services

    def broken(_data):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "export_docx", broken)
    ret = s["ret_a"]
    client.force_login(s["user_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:return_action", args=[ret.pk, "recompute"]))
    job = ExportJob.objects.latest("pk")
    assert (job.status, job.error) == (JobStatus.FAILED, "RuntimeError: 磁盘已满")
    assert "磁盘已满" in client.get(reverse("reporting:downloads")).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:job_retry", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.progress, job.error, job.attempts) == (JobStatus.SUCCESS, 100, "", 2)
    client.force_login(s["user_b"])
    assert client.post(reverse("reporting:job_retry", args=[job.pk])).status_code == 404


def test_calendar_page(client, s):
    client.force_login(s["section"])

    response = client.get(reverse("reporting:calendar"), {"campaign": s["campaign"].pk})

    assert response.status_code == 200
    assert response.content.decode().count("逾期未报") >= 6  # the 2023 due dates have all passed


def test_api_returns_are_scoped_and_workflow_actions_work(client, s):
    client.force_login(s["user_a"])

    listed = client.get("/api/returns/").json()
    denied = client.post(f"/api/returns/{s['ret_b'].pk}/submit/")
    submitted = client.post(f"/api/returns/{s['ret_a'].pk}/submit/")
    approve = client.post(f"/api/returns/{s['ret_a'].pk}/approve/")
    bad = client.post("/api/returns/", {"campaign": s["campaign"].pk, "template": s["t2"].pk,
                                        "unit": s["unit_a"].pk, "cutoff": "2022-01-01"})

    assert [r["id"] for r in listed["results"]] == [s["ret_a"].pk]
    assert denied.status_code == 404
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert approve.status_code == 403
    assert bad.status_code == 400 and "cutoff" in bad.json()
    assert [j["id"] for j in client.get("/api/export-jobs/").json()["results"]] == [s["ret_a"].jobs.get().pk]


def test_api_templates_and_campaigns_carry_definitions(client, s):
    client.force_login(s["user_b"])

    template = client.get(f"/api/form-templates/{s['t2'].pk}/").json()
    campaigns = client.get("/api/campaigns/").json()

    assert template["title"] == "2023年医疗器械质量安全专项整治工作情况统计表二"
    assert len(template["rows"]) == 38 and len(template["columns"]) == 18
    assert template["columns"][0]["definition"].startswith("截止日期当天该行所列企业")
    mine = next(c for c in campaigns["results"] if c["id"] == s["campaign"].pk)
    assert [d["due_on"] for d in mine["due_dates"]] == ["2023-06-25", "2023-09-25", "2023-12-25"]


def test_a_reviewer_downloads_a_stations_files_but_another_station_cannot(client, s):
    job = s["ret_a"].jobs.get()

    client.force_login(s["section"])
    assert client.get(reverse("reporting:job_file", args=[job.pk, "docx"])).status_code == 200
    assert client.get(reverse("reporting:downloads")).context["page"].paginator.count == 0  # not their own jobs
    client.force_login(s["user_b"])
    assert client.get(reverse("reporting:job_file", args=[job.pk, "docx"])).status_code == 404


def test_job_row_polls_while_running_and_refreshes_the_return_page_when_done(client, s):
    job = s["ret_a"].jobs.get()
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=60, message="正在生成")
    client.force_login(s["user_a"])

    running = client.get(reverse("reporting:job_row", args=[job.pk]), {"refresh": "1"})
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.SUCCESS, progress=100)
    done = client.get(reverse("reporting:job_row", args=[job.pk]), {"refresh": "1"})

    assert 'hx-trigger="every 2s"' in running.content.decode() and 'style="width: 60%"' in running.content.decode()
    assert "HX-Refresh" not in running.headers
    assert done.headers["HX-Refresh"] == "true"
