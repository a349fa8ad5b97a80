"""Writes of the 僵尸企业 clean-up: 核查 → 告知/公告 → 注销/取消备案 (or 已规范 / 已提升 / 经核查正常经营).

Steps go in order; each date is not before the previous step's and not in the future. A clearance changes
the registry through ``enterprise_change_status`` (to 注销, with the decision and the reasons) and cancels
the enterprise's licences and filings through ``licence_update`` — the registry's own history shows both.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from enterprises.choices import EnterpriseStatus, LicenceStatus
from enterprises.duties.choices import ClearanceKind, NoticeKind, ZombieStage
from enterprises.duties.zombie_rules import LAPSING_LICENCE_STATUSES, reasons_of
from enterprises.models import Enterprise, Licence, User, ZombieCase
from enterprises.services import enterprise_change_status, licence_update
from regsys.scoping import require_edit
from regsys.versioning import version_lock

# Where a case may go from each stage (the workflow, in one place).
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    ZombieStage.VERIFYING: (ZombieStage.NOTIFIED, ZombieStage.REGULARISED, ZombieStage.UPGRADED,
                            ZombieStage.NOT_ZOMBIE),
    ZombieStage.NOTIFIED: (ZombieStage.CLEARED, ZombieStage.REGULARISED, ZombieStage.UPGRADED,
                           ZombieStage.NOT_ZOMBIE),
}
UPLOAD_CHECK = "inspections.services.attachments.validate_upload"
OUTCOMES = (ZombieStage.REGULARISED, ZombieStage.UPGRADED, ZombieStage.NOT_ZOMBIE)
CLOSED_STAGES = (ZombieStage.CLEARED, *OUTCOMES)


def _check_date(errors: dict, field: str, day: datetime.date | None, *, after: datetime.date | None,
                after_label: str) -> None:
    if day is None:
        errors.setdefault(field, []).append(_("请填写日期"))
        return
    if day > timezone.localdate():
        errors.setdefault(field, []).append(_("日期不能晚于今天"))
    if after is not None and day < after:
        errors.setdefault(field, []).append(
            _("日期不能早于%(step)s（%(d)s）") % {"step": after_label, "d": after.isoformat()})


def _check_stage(case: ZombieCase, to_stage: str) -> None:
    if to_stage not in NEXT_STAGES.get(case.stage, ()):
        raise ValidationError(_("本案当前为“%(s)s”，不能办理此步骤") % {"s": case.get_stage_display()})


def _save(case: ZombieCase, by: User) -> ZombieCase:
    case._history_user = by
    case.save()
    return case


@transaction.atomic
def zombie_case_start(*, enterprise: Enterprise, year: int, by: User) -> ZombieCase:
    """Open the 核查 of a candidate of ``year``; the case keeps the reasons it was listed for."""
    require_edit(by, enterprise)
    this_year = timezone.localdate().year
    if year not in (this_year - 1, this_year):
        raise ValidationError({"year": [_("清理年度只能是今年或上一年度")]})
    if ZombieCase.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError(_("该企业%(y)s年度已有清理记录") % {"y": year})
    candidate = reasons_of(enterprise, year, as_of=timezone.localdate())
    if candidate is None:
        raise ValidationError(_("该企业目前不符合僵尸企业候选条件，不能发起核查"))
    case = ZombieCase(enterprise=enterprise, year=year, reasons=list(candidate.reasons),
                      unit=enterprise.owning_unit, created_by=by, stage=ZombieStage.VERIFYING)
    return _save(case, by)


@transaction.atomic
def zombie_case_verify(*, case: ZombieCase, verified_on: datetime.date | None, verification: str, by: User,
                       version: int | None = None) -> ZombieCase:
    """Record (or correct) the 核查: date and what was found. Only while the case is 核查中."""
    require_edit(by, case)
    case = version_lock(case, version=version, submitted={"verified_on": verified_on, "verification": verification})
    if case.stage != ZombieStage.VERIFYING:
        raise ValidationError(_("本案已进入“%(s)s”，核查情况不能再修改") % {"s": case.get_stage_display()})
    errors: dict[str, list[str]] = {}
    _check_date(errors, "verified_on", verified_on, after=None, after_label="")
    if not (verification or "").strip():
        errors["verification"] = [_("请填写核查情况")]
    if errors:
        raise ValidationError(errors)
    case.verified_on, case.verification, case.verified_by = verified_on, verification.strip(), by
    return _save(case, by)


def _require_verified(case: ZombieCase) -> None:
    if case.verified_on is None:
        raise ValidationError(_("请先登记核查情况"))


@transaction.atomic
def zombie_case_notify(*, case: ZombieCase, notice_kind: str, notice_on: datetime.date | None, notice_ref: str,
                       by: User, version: int | None = None) -> ZombieCase:
    """告知 the enterprise in writing or by 公告 (date, document number)."""
    require_edit(by, case)
    case = version_lock(case, version=version, submitted={"notice_kind": notice_kind, "notice_on": notice_on})
    _check_stage(case, ZombieStage.NOTIFIED)
    _require_verified(case)
    errors: dict[str, list[str]] = {}
    if notice_kind not in NoticeKind.values:
        errors["notice_kind"] = [_("请选择告知方式")]
    _check_date(errors, "notice_on", notice_on, after=case.verified_on, after_label=_("核查日期"))
    if not (notice_ref or "").strip():
        errors["notice_ref"] = [_("请填写告知书/公告编号")]
    if errors:
        raise ValidationError(errors)
    case.notice_kind, case.notice_on, case.notice_ref = notice_kind, notice_on, notice_ref.strip()
    case.stage = ZombieStage.NOTIFIED
    return _save(case, by)


@transaction.atomic
def zombie_case_clear(*, case: ZombieCase, clearance_kind: str, decision_no: str,
                      decision_on: datetime.date | None, by: User, evidence: UploadedFile | None = None,
                      version: int | None = None) -> ZombieCase:
    """注销许可 / 取消备案: record the decision, set the enterprise 注销 and cancel its licences and filings."""
    require_edit(by, case)
    case = version_lock(case, version=version, submitted={"clearance_kind": clearance_kind,
                                                          "decision_no": decision_no, "decision_on": decision_on})
    _check_stage(case, ZombieStage.CLEARED)
    errors: dict[str, list[str]] = {}
    if clearance_kind not in ClearanceKind.values:
        errors["clearance_kind"] = [_("请选择处理方式")]
    if not (decision_no or "").strip():
        errors["decision_no"] = [_("请填写决定文号")]
    _check_date(errors, "decision_on", decision_on, after=case.notice_on, after_label=_("告知/公告日期"))
    if evidence is not None:
        # The one upload check (JPG/PNG/PDF, size, content), looked up at call time: the registry never
        # imports the inspections app at module level.
        try:
            import_string(UPLOAD_CHECK)(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors:
        raise ValidationError(errors)
    case.clearance_kind, case.decision_no, case.decision_on = clearance_kind, decision_no.strip(), decision_on
    if evidence is not None:
        case.evidence = evidence
    case.stage = ZombieStage.CLEARED
    reason = _("僵尸企业清理：%(kind)s，决定文号%(no)s（列为候选原因：%(reasons)s）") % {
        "kind": case.get_clearance_kind_display(), "no": case.decision_no, "reasons": case.reason_text}
    try:
        enterprise_change_status(enterprise=case.enterprise, to_status=EnterpriseStatus.CANCELLED,
                                 reason=reason[:300], by=by, effective_on=decision_on)
    except ValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise ValidationError({"decision_on" if key == "effective_on" else "__all__": value
                               for key, value in messages.items()}) from exc
    for licence in Licence.objects.filter(enterprise=case.enterprise, status__in=LAPSING_LICENCE_STATUSES):
        licence_update(licence=licence, by=by, status=LicenceStatus.CANCELLED)
    return _save(case, by)


@transaction.atomic
def zombie_case_conclude(*, case: ZombieCase, outcome: str, decided_on: datetime.date | None, note: str,
                         by: User, version: int | None = None) -> ZombieCase:
    """End a case without clearance: 已规范 (规范一批), 已提升 (提升一批) or 经核查正常经营."""
    require_edit(by, case)
    case = version_lock(case, version=version, submitted={"stage": outcome, "decision_on": decided_on})
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": [_("请选择办结结果")]})
    _check_stage(case, outcome)
    _require_verified(case)
    errors: dict[str, list[str]] = {}
    previous, label = (case.notice_on, _("告知/公告日期")) if case.notice_on else (case.verified_on, _("核查日期"))
    _check_date(errors, "decided_on", decided_on, after=previous, after_label=label)
    if not (note or "").strip():
        errors["note"] = [_("请填写处理情况")]
    if errors:
        raise ValidationError(errors)
    case.stage, case.decision_on, case.outcome_note = outcome, decided_on, note.strip()
    return _save(case, by)
