"""Writing inspections: drafts, officers, checklist answers, findings, finalising, amendments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.grading.last_inspected import grades_refresh_last_inspected
from enterprises.models import Enterprise, EnterpriseGrade, Unit, User
from inspections.choices import AnswerResult, CertKind, Conclusion, InspectionKind, InspectionStatus, Severity
from inspections.deadlines import provincial_entry_due
from inspections.models import (
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionAmendment,
    InspectionOfficer,
    PlanItem,
)
from regsys.scoping import require_approver, require_edit, require_unit
from regsys.versioning import version_lock

from ._common import delete_with_history, require_not_future, require_visible_enterprise, save_with_history
from .campaign_links import BY_RULE, CampaignsArg, campaigns_resolve, check_campaign_windows

MIN_OFFICERS = 2

# Fields a chief may correct on a finalised inspection (inspection_amend).
AMENDABLE_FIELDS = (
    "kind", "start_date", "end_date", "announced", "staff_count", "conclusion", "summary",
    "provincial_entry_date",
)


@dataclass(frozen=True)
class OfficerInput:
    """One person on site: a user, or staff without an account (user None, name given)."""

    user: User | None = None
    name: str = ""
    cert_kind: str = ""
    cert_no: str = ""


def _officer_rows(officers: list[OfficerInput]) -> list[InspectionOfficer]:
    rows: list[InspectionOfficer] = []
    seen_users: set[int] = set()
    for index, officer in enumerate(officers, start=1):
        user = officer.user
        name = (officer.name or (user.display_name if user else "")).strip()
        if not name:
            raise ValidationError({"officers": _("第%(n)d名检查人员缺少姓名") % {"n": index}})
        if user is not None:
            if user.pk in seen_users:
                raise ValidationError({"officers": _("检查人员“%(name)s”重复") % {"name": name}})
            seen_users.add(user.pk)
        cert_kind = officer.cert_kind
        cert_no = officer.cert_no.strip()
        if not cert_no and user is not None:
            if not cert_kind or cert_kind == CertKind.ENFORCEMENT:
                cert_no = user.enforcement_cert_no
                cert_kind = CertKind.ENFORCEMENT if cert_no else cert_kind
            if not cert_no:
                cert_no = user.inspector_cert_no
                cert_kind = CertKind.INSPECTOR if cert_no else cert_kind
        if cert_kind not in CertKind.values:
            cert_kind = CertKind.ENFORCEMENT
        rows.append(InspectionOfficer(user=user, name=name, cert_kind=cert_kind, cert_no=cert_no))
    return rows


def _check_dates(start_date: date, end_date: date | None) -> None:
    require_not_future(start_date, "start_date", _("检查日期"))
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于检查日期")})


def _check_staff_count(staff_count: int | None, officer_count: int) -> int:
    if staff_count is None or staff_count == 0:
        return officer_count
    if staff_count < officer_count:
        raise ValidationError(
            {"staff_count": _("出动人员人次（%(n)d）不能少于现场检查人员数（%(m)d）")
             % {"n": staff_count, "m": officer_count}}
        )
    return staff_count


def plan_item_mismatch(plan_item: PlanItem, *, enterprise_id: int, unit_id: int) -> str:
    """Why ``plan_item`` cannot be fulfilled by an inspection of this enterprise by this unit ("" if it can).

    The one rule for every way an inspection gets its plan item (form, API, 关联检查, automatic linking).
    """
    if plan_item.enterprise_id != enterprise_id:
        return _("计划项的企业与被检查企业不一致")
    if plan_item.plan.unit_id != unit_id:
        return _("计划项属于其他单位的检查计划，不能由本次检查完成")
    return ""


def plan_item_first_done() -> Subquery:
    """The date ``PlanItem.done_on`` holds: the earliest finalised inspection linked to the item (OuterRef pk)."""
    return Subquery(
        Inspection.objects.filter(plan_item=OuterRef("pk"), status=InspectionStatus.FINALISED)
        .order_by("start_date").values("start_date")[:1],
        output_field=models.DateField(),
    )


def plan_items_refresh_done(item_ids) -> int:
    """Recompute ``PlanItem.done_on`` for ``item_ids`` (ids or a queryset of ids; ``None`` ids are ignored).

    The one rule for "this item is done": every service that finalises, amends or links an inspection
    calls it for the items it touched. Returns how many items were recomputed.
    """
    if not isinstance(item_ids, models.QuerySet):
        item_ids = {i for i in item_ids if i is not None}
        if not item_ids:
            return 0
    return PlanItem.objects.filter(pk__in=item_ids).update(done_on=plan_item_first_done())


def _check_plan_item(plan_item: PlanItem | None, *, enterprise_id: int, unit_id: int) -> None:
    problem = plan_item and plan_item_mismatch(plan_item, enterprise_id=enterprise_id, unit_id=unit_id)
    if problem:
        raise ValidationError({"plan_item": problem})


def _require_draft(inspection: Inspection) -> None:
    if inspection.is_locked:
        raise ValidationError(_("检查记录已完成并锁定，如需更正请由科长/局领导办理更正"))


@transaction.atomic
def inspection_create(
    *,
    enterprise: Enterprise,
    kind: str,
    start_date: date,
    by: User,
    unit: Unit | None = None,
    end_date: date | None = None,
    announced: bool = False,
    officers: list[OfficerInput] | None = None,
    staff_count: int | None = None,
    conclusion: str = "",
    summary: str = "",
    campaigns: CampaignsArg = BY_RULE,
    plan_item: PlanItem | None = None,
    checklist: ChecklistTemplate | None = None,
) -> Inspection:
    """Start a draft inspection (it can be completed and finalised later).

    ``campaigns`` left out links it to the campaigns it falls in (``campaign_links.campaigns_default``);
    None or [] links none; a campaign whose window does not contain ``start_date`` is refused.
    """
    unit = unit or by.unit
    if unit is None:
        raise ValidationError({"unit": _("请选择检查单位")})
    require_unit(by, unit.pk)
    require_visible_enterprise(by, enterprise)
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("请选择检查类型")})
    if conclusion and conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": _("检查结论无效")})
    _check_dates(start_date, end_date)
    _check_plan_item(plan_item, enterprise_id=enterprise.pk, unit_id=unit.pk)
    rows = _officer_rows(officers or [])
    campaigns = campaigns_resolve(campaigns, enterprise=enterprise, on_date=start_date, by=by,
                                  date_label=_("检查日期"))
    inspection = Inspection(
        enterprise=enterprise, unit=unit, kind=kind, start_date=start_date, end_date=end_date,
        announced=announced, staff_count=_check_staff_count(staff_count, len(rows)),
        conclusion=conclusion, summary=summary, plan_item=plan_item, checklist=checklist,
        provincial_entry_due=provincial_entry_due(end_date or start_date), created_by=by,
    )
    save_with_history(inspection, by=by, reason=_("新建检查"))
    for row in rows:
        row.inspection = inspection
    InspectionOfficer.objects.bulk_create(rows)
    if campaigns:
        inspection.campaigns.set(campaigns)
    return inspection


@transaction.atomic
def inspection_update(*, inspection: Inspection, by: User, version: int | None = None, **fields) -> Inspection:
    """Change a draft's fields (enterprise, kind, dates, conclusion, campaigns, staff count …).

    ``version`` is the version the edit started from; a stale one raises ``EditConflict``.
    """
    require_edit(by, inspection)
    inspection = version_lock(inspection, version=version, submitted=fields)
    _require_draft(inspection)
    campaigns = fields.pop("campaigns", None)
    allowed = {"enterprise", "kind", "start_date", "end_date", "announced", "staff_count",
               "conclusion", "summary", "plan_item", "checklist"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("不能修改字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "enterprise" in fields and fields["enterprise"].pk != inspection.enterprise_id:
        require_visible_enterprise(by, fields["enterprise"])
    if fields.get("kind") is not None and fields["kind"] not in InspectionKind.values:
        raise ValidationError({"kind": _("请选择检查类型")})
    if fields.get("conclusion") and fields["conclusion"] not in Conclusion.values:
        raise ValidationError({"conclusion": _("检查结论无效")})
    for name, value in fields.items():
        if name != "staff_count":
            setattr(inspection, name, value)
    _check_dates(inspection.start_date, inspection.end_date)
    _check_plan_item(inspection.plan_item, enterprise_id=inspection.enterprise_id, unit_id=inspection.unit_id)
    check_campaign_windows(inspection.campaigns.all() if campaigns is None else campaigns, inspection.start_date,
                           _("检查日期"))
    if "staff_count" in fields:
        inspection.staff_count = _check_staff_count(fields["staff_count"], inspection.officers.count())
    inspection.provincial_entry_due = provincial_entry_due(inspection.ended_on)
    save_with_history(inspection, by=by, reason=_("修改检查草稿"))
    if campaigns is not None:
        inspection.campaigns.set(campaigns)
    return inspection


@transaction.atomic
def inspection_set_officers(
    *, inspection: Inspection, officers: list[OfficerInput], by: User, staff_count: int | None = None,
    version: int | None = None,
) -> Inspection:
    """Replace the people on site; 出动人员人次 follows their number unless given."""
    require_edit(by, inspection)
    inspection = version_lock(inspection, version=version)
    _require_draft(inspection)
    rows = _officer_rows(officers)
    old_count = inspection.officers.count()
    if staff_count is None and inspection.staff_count not in (0, old_count):
        staff_count = max(inspection.staff_count, len(rows))
    inspection.officers.all().delete()
    for row in rows:
        row.inspection = inspection
    InspectionOfficer.objects.bulk_create(rows)
    inspection.staff_count = _check_staff_count(staff_count, len(rows))
    names = "、".join(row.name for row in rows)
    save_with_history(inspection, by=by, reason=_("检查人员：%(names)s") % {"names": names},
                      update_fields=["staff_count"])
    return inspection


@transaction.atomic
def checklist_answers_save(
    *, inspection: Inspection, answers: dict[int, tuple[str, str]], by: User,
    template: ChecklistTemplate | None = None,
) -> list[ChecklistAnswer]:
    """Save answers {item_id: (result, note)} of the inspection's checklist; blank results are removed."""
    require_edit(by, inspection)
    _require_draft(inspection)
    template = template or inspection.checklist
    if template is None:
        raise ValidationError({"checklist": _("请先选择检查表")})
    if inspection.checklist_id != template.pk:
        inspection.checklist = template
        save_with_history(inspection, by=by, reason=_("选择检查表"), update_fields=["checklist"])
    items = {item.pk: item for item in ChecklistItem.objects.filter(template=template)}
    errors = []
    for item_id, (result, note) in answers.items():
        if item_id not in items:
            errors.append(_("检查项目 %(id)s 不属于该检查表") % {"id": item_id})
        elif result and result not in AnswerResult.values:
            errors.append(_("%(code)s 的结果无效") % {"code": items[item_id].code})
        elif result == AnswerResult.NA and not note.strip():
            errors.append(_("%(code)s 判为不适用（合理缺项）时须说明理由") % {"code": items[item_id].code})
    if errors:
        raise ValidationError({"answers": errors})
    existing = {a.item_id: a for a in inspection.answers.all()}
    saved = []
    for item_id, (result, note) in answers.items():
        answer = existing.get(item_id)
        if not result:
            if answer is not None:
                delete_with_history(answer, by=by)
            continue
        if answer is None:
            answer = ChecklistAnswer(inspection=inspection, item=items[item_id])
        elif (answer.result, answer.note) == (result, note.strip()):
            saved.append(answer)  # unchanged: no history row
            continue
        answer.result, answer.note = result, note.strip()
        save_with_history(answer, by=by)
        saved.append(answer)
    failed = sum(1 for a in saved if a.result == AnswerResult.NO)
    save_with_history(inspection, by=by, reason=_("填写检查表：%(n)d项，其中不符合%(f)d项") % {"n": len(saved), "f": failed},
                      update_fields=[])
    return saved


