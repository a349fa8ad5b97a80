"""Writes of the reporting app: request, build, submit, approve and send back returns; retry jobs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignDueDate, CellKind, FormTemplate, RecordScope
from enterprises.models import Unit
from regsys.exports import ExportRequest, export_get, write_xlsx
from regsys.files import file_write_atomic, file_write_atomic_with, folder_clear
from regsys.jobs import job_claim, job_enqueue, job_fail, job_progress, job_requeue, job_succeed
from regsys.jobs import jobs_sweep as jobs_sweep_model
from regsys.scoping import require_edit, require_unit, scope_for
from reporting.access import require_reviewer
from reporting.choices import JobStatus, ReturnAction, ReturnStatus
from reporting.exporters.docx import export_docx
from reporting.exporters.layout import ExportInput, SheetData, Warning
from reporting.exporters.xlsx import export_xlsx
from reporting.form_cells import grid_to_json, template_cells
from reporting.form_metrics import ScalarContext, compute_scalars
from reporting.metrics import METRICS, Period, compute
from reporting.models import ExportJob, Return, ReturnEvent, job_file_dir, job_upload_to
from reporting.recipients import (
    return_approved_notify,
    return_sent_back_notify,
    return_submitted_notify,
)
from reporting.return_cells import carried_over, return_files_queue, return_fill, submission_problems
from reporting.selectors import (
    approved_version,
    campaign_units,
    district_phone,
    district_reporting_unit,
    form_layout,
    grid_values,
    reporting_settings,
    return_changes,
)
from reporting.validation import unlinked_records

logger = logging.getLogger(__name__)


def due_date_for(campaign: Campaign, cutoff: dt.date) -> CampaignDueDate | None:
    """The reporting period a cut-off belongs to: the first due date on or after it.

    None after the campaign's last due date: such a return (year-end, ad hoc) is filed as unscheduled.
    """
    if cutoff < campaign.start_date:
        raise ValidationError({"cutoff": _("截止日期不能早于专项整治开始日期（%(start)s），专项整治期间为 %(start)s 至 "
                                           "%(end)s") % {"start": campaign.start_date, "end": campaign.end_date}})
    return campaign.due_dates.filter(due_on__gte=cutoff).order_by("due_on").first()


def return_contact(*, unit: Unit | None, by=None, filled_by: str = "", contact: str = "") -> tuple[str, str]:
    """填报人 and 联系方式 of a return: as given, else the filer's, else the unit's or the bureau's configured ones."""
    if by is not None:
        filled_by = filled_by or by.display_name
        contact = contact or by.phone
    if unit is not None:
        return filled_by, contact or unit.phone
    configured = reporting_settings()
    return (filled_by or configured.district_filled_by,
            contact or configured.district_contact or district_phone())


def _record(ret: Return, action: str, by, comment: str = "") -> None:
    ReturnEvent.objects.create(ret=ret, action=action, by=by, comment=comment)


