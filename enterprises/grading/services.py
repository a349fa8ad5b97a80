"""Writes of graded supervision: year schemes, proposals, changes, approvals, credit records."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from enterprises.choices import ACTIVE_STATUSES
from enterprises.grading import reference
from enterprises.grading.choices import GradeStatus, Sector
from enterprises.grading.credit import credit_facts
from enterprises.grading.last_inspected import grades_refresh_last_inspected
from enterprises.grading.recipients import grade_changed_notify, grades_proposed_notify
from enterprises.grading.rules import FACT_FIELDS, Facts, propose, sector_q
from enterprises.models import (
    CreditRecord,
    Enterprise,
    EnterpriseGrade,
    GradeLevel,
    GradingCriterion,
    GradingScheme,
    Unit,
    User,
)
from regsys.scoping import require_approver, require_edit, require_unit, scope_for
from regsys.versioning import version_lock

BATCH = 2000


@transaction.atomic
def scheme_ensure(*, year: int) -> tuple[GradingScheme, bool]:
    """The scheme of ``year``; created as a copy of the previous year's, or from the defaults."""
    scheme = GradingScheme.objects.filter(year=year).first()
    if scheme:
        return scheme, False
    previous = GradingScheme.objects.filter(year__lt=year).order_by("-year").first()
    if previous:
        scheme = GradingScheme.objects.create(
            year=year, grading_deadline=datetime.date(year, 3, 31), due_soon_days=previous.due_soon_days,
            tolerance_days=previous.tolerance_days, qualifying_kinds=previous.qualifying_kinds,
            note=previous.note,
        )
        level_map = {}
        for level in previous.levels.all():
            old_id = level.id
            level.pk = None
            level.scheme = scheme
            level.save()
            level_map[old_id] = level
        for criterion in previous.criteria.all():
            criterion.pk = None
            criterion.scheme = scheme
            criterion.level = level_map.get(criterion.level_id)
            criterion.save()
        return scheme, True
    scheme = GradingScheme.objects.create(
        year=year, grading_deadline=datetime.date(year, 3, 31), due_soon_days=reference.DUE_SOON_DAYS,
        tolerance_days=reference.TOLERANCE_DAYS, qualifying_kinds=reference.QUALIFYING_KINDS,
        note=_("多数等级划分和检查频次为默认值，未经本局确认，可在系统管理中按上级文件修改。"),
    )
    levels = {}
    for sector, code, name, rank, interval, ratio, is_key, freq, confidence, basis in reference.LEVELS:
        levels[code] = GradeLevel.objects.create(
            scheme=scheme, sector=sector, code=code, name=name, rank=rank, interval_months=interval,
            sample_ratio=Decimal(ratio) if ratio else None, is_key=is_key, frequency_text=freq,
            confidence=confidence, basis=basis,
        )
    for order, (code, name, sector, rule, param, effect, level, confidence, basis) in enumerate(
        reference.CRITERIA, start=1
    ):
        GradingCriterion.objects.create(
            scheme=scheme, code=code, name=name, sector=sector, rule=rule, param=param, effect=effect,
            level=levels[level] if level else None, confidence=confidence, basis=basis,
            sort_order=order * 10,
        )
    return scheme, True


def scheme_for(year: int) -> GradingScheme:
    scheme = GradingScheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError(_("%(year)s年度分级标准尚未建立") % {"year": year})
    return scheme


@dataclass
class ProposeResult:
    created: int = 0
    updated: int = 0
    kept: int = 0

    def __str__(self) -> str:
        return _("新建建议 %(c)s 条，更新 %(u)s 条，保留已审批或已调整 %(k)s 条") % {
            "c": self.created, "u": self.updated, "k": self.kept,
        }