@transaction.atomic
def finding_create(
    *, inspection: Inspection, severity: str, text: str, by: User, checklist_item: ChecklistItem | None = None
) -> Finding:
    require_edit(by, inspection)
    _require_draft(inspection)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("请选择缺陷等级")})
    if not text.strip():
        raise ValidationError({"text": _("请填写缺陷内容")})
    if checklist_item is not None and inspection.checklist_id not in (None, checklist_item.template_id):
        raise ValidationError({"checklist_item": _("检查项目不属于本次检查的检查表")})
    finding = Finding(inspection=inspection, severity=severity, text=text.strip(), checklist_item=checklist_item)
    save_with_history(finding, by=by)
    return finding


def checklist_item_severity(item: ChecklistItem) -> str:
    """The 缺陷等级 of a 不符合 answer: a key item (※) is a 严重缺陷, any other item a 一般缺陷.

    The one rule for every way a checklist answer becomes a finding (quick entry, the checklist page).
    """
    return Severity.SERIOUS if item.is_key else Severity.GENERAL


def checklist_finding_text(answer: ChecklistAnswer) -> str:
    """The finding's text: the item, then what the officer noted about it."""
    text = answer.item.text.strip()
    return f"{text}：{answer.note}" if answer.note else text


@transaction.atomic
def checklist_findings_create(*, inspection: Inspection, by: User) -> list[Finding]:
    """Give every 不符合 answer its 缺陷 (severity from the item), once; nothing is retyped.

    An item that already has a finding of this inspection keeps it (the officer may have reworded it).
    """
    require_edit(by, inspection)
    _require_draft(inspection)
    answered = inspection.answers.filter(result=AnswerResult.NO).select_related("item").order_by("item__sort_order")
    covered = set(inspection.findings.exclude(checklist_item=None).values_list("checklist_item_id", flat=True))
    created = []
    for answer in answered:
        if answer.item_id in covered:
            continue
        created.append(finding_create(inspection=inspection, severity=checklist_item_severity(answer.item),
                                      text=checklist_finding_text(answer), checklist_item=answer.item, by=by))
    return created


