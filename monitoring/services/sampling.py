"""Supervisory sampling (监督抽检): tasks, samples, their dated steps and due dates, the 复检 window.

The one place for the rules of a sample's steps:

* steps follow ``SampleStepKind`` in order; a step is recorded only when it is the sample's next step,
  on a date not before the step it follows and not in the future;
* each step's due date is its base date plus the step's ``SamplingStepRule`` (calendar or working days,
  ``enterprises.workdays``). The base is the step before it, except the 复检 window (counted from the
  report's delivery: 条例第七十五条) and 结论确认 (counted from the window's last day);
* the 复检 window is no one's task: it ends by itself (the daily ``sampling_windows_close`` records it on
  its last day, or 结论确认 does), a retest request is accepted only inside it, and 结论确认 of a failed
  sample waits for it (or for the retest result);
* ``Sample.next_step``/``next_due_on`` mirror the first open step for lists and 待办.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise, Unit, User
from enterprises.workdays import add_working_days
from inspections.services.attachments import validate_upload
from monitoring.access import require_ae_manager
from monitoring.choices import RetestStatus, SampleConclusion, SampledLink, SampleStepKind, SamplingLevel
from monitoring.models import Sample, SampleStep, SamplingStepRule, SamplingTask
from monitoring.services.disposal import disposal_strict_check
from regsys.scoping import require_edit, require_unit, require_write, scope_for
from regsys.versioning import version_lock

Step = SampleStepKind
STEP_ORDER: list[str] = list(Step.values)
# Steps nobody performs: the window ends by itself.
AUTOMATIC_STEPS = {Step.RETEST_WINDOW}
# The step a step's due date counts from, where it is not the step just before it.
STEP_BASE: dict[str, str] = {Step.RETEST_WINDOW: Step.REPORT_DELIVERED}

TASK_FIELDS = ["level", "year", "name", "plan_document", "quota", "unit", "notes"]
SAMPLE_FIELDS = ["task", "sample_no", "enterprise", "link", "product_name", "registrant_name", "registrant",
                 "registration_number", "model_spec", "batch", "quantity", "sampled_on"]
REQUIRED_SAMPLE_FIELDS = {
    "task": gettext_lazy("抽检任务"), "sample_no": gettext_lazy("抽样单号"), "enterprise": gettext_lazy("被抽样单位"),
    "link": gettext_lazy("抽样环节"), "product_name": gettext_lazy("产品名称"), "batch": gettext_lazy("批号/编号"),
    "quantity": gettext_lazy("抽样数量"), "sampled_on": gettext_lazy("抽样日期"),
}
MIN_OFFICERS = 2


def _today() -> dt.date:
    return timezone.localdate()


def _save(obj, *, by, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()


# ----------------------------------------------------------------- rules and due dates


def step_rules() -> dict[str, SamplingStepRule]:
    return {rule.step: rule for rule in SamplingStepRule.objects.all()}


def step_due(step: str, base: dt.date, rules: dict[str, SamplingStepRule] | None = None) -> dt.date | None:
    """The due date of ``step`` counted from ``base`` by its rule (None when the step has no rule)."""
    rule = (rules if rules is not None else step_rules()).get(step)
    if rule is None:
        return None
    if rule.working_days:
        return add_working_days(base, rule.days)
    return base + timedelta(days=rule.days)


def _previous(step: str) -> str | None:
    index = STEP_ORDER.index(step)
    return STEP_ORDER[index - 1] if index else None


def _previous_manual(step: str) -> str | None:
    """The step a user must have recorded before ``step`` (the automatic window is skipped)."""
    previous = _previous(step)
    while previous in AUTOMATIC_STEPS:
        previous = _previous(previous)
    return previous


def step_base(step: str) -> str | None:
    """The step ``step``'s due date counts from (结论确认: from the end of the 复检 window)."""
    return STEP_BASE.get(step) or _previous(step)


def _base_date(step: str, rows: dict[str, SampleStep]) -> dt.date | None:
    base = rows.get(step_base(step))
    if step == Step.CONCLUDED:  # the window's last day, known as soon as the report is delivered
        return base.due_on if base is not None else None
    return base.done_on if base is not None else None


def _rows(sample: Sample) -> dict[str, SampleStep]:
    return {row.step: row for row in SampleStep.objects.filter(sample=sample)}