@transaction.atomic
def return_request(
    *, campaign: Campaign, template: FormTemplate, unit: Unit | None, cutoff: dt.date, by,
    filled_by: str = "", contact: str = "", unscheduled: bool = False, reason: str = "",
    data: dict | None = None,
) -> Return:
    """File (compute) a return: a new version plus an export job that the worker builds.

    A cut-off after the campaign's last due date, or ``unscheduled``, makes an unscheduled return (no due
    date). When an earlier version was approved, a new one needs a ``reason`` (recorded in its history);
    ``data`` (numbers the user has just confirmed, see :func:`return_recompute`) is stored as computed.
    """
    if unit is None:
        if not scope_for(by).district_wide or not scope_for(by).can_write:
            raise PermissionDenied(_("只有区局人员可以生成全区汇总报表"))
    else:
        require_unit(by, unit.pk)
        if unit not in campaign_units(campaign):
            raise ValidationError({"unit": _("该单位未参加此专项整治")})
    if not campaign.forms.filter(pk=template.pk).exists():
        raise ValidationError({"template": _("此专项不报送该报表")})
    due = due_date_for(campaign, cutoff)
    previous = (
        Return.objects.select_for_update()
        .filter(campaign=campaign, template=template, unit=unit, cutoff=cutoff).order_by("-version")
    )
    latest = previous.first()
    if latest is not None:
        unscheduled = unscheduled or latest.unscheduled  # a version keeps its chain's kind
    if unscheduled and due is not None and latest is not None and not latest.unscheduled:
        raise ValidationError({"unscheduled": _(
            "该截止日期已有按期报表（报送期限 %(due)s），请在该报表页面重新计算") % {"due": latest.due_date.due_on}})
    if unscheduled:
        due = None
    if due is not None and not due.is_open_on(timezone.localdate()):
        raise ValidationError({"cutoff": _("%(due)s 的报送期限已关闭，需局领导重新开放后才能填报") % {"due": due.due_on}})
    if latest is not None and latest.status == ReturnStatus.SUBMITTED:
        raise ValidationError(_("该报表已上报待审核，审核前不能重新计算"))
    if latest is not None and latest.status == ReturnStatus.APPROVED:
        raise ValidationError(_("该报表已审核通过并锁定；如需重新计算，须先由药械科退回"))
    approved = approved_version(campaign=campaign, template=template, unit=unit, cutoff=cutoff)
    reason = reason.strip()
    if approved is not None and not reason:
        raise ValidationError({"reason": _(
            "第 %(v)s 版已审核通过；重新计算须填写原因，并核对与该版本逐格的差异") % {"v": approved.version}})
    previous.update(is_current=False)
    filled_by, contact = return_contact(unit=unit, by=by, filled_by=filled_by, contact=contact)
    # a new version keeps the hand-entered values; its corrections wait to be confirmed again
    manual, overrides = carried_over(latest)
    ret = Return.objects.create(
        campaign=campaign, template=template, unit=unit, cutoff=cutoff, due_date=due, unscheduled=due is None,
        version=(latest.version + 1) if latest else 1, filled_by=filled_by, contact=contact, created_by=by,
        manual=manual, overrides=overrides,
    )
    if data is not None:
        ret.data = {key: data[key] for key in STORED_PARTS if key in data}
        ret.warnings = data["warnings"]
        ret.computed_at = timezone.now()
        ret.save(update_fields=["data", "warnings", "computed_at"])
    if latest is not None and reason:
        comment = _("生成第 %(v)s 版，原因：%(reason)s") % {"v": ret.version, "reason": reason}
        _record(latest, ReturnAction.RECOMPUTE, by, comment)
        _record(ret, ReturnAction.RECOMPUTE, by, _("由第 %(old)s 版重新计算，原因：%(reason)s") % {
            "old": latest.version, "reason": reason})
    return_files_queue(ret, by=by)
    return ret


STORED_PARTS = ("computed", "computed_units", "unlinked", "total", "units")  # of Return.data