def checklist_findings_unmatched(inspection: Inspection) -> list[Finding]:
    """Findings tied to a checklist item that is no longer answered 不符合 (to be checked by the officer)."""
    failed = inspection.answers.filter(result=AnswerResult.NO).values("item_id")
    return list(inspection.findings.exclude(checklist_item=None).exclude(checklist_item__in=failed)
                .select_related("checklist_item"))


@transaction.atomic
def finding_update(*, finding: Finding, by: User, severity: str, text: str,
                   checklist_item: ChecklistItem | None = None, version: int | None = None) -> Finding:
    require_edit(by, finding.inspection)
    finding = version_lock(finding, version=version, submitted={
        "severity": severity, "text": text, "checklist_item": checklist_item})
    _require_draft(finding.inspection)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("请选择缺陷等级")})
    if not text.strip():
        raise ValidationError({"text": _("请填写缺陷内容")})
    finding.severity, finding.text, finding.checklist_item = severity, text.strip(), checklist_item
    save_with_history(finding, by=by)
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, by: User) -> None:
    require_edit(by, finding.inspection)
    _require_draft(finding.inspection)
    finding._history_user = by
    finding.delete()


def finalise_problems(inspection: Inspection) -> list[str]:
    """What stops ``inspection`` from being finalised (empty when it may be)."""
    problems = []
    officers = list(inspection.officers.all())
    if len(officers) < MIN_OFFICERS:
        problems.append(_("现场检查须有两名以上执法人员（当前 %(n)d 名）") % {"n": len(officers)})
    for officer in officers:
        if not officer.cert_no:
            problems.append(
                _("检查人员“%(name)s”未填写%(kind)s号") % {"name": officer.name, "kind": officer.get_cert_kind_display()}
            )
    if not inspection.conclusion:
        problems.append(_("请填写检查结论"))
    if inspection.start_date > timezone.localdate():
        problems.append(_("检查日期不能晚于今天"))
    return problems


