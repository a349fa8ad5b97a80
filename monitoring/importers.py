"""Import of the national AE monitoring system's Excel export: preview first, then all-or-nothing.

The columns and the wording of coded columns come from an ``ImportProfile`` (data), so a renamed column in
a new export is an edit of the profile. Rows are matched to reports by 报告编码: a new code adds a report, a
known one updates the fields that changed, an identical row is counted as unchanged. Cells are read with the
enterprise import's helpers (formula cells refused, required blanks, dates, the row limit); each row is
prepared and validated by ``monitoring.services.reports.report_prepare``, the one place for a report's rules.

The worker runs an upload twice (``AEImportJob.stage``): the preview checks every row and lists what would
happen without writing anything; after the user confirms, the apply checks the file again and writes it in
one transaction, rolled back when any row fails.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from enterprises.importers import (
    MAX_COLUMNS,
    Column,
    RowError,
    _date,
    _over_row_limit,
    _read_cell,
    _text,
    _too_many_rows,
    read_body_rows,
)
from enterprises.models import Subdistrict, User
from monitoring import reference
from monitoring.choices import EventOutcome, ReporterKind, ReporterMatch
from monitoring.models import AdverseEventReport, AEImportJob, ImportProfile
from monitoring.services.evaluations import evaluations_scan
from monitoring.services.reports import (
    ReportMatcher,
    report_prepare,
    report_save_prepared,
    require_district,
)
from regsys.jobs import job_claim, job_enqueue, job_fail, job_progress, job_requeue, job_succeed

logger = logging.getLogger(__name__)
Progress = Callable[[int, str], None]

CHOICE_FIELDS = {"reporter_kind": ReporterKind, "outcome": EventOutcome}
DATE_FIELDS = ("reported_on", "occurred_on", "learned_on")
TIME_OF_DAY = re.compile(r"^(.+?)[\sT]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


class Action:
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"


COUNTERS = {Action.ADD: "created", Action.UPDATE: "updated", Action.UNCHANGED: "unchanged"}


@dataclass
class ImportResult:
    """What an import checked or wrote (the AE reports' and the online-sales leads' imports alike)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: int = 0
    planned: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def default_profile(kind: str = ImportProfile.Kind.AE) -> ImportProfile | None:
    """The default column mapping of an import (the AE export's unless ``kind`` says otherwise)."""
    return ImportProfile.objects.filter(kind=kind, is_default=True).order_by("pk").first()


def _resolve_columns(
    headers: list[str], profile: ImportProfile, *, known=reference.COLUMNS, required_fields=reference.REQUIRED,
) -> tuple[list[Column], list[tuple[str, str]]]:
    """The sheet's column of each field (the first of the profile's header names found), and the
    required fields that have none, as (header names, message). ``known``/``required_fields``: the
    fields the import reads (the AE export's by default; the lead import passes its own)."""
    columns: list[Column] = []
    missing: list[tuple[str, str]] = []
    present = set(headers)
    for name, candidates in profile.columns.items():
        if name not in known:
            continue  # a field this version does not import
        header = next((h for h in candidates if h in present), None)
        required = name in required_fields
        if header is not None:
            columns.append(Column(header, name, required, ""))
        elif required:
            missing.append(("、".join(candidates), _("表头缺少必填列（可用的列名：%(names)s），请核对导出文件或导入列对应方案")
                            % {"names": "、".join(candidates)}))
    return columns, missing


