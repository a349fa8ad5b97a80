"""Outcomes of an inspection: 责令改正 (with its automatic 跟踪检查) and 约谈."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Unit, User
from inspections.choices import InspectionKind, InspectionStatus
from inspections.deadlines import provincial_entry_due
from inspections.models import Inspection, InspectionOfficer, Interview, Rectification
from regsys.scoping import require_edit, require_unit
from regsys.versioning import version_lock

from ._common import require_not_future, require_visible_enterprise, save_with_history
from .campaign_links import BY_RULE, CampaignsArg, campaigns_resolve, check_campaign_windows


def _schedule_follow_up(rectification: Rectification, *, by: User) -> Inspection:
    """The linked 跟踪检查: a draft on the deadline with the same enterprise, unit and officers."""
    source = rectification.inspection
    follow_up = Inspection(
        enterprise_id=source.enterprise_id, unit_id=source.unit_id, kind=InspectionKind.FOLLOW_UP,
        start_date=rectification.deadline, announced=False,
        staff_count=source.officers.count(),
        summary=_("对%(date)s检查责令改正事项的跟踪检查") % {"date": f"{source.start_date:%Y-%m-%d}"},
        provincial_entry_due=provincial_entry_due(rectification.deadline), created_by=by,
    )
    save_with_history(follow_up, by=by, reason=_("责令改正后自动安排跟踪检查"))
    InspectionOfficer.objects.bulk_create(
        InspectionOfficer(inspection=follow_up, user_id=o.user_id, name=o.name, cert_kind=o.cert_kind,
                          cert_no=o.cert_no)
        for o in source.officers.all()
    )
    follow_up.campaigns.set(source.campaigns.all())
    return follow_up


def _check_order(ordered_on: date, deadline: date, requirements: str, inspection: Inspection) -> None:
    if not requirements or not requirements.strip():
        raise ValidationError({"requirements": _("请填写整改内容")})
    if ordered_on < inspection.start_date:
        raise ValidationError({"ordered_on": _("责令改正日期不能早于检查日期")})
    require_not_future(ordered_on, "ordered_on", _("责令改正日期"))
    if deadline < ordered_on:
        raise ValidationError({"deadline": _("整改期限不能早于责令改正日期")})


@transaction.atomic
def rectification_order(
    *, inspection: Inspection, ordered_on: date, deadline: date, requirements: str, by: User,
    version: int | None = None,
) -> Rectification:
    """Order the enterprise to correct (责令改正) and schedule the 跟踪检查 once.

    Saving again changes the order (and moves a still-draft follow-up to the new deadline); it never
    creates a second follow-up. ``version`` (of the existing order being changed) guards against
    overwriting someone else's change (``EditConflict``).
    """
    require_edit(by, inspection)
    _check_order(ordered_on, deadline, requirements, inspection)
    rectification = Rectification.objects.select_for_update().filter(inspection=inspection).first()
    if rectification is not None:
        rectification = version_lock(rectification, version=version, submitted={
            "ordered_on": ordered_on, "deadline": deadline, "requirements": requirements.strip()})
    if rectification is None:
        rectification = Rectification(inspection=inspection, ordered_by=by)
    elif rectification.completed_on is not None:
        raise ValidationError(_("整改已完成，不能再修改责令改正内容"))
    rectification.ordered_on = ordered_on
    rectification.deadline = deadline
    rectification.requirements = requirements.strip()
    save_with_history(rectification, by=by)
    if rectification.follow_up_id is None:
        rectification.follow_up = _schedule_follow_up(rectification, by=by)
        save_with_history(rectification, by=by, update_fields=["follow_up"])
    else:
        follow_up = rectification.follow_up
        if follow_up.status == InspectionStatus.DRAFT and follow_up.start_date != deadline:
            follow_up.start_date = deadline
            follow_up.provincial_entry_due = provincial_entry_due(deadline)
            save_with_history(follow_up, by=by, reason=_("整改期限变更，跟踪检查日期随之调整"),
                              update_fields=["start_date", "provincial_entry_due"])
    return rectification


@transaction.atomic
def rectification_complete(
    *, rectification: Rectification, completed_on: date, evidence: str, by: User
) -> Rectification:
    """Record the completion (完成整改) with its evidence."""
    require_edit(by, rectification.inspection)
    if rectification.completed_on is not None:
        raise ValidationError(_("已登记完成整改"))
    if not evidence or not evidence.strip():
        raise ValidationError({"evidence": _("请填写整改完成情况或证据")})
    if completed_on < rectification.ordered_on:
        raise ValidationError({"completed_on": _("完成整改日期不能早于责令改正日期")})
    require_not_future(completed_on, "completed_on", _("完成整改日期"))
    rectification.completed_on = completed_on
    rectification.evidence = evidence.strip()
    save_with_history(rectification, by=by, reason=_("完成整改"), update_fields=["completed_on", "evidence"])
    return rectification


@transaction.atomic
def interview_create(
    *, enterprise: Enterprise, held_on: date, persons: str, by: User, unit: Unit | None = None,
    record: str = "", inspection: Inspection | None = None, campaigns: CampaignsArg = BY_RULE,
) -> Interview:
    """Record a 约谈 of the enterprise's people.

    ``campaigns`` left out links it to the campaigns it falls in, and to the source inspection's
    campaigns whose window contains ``held_on`` (``campaign_links.campaigns_default``); None or []
    links none; a campaign whose window does not contain ``held_on`` is refused.
    """
    unit = unit or (inspection.unit if inspection else by.unit)
    if unit is None:
        raise ValidationError({"unit": _("请选择约谈单位")})
    require_unit(by, unit.pk)
    require_visible_enterprise(by, enterprise)
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise ValidationError({"inspection": _("来源检查的企业与约谈企业不一致")})
    if not persons or not persons.strip():
        raise ValidationError({"persons": _("请填写被约谈人员")})
    require_not_future(held_on, "held_on", _("约谈日期"))
    campaigns = campaigns_resolve(campaigns, enterprise=enterprise, on_date=held_on, by=by,
                                  date_label=_("约谈日期"), source=inspection)
    interview = Interview(enterprise=enterprise, unit=unit, inspection=inspection, held_on=held_on,
                          persons=persons.strip(), record=record.strip())
    save_with_history(interview, by=by)
    if campaigns:
        interview.campaigns.set(campaigns)
    return interview


@transaction.atomic
def interview_update(
    *, interview: Interview, held_on: date, persons: str, record: str, by: User, version: int | None = None,
    campaigns: list | None = None,
) -> Interview:
    """Change a 约谈; ``campaigns`` None keeps its campaigns (a list replaces them, checked against the date)."""
    require_edit(by, interview)
    interview = version_lock(interview, version=version, submitted={
        "held_on": held_on, "persons": persons, "record": record})
    if not persons or not persons.strip():
        raise ValidationError({"persons": _("请填写被约谈人员")})
    require_not_future(held_on, "held_on", _("约谈日期"))
    check_campaign_windows(interview.campaigns.all() if campaigns is None else campaigns, held_on, _("约谈日期"))
    interview.held_on, interview.persons, interview.record = held_on, persons.strip(), record.strip()
    save_with_history(interview, by=by)
    if campaigns is not None:
        interview.campaigns.set(campaigns)
    return interview