@transaction.atomic
def inspection_finalise(*, inspection: Inspection, by: User) -> Inspection:
    """Lock a completed inspection; it then counts in plans and returns."""
    require_edit(by, inspection)
    _require_draft(inspection)
    problems = finalise_problems(inspection)
    if problems:
        raise ValidationError(problems)
    inspection.status = InspectionStatus.FINALISED
    inspection.finalised_by = by
    inspection.finalised_at = timezone.now()
    save_with_history(inspection, by=by, reason=_("完成检查并锁定"),
                      update_fields=["status", "finalised_by", "finalised_at"])
    plan_items_refresh_done([inspection.plan_item_id])
    grades_refresh_last_inspected(EnterpriseGrade.objects.filter(enterprise_id=inspection.enterprise_id))
    return inspection


@transaction.atomic
def inspection_amend(
    *, inspection: Inspection, changes: dict, reason: str, by: User, version: int | None = None
) -> InspectionAmendment:
    """Correct a finalised inspection: chiefs only, with a reason; kept in the history.

    ``version`` is the version the correction started from; a stale one raises ``EditConflict``.
    """
    require_approver(by)
    require_edit(by, inspection)
    inspection = version_lock(inspection, version=version, submitted=changes)
    if not inspection.is_locked:
        raise ValidationError(_("草稿可直接修改，无需更正"))
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("请填写更正理由")})
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能更正字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    diff = {}
    for name, value in changes.items():
        old = getattr(inspection, name)
        if old != value:
            diff[name] = [_json(old), _json(value)]
            setattr(inspection, name, value)
    if not diff:
        raise ValidationError(_("没有需要更正的内容"))
    if inspection.kind not in InspectionKind.values:
        raise ValidationError({"kind": _("请选择检查类型")})
    if inspection.conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": _("检查结论无效")})
    _check_dates(inspection.start_date, inspection.end_date)
    check_campaign_windows(inspection.campaigns.all(), inspection.start_date, _("检查日期"))
    inspection.staff_count = _check_staff_count(inspection.staff_count, inspection.officers.count())
    inspection.provincial_entry_due = provincial_entry_due(inspection.ended_on)
    save_with_history(inspection, by=by, reason=_("更正：%(r)s") % {"r": reason.strip()})
    if "start_date" in diff:
        plan_items_refresh_done([inspection.plan_item_id])
    if "start_date" in diff or "kind" in diff:
        grades_refresh_last_inspected(EnterpriseGrade.objects.filter(enterprise_id=inspection.enterprise_id))
    return InspectionAmendment.objects.create(
        inspection=inspection, reason=reason.strip(), changes=diff, amended_by=by
    )


def _json(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def inspection_record_provincial_entry(*, inspection: Inspection, entered_on: date, by: User) -> Inspection:
    """Record the day the report was entered in the provincial supervision system."""
    require_edit(by, inspection)
    if not inspection.is_locked:
        raise ValidationError(_("请先完成检查记录，再录入省局系统"))
    if inspection.provincial_entry_date is not None:
        raise ValidationError(_("已登记录入日期，如需修改请办理更正"))
    require_not_future(entered_on, "entered_on", _("录入日期"))
    if entered_on < inspection.start_date:
        raise ValidationError({"entered_on": _("录入日期不能早于检查日期")})
    inspection.provincial_entry_date = entered_on
    save_with_history(inspection, by=by, reason=_("登记录入省局系统"),
                      update_fields=["provincial_entry_date"])
    return inspection
