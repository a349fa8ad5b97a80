"""The quarterly risk consultation (风险会商) and its register: every write and rule, one place each.

* Meetings, candidates (accept or dismiss) and the register's entries are the 药械科's
  (``monitoring.access.is_ae_manager``): a 监管所 reads them.
* A risk's owner unit (or the district) writes its follow-ups and asks for 销号 with evidence; only an
  approver (``regsys.scoping.APPROVER_ROLES``: 局领导/科长, administrators) approves it or sends it back.
* 列入重点监管 writes one ``CreditRecord`` of kind 风险会商点名 for the risk's enterprise
  (``risk_key_supervision``) — the only way such records arise; the next grading proposal then puts the
  enterprise on the key list.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.grading.choices import CreditKind
from enterprises.grading.services import credit_record_create
from enterprises.models import Enterprise, Unit, User
from inspections.services._common import save_with_history
from inspections.services.attachments import validate_upload
from monitoring.access import require_ae_manager
from monitoring.choices import RiskLevel, RiskSource, RiskStatus
from monitoring.models import Risk, RiskFollowUp, RiskMeeting
from monitoring.models.risks import CandidateDismissal
from monitoring.recipients import risk_closure_requested_notify
from monitoring.risk_sources import Candidate
from regsys.scoping import require_approver, require_edit
from regsys.versioning import version_lock

MAX_TEXT = 2000


def _check_file(errors: dict, field: str, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    try:
        validate_upload(upload)
    except ValidationError as exc:
        errors[field] = exc.messages


def _store(instance, field: str, upload: UploadedFile, stem: str) -> None:
    ext = os.path.splitext(upload.name or "")[1].lower()
    getattr(instance, field).save(f"{stem}{ext}", upload, save=False)


# ---------------------------------------------------------------- meetings

def _meeting_errors(*, year: int, quarter: int, held_on: datetime.date, chair: str) -> dict:
    errors: dict[str, list[str]] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = [_("年度应在2000至2100之间")]
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = [_("季度应为1至4")]
    if not (chair or "").strip():
        errors["chair"] = [_("请填写主持人")]
    if not errors and held_on < datetime.date(year, 3 * quarter - 2, 1):
        errors["held_on"] = [_("会商日期不能早于所会商季度的第一天")]
    if held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(_("会商日期不能晚于今天"))
    return errors


@transaction.atomic
def meeting_save(
    *, meeting: RiskMeeting | None = None, by: User, year: int, quarter: int, held_on: datetime.date, chair: str,
    units: Iterable[Unit] = (), other_participants: str = "", summary: str = "", next_steps: str = "",
    minutes: UploadedFile | None = None, version: int | None = None,
) -> RiskMeeting:
    """Create (``meeting`` None) or change a meeting; ``minutes`` (PDF/JPG/PNG) replaces the stored file."""
    require_ae_manager(by)
    submitted = {"year": year, "quarter": quarter, "held_on": held_on, "chair": chair,
                 "other_participants": other_participants, "summary": summary, "next_steps": next_steps}
    if meeting is not None:
        meeting = version_lock(meeting, version=version, submitted=submitted)
        if meeting.risks.exists() and (meeting.year, meeting.quarter) != (year, quarter):
            raise ValidationError({"quarter": [_("本次会商已纳入风险，不能再改变所会商的季度")]})
    errors = _meeting_errors(year=year, quarter=quarter, held_on=held_on, chair=chair)
    _check_file(errors, "minutes", minutes)
    if errors:
        raise ValidationError(errors)
    creating = meeting is None
    meeting = meeting or RiskMeeting(created_by=by)
    meeting.year, meeting.quarter, meeting.held_on = year, quarter, held_on
    meeting.chair, meeting.other_participants = chair.strip(), (other_participants or "").strip()
    meeting.summary, meeting.next_steps = (summary or "").strip(), (next_steps or "").strip()
    old_file = meeting.minutes.name if meeting.minutes else ""
    if minutes is not None:
        _store(meeting, "minutes", minutes, f"会议纪要-{year}Q{quarter}")
    save_with_history(meeting, by=by, reason=_("新建风险会商") if creating else "")
    meeting.__dict__.pop("_change_reason", None)  # the units' history row is a change of its own
    meeting.units.set(list(units))
    if old_file and old_file != meeting.minutes.name:
        storage = meeting.minutes.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return meeting


# ---------------------------------------------------------------- candidates → register

@transaction.atomic
def candidate_dismiss(*, meeting: RiskMeeting, candidate: Candidate, reason: str, by: User) -> CandidateDismissal:
    """不纳入: the meeting decides a candidate is no risk for the register; it leaves the meeting's list."""
    require_ae_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写不纳入的理由")]})
    try:
        with transaction.atomic():
            return CandidateDismissal.objects.create(
                meeting=meeting, source_kind=candidate.source_kind, identity=candidate.identity,
                title=candidate.title[:300], reason=reason[:300], dismissed_by=by)
    except IntegrityError:
        raise ValidationError(_("该候选风险已标记为不纳入")) from None


