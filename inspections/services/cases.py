"""Cases (立案 → 调查 → 告知 → 决定 → 执行 → 结案), their decisions, and referrals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from enterprises.choices import LicenceStatus
from enterprises.models import Enterprise, Licence, Unit, User
from inspections.choices import CaseProcedure, CaseStatus, ReferralTarget
from inspections.models import Case, CasePenalisedPerson, Inspection, Referral
from regsys.scoping import require_edit, require_unit
from regsys.versioning import version_lock

from ._common import require_not_future, require_visible_enterprise, save_with_history
from .campaign_links import BY_RULE, CampaignsArg, campaigns_resolve

# The order of the lifecycle and the date field each step records.
CASE_STEPS: list[tuple[str, str]] = [
    (CaseStatus.FILED, "filed_on"),
    (CaseStatus.INVESTIGATING, "investigated_on"),
    (CaseStatus.NOTIFIED, "notified_on"),
    (CaseStatus.DECIDED, "decided_on"),
    (CaseStatus.EXECUTING, "executed_on"),
    (CaseStatus.CLOSED, "closed_on"),
]
STATUS_ORDER = [status for status, _field in CASE_STEPS]
DATE_FIELD = dict(CASE_STEPS)
# A 简易程序 (on-the-spot) case may go straight from 立案 to 决定.
SKIPPABLE_IN_SIMPLE = {CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED}
# A referral to the police transfers a case; the others hand over leads (线索).
TARGETS_NEEDING_CASE = {ReferralTarget.POLICE}
# 行政处罚法 art.42: penalties are imposed by no fewer than two officers holding enforcement certificates.
MIN_ENFORCEMENT_HANDLERS = 2


@dataclass(frozen=True)
class PenalisedPersonInput:
    name: str
    position: str = ""
    fine_amount: Decimal = Decimal("0")


def next_case_statuses(case: Case) -> list[str]:
    """The statuses ``case`` may move to next."""
    if case.status == CaseStatus.CLOSED:
        return []
    index = STATUS_ORDER.index(case.status)
    options = [STATUS_ORDER[index + 1]]
    if case.procedure == CaseProcedure.SIMPLE:
        for status in STATUS_ORDER[index + 1:]:
            if status not in SKIPPABLE_IN_SIMPLE:
                if status not in options:
                    options.append(status)
                break
    return options


def case_handling_unit(*, by: User, source_inspection: Inspection | None = None) -> Unit | None:
    """The 办案单位 of a case ``by`` files: the filer's own unit; the source inspection's only for an
    account without a unit (never the enterprise's 所)."""
    if by.unit_id:
        return by.unit
    return source_inspection.unit if source_inspection is not None else None


def next_case_number(unit: Unit, year: int) -> str:
    """The next free number of ``unit``'s cases in ``year``: 〈unit short name〉械案〔year〕n号."""
    prefix = f"{unit.short_name or unit.name}械案〔{year}〕"
    taken = set(Case.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n}号" in taken:
        n += 1
    return f"{prefix}{n}号"


@transaction.atomic
def case_open(
    *, enterprise: Enterprise, filed_on: date, procedure: str, violation: str, by: User,
    unit: Unit | None = None, legal_basis: str = "", source_inspection: Inspection | None = None,
    number: str = "", handlers: list[User] | None = None, campaigns: list[Campaign] | None = None,
) -> Case:
    """立案: open a case against an enterprise, optionally from an inspection.

    The case belongs to the unit that handles it (办案单位), by default the filer's: a case the 执法队
    files from a 所's inspection, or for a 所's enterprise, is the 执法队's and takes its number.
    """
    unit = unit or case_handling_unit(by=by, source_inspection=source_inspection)
    if unit is None:
        raise ValidationError({"unit": _("请选择办案单位")})
    require_unit(by, unit.pk)
    require_visible_enterprise(by, enterprise)
    if source_inspection is not None and source_inspection.enterprise_id != enterprise.pk:
        raise ValidationError({"source_inspection": _("来源检查的企业与当事企业不一致")})
    if procedure not in CaseProcedure.values:
        raise ValidationError({"procedure": _("请选择程序")})
    if not violation or not violation.strip():
        raise ValidationError({"violation": _("请填写违法事实")})
    require_not_future(filed_on, "filed_on", _("立案日期"))
    if source_inspection is not None and filed_on < source_inspection.start_date:
        raise ValidationError({"filed_on": _("立案日期不能早于来源检查日期")})
    number = (number or "").strip() or next_case_number(unit, filed_on.year)
    if Case.objects.filter(number=number).exists():
        raise ValidationError({"number": _("案件编号“%(n)s”已存在") % {"n": number}})
    case = Case(
        number=number, enterprise=enterprise, unit=unit, source_inspection=source_inspection,
        filed_on=filed_on, procedure=procedure, violation=violation.strip(), legal_basis=legal_basis.strip(),
        status=CaseStatus.FILED, created_by=by,
    )
    save_with_history(case, by=by, reason=_("立案"))
    case.handlers.set(handlers if handlers else [by])
    if campaigns is not None:
        case.campaigns.set(campaigns)
    elif source_inspection is not None:
        case.campaigns.set(source_inspection.campaigns.all())
    return case


@transaction.atomic
def case_update(*, case: Case, by: User, version: int | None = None, **fields) -> Case:
    """Change the descriptive fields of a case (not its status or decision).

    ``version`` is the version the edit started from; a stale one raises ``EditConflict``.
    """
    require_edit(by, case)
    case = version_lock(case, version=version, submitted=fields)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("案件已结案，不能修改"))
    handlers = fields.pop("handlers", None)
    campaigns = fields.pop("campaigns", None)
    allowed = {"violation", "legal_basis", "procedure", "filed_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("不能修改字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "procedure" in fields and fields["procedure"] not in CaseProcedure.values:
        raise ValidationError({"procedure": _("请选择程序")})
    if "violation" in fields and not (fields["violation"] or "").strip():
        raise ValidationError({"violation": _("请填写违法事实")})
    if "filed_on" in fields:
        require_not_future(fields["filed_on"], "filed_on", _("立案日期"))
        later = [getattr(case, f) for s, f in CASE_STEPS[1:] if getattr(case, f)]
        if later and fields["filed_on"] > min(later):
            raise ValidationError({"filed_on": _("立案日期不能晚于后续环节日期")})
    for name, value in fields.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    save_with_history(case, by=by, reason=_("修改案件信息"))
    if handlers is not None:
        if not handlers:
            raise ValidationError({"handlers": _("请至少指定一名承办人")})
        case.handlers.set(handlers)
    if campaigns is not None:
        case.campaigns.set(campaigns)
    return case


def _check_step_date(case: Case, status: str, on_date: date) -> None:
    require_not_future(on_date, "on_date", _("日期"))
    index = STATUS_ORDER.index(status)
    for earlier_status in reversed(STATUS_ORDER[:index]):
        earlier = getattr(case, DATE_FIELD[earlier_status])
        if earlier is not None:
            if on_date < earlier:
                raise ValidationError(
                    {"on_date": _("%(step)s日期不能早于%(prev)s日期（%(d)s）")
                     % {"step": CaseStatus(status).label, "prev": CaseStatus(earlier_status).label,
                        "d": f"{earlier:%Y-%m-%d}"}}
                )
            break


@transaction.atomic
def case_advance(*, case: Case, to_status: str, on_date: date, by: User) -> Case:
    """Move a case to its next step (调查, 告知, 执行, 结案) with the date. 决定 goes through case_decide."""
    require_edit(by, case)
    if to_status == CaseStatus.DECIDED:
        raise ValidationError(_("作出处罚决定请填写决定内容"))
    if to_status not in next_case_statuses(case):
        raise ValidationError(
            {"to_status": _("案件当前为“%(now)s”，不能直接转为“%(to)s”")
             % {"now": case.get_status_display(), "to": CaseStatus(to_status).label if to_status in CaseStatus.values else to_status}}
        )
    _check_step_date(case, to_status, on_date)
    case.status = to_status
    setattr(case, DATE_FIELD[to_status], on_date)
    save_with_history(case, by=by, reason=CaseStatus(to_status).label,
                      update_fields=["status", DATE_FIELD[to_status]])
    return case


@transaction.atomic
def case_decide(
    *, case: Case, decided_on: date, by: User, fine_amount: Decimal = Decimal("0"),
    confiscation_amount: Decimal = Decimal("0"), suspension_ordered: bool = False,
    revoked_licence: Licence | None = None, listed_serious_dishonest: bool = False,
    decision_number: str = "", persons: list[PenalisedPersonInput] | None = None,
) -> Case:
    """决定: the penalty decision (amounts in 元). Revoking a licence marks the licence 吊销.

    May be repeated while the case stays at 决定 to correct the decision.
    """
    require_edit(by, case)
    if case.status != CaseStatus.DECIDED and CaseStatus.DECIDED not in next_case_statuses(case):
        raise ValidationError(
            _("案件当前为“%(now)s”，不能作出处罚决定") % {"now": case.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    if fine_amount < 0:
        errors.setdefault("fine_amount", []).append(_("罚款不能为负数"))
    if confiscation_amount < 0:
        errors.setdefault("confiscation_amount", []).append(_("没收金额不能为负数"))
    if revoked_licence is not None and revoked_licence.enterprise_id != case.enterprise_id:
        errors.setdefault("revoked_licence", []).append(_("吊销的许可证不属于当事企业"))
    if case.revoked_licence_id and revoked_licence is not None and revoked_licence.pk != case.revoked_licence_id:
        errors.setdefault("revoked_licence", []).append(_("已吊销的许可证不能在此更换，请在许可证页更正"))
    if case.revoked_licence_id and revoked_licence is None:
        errors.setdefault("revoked_licence", []).append(_("已吊销的许可证不能在此撤回，请在许可证页更正"))
    holders = [u for u in case.handlers.all() if u.enforcement_cert_no]
    if len(holders) < MIN_ENFORCEMENT_HANDLERS:
        errors.setdefault("handlers", []).append(
            _("作出行政处罚决定须有两名以上持执法证的承办人（当前 %(n)d 名）") % {"n": len(holders)}
        )
    persons = persons or []
    for index, person in enumerate(persons, start=1):
        if not person.name.strip():
            errors.setdefault("persons", []).append(_("第%(n)d名责任人缺少姓名") % {"n": index})
        if person.fine_amount < 0:
            errors.setdefault("persons", []).append(_("第%(n)d名责任人罚款不能为负数") % {"n": index})
    if errors:
        raise ValidationError(errors)
    if case.status != CaseStatus.DECIDED:
        _check_step_date(case, CaseStatus.DECIDED, decided_on)
    else:
        require_not_future(decided_on, "decided_on", _("决定日期"))
    case.status = CaseStatus.DECIDED
    case.decided_on = decided_on
    case.fine_amount = fine_amount
    case.confiscation_amount = confiscation_amount
    case.suspension_ordered = suspension_ordered
    case.listed_serious_dishonest = listed_serious_dishonest
    case.decision_number = decision_number.strip()
    newly_revoked = revoked_licence is not None and case.revoked_licence_id is None
    case.revoked_licence = revoked_licence
    save_with_history(case, by=by, reason=_("作出处罚决定"))
    case.penalised_persons.all().delete()
    for person in persons:
        row = CasePenalisedPerson(case=case, name=person.name.strip(), position=person.position.strip(),
                                  fine_amount=person.fine_amount)
        save_with_history(row, by=by)
    if newly_revoked:
        licence = Licence.objects.select_for_update().get(pk=revoked_licence.pk)
        licence.status = LicenceStatus.REVOKED
        save_with_history(licence, by=by, reason=_("案件%(n)s吊销") % {"n": case.number},
                          update_fields=["status"])
    return case


@transaction.atomic
def referral_create(
    *, enterprise: Enterprise, target: str, referred_on: date, by: User, unit: Unit | None = None,
    case: Case | None = None, inspection: Inspection | None = None, note: str = "",
    campaigns: CampaignsArg = BY_RULE,
) -> Referral:
    """移送/移交: a case to the police, or a lead to 卫生/通信/海关/纪检.

    ``campaigns`` left out links it to the campaigns it falls in, and to the source case's or
    inspection's campaigns whose window contains ``referred_on`` (``campaign_links.campaigns_default``);
    None or [] links none; a campaign whose window does not contain ``referred_on`` is refused.
    """
    unit = unit or (case.unit if case else inspection.unit if inspection else by.unit)
    if unit is None:
        raise ValidationError({"unit": _("请选择移送单位")})
    require_unit(by, unit.pk)
    require_visible_enterprise(by, enterprise)
    if target not in ReferralTarget.values:
        raise ValidationError({"target": _("请选择移送对象")})
    if target in TARGETS_NEEDING_CASE and case is None:
        raise ValidationError({"case": _("移送公安机关须关联案件")})
    if case is not None and case.enterprise_id != enterprise.pk:
        raise ValidationError({"case": _("案件的当事企业与移送企业不一致")})
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise ValidationError({"inspection": _("来源检查的企业与移送企业不一致")})
    require_not_future(referred_on, "referred_on", _("移送日期"))
    if case is not None and referred_on < case.filed_on:
        raise ValidationError({"referred_on": _("移送日期不能早于立案日期")})
    campaigns = campaigns_resolve(campaigns, enterprise=enterprise, on_date=referred_on, by=by,
                                  date_label=_("移送日期"), source=case or inspection)
    referral = Referral(enterprise=enterprise, unit=unit, case=case, inspection=inspection, target=target,
                        referred_on=referred_on, note=note.strip())
    save_with_history(referral, by=by)
    if campaigns:
        referral.campaigns.set(campaigns)
    return referral


@transaction.atomic
def referral_delete(*, referral: Referral, by: User) -> None:
    require_edit(by, referral)
    referral._history_user = by
    referral.delete()
