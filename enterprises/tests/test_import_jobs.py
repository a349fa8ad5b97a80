"""Imports as background jobs: upload → job → progress → result page, limits, and the messages a user needs."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from enterprises.importers import enterprises_import
from enterprises.models import Enterprise, ImportJob
from regsys.jobs import JobStatus

from .factories import make_credit_code
from .test_import import HEADERS, row, xlsx

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_an_upload_becomes_a_job_whose_page_shows_the_result(client, district, django_capture_on_commit_callbacks):
    client.force_login(district.inspector_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:import"), {"file": upload("good.xlsx", xlsx([row(1), row(2)]).getvalue())})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:import_job", args=[job.pk])
    assert (job.status, job.progress, job.rows, job.created, job.updated, job.errors, job.attempts) == (
        JobStatus.SUCCESS, 100, 2, 2, 0, [], 1)
    assert (job.title, job.message, job.created_by, job.unit) == (
        "企业导入 good.xlsx", "导入成功：新增 2 家，更新 0 家", district.inspector_a, district.station_a)
    page = client.get(response["Location"]).content.decode()
    assert "文件已上传，正在后台检查并导入；可在本页或下载中心查看进度和结果" in page
    assert "导入成功：共 2 行，新增 2 家，更新 0 家。" in page
    assert Enterprise.objects.count() == 2
    centre = client.get(reverse("reporting:downloads")).content.decode()
    assert "企业导入 good.xlsx" in centre and reverse("enterprises:import_job", args=[job.pk]) in centre


def test_a_file_with_a_bad_row_imports_nothing_and_the_job_page_lists_the_rows(
    client, district, django_capture_on_commit_callbacks
):
    client.force_login(district.inspector_a)
    file = xlsx([row(1), row(2, 企业名称=""), row(3, 企业类别="经营企业、卖菜")]).getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:import"), {"file": upload("bad.xlsx", file)})

    job = ImportJob.objects.get()
    assert (job.status, job.rows, job.created, job.updated, job.message, job.error) == (
        JobStatus.FAILED, 3, 0, 0, "未导入", "文件未导入：共检查 3 行，发现 2 处错误")
    assert job.errors == [
        {"sheet": "企业", "row": 3, "column": "企业名称", "message": "必填，不能为空"},
        {"sheet": "企业", "row": 4, "column": "企业类别", "message": "无法识别的企业类别“卖菜”"},
    ]
    page = client.get(response["Location"]).content.decode()
    assert "文件未导入：共检查 3 行，发现 2 处错误，一行也没有导入。" in page
    assert "第 3 行" in page and "必填，不能为空" in page and "第 4 行" in page
    assert Enterprise.objects.count() == 0


def test_a_queued_import_shows_its_progress_and_the_page_reloads_when_it_is_done(
    client, district, django_capture_on_commit_callbacks
):
    client.force_login(district.inspector_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("enterprises:import"), {"file": upload("a.xlsx", xlsx([row(1)]).getvalue())})
    job = ImportJob.objects.get()
    row_url = reverse("enterprises:import_job_row", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="{row_url}?refresh=1"' in page and "系统正在后台检查并导入" in page
    assert f'hx-get="{row_url}"' in client.get(reverse("reporting:downloads")).content.decode()
    waiting = client.get(row_url, {"refresh": "1"})
    assert "排队中 · 排队中，等待检查" in waiting.content.decode() and "HX-Refresh" not in waiting

    for callback in callbacks:
        callback()
    done = client.get(row_url, {"refresh": "1"})

    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()
    job.refresh_from_db()
    assert (job.status, job.created) == (JobStatus.SUCCESS, 1)


def test_progress_is_reported_while_reading_and_for_each_row(district):
    calls = []

    result = enterprises_import(file=xlsx([row(1), row(2), row(3)]), by=district.inspector_a,
                                progress=lambda percent, message: calls.append((percent, message)))

    assert result.ok
    assert calls == [(5, "正在读取文件"), (10, "正在检查并导入第 1/3 行"), (40, "正在检查并导入第 2/3 行"),
                     (70, "正在检查并导入第 3/3 行")]


def test_another_users_import_job_is_not_found(client, district, django_capture_on_commit_callbacks):
    client.force_login(district.inspector_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import"), {"file": upload("a.xlsx", xlsx([row(1)]).getvalue())})
    job = ImportJob.objects.get()

    client.force_login(district.inspector_b)

    assert client.get(reverse("enterprises:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("enterprises:import_job_row", args=[job.pk])).status_code == 404
    assert "a.xlsx" not in client.get(reverse("reporting:downloads")).content.decode()


def test_an_upload_over_the_size_limit_is_refused_with_a_reason(client, district, settings):
    settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(district.inspector_a)

    response = client.post(reverse("enterprises:import"), {"file": upload("big.xlsx", b"x" * 1001)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "文件过大（1001\xa0字节），上传的文件不能超过 1000\xa0字节，请分批导入"]
    assert ImportJob.objects.count() == 0


def test_an_auditor_cannot_upload(client, district):
    client.force_login(district.auditor)

    response = client.post(reverse("enterprises:import"), {"file": upload("a.xlsx", xlsx([row(1)]).getvalue())})

    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_blank_rows_count_toward_the_row_limit(district, settings):
    settings.REGSYS_IMPORT_MAX_ROWS = 5
    file = xlsx([row(1), row(2)])
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(HEADERS)
    ws.append([row(1).get(h, "") for h in HEADERS])
    ws.append([row(2).get(h, "") for h in HEADERS])
    ws.cell(row=10, column=2, value=" ")  # rows 4–9 are blank, row 10 holds a space
    file = io.BytesIO()
    wb.save(file)
    file.seek(0)

    result = enterprises_import(file=file, by=district.inspector_a)

    assert errors(result) == [(7, "整行", "文件超过 5 行（空行也计入），请删除多余的空行或分批导入")]
    assert Enterprise.objects.count() == 0


def test_a_sheet_of_a_million_blank_rows_is_refused_fast_with_flat_memory(district):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业")
    ws.append(HEADERS)
    ws.append([row(1).get(h, "") for h in HEADERS])
    for _ in range(1_000_000):
        ws.append([None])
    file = io.BytesIO()
    wb.save(file)
    file.seek(0)

    tracemalloc.start()
    started = time.monotonic()
    result = enterprises_import(file=file, by=district.inspector_a)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert errors(result) == [(10_002, "整行", "文件超过 10000 行（空行也计入），请删除多余的空行或分批导入")]
    assert elapsed < 10, elapsed
    assert peak < 30 * 1024 * 1024, peak
    assert Enterprise.objects.count() == 0


def test_a_formula_cell_is_reported_as_a_formula_not_as_missing(district):
    result = enterprises_import(file=xlsx([row(1, 企业名称="=CONCATENATE(\"温州\",\"药房\")")]), by=district.inspector_a)

    assert errors(result) == [(2, "企业名称", "该单元格是公式，请改为直接填写内容（可复制后“选择性粘贴”为数值）")]
    assert Enterprise.objects.count() == 0


def test_rows_beyond_an_understated_dimension_are_read(district):
    source = xlsx([row(1), row(2), row(3)])
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:R2"', data)
                assert count == 1
            zout.writestr(item, data)
    out.seek(0)

    result = enterprises_import(file=out, by=district.inspector_a)

    assert result.ok, result.errors
    assert (result.rows, result.created) == (3, 3)
    assert sorted(Enterprise.objects.values_list("credit_code", flat=True)) == sorted(
        make_credit_code(n) for n in (1, 2, 3))


def test_a_file_of_blank_rows_says_there_is_no_data(district):
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(HEADERS)
    for number in range(2, 6):
        ws.cell(row=number, column=1, value=" ")

    file = io.BytesIO()
    wb.save(file)
    file.seek(0)
    result = enterprises_import(file=file, by=district.inspector_a)

    assert errors(result) == [(0, "文件", "没有数据：“企业”工作表表头下没有任何企业行")]
    assert Enterprise.objects.count() == 0
