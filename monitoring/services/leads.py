"""Writes of online-sales leads (网络销售监测线索): the import's per-row preparation, matching to the
registry, the 药械科's assignment of unmatched leads, and the 所's disposal (核查、措施、反馈).

The rules live here and nowhere else: which 所 a lead goes to (the matched enterprise's owning unit, else
the 药械科's queue), when a lead is overdue (no feedback after its deadline) or due soon, which fields an
import may change (the platform's pushed fields, never the disposal), and what each measure creates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Unit, User
from inspections.choices import ReferralTarget
from inspections.models import Case
from inspections.services.cases import referral_create
from monitoring.access import is_ae_manager
from monitoring.leads_choices import LeadMatch, LeadResult, LeadStatus
from monitoring.models import OnlineLead
from monitoring.recipients import lead_assigned_notify
from monitoring.services.reports import ReportMatcher
from regsys.scoping import require_edit, require_write, scoped
from regsys.versioning import version_lock

# The fields the platform pushes: an import sets and updates these; everything else is the disposal.
PUSHED_FIELDS: tuple[str, ...] = (
    "code", "platform", "shop_name", "operator_name", "operator_credit_code", "link", "product", "problem",
    "pushed_on", "deadline",
)
REQUIRED_PUSHED = ("code", "platform", "shop_name", "problem", "pushed_on", "deadline")
DUE_SOON_DAYS = 3  # 待办 lists a lead from this many days before its deadline
# Measures allowed per 核查结果: 责令改正 and 立案 need a substantiated lead; the referral to the telecom
# authority also serves a shop that could not be verified (the site is shut down through them).
CORRECTION_RESULTS = {LeadResult.SUBSTANTIATED}
CASE_RESULTS = {LeadResult.SUBSTANTIATED}
REFERRAL_RESULTS = {LeadResult.SUBSTANTIATED, LeadResult.UNVERIFIABLE}


def lead_overdue(*, deadline: date, feedback_on: date | None, today: date) -> bool:
    """No feedback by the end of the deadline day."""
    return feedback_on is None and deadline < today


def overdue_q(today: date) -> Q:
    """``lead_overdue`` as a query (lists, filters, counts)."""
    return Q(feedback_on__isnull=True, deadline__lt=today)


def lead_due_by(today: date) -> date:
    """Open leads with a deadline up to this day are 'due soon' (待办)."""
    return today + timedelta(days=DUE_SOON_DAYS)


def require_district(user) -> None:
    """The import and the queue's assignment are the 药械科's (``monitoring.access.is_ae_manager``)."""
    if not is_ae_manager(user):
        raise PermissionDenied(_("只有区局药械科可以导入和分派网络销售监测线索"))


def _label(name: str) -> str:
    return str(OnlineLead._meta.get_field(name).verbose_name)


class LeadMatcher:
    """Registry lookups for a batch of leads: 统一社会信用代码, else the exact (normalised) enterprise name.

    A shop name is not matched (a shop is not an enterprise); a name several enterprises share is not
    matched either. Unmatched leads go to the 药械科's queue.
    """

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        self._registry = ReportMatcher(names=[r.get("operator_name") or "" for r in rows],
                                       credit_codes=[r.get("operator_credit_code") or "" for r in rows])

    def match(self, *, name: str, credit_code: str) -> tuple[Enterprise | None, str]:
        code = (credit_code or "").strip().upper()
        if code and code in self._registry.by_code:
            return self._registry.by_code[code], LeadMatch.CREDIT_CODE
        if name:
            enterprise = self._registry.one_by_name(name)
            if enterprise is not None:
                return enterprise, LeadMatch.NAME
        return None, LeadMatch.UNMATCHED


def _check_pushed(lead: OnlineLead) -> None:
    errors: dict[str, str] = {}
    for name in REQUIRED_PUSHED:
        if getattr(lead, name) in (None, ""):
            errors[name] = _("必填，不能为空")
    for name in ("code", "platform", "shop_name", "operator_name", "operator_credit_code", "link", "product"):
        limit = OnlineLead._meta.get_field(name).max_length
        if len(getattr(lead, name) or "") > limit:
            errors[name] = _("不能超过 %(n)s 个字") % {"n": limit}
    if lead.pushed_on and lead.deadline and lead.deadline < lead.pushed_on:
        errors["deadline"] = _("处置期限不能早于推送日期")
    if lead.pushed_on and lead.pushed_on > timezone.localdate():
        errors["pushed_on"] = _("推送日期不能晚于今天")
    if errors:
        raise ValidationError(errors)


def lead_prepare(*, lead: OnlineLead | None, fields: dict[str, Any], matcher: LeadMatcher) -> tuple[OnlineLead, list[str]]:
    """A new or updated lead (unsaved) from the platform's fields, and the names of the fields that changed.

    A new lead is matched and routed; a known lead gets its pushed fields updated, and is matched again only
    while it waits in the queue (an assignment, by rule or by hand, and the disposal are never overwritten).
    """
    fields = {name: (fields.get(name) or "") if name not in ("pushed_on", "deadline") else fields.get(name)
              for name in PUSHED_FIELDS}
    fields["operator_credit_code"] = fields["operator_credit_code"].strip().upper()
    current = lead
    lead = OnlineLead() if current is None else current
    changed = [name for name in PUSHED_FIELDS if getattr(lead, name) != fields[name]] if current else []
    for name, value in fields.items():
        setattr(lead, name, value)
    _check_pushed(lead)
    if current is None or (lead.unit_id is None and lead.match == LeadMatch.UNMATCHED):
        enterprise, how = matcher.match(name=lead.operator_name, credit_code=lead.operator_credit_code)
        if enterprise is not None:
            lead.enterprise, lead.match, lead.unit = enterprise, how, enterprise.owning_unit
            lead.status = LeadStatus.OPEN
            if current is not None:
                changed += ["enterprise", "unit"]
        elif current is None:
            lead.match, lead.status = LeadMatch.UNMATCHED, LeadStatus.QUEUED
    return lead, changed


def lead_save_prepared(*, lead: OnlineLead, by: User, reason: str = "") -> OnlineLead:
    lead._history_user = by
    if reason:
        lead._change_reason = reason
    lead.save()
    return lead


@transaction.atomic
def lead_assign(
    *, lead: OnlineLead, by: User, enterprise: Enterprise | None = None, unit: Unit | None = None,
    version: int | None = None,
) -> OnlineLead:
    """The 药械科 routes a lead by hand: to a registry enterprise (its 所, unless a unit is named) or to a unit."""
    require_district(by)
    if enterprise is None and unit is None:
        raise ValidationError({"enterprise": _("请选择对应企业或承办单位")})
    lead = version_lock(lead, version=version, submitted={"enterprise": enterprise, "unit": unit})
    if lead.status == LeadStatus.DONE:
        raise ValidationError(_("该线索已反馈办结，不能再分派"))
    if enterprise is not None:
        lead.enterprise, lead.match = enterprise, LeadMatch.MANUAL
    lead.unit = unit or enterprise.owning_unit
    lead.status = LeadStatus.OPEN
    lead._history_user = by
    lead._change_reason = _("分派线索")
    lead.save()
    lead_assigned_notify(lead=lead, by=by)
    return lead


@transaction.atomic
def lead_dispose(
    *, lead: OnlineLead, by: User, version: int | None, result: str = "", checked_on: date | None = None,
    check_note: str = "", correction_ordered_on: date | None = None, correction_note: str = "",
    case: Case | None = None, refer_telecom: bool = False, feedback_on: date | None = None,
) -> OnlineLead:
    """Record the 核查 and the measures, and (with a feedback date) close the lead.

    移交通信管理部门 creates an ``inspections.Referral`` (target 通信管理部门) through the inspections service,
    once; 立案 links a case of the lead's enterprise; 责令改正 is a dated note (no inspection stands behind an
    online lead, and an ``inspections.Rectification`` belongs to one).
    """
    require_write(by)
    require_edit(by, lead)
    submitted = {"result": result, "checked_on": checked_on, "check_note": check_note,
                 "correction_ordered_on": correction_ordered_on, "correction_note": correction_note,
                 "case": case, "feedback_on": feedback_on}
    lead = version_lock(lead, version=version, submitted=submitted)
    if lead.unit_id is None:
        raise ValidationError(_("该线索尚未分派承办单位，请先由药械科分派"))
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if result and result not in LeadResult.values:
        errors["result"] = _("请选择核查结果")
    for name, day in (("checked_on", checked_on), ("correction_ordered_on", correction_ordered_on),
                      ("feedback_on", feedback_on)):
        if day is not None and day > today:
            errors[name] = _("%(f)s不能晚于今天") % {"f": _label(name)}
        elif day is not None and day < lead.pushed_on:
            errors[name] = _("%(f)s不能早于推送日期") % {"f": _label(name)}
    if result and checked_on is None:
        errors["checked_on"] = _("填写核查结果时请填写核查日期")
    if checked_on is not None and not result:
        errors["result"] = _("请选择核查结果")
    if feedback_on is not None and not result:
        errors["result"] = _("反馈前须填写核查结果")
    if feedback_on and checked_on and feedback_on < checked_on:
        errors["feedback_on"] = _("反馈日期不能早于核查日期")
    correction_note = correction_note.strip()
    if bool(correction_ordered_on) != bool(correction_note):
        errors["correction_note" if correction_ordered_on else "correction_ordered_on"] = _(
            "责令改正须同时填写日期和内容")
    if correction_ordered_on and result not in CORRECTION_RESULTS:
        errors["correction_ordered_on"] = _("核查结果为“属实”的线索才能责令改正")
    if case is not None:
        if result not in CASE_RESULTS:
            errors["case"] = _("核查结果为“属实”的线索才能立案")
        elif lead.enterprise_id is None or case.enterprise_id != lead.enterprise_id:
            errors["case"] = _("案件的当事企业须是该线索的对应企业")
        elif not scoped(Case.objects.filter(pk=case.pk), by).exists():
            errors["case"] = _("该案件不在你的权限范围内")
    if refer_telecom and lead.referral_id is None:
        if result not in REFERRAL_RESULTS:
            errors["refer_telecom"] = _("核查结果为“属实”或“无法核实”的线索才能移交通信管理部门")
        elif lead.enterprise_id is None:
            errors["refer_telecom"] = _("移交记录须关联企业：请先由药械科为该线索指定对应企业")
    if errors:
        raise ValidationError(errors)
    if lead.referral_id is not None and result not in REFERRAL_RESULTS:
        raise ValidationError({"result": _("该线索已移交通信管理部门，核查结果须为“属实”或“无法核实”")})
    lead.result, lead.checked_on, lead.check_note = result, checked_on, check_note.strip()
    lead.correction_ordered_on, lead.correction_note = correction_ordered_on, correction_note
    lead.case, lead.feedback_on = case, feedback_on
    if refer_telecom and lead.referral_id is None:
        lead.referral = referral_create(
            enterprise=lead.enterprise, target=ReferralTarget.TELECOM, referred_on=checked_on or today, by=by,
            unit=by.unit or lead.unit,
            note=_("网络销售监测线索 %(c)s：%(p)s（%(s)s，%(l)s）")
            % {"c": lead.code, "p": lead.problem, "s": lead.shop_name, "l": lead.link or lead.platform},
        )
    lead.status = LeadStatus.DONE if feedback_on else LeadStatus.OPEN
    lead.handled_by = by
    lead._history_user = by
    lead._change_reason = _("线索处置")
    lead.save()
    return lead