@transaction.atomic
def grades_propose(
    *, year: int, unit: Unit | None, by: User | None, as_of: datetime.date | None = None
) -> ProposeResult:
    """Propose every active enterprise's grade for ``year`` (one unit, or the district if ``unit`` is None).

    Approved grades are left as they are; staff-changed grades keep their level but get the new
    proposal recorded. Runs in a bounded number of queries (bulk reads and writes), so it also
    serves the demo at scale. ``by`` None = the system (demo, command).
    """
    if by is not None:
        if unit is None:
            if not scope_for(by).district_wide:
                raise PermissionDenied(_("只有全区用户可以为全区生成分级建议"))
            require_unit(by, None)
        else:
            require_unit(by, unit.id)
    scheme = scheme_for(year)
    as_of = as_of or min(timezone.localdate(), datetime.date(year, 12, 31))
    criteria = list(scheme.criteria.filter(is_active=True))
    levels_by_sector: dict[str, list[GradeLevel]] = defaultdict(list)
    for level in scheme.levels.all():
        levels_by_sector[level.sector].append(level)

    base = Enterprise.objects.filter(status__in=ACTIVE_STATUSES)
    if unit is not None:
        base = base.filter(owning_unit=unit)
    members = {s: set(base.filter(sector_q(s)).values_list("id", flat=True)) for s in Sector.values}
    all_ids = set().union(*members.values())
    values = {row["id"]: row for row in base.filter(id__in=all_ids).values(*FACT_FIELDS)} if all_ids else {}
    tags: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, code in Enterprise.tags.through.objects.filter(enterprise__in=base).values_list(
        "enterprise_id", "tag__code"
    ):
        tags[enterprise_id].add(code)
    credit = credit_facts(enterprises=base, year=year, as_of=as_of)
    existing = {
        (g.enterprise_id, g.sector): g
        for g in EnterpriseGrade.objects.filter(year=year, enterprise__in=base).only(
            "id", "enterprise_id", "sector", "status", "level_id", "proposed_level_id", "proposed_is_key",
            "reasons", "is_key",
        )
    }
    now = timezone.now()
    result = ProposeResult()
    to_create, to_update = [], []
    for sector in Sector.values:
        if not levels_by_sector[sector]:
            continue
        for enterprise_id in sorted(members[sector]):
            facts = Facts(values=values[enterprise_id], tags=frozenset(tags[enterprise_id]),
                          credit=frozenset(credit.get(enterprise_id, ())))
            proposal = propose(facts, sector, criteria, levels_by_sector[sector])
            grade = existing.get((enterprise_id, sector))
            if grade is None:
                to_create.append(EnterpriseGrade(
                    enterprise_id=enterprise_id, year=year, sector=sector, level=proposal.level,
                    is_key=proposal.is_key, proposed_level=proposal.level, proposed_is_key=proposal.is_key,
                    reasons=proposal.reasons, status=GradeStatus.PROPOSED, proposed_at=now,
                ))
                result.created += 1
                continue
            if grade.status == GradeStatus.APPROVED:
                result.kept += 1
                continue
            if (grade.proposed_level_id, grade.proposed_is_key, grade.reasons) == (
                proposal.level.id, proposal.is_key, proposal.reasons
            ):
                continue
            grade.proposed_level = proposal.level
            grade.proposed_is_key = proposal.is_key
            grade.reasons = proposal.reasons
            grade.proposed_at = now
            if grade.status == GradeStatus.PROPOSED:
                grade.level = proposal.level
                grade.is_key = proposal.is_key
                result.updated += 1
            else:
                result.kept += 1
            to_update.append(grade)
    if to_create:
        bulk_create_with_history(to_create, EnterpriseGrade, batch_size=BATCH, default_user=by)
        grades_refresh_last_inspected(EnterpriseGrade.objects.filter(year=year, last_inspected_on__isnull=True,
                                                                     enterprise__in=base))
    if to_update:
        bulk_update_with_history(
            to_update, EnterpriseGrade,
            ["proposed_level", "proposed_is_key", "reasons", "proposed_at", "level", "is_key"],
            batch_size=BATCH, default_user=by,
        )
    grades_proposed_notify(year=year, unit=unit, count=result.created + result.updated, by=by)
    return result


@transaction.atomic
def grade_change(
    *, grade: EnterpriseGrade, level: GradeLevel, is_key: bool, reason: str, by: User, version: int | None = None
) -> EnterpriseGrade:
    """Staff change a grade with a reason; it then waits for the chief's approval again.

    ``version`` is the version the change started from; a stale one raises ``EditConflict``.
    """
    require_edit(by, grade)
    reason = (reason or "").strip()
    grade = version_lock(grade, version=version, submitted={"level": level, "is_key": is_key,
                                                           "change_reason": reason})
    if not reason:
        raise ValidationError({"change_reason": _("调整等级须填写理由")})
    if level.scheme.year != grade.year or level.sector != grade.sector:
        raise ValidationError({"level": _("所选等级不属于本年度本环节")})
    grade.level = level
    grade.is_key = is_key
    grade.change_reason = reason
    grade.changed_by = by
    grade.status = GradeStatus.CHANGED
    grade.approved_by = None
    grade.approved_at = None
    grade._change_reason = reason
    grade.save()
    grade_changed_notify(grade=grade, by=by)
    return grade


@transaction.atomic
def grade_approve(*, grade: EnterpriseGrade, by: User) -> EnterpriseGrade:
    """The chief approves a grade; it then drives due dates and plans."""
    require_approver(by)
    require_edit(by, grade)
    grade = version_lock(grade, version=None)  # approve what is saved now, not a copy read earlier
    if grade.status == GradeStatus.APPROVED:
        raise ValidationError(_("该等级已批准"))
    grade.status = GradeStatus.APPROVED
    grade.approved_by = by
    grade.approved_at = timezone.now()
    grade.save()
    return grade


@transaction.atomic
def grades_approve(*, grades, by: User) -> int:
    """Approve many grades at once (e.g. all pending grades of one unit); returns how many."""
    require_approver(by)
    pending = [g for g in grades.exclude(status=GradeStatus.APPROVED) if _can_edit(by, g)]
    now = timezone.now()
    for grade in pending:
        grade.status = GradeStatus.APPROVED
        grade.approved_by = by
        grade.approved_at = now
    bulk_update_with_history(
        pending, EnterpriseGrade, ["status", "approved_by", "approved_at"], batch_size=BATCH, default_user=by
    )
    return len(pending)


def _can_edit(user: User, obj) -> bool:
    try:
        require_edit(user, obj)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def credit_record_create(
    *, enterprise: Enterprise, kind: str, recorded_on: datetime.date, reason: str,
    valid_until: datetime.date | None = None, by: User | None,
) -> CreditRecord:
    """Record a bad-credit fact; the next grading proposal puts the enterprise on the key list.

    ``by`` None = the system: a rule that records the fact by itself (a late adverse-event report when
    the year's monitoring settings count it, ``monitoring.services.evaluations``).
    """
    if by is not None:
        require_edit(by, enterprise)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写事由")})
    if valid_until and valid_until < recorded_on:
        raise ValidationError({"valid_until": _("有效期不能早于记录日期")})
    record = CreditRecord(
        enterprise=enterprise, kind=kind, recorded_on=recorded_on, valid_until=valid_until,
        reason=reason.strip(), created_by=by,
    )
    record.full_clean()
    record.save()
    return record