@transaction.atomic
def candidate_restore(*, dismissal: CandidateDismissal, by: User) -> None:
    """Undo a dismissal: the candidate shows again on the meeting page."""
    require_ae_manager(by)
    dismissal.delete()


def _risk_errors(*, risk_point: str, level: str, measures: str, due_on: datetime.date | None,
                 meeting: RiskMeeting, key_supervision: bool, enterprise: Enterprise | None) -> dict:
    errors: dict[str, list[str]] = {}
    if not (risk_point or "").strip():
        errors["risk_point"] = [_("请填写风险点")]
    if level not in RiskLevel.values:
        errors["level"] = [_("请选择风险等级")]
    if not (measures or "").strip():
        errors["measures"] = [_("请填写管控措施")]
    elif len(measures) > MAX_TEXT:
        errors["measures"] = [_("管控措施不能超过%(n)d字") % {"n": MAX_TEXT}]
    if due_on is None:
        errors["due_on"] = [_("请填写完成时限")]
    elif due_on < meeting.held_on:
        errors["due_on"] = [_("完成时限不能早于会商日期")]
    if key_supervision and enterprise is None:
        errors["key_supervision"] = [_("列入重点监管须指明涉及企业")]
    return errors


@transaction.atomic
def risk_create(
    *, meeting: RiskMeeting, by: User, candidate: Candidate | None = None, source_kind: str = RiskSource.NOTICE,
    risk_point: str, level: str, owner_unit: Unit, measures: str, due_on: datetime.date | None,
    enterprise: Enterprise | None = None, product: str = "", source_label: str = "", escalated: bool = False,
    key_supervision: bool = False,
) -> Risk:
    """Take a candidate (or, without one, a manual 上级通报/其他 risk) into the register at ``meeting``."""
    require_ae_manager(by)
    errors = _risk_errors(risk_point=risk_point, level=level, measures=measures, due_on=due_on, meeting=meeting,
                          key_supervision=key_supervision, enterprise=enterprise)
    if candidate is None and source_kind not in (RiskSource.NOTICE, RiskSource.OTHER):
        errors["source_kind"] = [_("直接录入的风险只能是“上级通报”或“其他”来源，其余来源请从候选风险纳入")]
    if candidate is not None:
        if Risk.objects.filter(source_key=candidate.identity).exists():
            raise ValidationError(_("该候选风险已纳入风险清单"))
        if meeting.dismissals.filter(identity=candidate.identity).exists():
            raise ValidationError(_("该候选风险已被本次会商标记为不纳入，请先撤销"))
    if errors:
        raise ValidationError(errors)
    risk = Risk(
        meeting=meeting, risk_point=risk_point.strip()[:300], level=level, owner_unit=owner_unit,
        measures=measures.strip(), due_on=due_on, enterprise=enterprise, product=(product or "").strip()[:200],
        escalated=escalated, escalated_on=meeting.held_on if escalated else None, created_by=by,
    )
    if candidate is not None:
        risk.source_kind = candidate.source_kind
        risk.source_key = candidate.identity
        risk.source_label = (source_label or candidate.detail or candidate.title)[:300]
        if candidate.source is not None:
            risk.source_type = ContentType.objects.get_for_model(type(candidate.source))
            risk.source_id = candidate.source.pk
    else:
        risk.source_kind = source_kind
        risk.source_label = (source_label or "").strip()[:300]
    save_with_history(risk, by=by, reason=_("%(m)s纳入风险清单") % {"m": meeting})
    if key_supervision:
        risk_key_supervision(risk=risk, by=by)
    return risk


@transaction.atomic
def risk_key_supervision(*, risk: Risk, by: User | None) -> Risk:
    """列入重点监管: write the enterprise's 风险会商点名 credit record (once per risk) and link it."""
    if by is not None:
        require_ae_manager(by)
    if risk.enterprise_id is None:
        raise ValidationError({"key_supervision": [_("列入重点监管须指明涉及企业")]})
    if risk.credit_record_id is not None:
        return risk
    record = credit_record_create(
        enterprise=risk.enterprise, kind=CreditKind.RISK_NAMED, recorded_on=risk.meeting.held_on,
        reason=_("%(y)d年第%(q)d季度风险会商点名：%(p)s") % {
            "y": risk.meeting.year, "q": risk.meeting.quarter, "p": risk.risk_point},
        by=by,
    )
    risk.key_supervision, risk.credit_record = True, record
    save_with_history(risk, by=by, reason=_("列入重点监管，记入信用记录"),
                      update_fields=["key_supervision", "credit_record"])
    return risk