def steps_sync(sample: Sample, *, by: User | None = None) -> Sample:
    """Create the step rows whose base is known, recompute the due dates of open steps, and set
    ``next_step``/``next_due_on`` (the first open step a user performs). Called by every write; a change of
    the next step is saved with its history row (the sample's history then reads as a log of its steps)."""
    rules = step_rules()
    rows = _rows(sample)
    sampled = rows.get(Step.SAMPLED) or SampleStep(sample=sample, step=Step.SAMPLED)
    if sampled.done_on != sample.sampled_on or sampled.pk is None:
        sampled.done_on = sample.sampled_on
        sampled.done_by = sampled.done_by or sample.created_by
        sampled.save()
    rows[Step.SAMPLED] = sampled
    for step in STEP_ORDER[1:]:
        row = rows.get(step)
        if row is not None and row.done_on is not None:
            continue
        base = _base_date(step, rows)
        if base is None:
            continue
        due = step_due(step, base, rules)
        if row is None:
            rows[step] = SampleStep.objects.create(sample=sample, step=step, due_on=due)
        elif row.due_on != due:
            row.due_on = due
            row.save(update_fields=["due_on", "updated_at"])
    # Every step's base is the step before it (or the window, known from delivery), so the first open
    # row is the next step; none open: the sample is concluded.
    next_row = next((rows[s] for s in STEP_ORDER if s not in AUTOMATIC_STEPS and s in rows
                     and rows[s].done_on is None), None)
    next_step = next_row.step if next_row is not None else ""
    next_due = next_row.due_on if next_row is not None else None
    if (sample.next_step, sample.next_due_on) != (next_step, next_due):
        sample.next_step, sample.next_due_on = next_step, next_due
        sample._history_user = by
        sample.save(update_fields=["next_step", "next_due_on", "updated_at", "version"])
    return sample


def _window_close(window: SampleStep, sample: Sample, *, on: dt.date) -> None:
    window.done_on = on
    window.note = _("已申请复检") if sample.retest != RetestStatus.NONE else _("未申请复检")
    window.save()


@transaction.atomic
def sampling_windows_close(*, today: dt.date | None = None) -> int:
    """Record every 复检 window that has ended (its last day is past) as done on its last day; the daily
    task calls this. Returns how many were closed (none on a second run the same day)."""
    today = today or _today()
    ended = SampleStep.objects.filter(step=Step.RETEST_WINDOW, done_on=None, due_on__lt=today).select_related(
        "sample")
    count = 0
    for window in ended:
        _window_close(window, window.sample, on=window.due_on)
        count += 1
    return count


def retest_last_day(sample: Sample) -> dt.date | None:
    """The last day a retest may be requested (送达 + the window's rule), None before delivery."""
    window = SampleStep.objects.filter(sample=sample, step=Step.RETEST_WINDOW).first()
    return window.due_on if window is not None else None


# ----------------------------------------------------------------- tasks


def _task_check(data: dict) -> None:
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("请填写任务名称")
    if data.get("level") not in SamplingLevel.values:
        errors["level"] = _("请选择抽检级别")
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("计划年度应在2000至2100之间")
    quota = data.get("quota")
    if not isinstance(quota, int) or quota < 0:
        errors["quota"] = _("任务批次数应为不小于0的整数")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sampling_task_create(*, by: User, level: str, year: int, name: str, quota: int = 0, plan_document: str = "",
                         unit: Unit | None = None, notes: str = "") -> SamplingTask:
    """A task handed down by a plan (药械科 only)."""
    require_ae_manager(by)
    data = {"level": level, "year": year, "name": name, "plan_document": plan_document, "quota": quota,
            "unit": unit, "notes": notes}
    _task_check(data)
    task = SamplingTask(created_by=by, **data)
    _save(task, by=by)
    return task


@transaction.atomic
def sampling_task_update(*, task: SamplingTask, by: User, version: int | None, **data) -> SamplingTask:
    require_ae_manager(by)
    unknown = set(data) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    task = version_lock(task, version=version, submitted=data)
    merged = {field: data.get(field, getattr(task, field)) for field in TASK_FIELDS}
    _task_check(merged)
    if merged["unit"] is not None and task.unit_id != merged["unit"].pk:
        other = task.samples.exclude(unit=merged["unit"]).count()
        if other:
            raise ValidationError({"unit": _("已有 %(n)d 个其他单位的样品属于本任务，不能改为由单一单位承担") % {"n": other}})
    for field, value in merged.items():
        setattr(task, field, value)
    _save(task, by=by)
    return task


# ----------------------------------------------------------------- samples