def _read(
    file, profile: ImportProfile, result, *, known=reference.COLUMNS, required_fields=reference.REQUIRED,
    source: str = "", noun: str = "",
) -> tuple[list[Column], list, str] | None:
    """(columns, [(row number, {header: value}, formula headers)], sheet title), or None (why: in ``result``).
    Shared by the AE and the online-lead imports (``source``: what exported the file, ``noun``: its rows)."""
    source = source or _("国家监测系统导出的")
    noun = noun or _("报告")
    if _over_row_limit(file):
        result.errors.append(_too_many_rows())
        return None
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable upload is the user's file, not our bug
        result.errors.append(RowError(0, "文件", _("无法读取该文件，请上传%(s)s Excel 文件（.xlsx）") % {"s": source}, ""))
        return None
    try:
        if profile.sheet_name and profile.sheet_name not in workbook.sheetnames:
            result.errors.append(RowError(0, "文件", _("文件中没有名为“%(s)s”的工作表") % {"s": profile.sheet_name}, ""))
            return None
        sheet = workbook[profile.sheet_name] if profile.sheet_name else workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size may understate the rows: read the rows really there
        rows = sheet.iter_rows(max_col=MAX_COLUMNS)
        header_cells: tuple = ()
        for number, cells in enumerate(rows, start=1):
            if number == profile.header_row:
                header_cells = cells
                break
        headers = [_text(cell.value).rstrip("*＊").strip() for cell in header_cells]
        columns, missing = _resolve_columns(headers, profile, known=known, required_fields=required_fields)
        if missing:
            result.errors.extend(RowError(profile.header_row, column, message, sheet.title)
                                 for column, message in missing)
            return None
        read = read_body_rows(rows, headers, header_row=profile.header_row, result=result)
        if read is None:
            return None
        if not read:
            result.errors.append(RowError(0, "文件", _("没有数据：“%(s)s”工作表表头下没有任何%(n)s行") % {"s": sheet.title, "n": noun},
                                          sheet.title))
            return None
        return columns, read, sheet.title
    finally:
        workbook.close()


class _Lookups:
    """Reference data read once per import: 街道/镇 by name, the profile's words for the coded columns."""

    def __init__(self, profile: ImportProfile) -> None:
        self.subdistricts = {s.name: s for s in Subdistrict.objects.select_related("unit")}
        self.words: dict[str, dict[str, str]] = {}
        for name, choices in CHOICE_FIELDS.items():
            order = {value: index for index, value in enumerate(choices.values)}
            words = {str(label): value for value, label in choices.choices}
            # The profile's own words after the labels, in the choices' order: a JSON column does not keep
            # key order on PostgreSQL, and the message listing them must read the same everywhere.
            extra = (profile.values or {}).get(name, {})
            for word in sorted(extra, key=lambda w: (order.get(extra[w], len(order)), w)):
                words[word] = extra[word]
            self.words[name] = {w: v for w, v in words.items() if v in choices.values}


def _day(raw: Any):
    if isinstance(raw, str):
        match = TIME_OF_DAY.match(raw.strip())
        if match:
            raw = match.group(1)
    return _date(raw)


