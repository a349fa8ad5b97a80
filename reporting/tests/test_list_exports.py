"""List exports as download-centre jobs: filed by the page, built by the exports task, streamed write-only."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from regsys.celery import app
from regsys.exports import Sheet, row_fill, write_xlsx
from reporting.choices import JobStatus
from reporting.models import ExportJob
from reporting.services import list_export_request

from .scenario import build

CUTOFF = dt.date(2023, 9, 30)
CELL = {"row": "medical_mask_manufacturers", "metric": "enterprises_inspected"}


@pytest.fixture
def s(forms, file_return):
    data = build(forms)
    data["ret_a"] = file_return(campaign=data["campaign"], template=forms["统计表一"], unit=data["unit_a"],
                                cutoff=CUTOFF, by=data["user_a"])
    return data


def test_a_cells_records_export_as_a_job_with_the_pages_rows(client, s, export_file):
    client.force_login(s["user_a"])
    page = client.get(reverse("reporting:return_cell", args=[s["ret_a"].pk]), CELL).context["table"]

    book = export_file(client, reverse("reporting:return_cell", args=[s["ret_a"].pk]), {**CELL, "export": "xlsx"})

    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("检查日期", "企业", "检查单位", "检查类型", "出动人员人次", "责令改正日期", "完成整改日期")
    assert [r[0].date() for r in rows[1:]] == [values[0] for _url, values in page] == [
        dt.date(2023, 5, 10), dt.date(2023, 7, 1)]
    job = export_file.last_job
    assert (job.export_name, job.params["pk"], job.unit) == ("return_cell", s["ret_a"].pk, s["unit_a"])
    assert "export" not in job.params["query"] and "row=medical_mask_manufacturers" in job.params["query"]


def test_another_units_return_cell_is_not_exported(client, s):
    client.force_login(s["user_b"])

    response = client.get(reverse("reporting:return_cell", args=[s["ret_a"].pk]), {**CELL, "export": "xlsx"})

    assert response.status_code == 404
    assert not ExportJob.objects.filter(kind="list").exists()


def test_the_job_fails_plainly_when_its_object_is_no_longer_visible(s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = list_export_request(user=s["user_b"], name="return_cell", query="row=x&metric=y", pk=s["ret_a"].pk)

    job.refresh_from_db()
    assert (job.status, job.error, bool(job.xlsx)) == (JobStatus.FAILED, "导出的记录不存在或无权查看", False)


def test_the_download_centre_lists_the_export_with_its_excel_file_only(client, s, export_file):
    client.force_login(s["user_a"])
    export_file(client, reverse("reporting:return_list"), {"export": "xlsx"})
    job = export_file.last_job

    page = client.get(reverse("reporting:downloads")).content.decode()

    assert job.title in page and "已完成，共 1 行" in page
    assert reverse("reporting:job_file", args=[job.pk, "xlsx"]) in page
    assert reverse("reporting:job_file", args=[job.pk, "docx"]) not in page
    client.force_login(s["user_b"])  # another unit's user cannot fetch it
    assert client.get(reverse("reporting:job_file", args=[job.pk, "xlsx"])).status_code == 404


def test_an_unknown_list_is_not_found(client, s):
    client.force_login(s["user_a"])
    from regsys.exports import export_get

    with pytest.raises(Exception) as caught:
        export_get("no_such_list")

    assert type(caught.value).__name__ == "Http404"


def test_the_writer_streams_rows_with_header_widths_formats_fills_and_progress(tmp_path):
    seen = []
    rows = ((n, f"企业{n}", dt.date(2024, 1, 1) + dt.timedelta(days=n), row_fill("danger") if n == 2 else None)
            for n in range(1, 8))
    sheet = Sheet(title="测试", headers=["序号", "企业名称", "日期"], rows=(r[:3] + ((r[3],) if r[3] else ())
                                                                         for r in rows),
                  total=7, widths=[6, 30, 12], number_formats={3: "yyyy-mm-dd"}, auto_filter=True)

    written = write_xlsx(tmp_path / "x.xlsx", [sheet], progress=lambda done, total: seen.append((done, total)),
                         every=3)

    ws = load_workbook(tmp_path / "x.xlsx").active
    assert written == 7 and seen == [(3, 7), (6, 7)]
    assert [c.value for c in ws[1]] == ["序号", "企业名称", "日期"] and ws["A1"].font.b
    assert ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert (ws.column_dimensions["B"].width, ws.freeze_panes, ws.auto_filter.ref) == (30, "A2", "A1:C8")
    assert ws["C2"].number_format == "yyyy-mm-dd" and ws["C2"].value.date() == dt.date(2024, 1, 2)
    assert ws["A3"].fill.fgColor.rgb.endswith("FFC7CE") and ws["A4"].fill.fill_type is None
    assert ws.max_row == 8


def test_widths_without_fixed_ones_come_from_the_header_and_the_first_rows(tmp_path):
    sheet = Sheet(title="表", headers=["名称"], rows=iter([["一二三四五六七八九十"], ["短"]]))

    write_xlsx(tmp_path / "w.xlsx", [sheet])

    assert load_workbook(tmp_path / "w.xlsx").active.column_dimensions["A"].width == 22


def test_each_kind_of_job_has_its_queue_and_a_worker_without_q_consumes_them_all(db):
    routes = settings.CELERY_TASK_ROUTES

    assert {task: route["queue"] for task, route in routes.items()} == {
        "reporting.tasks.return_build_task": "reports",
        "reporting.tasks.list_export_task": "exports",
        "reporting.tasks.risk_report_task": "reports",
        "reporting.tasks.cockpit_summary_task": "reports",
        "enterprises.tasks.enterprise_import_task": "imports",
        "monitoring.tasks.ae_import_task": "imports",
        "monitoring.tasks.lead_import_task": "imports",
        "enterprises.tasks.filing_import_task": "imports",
    }
    assert app.amqp.router.route({}, "reporting.tasks.jobs_sweep_task")["queue"].name == "celery"
    assert sorted(app.amqp.queues) == ["celery", "exports", "imports", "reports"]  # what `worker` consumes
    assert ExportJob.task_path_of(0) == "reporting.tasks.return_build_task"


def test_every_lists_export_is_registered_once_per_process():
    from regsys import exports

    exports.export_get("inspections")

    assert sorted(exports._REGISTRY) == [
        "ae_registrations", "ae_reports", "ae_trainings", "annual_filings", "campaigns", "cases", "complaints",
        "conflicts", "contract_pairs", "credit_records", "enterprises", "form_templates", "grades", "inspections",
        "interviews", "licences_expiring", "online_leads", "plan_items", "plan_progress", "planning_due", "plans",
        "rectifications", "referrals", "return_cell", "returns", "risks", "sampling_samples", "suspensions",
        "udi_hospitals", "udi_manufacturers", "warehouses", "zombie_cases"]