def _sample_unit(*, by: User, enterprise: Enterprise, unit: Unit | None) -> Unit:
    """The sample's 所: the one a district user picks, else the enterprise's owning unit."""
    if unit is not None and not scope_for(by).district_wide and unit.pk != by.unit_id:
        raise ValidationError({"unit": _("只能为本单位录入样品")})
    chosen = unit or enterprise.owning_unit
    if chosen is None:
        raise ValidationError({"unit": _("该企业尚无所属监管所，请选择抽样单位")})
    require_unit(by, chosen.pk)
    return chosen


def _sample_check(*, sample: Sample, officers: list[User], today: dt.date) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, label in REQUIRED_SAMPLE_FIELDS.items():
        value = getattr(sample, f"{field}_id" if field in ("task", "enterprise") else field)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            add(field, _("请填写%(f)s") % {"f": label})
    if sample.link and sample.link not in SampledLink.values:
        add("link", _("抽样环节无效"))
    if sample.sampled_on and sample.sampled_on > today:
        add("sampled_on", _("抽样日期不能晚于今天"))
    if sample.sample_no and Sample.objects.filter(sample_no=sample.sample_no.strip()).exclude(pk=sample.pk).exists():
        add("sample_no", _("抽样单号“%(no)s”已存在") % {"no": sample.sample_no})
    if sample.task_id and sample.task.unit_id and sample.task.unit_id != sample.unit_id:
        add("task", _("该抽检任务由%(u)s承担，不能录入其他单位的样品") % {"u": sample.task.unit.display_name})
    officers = list({o.pk: o for o in officers}.values())
    if len(officers) < MIN_OFFICERS:
        add("officers", _("抽样人员不少于两名"))
    strangers = [o.display_name for o in officers if o.unit_id != sample.unit_id]
    if strangers:
        add("officers", _("抽样人员须为抽样单位（%(u)s）的工作人员：%(names)s不是") % {
            "u": sample.unit.display_name, "names": "、".join(strangers)})
    if sample.pk and sample.sampled_on:
        later = SampleStep.objects.filter(sample=sample, done_on__lt=sample.sampled_on).exclude(
            step=Step.SAMPLED).first()
        if later is not None:
            add("sampled_on", _("抽样日期不能晚于已记录的“%(s)s”日期（%(d)s）") % {
                "s": later.get_step_display(), "d": f"{later.done_on:%Y-%m-%d}"})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sample_create(*, by: User, officers: list[User], unit: Unit | None = None, **fields) -> Sample:
    """A sample taken by at least two officers of its unit; its 抽样 step is done on the sampling date."""
    require_write(by)
    unknown = set(fields) - set(SAMPLE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    enterprise = fields.get("enterprise")
    if enterprise is None:
        raise ValidationError({"enterprise": _("请选择被抽样单位")})
    sample = Sample(created_by=by, unit=_sample_unit(by=by, enterprise=enterprise, unit=unit), **fields)
    sample.sample_no = (sample.sample_no or "").strip()
    _sample_check(sample=sample, officers=officers, today=_today())
    _save(sample, by=by)
    sample.officers.set(officers)
    SampleStep.objects.create(sample=sample, step=Step.SAMPLED, done_on=sample.sampled_on, done_by=by)
    return steps_sync(sample, by=by)


@transaction.atomic
def sample_update(*, sample: Sample, by: User, version: int | None, officers: list[User] | None = None,
                  unit: Unit | None = None, **fields) -> Sample:
    require_edit(by, sample)
    unknown = set(fields) - set(SAMPLE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    sample = version_lock(sample, version=version, submitted=fields)
    for field, value in fields.items():
        setattr(sample, field, value)
    sample.sample_no = (sample.sample_no or "").strip()
    if unit is not None or "enterprise" in fields:
        sample.unit = _sample_unit(by=by, enterprise=sample.enterprise, unit=unit or sample.unit)
    officers = list(sample.officers.all()) if officers is None else officers
    _sample_check(sample=sample, officers=officers, today=_today())
    _save(sample, by=by)
    sample.officers.set(officers)
    return steps_sync(sample, by=by)


# ----------------------------------------------------------------- steps


def _check_step_date(*, sample: Sample, step: str, done_on: dt.date | None, rows: dict[str, SampleStep],
                     today: dt.date) -> dict[str, str]:
    if done_on is None:
        return {"done_on": _("请填写完成日期")}
    if done_on > today:
        return {"done_on": _("完成日期不能晚于今天")}
    previous = rows.get(_previous_manual(step))
    if previous is not None and previous.done_on and done_on < previous.done_on:
        return {"done_on": _("完成日期不能早于“%(s)s”的日期（%(d)s）") % {
            "s": previous.get_step_display(), "d": f"{previous.done_on:%Y-%m-%d}"}}
    return {}


@transaction.atomic
def sample_step_record(*, sample: Sample, step: str, done_on: dt.date | None, by: User, note: str = "",
                       file: UploadedFile | None = None, lab: str = "", report_no: str = "",
                       conclusion: str = "", failed_items: str = "", version: int | None = None) -> SampleStep:
    """Record ``step`` of ``sample`` as done. 收到检验报告 carries the result; 送达回执上传 the receipt file;
    结论确认 of a failed sample waits for the end of the 复检 window or for the retest's result."""
    require_edit(by, sample)
    sample = version_lock(sample, version=version)
    today = _today()
    if step not in STEP_ORDER:
        raise ValidationError({"step": _("环节无效")})
    if step in AUTOMATIC_STEPS:
        raise ValidationError({"step": _("复检申请期届满由系统按日历自动记录，无需办理")})
    rows = _rows(sample)
    row = rows.get(step)
    if row is not None and row.done_on is not None:
        raise ValidationError({"step": _("“%(s)s”已于%(d)s记录") % {
            "s": row.get_step_display(), "d": f"{row.done_on:%Y-%m-%d}"}})
    if sample.next_step != step or row is None:
        wanted = Step(sample.next_step).label if sample.next_step else _("无")
        raise ValidationError({"step": _("请按顺序办理：当前应办理“%(s)s”") % {"s": wanted}})
    errors = _check_step_date(sample=sample, step=step, done_on=done_on, rows=rows, today=today)
    note = (note or "").strip()
    if step == Step.REPORT_RECEIVED:
        if not (lab or "").strip():
            errors["lab"] = _("请填写检验机构")
        if not (report_no or "").strip():
            errors["report_no"] = _("请填写检验报告编号")
        if conclusion not in (SampleConclusion.PASSED, SampleConclusion.FAILED):
            errors["conclusion"] = _("请选择检验结论（合格或不合格）")
        elif conclusion == SampleConclusion.FAILED and not (failed_items or "").strip():
            errors["failed_items"] = _("检验结论为不合格时须填写不合格项目")
    if step == Step.RECEIPT_UPLOADED:
        if file is None:
            errors["file"] = _("请上传送达回执（JPG、PNG 照片或 PDF 扫描件）")
        else:
            try:
                validate_upload(file)
            except ValidationError as exc:
                errors["file"] = exc.messages[0]
    if step == Step.CONCLUDED and not errors:
        errors.update(_conclusion_blockers(sample=sample, rows=rows, done_on=done_on, today=today))
    if errors:
        raise ValidationError(errors)
    if step == Step.REPORT_RECEIVED:
        sample.lab, sample.report_no = lab.strip(), report_no.strip()
        sample.conclusion = conclusion
        sample.failed_items = failed_items.strip() if conclusion == SampleConclusion.FAILED else ""
        _save(sample, by=by, reason=_("收到检验报告"))
    if step == Step.CONCLUDED:
        window = rows[Step.RETEST_WINDOW]
        if window.done_on is None:  # the daily task has not closed it yet (or a passed sample concludes early)
            _window_close(window, sample, on=min(window.due_on, done_on))
    row.done_on, row.done_by, row.note = done_on, by, note[:300]
    if file is not None:
        row.file.save(file.name.rsplit("/", 1)[-1], file, save=False)
    row._history_user = by
    row.save()
    steps_sync(sample, by=by)
    if step == Step.CONCLUDED and sample.conclusion == SampleConclusion.FAILED:
        # A confirmed failure is where the repeat-failure rule (从严查处) applies; a retest can no longer undo it.
        disposal_strict_check(sample=sample, by=by)
    return row


def _conclusion_blockers(*, sample: Sample, rows: dict[str, SampleStep], done_on: dt.date,
                         today: dt.date) -> dict[str, str]:
    if sample.conclusion != SampleConclusion.FAILED:
        return {}
    if sample.retest == RetestStatus.REQUESTED:
        return {"step": _("已申请复检，请先记录复检结论")}
    window = rows[Step.RETEST_WINDOW]
    if sample.retest == RetestStatus.NONE and done_on <= window.due_on:
        return {"done_on": _("复检申请期至%(d)s届满，届满后方可确认不合格结论") % {"d": f"{window.due_on:%Y-%m-%d}"}}
    return {}


@transaction.atomic
def sample_retest_request(*, sample: Sample, requested_on: dt.date | None, by: User, note: str = "",
                          version: int | None = None) -> Sample:
    """A 复检 request of a failed sample, accepted only from delivery to the window's last day."""
    require_edit(by, sample)
    sample = version_lock(sample, version=version)
    rows = _rows(sample)
    delivered = rows.get(Step.REPORT_DELIVERED)
    if sample.conclusion != SampleConclusion.FAILED:
        raise ValidationError(_("只有检验结论为不合格的样品可以申请复检"))
    if delivered is None or delivered.done_on is None:
        raise ValidationError(_("检验报告书送达后方可受理复检申请"))
    if sample.retest != RetestStatus.NONE:
        raise ValidationError(_("本样品已申请过复检（每份报告限申请一次）"))
    if rows.get(Step.CONCLUDED) is not None and rows[Step.CONCLUDED].done_on is not None:
        raise ValidationError(_("结论已确认，不能再申请复检"))
    if requested_on is None:
        raise ValidationError({"requested_on": _("请填写复检申请日期")})
    if requested_on > _today():
        raise ValidationError({"requested_on": _("复检申请日期不能晚于今天")})
    if requested_on < delivered.done_on:
        raise ValidationError({"requested_on": _("复检申请日期不能早于检验报告书送达日期（%(d)s）") % {
            "d": f"{delivered.done_on:%Y-%m-%d}"}})
    window = rows[Step.RETEST_WINDOW]
    if requested_on > window.due_on:
        rule = SamplingStepRule.objects.filter(step=Step.RETEST_WINDOW).first()
        raise ValidationError({"requested_on": _(
            "复检申请期已于%(d)s届满（检验报告书送达后%(n)s个工作日），不能受理%(r)s的复检申请") % {
            "d": f"{window.due_on:%Y-%m-%d}", "n": rule.days if rule else "", "r": f"{requested_on:%Y-%m-%d}"}})
    sample.retest, sample.retest_requested_on = RetestStatus.REQUESTED, requested_on
    sample.retest_note = (note or "").strip()[:300]
    _save(sample, by=by, reason=_("申请复检"))
    return steps_sync(sample, by=by)


@transaction.atomic
def sample_retest_result(*, sample: Sample, result: str, by: User, note: str = "",
                         version: int | None = None) -> Sample:
    """The retest's result: upheld keeps 不合格; overturned makes the sample 合格 (the retest is final)."""
    require_edit(by, sample)
    sample = version_lock(sample, version=version)
    if sample.retest != RetestStatus.REQUESTED:
        raise ValidationError(_("本样品没有待出结论的复检申请"))
    if result not in (RetestStatus.UPHELD, RetestStatus.OVERTURNED):
        raise ValidationError({"result": _("请选择复检结论")})
    sample.retest = result
    if note:
        sample.retest_note = note.strip()[:300]
    if result == RetestStatus.OVERTURNED:
        sample.conclusion = SampleConclusion.PASSED
    _save(sample, by=by, reason=_("复检结论"))
    return steps_sync(sample, by=by)


# ----------------------------------------------------------------- step rules (settings)


@transaction.atomic
def step_rules_update(*, rows: list[dict], by: User) -> list[SamplingStepRule]:
    """Change the step durations (药械科 only); each rule keeps its history. Open steps are recounted."""
    require_ae_manager(by)
    rules = step_rules()
    errors = []
    for row in rows:
        rule = rules.get(row.get("step"))
        if rule is None:
            errors.append(_("环节无效"))
            continue
        days = row.get("days")
        if not isinstance(days, int) or not 1 <= days <= 365:
            errors.append(_("“%(s)s”的时限应为1至365天") % {"s": rule.get_step_display()})
    if errors:
        raise ValidationError(errors)
    changed = []
    for row in rows:
        rule = rules[row["step"]]
        new = (row["days"], bool(row.get("working_days")), (row.get("basis") or "").strip()[:200])
        if (rule.days, rule.working_days, rule.basis) != new:
            rule.days, rule.working_days, rule.basis = new
            _save(rule, by=by)
            changed.append(rule)
    if changed:
        for sample in Sample.objects.exclude(next_step=""):
            steps_sync(sample, by=by)
    return changed