def _parse_row(
    values: dict[str, Any], formulas: set[str], columns: list[Column], lookups: _Lookups,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Cells → report fields; returns (fields, [(column header, message)])."""
    fields: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for column in columns:
        cell = _read_cell(column, values, formulas, errors)
        if cell is None:
            continue
        raw, text = cell
        if column.field in DATE_FIELDS:
            try:
                fields[column.field] = _day(raw)
            except (ValueError, TypeError):
                errors.append((column.header, _("“%(t)s”不是有效日期，请填写如 2024-03-01") % {"t": text}))
        elif column.field in CHOICE_FIELDS:
            words = lookups.words[column.field]
            if text not in words:
                errors.append((column.header, _("“%(t)s”无法识别（可填：%(allowed)s）")
                               % {"t": text, "allowed": "、".join(words)}))
            else:
                fields[column.field] = words[text]
        elif column.field == "subdistrict":
            subdistrict = lookups.subdistricts.get(text) if text else None
            if text and subdistrict is None:
                errors.append((column.header, _("系统中没有名为“%(t)s”的街道/镇（本区以外的留空）") % {"t": text}))
            fields["subdistrict"] = subdistrict
        else:
            fields[column.field] = text
    return fields, errors


def _service_errors(exc: ValidationError, headers: dict[str, str]) -> list[tuple[str, str]]:
    """A service's ValidationError as (column header, message): the field's column, else its name."""
    if not hasattr(exc, "error_dict"):
        return [("整行", "；".join(exc.messages))]
    fields = {f.name for f in AdverseEventReport._meta.fields}
    return [(headers.get(name) or (_label(name) if name in fields else "整行"), "；".join(messages))
            for name, messages in exc.message_dict.items()]


def _label(name: str) -> str:
    return str(AdverseEventReport._meta.get_field(name).verbose_name)


def ae_reports_import(
    *, file, profile: ImportProfile, by: User, apply: bool, progress: Progress | None = None, reason: str = "",
) -> ImportResult:
    """Check every row of ``file`` and plan it (add / update / unchanged, matched or not); with ``apply``
    write all of it, or nothing when any row fails. Without ``apply`` nothing is ever written."""
    require_district(by)
    result = ImportResult()
    report = progress or (lambda percent, message: None)
    report(5, _("正在读取文件"))
    read = _read(file, profile, result)
    if read is None:
        return result
    columns, rows, sheet_title = read
    headers = {c.field: c.header for c in columns}
    lookups = _Lookups(profile)

    parsed: list[tuple[int, dict[str, Any], list[tuple[str, str]]]] = []
    seen: dict[str, int] = {}
    for row_number, values, formulas in rows:
        fields, errors = _parse_row(values, formulas, columns, lookups)
        code = fields.get("code", "")
        if code and code in seen:
            errors.append((headers["code"], _("与第%(n)s行的报告编码重复") % {"n": seen[code]}))
        elif code:
            seen[code] = row_number
        parsed.append((row_number, fields, errors))

    matcher = ReportMatcher.for_fields(*(fields for _n, fields, _e in parsed))
    total = len(parsed)
    step = max(1, total // 50)
    with transaction.atomic():
        current = AdverseEventReport.objects.filter(code__in=list(seen)).select_related(
            "subdistrict__unit", "reporter__owning_unit", "registrant")
        if apply:  # a report edited by hand meanwhile waits for the import, which then sees its edit
            current = current.select_for_update(of=("self",))
        existing = {r.code: r for r in current}
        for index, (row_number, fields, errors) in enumerate(parsed):
            if index % step == 0:
                report(10 + 85 * index // total, _("正在检查第 %(i)s/%(n)s 行") % {"i": index + 1, "n": total})
            result.rows += 1
            if not errors:
                errors = _plan_row(row_number, fields, existing, matcher, result, headers,
                                   by=by if apply else None, reason=reason)
            result.errors.extend(RowError(row_number, column, message, sheet_title) for column, message in errors)
        if result.errors or not apply:
            transaction.set_rollback(True)
        else:  # death, serious and cluster reports get their evaluations at once, not at the nightly scan
            evaluations_scan(reports=AdverseEventReport.objects.filter(code__in=list(seen)), after_write=True)
    if result.errors:
        result.created = result.updated = result.unchanged = result.unmatched = 0
        result.planned = []
    return result


def _plan_row(
    row_number: int, fields: dict[str, Any], existing: dict[str, AdverseEventReport], matcher: ReportMatcher,
    result: ImportResult, headers: dict[str, str], *, by: User | None, reason: str,
) -> list[tuple[str, str]]:
    """Prepare one row's report, count and list what happens to it, and save it when ``by`` is given."""
    current = existing.get(fields["code"])
    try:
        prepared, changed = report_prepare(report=current, fields=fields, matcher=matcher)
    except ValidationError as exc:
        return _service_errors(exc, headers)
    action = Action.ADD if current is None else (Action.UPDATE if changed else Action.UNCHANGED)
    counter = COUNTERS[action]
    setattr(result, counter, getattr(result, counter) + 1)
    unmatched = prepared.reporter_match == ReporterMatch.UNMATCHED
    result.unmatched += unmatched
    result.planned.append({
        "row": row_number, "code": prepared.code, "action": action, "product": prepared.product_name,
        "reporter": prepared.reporter_name, "match": str(prepared.get_reporter_match_display()),
        "matched_to": prepared.reporter.name if prepared.reporter else "",
        "unmatched": unmatched, "unit": prepared.unit.display_name if prepared.unit else "",
        "changes": [_label(name) for name in changed] if action == Action.UPDATE else [],
    })
    if by is not None and action != Action.UNCHANGED:
        try:
            with transaction.atomic():
                report_save_prepared(report=prepared, by=by, reason=reason)
        except ValidationError as exc:
            return _service_errors(exc, headers)
        except PermissionDenied as exc:
            return [("整行", str(exc))]
    return []


def preview_job_create(model, *, file, by: User, profile: ImportProfile | None, title: str):
    """Store an upload and queue its preview (nothing is imported until the user confirms)."""
    require_district(by)
    if profile is None:
        raise ValidationError(_("系统中没有该导入的列对应方案，请管理员运行“载入参考数据”"))
    job = model(profile=profile, created_by=by, unit=by.unit, filename=file.name[:255], title=title[:200],
                message=_("排队中，等待检查"))
    job.file.save(file.name, file, save=False)
    job.save()
    job_enqueue(job)
    return job


@transaction.atomic
def ae_import_job_create(*, file, by: User, profile: ImportProfile | None = None) -> AEImportJob:
    """Store an AE export and queue its preview."""
    return preview_job_create(AEImportJob, file=file, by=by, profile=profile or default_profile(),
                              title=f"不良事件导入 {file.name}")


def preview_job_confirm(model, *, job, by: User):
    """The user confirms a checked preview: queue the import of the same file (checked again, all or nothing).

    Shared by the imports that preview first (AE reports, online-sales leads); ``model`` is the job model.
    """
    require_district(by)
    job = model.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != by.pk:
        raise PermissionDenied(_("只能确认自己上传的导入"))
    if not job.preview_ready:
        raise ValidationError(_("该导入不在待确认状态（可能尚未检查完、有错误或已经导入）"))
    job.stage = model.Stage.APPLY
    job.save(update_fields=["stage"])
    job_requeue(job=job, message=_("已确认，等待导入"))
    return job


def preview_job_run(model, *, job_id: int, task_id: str, run_import: Callable[..., Any], counts_text: str,
                    label: str):
    """The worker's side of a previewing import: the preview (nothing written) or, once confirmed, the import.

    ``run_import(file=, profile=, by=, apply=, progress=, reason=)`` returns a result with rows, created, updated,
    unchanged, unmatched, planned, errors and ok; ``counts_text`` words the counts (%(a)s added, %(u)s updated,
    %(s)s unchanged, %(m)s unmatched); ``label`` names the import in the log.
    """
    job = job_claim(model=model, pk=job_id, task_id=task_id)
    if job is None:
        return None
    apply = job.stage == model.Stage.APPLY
    fields = ("rows", "created", "updated", "unchanged", "unmatched", "preview", "errors")
    try:
        # The rows and the job's success commit together: the job never shows 运行中 over imported rows.
        with transaction.atomic():
            with job.file.open("rb") as handle:
                result = run_import(
                    file=handle, profile=job.profile, by=job.created_by, apply=apply,
                    progress=lambda percent, message: job_progress(job, percent, message),
                    reason=_("导入 %(f)s") % {"f": job.filename},
                )
            job.rows, job.created, job.updated = result.rows, result.created, result.updated
            job.unchanged, job.unmatched, job.preview = result.unchanged, result.unmatched, result.planned
            job.errors = [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                          for e in result.errors]
            counts = counts_text % {"a": result.created, "u": result.updated, "s": result.unchanged,
                                    "m": result.unmatched}
            if result.ok and apply:
                job.applied_at = timezone.now()
                job_succeed(job, _("导入完成：%(c)s") % {"c": counts}, fields=(*fields, "applied_at"))
            elif result.ok:
                job_succeed(job, _("检查完成：将%(c)s；请核对后确认导入") % {"c": counts}, fields=fields)
    except OperationalError:
        raise  # the database is away: the task retries
    except Exception as exc:  # noqa: BLE001 - recorded on the job for the user and the log
        logger.exception("%s job %s failed", label, job_id)
        job_fail(job=job, error=_("导入出错：%(e)s") % {"e": f"{type(exc).__name__}: {exc}"}, message=_("未导入"))
        return job
    if not result.ok:
        job.save(update_fields=list(fields))
        job_fail(job=job, error=_("文件未导入：共检查 %(r)s 行，发现 %(e)s 处错误")
                 % {"r": result.rows, "e": len(result.errors)}, message=_("未导入"))
    return job


@transaction.atomic
def ae_import_job_confirm(*, job: AEImportJob, by: User) -> AEImportJob:
    """The user confirms a checked preview of an AE import."""
    return preview_job_confirm(AEImportJob, job=job, by=by)


def ae_import_job_run(*, job_id: int, task_id: str) -> AEImportJob | None:
    """The worker's side of an AE import."""
    return preview_job_run(AEImportJob, job_id=job_id, task_id=task_id, run_import=ae_reports_import,
                           counts_text=_("新增 %(a)s 份，更新 %(u)s 份，无变化 %(s)s 份，报告单位未匹配 %(m)s 份"),
                           label="AE import")
