"""Demo plans: approved 日常/飞行 plans for every unit this year, their draws, linked inspections.

Plans are generated as on 15 January (or ``ctx.today`` before it) and approved on 31 January (in January
they still wait for approval), with due dates, targets, 双随机 draws with a recorded seed; this
year's finalised demo inspections are then linked to their items — an inspection of an enterprise
not in the generated plan gets an item added by hand — so progress follows the demo inspections.
Bulk writes; a fixed number of queries per unit (also at ``ctx.scale``).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from enterprises.choices import Role, UnitKind
from enterprises.models import Unit, User
from inspections.choices import InspectionKind, InspectionStatus, PlanKind, PlanStatus
from inspections.models import ConflictOfInterest, Inspection, InspectionPlan, PlanItem, RandomDraw
from inspections.planning.choices import ItemSource
from inspections.planning.draws import officer_pool_queryset
from inspections.planning.generate import plan_generate
from inspections.planning.services import plan_items_autolink, targets_ensure


def _conflicts(ctx, units: list[Unit]) -> int:
    """One declared conflict per unit with at least three officers (so every draw still finds two)."""
    rng = ctx.rng("conflicts")
    rows = []
    for unit in units:
        pool = list(officer_pool_queryset(unit).order_by("username")[:3])
        if len(pool) < 3:
            continue
        officer = pool[0]
        enterprise_ids = list(unit.enterprises.order_by("id").values_list("id", flat=True)[:50])
        if officer and enterprise_ids:
            rows.append(ConflictOfInterest(
                officer=officer, enterprise_id=rng.choice(enterprise_ids), reason="配偶在该企业任质量负责人",
                declared_on=min(datetime.date(ctx.year, 1, 5), ctx.today),
            ))
    ConflictOfInterest.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _add_items_for_unplanned(ctx, units: list[Unit]) -> int:
    """Items for this year's finalised inspections whose enterprise the generated plan left out."""
    plans = {(p.unit_id, p.kind): p for p in InspectionPlan.objects.filter(year=ctx.year, unit__in=units)}
    planned = set(PlanItem.objects.filter(plan__in=plans.values()).values_list("plan_id", "enterprise_id"))
    items = {}
    for inspection in Inspection.objects.filter(
        start_date__year=ctx.year, status=InspectionStatus.FINALISED, plan_item__isnull=True,
        enterprise__owning_unit__in=units,
    ).exclude(kind__in=(InspectionKind.FOLLOW_UP, InspectionKind.FOR_CAUSE, InspectionKind.LICENSING,
                        InspectionKind.POST_FILING)).values("enterprise_id", "enterprise__owning_unit", "kind",
                                                            "start_date").order_by("start_date", "id"):
        kind = PlanKind.FLIGHT if inspection["kind"] == InspectionKind.FLIGHT else PlanKind.ROUTINE
        plan = plans.get((inspection["enterprise__owning_unit"], kind))
        if plan is None or (plan.id, inspection["enterprise_id"]) in planned:
            continue
        planned.add((plan.id, inspection["enterprise_id"]))
        month = inspection["start_date"].month
        items[(plan.id, inspection["enterprise_id"])] = PlanItem(
            plan=plan, enterprise_id=inspection["enterprise_id"],
            kind=InspectionKind.FLIGHT if kind == PlanKind.FLIGHT else InspectionKind.ROUTINE,
            target_month=month, target_quarter=(month - 1) // 3 + 1, source=ItemSource.MANUAL,
            reason="年初手工列入",
        )
    PlanItem.objects.bulk_create(items.values(), batch_size=2000)
    return len(items)


def seed(ctx) -> str:
    targets_ensure(year=ctx.year)
    targets_ensure(year=ctx.year - 1)
    units = list(Unit.objects.filter(kind__in=(UnitKind.STATION, UnitKind.SECTION))
                 .filter(Q(enterprises__isnull=False)).distinct().order_by("sort_order", "code"))
    conflicts = _conflicts(ctx, units)
    generated_on = min(datetime.date(ctx.year, 1, 15), ctx.today)
    warnings = []
    for unit in units:
        result = plan_generate(unit=unit, year=ctx.year, by=None, today=generated_on, seed=str(ctx.seed))
        warnings.extend(result.warnings)
    added = _add_items_for_unplanned(ctx, units)
    plans = InspectionPlan.objects.filter(year=ctx.year, unit__in=units)
    generated_at = timezone.make_aware(datetime.datetime.combine(generated_on, datetime.time(9)))
    plans.update(generated_at=generated_at)
    # the draws were made with the plans on 15 January (before they were published on 31 January)
    RandomDraw.objects.filter(year=ctx.year, unit__in=units).update(created_at=generated_at)
    RandomDraw.history.filter(year=ctx.year, unit__in=units).update(history_date=generated_at)
    linked = plan_items_autolink(plans=plans, by=None)
    approver = User.objects.filter(role=Role.LEADER).order_by("username").first()
    approved_on = datetime.date(ctx.year, 1, 31)
    if ctx.today > approved_on:
        approved_at = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(9)))
        plans.exclude(items__isnull=True).update(status=PlanStatus.APPROVED, approved_by=approver,
                                                 approved_at=approved_at)
        RandomDraw.objects.filter(year=ctx.year, unit__in=units).update(published_at=approved_at,
                                                                         published_by=approver)
    else:  # January: the plans are generated and wait for the chief's approval (due by 31 January)
        plans.exclude(items__isnull=True).update(status=PlanStatus.SUBMITTED)
    items = PlanItem.objects.filter(plan__in=plans).count()
    draws = RandomDraw.objects.filter(year=ctx.year).count()
    note = f"（{len(warnings)} 条提示）" if warnings else ""
    return (f"检查计划：{plans.count()} 个计划、{items} 个计划项（其中手工列入 {added} 项），关联检查 {linked} 次，"
            f"双随机抽取 {draws} 次，回避关系 {conflicts} 条{note}")
