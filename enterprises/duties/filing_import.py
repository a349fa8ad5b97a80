"""Bulk import of a submission list (提交名单) of yearly filings: every row checked, all-or-nothing, idempotent.

Columns: 统一社会信用代码 or 企业名称 (one of them), 提交日期, 环节 (生产/经营/使用; may be left blank when the
enterprise owes the filing in one sector only). A row is checked by the same rule the page uses
(``filing_services.check_submission``) and the importer's unit boundary; a re-import of the same list changes
nothing (a row whose date is already recorded is left as it is). The upload is a ``FilingImportJob`` run by
the worker (``enterprises.tasks.filing_import_task``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from enterprises.duties import filing_rules as rules
from enterprises.duties.choices import FilingKind, FilingSource, Sector
from enterprises.duties.filing_services import check_submission, filing_record
from enterprises.importers import _date, _over_row_limit, _text, _too_many_rows, read_body_rows
from enterprises.models import AnnualFiling, Enterprise, FilingImportJob, User
from regsys.jobs import job_claim, job_enqueue, job_fail, job_progress, job_succeed
from regsys.scoping import can_edit, require_write
from regsys.xlsx import row as xlsx_row

logger = logging.getLogger(__name__)
CODE, NAME, DATE, SECTOR, NOTE = "统一社会信用代码", "企业名称", "提交日期", "环节", "备注"
HEADERS = [CODE, NAME, DATE, SECTOR, NOTE]
SECTOR_NAMES = {str(label): value for value, label in Sector.choices}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class FilingImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _find(values: dict[str, Any], by: User) -> tuple[Enterprise | None, list[tuple[str, str]]]:
    code, name = _text(values.get(CODE)).upper(), _text(values.get(NAME))
    if not code and not name:
        return None, [(CODE, "统一社会信用代码和企业名称至少填写一项")]
    if code:
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            return None, [(CODE, f"系统中没有统一社会信用代码为“{code}”的企业")]
        if name and name != enterprise.name:
            return None, [(NAME, f"企业名称与统一社会信用代码不符（系统中为“{enterprise.name}”）")]
    else:
        found = list(Enterprise.objects.filter(name=name)[:2])
        if not found:
            return None, [(NAME, f"系统中没有名为“{name}”的企业，请核对名称或填写统一社会信用代码")]
        if len(found) > 1:
            return None, [(NAME, f"有多家名为“{name}”的企业，请填写统一社会信用代码")]
        enterprise = found[0]
    if not can_edit(by, enterprise):
        return None, [(CODE if code else NAME, f"“{enterprise.name}”不属于本单位监管，不能导入")]
    return enterprise, []


def _sector(values: dict[str, Any], enterprise: Enterprise, kind: str) -> tuple[str, list[tuple[str, str]]]:
    text = _text(values.get(SECTOR))
    owed = rules.owed_sectors(enterprise, kind)
    if not text:
        if len(owed) == 1:
            return owed[0], []
        names = "、".join(str(Sector(s).label) for s in owed) or "无"
        return "", [(SECTOR, f"该企业承担多个环节（{names}），请填写环节")]
    sector = SECTOR_NAMES.get(text)
    if sector is None:
        return "", [(SECTOR, f"“{text}”不是有效的环节，应填写：生产、经营或使用")]
    return sector, []


def _read(file, result: FilingImportResult):
    if _over_row_limit(file):
        too_many = _too_many_rows()
        result.errors.append(RowError(too_many.row, "整行", too_many.message))
        return None
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - an unreadable upload is the user's file
        result.errors.append(RowError(0, "文件", "无法读取该文件，请使用下载的导入模板（.xlsx）填写"))
        return None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=20)
        header = next(rows, None) or ()
        headers = [_text(c.value).rstrip("*＊").strip() for c in header]
        if DATE not in headers or (CODE not in headers and NAME not in headers):
            result.errors.append(RowError(1, "表头", "表头应包含“统一社会信用代码”或“企业名称”，以及“提交日期”，请使用下载的导入模板"))
            return None
        read = read_body_rows(rows, headers, header_row=1, result=result)
    finally:
        workbook.close()
    if read is not None and not read and not result.errors:
        result.errors.append(RowError(0, "文件", "没有数据：表头下没有任何行"))
        return None
    return read


def filings_import(*, file, year: int, kind: str, by: User, progress=None) -> FilingImportResult:
    """Check every row of ``file`` and record all of them, or none when any row fails."""
    require_write(by)
    report = progress or (lambda percent, message: None)
    result = FilingImportResult()
    report(5, "正在读取文件")
    read = _read(file, result)
    if read is None:
        return result
    seen: dict[tuple[int, str], int] = {}
    total = len(read)
    with transaction.atomic():
        for index, (row_number, values, formulas) in enumerate(read):
            if index % 20 == 0:
                report(10 + 90 * index // total, f"正在检查并导入第 {index + 1}/{total} 行")
            result.rows += 1
            if formulas:
                errors = [(h, "该单元格是公式，请改为直接填写内容") for h in sorted(formulas)]
            else:
                errors = _import_row(values, row_number, year=year, kind=kind, by=by, seen=seen, result=result)
            result.errors.extend(RowError(row_number, column, message) for column, message in errors)
        if result.errors:
            result.created = result.updated = result.unchanged = 0
            transaction.set_rollback(True)
    return result


def _import_row(values, row_number: int, *, year: int, kind: str, by: User, seen: dict,
                result: FilingImportResult) -> list[tuple[str, str]]:
    enterprise, errors = _find(values, by)
    if errors:
        return errors
    sector, errors = _sector(values, enterprise, kind)
    try:
        submitted_on = _date(values.get(DATE))
    except ValueError:
        return [*errors, (DATE, f"“{_text(values.get(DATE))}”不是有效日期，请填写如 {year}-03-15")]
    if errors:
        return errors
    problems = check_submission(enterprise=enterprise, year=year, kind=kind, sector=sector, submitted_on=submitted_on)
    if problems:
        columns = {"sector": SECTOR, "submitted_on": DATE}
        return [(columns.get(name, "整行"), message) for name, messages in problems.items() for message in messages]
    key = (enterprise.pk, sector)
    if key in seen:
        return [(CODE, f"与第{seen[key]}行重复（同一企业同一环节）")]
    seen[key] = row_number
    note = _text(values.get(NOTE))[:300]
    existing = AnnualFiling.objects.filter(enterprise=enterprise, year=year, kind=kind, sector=sector).first()
    if existing is not None and existing.submitted_on == submitted_on and (not note or existing.note == note):
        result.unchanged += 1
        return []
    try:
        with transaction.atomic():
            filing_record(enterprise=enterprise, year=year, kind=kind, sector=sector, submitted_on=submitted_on,
                          by=by, note=note or (existing.note if existing else ""), source=FilingSource.IMPORT)
    except ValidationError as exc:
        return [("整行", message) for message in exc.messages]
    except PermissionDenied as exc:
        return [("整行", str(exc))]
    if existing is None or existing.submitted_on is None:
        result.created += 1
    else:
        result.updated += 1
    return []


@transaction.atomic
def filing_import_job_create(*, file, year: int, kind: str, by: User) -> FilingImportJob:
    """Store an upload and queue its import (the worker checks and records it: ``filing_import_job_run``)."""
    require_write(by)
    if kind not in FilingKind.values:
        raise ValidationError({"kind": ["请选择报送类别"]})
    job = FilingImportJob(created_by=by, unit=by.unit, filename=file.name[:255], year=year, kind=kind,
                          message="排队中，等待检查")
    job.file.save(file.name, file, save=False)
    job.save()
    job_enqueue(job)
    return job


def filing_import_job_run(*, job_id: int, task_id: str) -> FilingImportJob | None:
    """The worker's side: all rows or none, row-level errors kept on the job; safe to run twice."""
    job = job_claim(model=FilingImportJob, pk=job_id, task_id=task_id)
    if job is None:
        return None
    try:
        # The rows and the job's success commit together: the job never shows 运行中 over imported rows.
        with transaction.atomic():
            with job.file.open("rb") as handle:
                result = filings_import(file=handle, year=job.year, kind=job.kind, by=job.created_by,
                                        progress=lambda percent, message: job_progress(job, percent, message))
            job.rows, job.created, job.updated = result.rows, result.created, result.updated
            job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]
            if result.ok:
                message = f"导入成功：共 {result.rows} 行，新登记 {result.created} 条，更新 {result.updated} 条"
                if result.unchanged:
                    message += f"，{result.unchanged} 条已登记过（未变）"
                job.applied_at = timezone.now()
                job_succeed(job, message, fields=("rows", "created", "updated", "errors", "applied_at"))
    except OperationalError:
        raise
    except Exception as exc:  # noqa: BLE001 - recorded on the job for the user and the log
        logger.exception("filing import job %s failed", job_id)
        job_fail(job=job, error=f"导入出错：{type(exc).__name__}: {exc}", message="未导入")
        return job
    if not result.ok:
        job.save(update_fields=["rows", "created", "updated", "errors"])
        job_fail(job=job, error=f"文件未导入：共检查 {result.rows} 行，发现 {len(result.errors)} 处错误", message="未导入")
    return job


def template_xlsx(kind: str = FilingKind.SELF_REPORT) -> bytes:
    """The import template: the header row and a note row explaining each column."""
    import io

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "提交名单"
    sheet.append(xlsx_row(sheet, HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDE", (24, 36, 14, 10, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("填写说明")
    for line in (
        f"本表用于批量登记{FilingKind(kind).label}的提交情况，每行一家企业一个环节。",
        "统一社会信用代码、企业名称至少填写一项（两项都填时须一致）。",
        "提交日期：如 2026-03-15；不能晚于今天。",
        "环节：生产、经营或使用；企业只承担一个环节时可不填。",
        "同一名单重复导入不会重复登记；任何一行有错误时整个文件都不导入。",
    ):
        notes.append(xlsx_row(notes, [line]))
    notes.column_dimensions["A"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