@transaction.atomic
def risk_update(
    *, risk: Risk, by: User, version: int | None, risk_point: str, level: str, owner_unit: Unit, measures: str,
    due_on: datetime.date | None, enterprise: Enterprise | None, product: str = "", escalated: bool = False,
    key_supervision: bool = False,
) -> Risk:
    """The 药械科 corrects an entry of the register (not after 销号). 列入重点监管 cannot be undone."""
    require_ae_manager(by)
    risk = version_lock(risk, version=version, submitted={
        "risk_point": risk_point, "level": level, "measures": measures, "due_on": due_on, "product": product,
        "escalated": escalated})
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError(_("已销号的风险不能修改"))
    errors = _risk_errors(risk_point=risk_point, level=level, measures=measures, due_on=due_on,
                          meeting=risk.meeting, key_supervision=key_supervision, enterprise=enterprise)
    if risk.key_supervision and not key_supervision:
        errors["key_supervision"] = [_("已列入重点监管并记入信用记录，不能撤销")]
    if risk.credit_record_id and enterprise != risk.enterprise:
        errors["enterprise"] = [_("已据此记入信用记录，不能更换涉及企业")]
    if errors:
        raise ValidationError(errors)
    risk.risk_point, risk.level, risk.owner_unit = risk_point.strip()[:300], level, owner_unit
    risk.measures, risk.due_on, risk.enterprise = measures.strip(), due_on, enterprise
    risk.product = (product or "").strip()[:200]
    if escalated and not risk.escalated:
        risk.escalated_on = timezone.localdate()
    if not escalated:
        risk.escalated_on = None
    risk.escalated = escalated
    save_with_history(risk, by=by)
    if key_supervision and not risk.key_supervision:
        risk_key_supervision(risk=risk, by=by)
    return risk


# ---------------------------------------------------------------- follow-up and 销号

@transaction.atomic
def risk_follow_up_add(*, risk: Risk, by: User, on: datetime.date, text: str,
                       file: UploadedFile | None = None) -> RiskFollowUp:
    """A dated progress entry by the owner unit (or the district)."""
    require_edit(by, risk)
    errors: dict[str, list[str]] = {}
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError(_("已销号的风险不能再添加管控进展"))
    if not (text or "").strip():
        errors["text"] = [_("请填写进展情况")]
    if on > timezone.localdate():
        errors["on"] = [_("日期不能晚于今天")]
    elif on < risk.meeting.held_on:
        errors["on"] = [_("日期不能早于会商日期")]
    _check_file(errors, "file", file)
    if errors:
        raise ValidationError(errors)
    entry = RiskFollowUp(risk=risk, on=on, text=text.strip(), created_by=by)
    if file is not None:
        _store(entry, "file", file, f"进展-{on:%Y%m%d}")
    entry._history_user = by
    entry.save()
    return entry


@transaction.atomic
def risk_closure_request(*, risk: Risk, by: User, version: int | None, note: str,
                         evidence: UploadedFile | None) -> Risk:
    """申请销号: the owner unit states how the risk was removed and uploads the evidence."""
    require_edit(by, risk)
    risk = version_lock(risk, version=version, submitted={"closure_note": note})
    if risk.status != RiskStatus.OPEN:
        raise ValidationError(_("只有管控中的风险可以申请销号（当前：%(s)s）") % {"s": risk.get_status_display()})
    errors: dict[str, list[str]] = {}
    if not (note or "").strip():
        errors["closure_note"] = [_("请填写销号说明")]
    if evidence is None:
        errors["closure_evidence"] = [_("请上传销号佐证材料")]
    _check_file(errors, "closure_evidence", evidence)
    if errors:
        raise ValidationError(errors)
    old_file = risk.closure_evidence.name if risk.closure_evidence else ""
    _store(risk, "closure_evidence", evidence, "销号佐证")
    risk.status, risk.closure_note = RiskStatus.CLOSING, note.strip()
    risk.closure_requested_on, risk.closure_requested_by = timezone.localdate(), by
    risk.closure_returned_reason = ""
    save_with_history(risk, by=by, reason=_("申请销号"))
    risk_closure_requested_notify(risk=risk, by=by)
    if old_file and old_file != risk.closure_evidence.name:
        storage = risk.closure_evidence.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return risk


@transaction.atomic
def risk_closure_approve(*, risk: Risk, by: User, version: int | None,
                         closed_on: datetime.date | None = None) -> Risk:
    """销号: an approver (局领导/科长) approves the request; the risk leaves the open register."""
    require_approver(by)
    require_edit(by, risk)
    risk = version_lock(risk, version=version)
    if risk.status != RiskStatus.CLOSING:
        raise ValidationError(_("该风险没有待审批的销号申请"))
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": [_("销号日期不能晚于今天")]})
    if risk.closure_requested_on and closed_on < risk.closure_requested_on:
        raise ValidationError({"closed_on": [_("销号日期不能早于申请日期")]})
    risk.status, risk.closed_on, risk.closed_by = RiskStatus.CLOSED, closed_on, by
    save_with_history(risk, by=by, reason=_("审批同意销号"))
    return risk


@transaction.atomic
def risk_closure_return(*, risk: Risk, by: User, version: int | None, reason: str) -> Risk:
    """退回: the approver sends the request back with a reason; the risk is under control again."""
    require_approver(by)
    require_edit(by, risk)
    risk = version_lock(risk, version=version, submitted={"closure_returned_reason": reason})
    if risk.status != RiskStatus.CLOSING:
        raise ValidationError(_("该风险没有待审批的销号申请"))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写退回理由")]})
    risk.status, risk.closure_returned_reason = RiskStatus.OPEN, reason.strip()
    save_with_history(risk, by=by, reason=_("退回销号申请：%(r)s") % {"r": reason.strip()[:100]})
    return risk
