"""Writes of inspection planning: targets, conflicts, draws, plans and plan items."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Unit, User
from inspections.choices import InspectionKind, InspectionStatus, PlanStatus
from inspections.models import (
    AnnualTarget,
    ConflictOfInterest,
    DrawPick,
    Inspection,
    InspectionPlan,
    PlanItem,
    RandomDraw,
)
from inspections.planning import reference
from inspections.planning.draws import (
    MIN_OFFICERS,
    conflict_pairs,
    draw_run,
    officer_pool_queryset,
    pool_queryset,
)
from inspections.planning.recipients import plan_submitted_notify
from inspections.services import plan_item_mismatch, plan_items_refresh_done
from regsys.scoping import require_approver, require_edit, require_unit, scoped
from regsys.versioning import version_lock


@transaction.atomic
def targets_ensure(*, year: int) -> int:
    """Create ``year``'s targets as a copy of the previous year's, or from the defaults; returns how many."""
    if AnnualTarget.objects.filter(year=year).exists():
        return 0
    previous_year = AnnualTarget.objects.filter(year__lt=year).order_by("-year").values_list(
        "year", flat=True
    ).first()
    if previous_year:
        rows = list(AnnualTarget.objects.filter(year=previous_year))
        for row in rows:
            row.pk = None
            row.year = year
    else:
        rows = [
            AnnualTarget(
                year=year, code=code, name=name, kind=kind, links=links, tag_codes=tags,
                inspection_kinds=kinds, min_ratio=Decimal(ratio) if ratio else None, min_count=count,
                district_only=district_only, confidence="C", basis=basis, sort_order=order * 10,
            )
            for order, (code, name, kind, links, tags, kinds, ratio, count, district_only, basis)
            in enumerate(reference.TARGETS, start=1)
        ]
    AnnualTarget.objects.bulk_create(rows)
    return len(rows)


# --- conflicts of interest -------------------------------------------------------------------


@transaction.atomic
def conflict_create(
    *, officer: User, enterprise: Enterprise, reason: str, declared_on: datetime.date, by: User
) -> ConflictOfInterest:
    """Record that ``officer`` must not inspect ``enterprise``; draws and plan items respect it."""
    require_unit(by, officer.unit_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写回避理由")})
    if ConflictOfInterest.objects.filter(officer=officer, enterprise=enterprise).exists():
        raise ValidationError(_("该回避关系已存在"))
    return ConflictOfInterest.objects.create(
        officer=officer, enterprise=enterprise, reason=reason.strip(), declared_on=declared_on,
        created_by=by,
    )


@transaction.atomic
def conflict_deactivate(*, conflict: ConflictOfInterest, by: User) -> ConflictOfInterest:
    require_edit(by, conflict)
    conflict.is_active = False
    conflict.save(update_fields=["is_active"])
    return conflict


# --- draws ------------------------------------------------------------------------------------


def _ratio(value) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise ValidationError({"ratio": _("抽取比例须为0到1之间的小数")}) from exc
    if not Decimal(0) < ratio <= Decimal(1):
        raise ValidationError({"ratio": _("抽取比例须大于0且不超过1")})
    return ratio


@transaction.atomic
def draw_create(
    *, unit: Unit, year: int, name: str, ratio, sector: str = "", level_codes: str = "",
    tag_codes: str = "", officers_per_enterprise: int = MIN_OFFICERS, seed: str | None = None,
    by: User | None,
) -> RandomDraw:
    """Define a pool, snapshot it with the officer pool and conflicts, draw, and record the picks."""
    if by is not None:
        require_unit(by, unit.id)
    ratio = _ratio(ratio)
    if officers_per_enterprise < MIN_OFFICERS:
        raise ValidationError({"officers_per_enterprise": _("每户检查人员不得少于2名")})
    pool = sorted(pool_queryset(unit=unit, year=year, sector=sector, level_codes=level_codes,
                                tag_codes=tag_codes).values_list("id", flat=True))
    if not pool:
        raise ValidationError(_("企业库为空：没有符合条件的企业"))
    officers = sorted(officer_pool_queryset(unit).values_list("id", flat=True))
    if len(officers) < officers_per_enterprise:
        raise ValidationError(_("本单位持证检查人员不足%(n)s名，无法抽取") % {"n": officers_per_enterprise})
    conflicts = conflict_pairs(officers, pool)
    seed = (seed or "").strip() or secrets.token_hex(8)
    picks = draw_run(pool=pool, officer_pool=officers, conflicts=conflicts, ratio=ratio,
                     officers_per_enterprise=officers_per_enterprise, seed=seed)
    draw = RandomDraw.objects.create(
        unit=unit, year=year, name=name.strip() or _("双随机抽查"), sector=sector, level_codes=level_codes,
        tag_codes=tag_codes, ratio=ratio, officers_per_enterprise=officers_per_enterprise, seed=seed,
        pool=pool, officer_pool=officers, conflicts=conflicts, created_by=by,
    )
    rows = DrawPick.objects.bulk_create(
        [DrawPick(draw=draw, position=i, enterprise_id=e) for i, (e, _o) in enumerate(picks, start=1)]
    )
    through = DrawPick.officers.through
    through.objects.bulk_create(
        [through(drawpick_id=row.id, user_id=o) for row, (_e, offs) in zip(rows, picks, strict=True) for o in offs]
    )
    return draw


def draw_verify(draw: RandomDraw) -> dict:
    """Re-run a recorded draw and compare; also tell whether the pool definition now selects others."""
    stored = [
        (p.enterprise_id, sorted(o.id for o in p.officers.all()))
        for p in draw.picks.prefetch_related("officers").order_by("position")
    ]
    rerun = draw_run(pool=draw.pool, officer_pool=draw.officer_pool, conflicts=draw.conflicts,
                     ratio=draw.ratio, officers_per_enterprise=draw.officers_per_enterprise, seed=draw.seed)
    current_pool = sorted(pool_queryset(unit=draw.unit, year=draw.year, sector=draw.sector,
                                        level_codes=draw.level_codes, tag_codes=draw.tag_codes)
                          .values_list("id", flat=True))
    return {
        "matches": stored == [(e, list(o)) for e, o in rerun],
        "stored": stored,
        "rerun": rerun,
        "pool_changed": current_pool != sorted(draw.pool),
    }


@transaction.atomic
def draw_publish(*, draw: RandomDraw, by: User) -> RandomDraw:
    """Publish the draw result (双随机、一公开); the public list page then shows it."""
    require_edit(by, draw)
    if draw.published_at:
        raise ValidationError(_("该抽取结果已公示"))
    draw.published_at = timezone.now()
    draw.published_by = by
    draw.save(update_fields=["published_at", "published_by"])
    return draw


# --- plan items -------------------------------------------------------------------------------


def _check_period(target_month: int | None, target_quarter: int | None) -> int | None:
    if target_month is not None and not 1 <= target_month <= 12:
        raise ValidationError({"target_month": _("计划月份须为1–12")})
    if target_quarter is not None and not 1 <= target_quarter <= 4:
        raise ValidationError({"target_quarter": _("计划季度须为1–4")})
    if target_month is not None:
        derived = (target_month - 1) // 3 + 1
        if target_quarter is not None and target_quarter != derived:
            raise ValidationError({"target_quarter": _("计划季度与计划月份不一致")})
        return derived
    return target_quarter


def _check_officers(enterprise: Enterprise, officers: list[User]) -> None:
    if officers and len(officers) < MIN_OFFICERS:
        raise ValidationError({"officers": _("现场检查须有两名以上检查人员")})
    conflicted = ConflictOfInterest.objects.filter(
        is_active=True, enterprise=enterprise, officer__in=officers
    ).select_related("officer")
    if conflicted:
        names = "、".join(str(c.officer) for c in conflicted)
        raise ValidationError({"officers": _("%(names)s 与该企业存在回避关系") % {"names": names}})


def _require_editable(plan: InspectionPlan, by: User) -> None:
    require_edit(by, plan)
    if not plan.is_editable:
        raise ValidationError(_("计划已提交或已批准，不能修改；请先由审批人退回"))


@transaction.atomic
def plan_item_create(
    *, plan: InspectionPlan, enterprise: Enterprise, kind: str, target_month: int | None = None,
    target_quarter: int | None = None, officers: list[User] | None = None, note: str = "", by: User,
) -> PlanItem:
    """Add an enterprise to a draft plan by hand."""
    _require_editable(plan, by)
    if not scoped(Enterprise.objects.filter(pk=enterprise.pk), by).exists():
        raise ValidationError({"enterprise": _("不能将其他单位监管的企业列入本单位计划")})
    if PlanItem.objects.filter(plan=plan, enterprise=enterprise, kind=kind).exists():
        raise ValidationError({"enterprise": _("该企业已在计划中（同一检查类型）")})
    officers = list(officers or [])
    quarter = _check_period(target_month, target_quarter)
    _check_officers(enterprise, officers)
    item = PlanItem.objects.create(
        plan=plan, enterprise=enterprise, kind=kind, target_month=target_month, target_quarter=quarter,
        note=note, reason=_("手工添加"),
    )
    item.officers.set(officers)
    return item


@transaction.atomic
def plan_item_update(
    *, item: PlanItem, kind: str, target_month: int | None, target_quarter: int | None,
    officers: list[User], note: str, by: User, version: int | None = None,
) -> PlanItem:
    """Adjust an item of a draft plan (period, kind, officers, note).

    ``version`` is the version the edit started from; a stale one raises ``EditConflict``.
    """
    _require_editable(item.plan, by)
    item = version_lock(item, version=version, submitted={
        "kind": kind, "target_month": target_month, "target_quarter": target_quarter, "note": note})
    if kind != item.kind and PlanItem.objects.filter(
        plan=item.plan, enterprise=item.enterprise, kind=kind
    ).exclude(pk=item.pk).exists():
        raise ValidationError({"kind": _("该企业已有同类型计划项")})
    quarter = _check_period(target_month, target_quarter)
    _check_officers(item.enterprise, officers)
    item.kind = kind
    item.target_month = target_month
    item.target_quarter = quarter
    item.note = note
    item.save()
    item.officers.set(officers)
    return item


@transaction.atomic
def plan_item_delete(*, item: PlanItem, by: User) -> None:
    _require_editable(item.plan, by)
    if item.inspections.exists():
        raise ValidationError(_("已有检查关联该计划项，不能删除"))
    item.delete()


@transaction.atomic
def plan_item_link(*, item: PlanItem, inspection: Inspection, by: User) -> Inspection:
    """Link an inspection to the item it fulfils (same enterprise, same year)."""
    require_edit(by, item)
    problem = plan_item_mismatch(item, enterprise_id=inspection.enterprise_id, unit_id=inspection.unit_id)
    if problem:
        raise ValidationError(problem)
    if inspection.start_date.year != item.plan.year:
        raise ValidationError(_("检查日期不在计划年度内"))
    if inspection.plan_item_id and inspection.plan_item_id != item.id:
        raise ValidationError(_("该检查已关联其他计划项"))
    inspection.plan_item = item
    inspection.save(update_fields=["plan_item", "updated_at", "version"])
    plan_items_refresh_done([item.id])
    return inspection


def _matching_kinds(item_kind: str) -> set[str] | None:
    """Which inspection kinds fulfil an item: a flight item needs a flight inspection; others any kind."""
    if item_kind == InspectionKind.FLIGHT:
        return {InspectionKind.FLIGHT}
    return None


@transaction.atomic
def plan_items_autolink(*, plans, by: User | None) -> int:
    """Link this year's unlinked finalised inspections to the open items of ``plans`` (bulk); returns how many."""
    plans = list(plans)
    if by is not None:
        for plan in plans:
            require_edit(by, plan)
    items = list(
        PlanItem.objects.filter(plan__in=plans, inspections__isnull=True).select_related("plan")
        .order_by("target_month", "id")
    )
    if not items:
        return 0
    years = {item.plan.year for item in items}
    candidates: dict[int, list[Inspection]] = {}
    for inspection in Inspection.objects.filter(
        enterprise_id__in={i.enterprise_id for i in items}, plan_item__isnull=True,
        status=InspectionStatus.FINALISED, start_date__year__in=years,
    ).order_by("start_date", "id"):
        candidates.setdefault(inspection.enterprise_id, []).append(inspection)
    linked = []
    for item in items:
        kinds = _matching_kinds(item.kind)
        for inspection in candidates.get(item.enterprise_id, []):
            if inspection.plan_item_id or inspection.start_date.year != item.plan.year:
                continue
            if plan_item_mismatch(item, enterprise_id=inspection.enterprise_id, unit_id=inspection.unit_id):
                continue
            if kinds is not None and inspection.kind not in kinds:
                continue
            inspection.plan_item_id = item.id
            linked.append(inspection)
            break
    Inspection.objects.bulk_update(linked, ["plan_item"], batch_size=2000)
    plan_items_refresh_done([inspection.plan_item_id for inspection in linked])
    return len(linked)


# --- plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_submit(*, plan: InspectionPlan, by: User) -> InspectionPlan:
    require_edit(by, plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("只有草稿计划可以提交"))
    if not plan.items.exists():
        raise ValidationError(_("计划没有任何计划项，不能提交"))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_by = by
    plan.submitted_at = timezone.now()
    plan.save()
    plan_submitted_notify(plan=plan, by=by)
    return plan


@transaction.atomic
def plan_approve(*, plan: InspectionPlan, by: User) -> InspectionPlan:
    """The chief approves a draft or submitted plan."""
    require_approver(by)
    require_edit(by, plan)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("计划已批准"))
    if not plan.items.exists():
        raise ValidationError(_("计划没有任何计划项，不能批准"))
    plan.status = PlanStatus.APPROVED
    plan.approved_by = by
    plan.approved_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def plan_return(*, plan: InspectionPlan, reason: str, by: User) -> InspectionPlan:
    """The chief sends a plan back to draft for changes."""
    require_approver(by)
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError(_("计划已是草稿"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    plan.status = PlanStatus.DRAFT
    plan.approved_by = None
    plan.approved_at = None
    plan._change_reason = reason.strip()
    plan.save()
    return plan
