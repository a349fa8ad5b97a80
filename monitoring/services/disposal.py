"""Disposal of a failed sample (不合格处置): control measures, the follow-up inspection, 停产整改, the case
and the 从严查处 rule for repeat failures (鹿城计划 二(二)1; domain §2.4, §8.5).

Only a sample whose conclusion is 不合格 can be disposed of. Suspensions go through
``enterprises.suspensions`` (which holds the 复产 rules), inspections and cases through the inspections
services; this module only links them to the sample.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.grading.choices import CreditKind
from enterprises.grading.services import credit_record_create
from enterprises.models import Enterprise, ProductionSuspension, SuspensionKind, User
from enterprises.suspensions import suspension_start
from inspections.choices import CaseProcedure, InspectionKind
from inspections.models import Case, Inspection
from inspections.services import cases as case_services
from inspections.services import inspections as inspection_services
from monitoring.choices import ControlMeasure, SampleConclusion
from monitoring.models import Sample, SampleControl
from regsys.scoping import can_edit, referable, require_edit, scoped

# 从严查处: this many failed samples of one enterprise within this many years (counting the later one).
REPEAT_FAILURE_COUNT = 2
REPEAT_FAILURE_YEARS = 2
# Kinds of inspection a failure may call for (有因检查 / 体系检查).
FOLLOW_UP_KINDS = (InspectionKind.FOR_CAUSE, InspectionKind.FULL)


def _save(sample: Sample, *, by: User, reason: str) -> None:
    sample._history_user = by
    sample._change_reason = reason
    sample.save()


def require_failed(sample: Sample) -> None:
    if sample.conclusion != SampleConclusion.FAILED:
        raise ValidationError(_("该样品检验结论不是不合格，不能进行不合格处置"))


def _require_not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


def _failed_items(sample: Sample) -> str:
    return sample.failed_items.strip() or _("（未填写）")


def local_manufacturers(sample: Sample) -> list[Enterprise]:
    """The local manufacturers a failure points to: the sampled enterprise if it manufactures, the local
    registrant if there is one (no duplicates, in that order)."""
    found: list[Enterprise] = []
    if sample.enterprise.is_manufacturer or sample.enterprise.is_registrant:
        found.append(sample.enterprise)
    if sample.registrant_id and sample.registrant_id != sample.enterprise_id:
        found.append(sample.registrant)
    return found


def _require_local_manufacturer(sample: Sample, enterprise: Enterprise) -> None:
    if enterprise.pk not in {e.pk for e in local_manufacturers(sample)}:
        raise ValidationError({"enterprise": _("请选择被抽样的本区生产企业或本区注册人/备案人")})


# --- 从严查处 ---------------------------------------------------------------------------------------------

def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def earlier_failures(sample: Sample) -> QuerySet[Sample]:
    """The enterprise's other failed samples in the ``REPEAT_FAILURE_YEARS`` before this one (the rule's one reader)."""
    start = _years_before(sample.sampled_on, REPEAT_FAILURE_YEARS)
    return (
        Sample.objects.filter(enterprise_id=sample.enterprise_id, conclusion=SampleConclusion.FAILED,
                              sampled_on__gte=start)
        .filter(Q(sampled_on__lt=sample.sampled_on) | Q(sampled_on=sample.sampled_on, pk__lt=sample.pk))
        .exclude(pk=sample.pk)
        .order_by("sampled_on", "pk")
    )


def is_repeat_failure(sample: Sample) -> bool:
    """Whether ``sample`` is the ``REPEAT_FAILURE_COUNT``-th failure of its enterprise within the window."""
    if sample.conclusion != SampleConclusion.FAILED:
        return False
    return earlier_failures(sample).count() + 1 >= REPEAT_FAILURE_COUNT


@transaction.atomic
def disposal_strict_check(*, sample: Sample, by: User | None) -> Sample:
    """Flag 从严查处 and write one bad-credit record when the failure repeats (safe to call again).

    ``by`` None = the system (the record names no user).
    """
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if sample.strict or not is_repeat_failure(sample):
        return sample
    numbers = [s.sample_no for s in earlier_failures(sample)] + [sample.sample_no]
    record = credit_record_create(
        enterprise=sample.enterprise, kind=CreditKind.BAD_CREDIT, recorded_on=timezone.localdate(),
        reason=_("%(y)d年内%(n)d次监督抽检不合格（抽样单号：%(nos)s），从严查处") % {
            "y": REPEAT_FAILURE_YEARS, "n": len(numbers), "nos": "、".join(numbers)},
        by=None,
    )
    sample.strict = True
    sample.credit_record = record
    _save(sample, by=by, reason=_("两年内两次抽检不合格，从严查处"))
    return sample


def _begin(sample: Sample, by: User) -> Sample:
    """Every disposal action: the caller may edit the sample, it failed; the repeat rule is applied."""
    require_edit(by, sample)
    require_failed(sample)
    return disposal_strict_check(sample=sample, by=by)


# --- control measures -------------------------------------------------------------------------------------

@transaction.atomic
def control_add(
    *, sample: Sample, enterprise: Enterprise, measure: str, done_on: datetime.date, by: User,
    quantity: str = "", note: str = "",
) -> SampleControl:
    """A control measure on a related operator or use unit (the enterprise may be another 所's)."""
    sample = _begin(sample, by)
    errors = {}
    if measure not in ControlMeasure.values:
        errors["measure"] = [_("请选择控制措施")]
    if done_on is None:
        errors["done_on"] = [_("请填写实施日期")]
    elif done_on > timezone.localdate():
        errors["done_on"] = [_("实施日期不能晚于今天")]
    elif done_on < sample.sampled_on:
        errors["done_on"] = [_("实施日期不能早于抽样日期")]
    if not referable(Enterprise.objects.filter(pk=enterprise.pk), by).exists():
        errors["enterprise"] = [_("该单位不在你的监管范围内，请告知药械科或其监管所采取控制措施")]
    if measure == ControlMeasure.OTHER and not (note or "").strip():
        errors["note"] = [_("措施为“其他”时请在说明中写明具体措施")]
    if errors:
        raise ValidationError(errors)
    control = SampleControl(sample=sample, enterprise=enterprise, measure=measure, done_on=done_on,
                            quantity=(quantity or "").strip(), note=(note or "").strip(), created_by=by)
    control._history_user = by
    control.save()
    return control


@transaction.atomic
def control_delete(*, control: SampleControl, by: User) -> None:
    require_edit(by, control)
    require_failed(control.sample)
    control._history_user = by
    control.delete()


# --- 有因检查 / 体系检查 -------------------------------------------------------------------------------------

@transaction.atomic
def disposal_inspection_create(
    *, sample: Sample, enterprise: Enterprise, start_date: datetime.date, by: User,
    kind: str = InspectionKind.FOR_CAUSE,
) -> Inspection:
    """A draft 有因检查 / 体系检查 of the local manufacturer, by the sample's unit and officers, linked."""
    sample = _begin(sample, by)
    if sample.follow_up_inspection_id is not None:
        raise ValidationError(_("本样品已关联有因/体系检查"))
    _require_local_manufacturer(sample, enterprise)
    if kind not in FOLLOW_UP_KINDS:
        raise ValidationError({"kind": _("请选择有因检查或体系（全项目）检查")})
    officers = [inspection_services.OfficerInput(user=user) for user in sample.officers.order_by("pk")]
    inspection = inspection_services.inspection_create(
        enterprise=enterprise, kind=kind, start_date=start_date, by=by, unit=sample.unit, officers=officers,
        summary=_("监督抽检不合格发起的检查。抽样单号：%(no)s；产品：%(p)s（批号 %(b)s）；不合格项目：%(items)s") % {
            "no": sample.sample_no, "p": sample.product_name, "b": sample.batch, "items": _failed_items(sample)},
        campaigns=None,
    )
    sample.follow_up_inspection = inspection
    _save(sample, by=by, reason=_("建立有因/体系检查草稿"))
    return inspection


# --- 停产整改 ------------------------------------------------------------------------------------------------

@transaction.atomic
def disposal_suspension_start(
    *, sample: Sample, enterprise: Enterprise, started_on: datetime.date, by: User, reason: str = "",
) -> ProductionSuspension:
    """责令停产整改 of the local manufacturer, with the sample as its source; 复产 waits for the rectification."""
    sample = _begin(sample, by)
    if sample.suspension_id is not None and sample.suspension.is_open:
        raise ValidationError(_("本样品已责令停产整改，尚未复产"))
    _require_local_manufacturer(sample, enterprise)
    if not can_edit(by, enterprise):
        raise ValidationError({"enterprise": _("该企业由%(u)s监管，请由其监管单位或药械科办理停产整改") % {
            "u": enterprise.owning_unit.display_name}})
    if started_on < sample.sampled_on:
        raise ValidationError({"started_on": _("停产日期不能早于抽样日期")})
    reason = (reason or "").strip() or _("监督抽检不合格（%(p)s，不合格项目：%(items)s）") % {
        "p": sample.product_name, "items": _failed_items(sample)}
    suspension = suspension_start(
        enterprise=enterprise, kind=SuspensionKind.ORDERED, started_on=started_on, reason=reason[:300], by=by,
        source=sample, source_label=_("监督抽检不合格，抽样单号%(no)s") % {"no": sample.sample_no},
    )
    sample.suspension = suspension
    _save(sample, by=by, reason=_("责令停产整改"))
    return suspension


# --- 立案 -------------------------------------------------------------------------------------------------

def linkable_cases(sample: Sample, user: User) -> QuerySet[Case]:
    """Cases the sample may be linked to: of the sampled enterprise or the local registrant, visible to ``user``."""
    ids = {sample.enterprise_id} | {e.pk for e in local_manufacturers(sample)}
    return scoped(Case.objects.filter(enterprise_id__in=ids), user).order_by("-filed_on", "-pk")


@transaction.atomic
def disposal_case_link(*, sample: Sample, case: Case, by: User) -> Sample:
    sample = _begin(sample, by)
    if not linkable_cases(sample, by).filter(pk=case.pk).exists():
        raise ValidationError({"case": _("只能关联被抽样企业或本区注册人的案件")})
    sample.case = case
    _save(sample, by=by, reason=_("关联案件%(n)s") % {"n": case.number})
    return sample


@transaction.atomic
def disposal_case_open(
    *, sample: Sample, enterprise: Enterprise, filed_on: datetime.date, by: User,
    procedure: str = CaseProcedure.ORDINARY, violation: str = "",
) -> Case:
    """立案 through the case service (the filer's unit handles it) and link it to the sample."""
    sample = _begin(sample, by)
    if sample.case_id is not None:
        raise ValidationError(_("本样品已关联案件"))
    if enterprise.pk not in {sample.enterprise_id} | {e.pk for e in local_manufacturers(sample)}:
        raise ValidationError({"enterprise": _("当事企业须为被抽样企业或本区注册人/备案人")})
    _require_not_future(filed_on, "filed_on", _("立案日期"))
    violation = (violation or "").strip() or _(
        "%(e)s的%(p)s（批号 %(b)s）经监督抽检不合格，不合格项目：%(items)s（抽样单号：%(no)s）") % {
        "e": enterprise.name, "p": sample.product_name, "b": sample.batch, "items": _failed_items(sample),
        "no": sample.sample_no}
    case = case_services.case_open(enterprise=enterprise, filed_on=filed_on, procedure=procedure,
                                   violation=violation, by=by, source_inspection=None)
    sample.case = case
    _save(sample, by=by, reason=_("立案%(n)s") % {"n": case.number})
    return case


@transaction.atomic
def disposal_note_save(*, sample: Sample, note: str, by: User) -> Sample:
    sample = _begin(sample, by)
    sample.disposal_note = (note or "").strip()
    _save(sample, by=by, reason=_("修改处置情况"))
    return sample