def data_digest(data: dict) -> str:
    """A fingerprint of a return's numbers as filled (what the user confirmed on the recompute page)."""
    payload = json.dumps({"total": data["total"], "units": data["units"]}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def return_recompute_preview(*, ret: Return) -> dict:
    """The numbers a recomputation of ``ret`` would give now, their digest and the changes from the approved version."""
    # filled as the new version will be: the hand-entered values kept, the corrections pending
    manual, overrides = carried_over(ret)
    data = compute_return_data(campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff,
                               manual=manual, overrides=overrides)
    approved = approved_version(campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff)
    changes = return_changes(template=ret.template, old=approved.data, new=data) if approved else []
    return {"data": data, "digest": data_digest(data), "approved": approved, "changes": changes}


def return_recompute(*, ret: Return, by, reason: str = "", digest: str = "") -> Return:
    """重新计算: a new version of ``ret``'s chain with today's numbers.

    When a version was approved, the user must give a reason and have seen the differences: ``digest`` is the
    fingerprint of the numbers shown; if the data has changed since, nothing is replaced and the user checks again.
    """
    if not ret.is_current:
        raise ValidationError(_("这不是最新版本，请在最新版本上重新计算"))
    approved = approved_version(campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff)
    data = None
    if approved is not None:
        if not reason.strip():
            raise ValidationError({"reason": _("请填写重新计算的原因")})
        preview = return_recompute_preview(ret=ret)
        if preview["digest"] != digest:
            raise ValidationError(_("数据在您核对后又有变化，请重新核对差异后再确认"), code="stale")
        data = preview["data"]
    return return_request(
        campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff, by=by,
        filled_by=ret.filled_by, contact=ret.contact, unscheduled=ret.unscheduled, reason=reason, data=data,
    )


def return_build(*, job_id: int, task_id: str, data: dict | None = None) -> ExportJob | None:
    """Compute the return's numbers, check them and write the .xlsx/.docx. Safe to run twice.

    Runs only for the job's current dispatch (``task_id``); None when the job is done or owned by a newer one.
    """
    if job_claim(model=ExportJob, pk=job_id, task_id=task_id) is None:
        return None
    job = ExportJob.objects.select_related("ret__campaign", "ret__template", "ret__unit").get(pk=job_id)
    try:
        _build(job, data)
    except Exception as exc:
        from django.db import OperationalError

        if isinstance(exc, OperationalError):
            raise
        logger.exception("return build failed for job %s", job_id)
        job_fail(job=job, error=f"{type(exc).__name__}: {exc}")
    return job


def return_build_inline(*, job: ExportJob, data: dict | None = None) -> ExportJob:
    """Build a queued job here and now (demo data); its on-commit publish then finds nothing to send.

    ``data``: the return's numbers as ``units_return_data`` computed them for many returns at once.
    """
    task_id = f"inline-{uuid.uuid4()}"
    ExportJob.objects.filter(pk=job.pk, status=JobStatus.PENDING).update(task_id=task_id)
    return_build(job_id=job.pk, task_id=task_id, data=data)
    job.refresh_from_db()
    return job


def compute_return_data(*, campaign: Campaign, template: FormTemplate, unit: Unit | None, cutoff: dt.date,
                        ret: Return | None = None, manual: dict | None = None,
                        overrides: dict | None = None) -> dict:
    """The numbers of a return, JSON-ready: what its computed cells count (``computed``, and for the district
    ``computed_units`` per unit), the records left out (``unlinked``), and the filled copies (``total``,
    ``units``) with their ``warnings`` after the hand-entered values and corrections.

    ``ret``: the return being (re)computed — its manual values and corrections fill the copies (a district
    return also compiles its units' approved entries); else ``manual``/``overrides`` as given (a new return: none).
    """
    due = due_date_for(campaign, cutoff)
    cells = template_cells(template)
    unit_list = [unit] if unit is not None else campaign_units(campaign)
    linked = template.record_scope == RecordScope.LINKED
    settings_ = {"case_date": template.case_count_date, "interview_mode": template.interview_count_mode,
                 "linked": linked}
    # A unit's return counts its own records; the district's counts the whole district (every unit,
    # taking part or not), and its sheets per unit are those of the units that file.
    period = Period(campaign=campaign, cutoff=cutoff, unit_ids=(unit.pk,) if unit is not None else None, **settings_)
    rows = _metric_rows(template, cells)
    metric_keys, scalar_keys = _cell_metrics(cells)
    with transaction.atomic():
        per_unit = compute(template=template, period=period, by_unit=unit is None, with_total=True,
                           units=tuple(u.pk for u in unit_list), rows=rows, metrics=metric_keys)
        total = per_unit.pop(None)
    scalars = _scalars(scalar_keys, cutoff, [u.pk for u in unit_list])
    own_name = unit.display_name if unit is not None else _("全区")
    unlinked = unlinked_records(campaign=campaign, template=template, unit=unit, cutoff=cutoff,
                                sheet=own_name) if linked else []
    parts = {
        "computed": _cell_grid(cells, total, scalars, None),
        "computed_units": {str(k): _cell_grid(cells, v, scalars, k) for k, v in per_unit.items()},
        "unlinked": [w.__dict__ for w in unlinked],
    }
    if ret is None:
        ret = Return(campaign=campaign, template=template, unit=unit, cutoff=cutoff, due_date=due,
                     unscheduled=due is None, manual=manual or {}, overrides=overrides or {})
    return _filled(ret, parts)


def _filled(ret: Return, parts: dict) -> dict:
    """``parts`` (computed, computed_units, unlinked) plus the copies filled with ``ret``'s entries."""
    probe = Return(pk=ret.pk, campaign=ret.campaign, template=ret.template, unit=ret.unit, cutoff=ret.cutoff,
                   due_date_id=ret.due_date_id, unscheduled=ret.unscheduled, manual=ret.manual or {},
                   overrides=ret.overrides or {}, data=parts)
    filled = return_fill(probe)
    return {**parts, **filled}


def _cell_metrics(cells) -> tuple[list[str], set[str]]:
    """The row metrics (in METRICS order) and the scalar metrics the computed cells use."""
    used = {s.metric for s in cells.of_kind(CellKind.COMPUTED) if s.metric}
    return [key for key in METRICS if key in used], {key for key in used if key not in METRICS}


def _metric_rows(template: FormTemplate, cells) -> list:
    """The rows with a cell computed by a row metric (a 合计 row of formulas selects no enterprises)."""
    keys = {s.row for s in cells.of_kind(CellKind.COMPUTED) if s.metric in METRICS}
    return [r for r in template.rows.order_by("order") if r.key in keys]


def _scalars(keys: set[str], cutoff: dt.date, unit_ids: list[int]) -> dict:
    if not keys:
        return {}
    return compute_scalars(keys, ScalarContext(year=cutoff.year, cutoff=cutoff, unit_ids=tuple(unit_ids)))


def _cell_grid(cells, metric_grid: dict, scalars: dict, unit_id: int | None) -> dict:
    """A computed grid keyed by column: each computed cell reads its metric (the row metric's number for
    its row, or the scalar metric's number for the unit/district); other cells are null."""
    grid: dict[str, dict] = {row: {} for row in cells.rows}
    for (row, column), spec in cells.specs.items():
        value = None
        if spec.kind == CellKind.COMPUTED and spec.metric:
            if spec.metric in METRICS:
                value = metric_grid.get(row, {}).get(spec.metric)
            else:
                value = scalars.get(spec.metric, {}).get(unit_id)
            if isinstance(value, float | Decimal):  # a scalar figure (a rate) shown with the column's decimals
                value = Decimal(str(value)).quantize(Decimal(1).scaleb(-spec.decimals), rounding=ROUND_HALF_UP)
                value = int(value) if spec.decimals == 0 else value
        grid[row][column] = value
    return grid_to_json(grid)


def units_return_data(*, campaign: Campaign, template: FormTemplate, units: list[Unit], cutoff: dt.date) -> dict:
    """``compute_return_data`` of each unit's own new return, ``{unit_id: data}``, from one grouped computation
    (the demo files every unit's return for a period at once)."""
    due = due_date_for(campaign, cutoff)
    cells = template_cells(template)
    linked = template.record_scope == RecordScope.LINKED
    period = Period(
        campaign=campaign, cutoff=cutoff, unit_ids=tuple(u.pk for u in units),
        case_date=template.case_count_date, interview_mode=template.interview_count_mode, linked=linked,
    )
    rows = _metric_rows(template, cells)
    metric_keys, scalar_keys = _cell_metrics(cells)
    with transaction.atomic():
        per_unit = compute(template=template, period=period, by_unit=True, rows=rows, metrics=metric_keys)
    scalars = _scalars(scalar_keys, cutoff, [u.pk for u in units])

    def data(u: Unit) -> dict:
        unlinked = unlinked_records(campaign=campaign, template=template, unit=u, cutoff=cutoff,
                                    sheet=u.display_name) if linked else []
        parts = {"computed": _cell_grid(cells, per_unit[u.pk], scalars, u.pk), "computed_units": {},
                 "unlinked": [w.__dict__ for w in unlinked]}
        return _filled(Return(campaign=campaign, template=template, unit=u, cutoff=cutoff, due_date=due,
                              unscheduled=due is None), parts)

    return {u.pk: data(u) for u in units}


def build_export_input(
    *, campaign: Campaign, template: FormTemplate, unit: Unit | None, cutoff: dt.date, data: dict,
    filled_by: str, contact: str, reporting_unit: str, unscheduled: bool = False,
) -> ExportInput:
    """The plain data the exporters need: layout, the filled copies (district + units) and warnings."""
    own_name = unit.display_name if unit is not None else _("全区")
    sheets = [SheetData(own_name, (reporting_unit, filled_by, contact), grid_values(data["total"], template))]
    if unit is None:
        for member in campaign_units(campaign):
            sheets.append(SheetData(member.display_name, (member.name, "", member.phone),
                                    grid_values(data["units"].get(str(member.pk), {}), template)))
    warnings = tuple(Warning(**w) for w in data["warnings"])
    return ExportInput(layout=form_layout(template, cutoff, unscheduled=unscheduled), sheets=tuple(sheets),
                       warnings=warnings)


def file_stem(*, template: FormTemplate, unit: Unit | None, cutoff: dt.date, unscheduled: bool) -> str:
    """E.g. 2023统计表二_五马所_20230930 (…_临时报送 for an unscheduled return)."""
    own_name = unit.display_name if unit is not None else _("全区")
    kind = _("_临时报送") if unscheduled else ""
    return f"{template.year}{template.code}_{own_name}_{cutoff:%Y%m%d}{kind}"


def _build(job: ExportJob, data: dict | None = None) -> None:
    ret = job.ret
    template = ret.template
    if data is None and ret.computed_at is not None and ret.data:
        # numbers confirmed on the recompute page, or re-filled after an edit: the files show them as stored
        data = {"total": ret.data["total"], "units": ret.data.get("units", {}), "warnings": ret.warnings}
    else:
        job_progress(job, 10, _("正在统计数据"))
        if data is None:
            data = compute_return_data(campaign=ret.campaign, template=template, unit=ret.unit, cutoff=ret.cutoff,
                                       ret=ret)
        else:  # the demo's numbers, computed for a return without entries: filled with this one's
            data = _filled(ret, {key: data[key] for key in ("computed", "computed_units", "unlinked")})
        ret.data = {key: data[key] for key in STORED_PARTS if key in data}
        ret.warnings = data["warnings"]
        ret.computed_at = timezone.now()
        ret.save(update_fields=["data", "warnings", "computed_at"])
    job_progress(job, 60, _("正在生成 Excel 和 Word 文件"))
    if ret.unit_id:
        reporting_unit = ret.unit.name
    elif ret.created_by and ret.created_by.unit_id:
        reporting_unit = ret.created_by.unit.name
    else:
        reporting_unit = district_reporting_unit()
    export = build_export_input(
        campaign=ret.campaign, template=template, unit=ret.unit, cutoff=ret.cutoff, data=data,
        filled_by=ret.filled_by, contact=ret.contact, reporting_unit=reporting_unit, unscheduled=ret.unscheduled,
    )
    stem = file_stem(template=template, unit=ret.unit, cutoff=ret.cutoff, unscheduled=ret.unscheduled)
    stem = f"{stem}_v{ret.version}"
    xlsx, docx = export_xlsx(export), export_docx(export)
    job_progress(job, 90, _("正在保存文件"))
    if settings.REGSYS_JOB_TEST_DELAY:  # test hook only (0 in production): lets a test kill the worker here
        time.sleep(settings.REGSYS_JOB_TEST_DELAY)
    job_files_write(job=job, files={"xlsx": (f"{stem}.xlsx", xlsx), "docx": (f"{stem}.docx", docx)})
    job_succeed(job, _("已完成"), fields=("xlsx", "docx"))
    if not ret.events.filter(action=ReturnAction.COMPUTE).exists():
        _record(ret, ReturnAction.COMPUTE, ret.created_by)


def job_files_write(*, job: ExportJob, files: dict[str, tuple[str, bytes]]) -> None:
    """Write a job's files atomically under fixed names and drop anything an earlier, interrupted run left."""
    names = {field: job_upload_to(job, filename) for field, (filename, _content) in files.items()}
    folder_clear(folder=job_file_dir(job), keep=tuple(names.values()))
    for field, (_filename, content) in files.items():
        getattr(job, field).name = file_write_atomic(name=names[field], content=content)


@transaction.atomic
def list_export_request(*, user, name: str, query: str = "", pk: int | None = None) -> ExportJob:
    """File the export of a list (``name`` in regsys/exports.py) as filtered by ``query``; built by a worker."""
    export = export_get(name)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    job = ExportJob.objects.create(
        kind="list", export_name=name, params={"query": query, "pk": pk}, unit=user.unit, created_by=user,
        title=f"{export.title} {stamp}", message=_("等待生成"),
    )
    job_enqueue(job)
    return job


def list_export_build(*, job_id: int, task_id: str) -> ExportJob | None:
    """Stream the job's list (its user's scope, its filters) into an .xlsx. Safe to run twice."""
    if job_claim(model=ExportJob, pk=job_id, task_id=task_id) is None:
        return None
    job = ExportJob.objects.select_related("created_by__unit").get(pk=job_id)
    try:
        _list_build(job)
    except Exception as exc:
        from django.db import OperationalError
        from django.http import Http404

        if isinstance(exc, OperationalError):
            raise
        if isinstance(exc, Http404):  # the object exported is no longer visible to the user
            job_fail(job=job, error=_("导出的记录不存在或无权查看"))
        else:
            logger.exception("list export failed for job %s", job_id)
            job_fail(job=job, error=f"{type(exc).__name__}: {exc}")
    return job


def _list_build(job: ExportJob) -> None:
    export = export_get(job.export_name)
    from django.db import connection

    if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        logger.warning("list export %s: server-side cursors are disabled (PgBouncer transaction pooling), so each "
                       "query's rows are read into memory at once; connect workers to PostgreSQL directly", job.pk)
    job_progress(job, 5, _("正在读取数据"))
    if settings.REGSYS_JOB_TEST_DELAY:  # test hook only (0 in production): a long export, for the queue test
        time.sleep(settings.REGSYS_JOB_TEST_DELAY)
    request = ExportRequest(user=job.created_by, query=job.params.get("query", ""), pk=job.params.get("pk"))
    sheets = export.sheets(request)

    def progress(done: int, total: int | None) -> None:
        percent = 10 + int(85 * done / total) if total else 50
        job_progress(job, min(percent, 95), _("已写入 %(n)s 行") % {"n": f"{done:,}"})

    written = 0

    def write(path) -> None:
        nonlocal written
        written = write_xlsx(path, sheets, progress=progress)

    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    name = job_upload_to(job, f"{export.title}-{stamp}.xlsx")
    folder_clear(folder=job_file_dir(job), keep=(name,))
    job.xlsx.name = file_write_atomic_with(name=name, write=write)
    job_succeed(job, _("已完成，共 %(n)s 行") % {"n": f"{written:,}"}, fields=("xlsx",))


def job_fail_by_id(*, job_id: int, error: str) -> None:
    """Fail a job whose task gave up (e.g. the database stayed unavailable through every retry)."""
    job_fail(job=ExportJob.objects.get(pk=job_id), error=error)


@transaction.atomic
def job_retry(*, job: ExportJob, by) -> ExportJob:
    """重试: a failed job, or one stuck queued or running (its worker died), is queued again."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != by.pk:
        raise PermissionDenied(_("只能重试自己的导出任务"))
    if job.status != JobStatus.FAILED and not job.is_stale:
        raise ValidationError(_("任务正在排队或生成中，不能重试"))
    job_requeue(job=job, message=_("等待重试"))
    return job


def jobs_sweep() -> dict[str, dict[str, int]]:
    """The sweeper (beat): publish queued jobs the broker missed; re-queue or fail jobs whose worker died."""
    from enterprises.models import ImportJob
    from monitoring.models import AEImportJob

    return {model.__name__: jobs_sweep_model(model) for model in (ExportJob, ImportJob, AEImportJob)}


def _current_locked(ret: Return) -> Return:
    return Return.objects.select_for_update().get(pk=ret.pk)


@transaction.atomic
def return_submit(*, ret: Return, by) -> Return:
    """A 所 files its computed return with the 药械科."""
    ret = _current_locked(ret)
    if ret.is_district:
        require_reviewer(by)
    else:
        require_edit(by, ret)
    if not ret.is_current:
        raise ValidationError(_("这不是最新版本，不能上报"))
    if ret.status not in (ReturnStatus.DRAFT, ReturnStatus.RETURNED):
        raise ValidationError(_("当前状态不能上报"))
    if ret.computed_at is None:
        raise ValidationError(_("报表尚未生成完成，不能上报"))
    if ret.due_date is not None and not ret.due_date.is_open_on(timezone.localdate()):
        raise ValidationError(_("报送期限已关闭，需局领导重新开放后才能上报"))
    problems = submission_problems(ret)
    if problems:
        raise ValidationError([_("手填数据未完成，不能上报：")] + problems)
    ret.status, ret.submitted_by, ret.submitted_at = ReturnStatus.SUBMITTED, by, timezone.now()
    ret.save(update_fields=["status", "submitted_by", "submitted_at"])
    _record(ret, ReturnAction.SUBMIT, by)
    return_submitted_notify(ret=ret, by=by)
    return ret


@transaction.atomic
def return_approve(*, ret: Return, by, comment: str = "") -> Return:
    ret = _current_locked(ret)
    require_reviewer(by)
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError(_("只有已上报的报表可以审核"))
    ret.status, ret.reviewed_by, ret.reviewed_at, ret.review_comment = ReturnStatus.APPROVED, by, timezone.now(), comment
    ret.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    _record(ret, ReturnAction.APPROVE, by, comment)
    return_approved_notify(ret=ret, by=by)
    return ret


@transaction.atomic
def return_send_back(*, ret: Return, by, comment: str) -> Return:
    ret = _current_locked(ret)
    require_reviewer(by)
    if ret.status not in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED):
        raise ValidationError(_("只有已上报或已审核通过的报表可以退回"))
    if not comment.strip():
        raise ValidationError({"comment": _("退回时必须填写意见")})
    ret.status, ret.reviewed_by, ret.reviewed_at, ret.review_comment = ReturnStatus.RETURNED, by, timezone.now(), comment
    ret.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    _record(ret, ReturnAction.SEND_BACK, by, comment)
    return_sent_back_notify(ret=ret, by=by)
    return ret
