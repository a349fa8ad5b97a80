"""Import of the national online-sales monitoring platform's lead list: preview first, then all-or-nothing.

The columns come from the lead ``ImportProfile`` (data; ``monitoring.leads_reference`` holds the default).
The file is read with the AE import's helpers (``monitoring.importers``: sheet, header row, formula cells,
required blanks, the row limit); rows are matched to leads by 线索编号, so importing a file twice adds
nothing: a known lead gets the platform's changed fields, its disposal is never touched. Each row is
prepared and checked by ``monitoring.services.leads.lead_prepare``, the one place for a lead's rules.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.importers import RowError, _read_cell
from enterprises.models import User
from monitoring import leads_reference
from monitoring.importers import (
    COUNTERS,
    Action,
    ImportResult,
    Progress,
    _day,
    _read,
    default_profile,
    preview_job_confirm,
    preview_job_create,
    preview_job_run,
)
from monitoring.leads_choices import LeadMatch
from monitoring.models import ImportProfile, LeadImportJob, OnlineLead
from monitoring.services.leads import LeadMatcher, lead_prepare, lead_save_prepared, require_district

logger = logging.getLogger(__name__)
DATE_FIELDS = ("pushed_on", "deadline")


def default_lead_profile() -> ImportProfile | None:
    return default_profile(ImportProfile.Kind.LEAD)


def _label(name: str) -> str:
    return str(OnlineLead._meta.get_field(name).verbose_name)


def _parse_row(values: dict[str, Any], formulas: set[str], columns) -> tuple[dict[str, Any], list[tuple[str, str]]]:
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
        else:
            fields[column.field] = text
    return fields, errors


def _service_errors(exc: ValidationError, headers: dict[str, str]) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [("整行", "；".join(exc.messages))]
    return [(headers.get(name) or _label(name), "；".join(messages)) for name, messages in exc.message_dict.items()]


def leads_import(
    *, file, profile: ImportProfile, by: User, apply: bool, progress: Progress | None = None, reason: str = "",
) -> ImportResult:
    """Check every row and plan it (add / update / unchanged; matched or to the queue); with ``apply`` write
    all of it, or nothing when any row fails. Without ``apply`` nothing is ever written."""
    require_district(by)
    result = ImportResult()
    report = progress or (lambda percent, message: None)
    report(5, _("正在读取文件"))
    read = _read(file, profile, result, known=leads_reference.COLUMNS, required_fields=leads_reference.REQUIRED,
                 source=_("网络销售监测平台导出的"), noun=_("线索"))
    if read is None:
        return result
    columns, rows, sheet_title = read
    headers = {c.field: c.header for c in columns}
    parsed: list[tuple[int, dict[str, Any], list[tuple[str, str]]]] = []
    seen: dict[str, int] = {}
    for row_number, values, formulas in rows:
        fields, errors = _parse_row(values, formulas, columns)
        code = fields.get("code", "")
        if code and code in seen:
            errors.append((headers["code"], _("与第%(n)s行的线索编号重复") % {"n": seen[code]}))
        elif code:
            seen[code] = row_number
        parsed.append((row_number, fields, errors))
    matcher = LeadMatcher(fields for _n, fields, _e in parsed)
    total = len(parsed)
    step = max(1, total // 50)
    with transaction.atomic():
        current = OnlineLead.objects.filter(code__in=list(seen))
        if apply:
            current = current.select_for_update()
        existing = {lead.code: lead for lead in current}
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
    if result.errors:
        result.created = result.updated = result.unchanged = result.unmatched = 0
        result.planned = []
    return result


def _plan_row(
    row_number: int, fields: dict[str, Any], existing: dict[str, OnlineLead], matcher: LeadMatcher,
    result: ImportResult, headers: dict[str, str], *, by: User | None, reason: str,
) -> list[tuple[str, str]]:
    current = existing.get(fields["code"])  # prepared in place: each code appears once in a file
    try:
        lead, changed = lead_prepare(lead=current, fields=fields, matcher=matcher)
    except ValidationError as exc:
        return _service_errors(exc, headers)
    action = Action.ADD if current is None else (Action.UPDATE if changed else Action.UNCHANGED)
    counter = COUNTERS[action]
    setattr(result, counter, getattr(result, counter) + 1)
    unmatched = lead.unit_id is None
    result.unmatched += unmatched
    result.planned.append({
        "row": row_number, "code": lead.code, "action": action, "platform": lead.platform,
        "shop": lead.shop_name, "operator": lead.operator_name,
        "match": str(lead.get_match_display()) if lead.match != LeadMatch.UNMATCHED else "",
        "matched_to": lead.enterprise.name if lead.enterprise_id else "", "unmatched": unmatched,
        "unit": lead.unit.display_name if lead.unit_id else "",
        "changes": [_label(name) for name in changed] if action == Action.UPDATE else [],
    })
    if by is not None and action != Action.UNCHANGED:
        try:
            with transaction.atomic():
                lead_save_prepared(lead=lead, by=by, reason=reason)
        except ValidationError as exc:
            return _service_errors(exc, headers)
        except PermissionDenied as exc:
            return [("整行", str(exc))]
    return []


@transaction.atomic
def lead_import_job_create(*, file, by: User, profile: ImportProfile | None = None) -> LeadImportJob:
    """Store a lead list and queue its preview."""
    return preview_job_create(LeadImportJob, file=file, by=by, profile=profile or default_lead_profile(),
                              title=f"线索导入 {file.name}")


@transaction.atomic
def lead_import_job_confirm(*, job: LeadImportJob, by: User) -> LeadImportJob:
    """The user confirms a checked preview of a lead import."""
    return preview_job_confirm(LeadImportJob, job=job, by=by)


def lead_import_job_run(*, job_id: int, task_id: str) -> LeadImportJob | None:
    """The worker's side of a lead import."""
    return preview_job_run(LeadImportJob, job_id=job_id, task_id=task_id, run_import=leads_import,
                           counts_text=_("新增 %(a)s 条，更新 %(u)s 条，无变化 %(s)s 条，待分派 %(m)s 条"),
                           label="lead import")
