"""Generate a unit's annual plans from due dates, coverage targets and the 双随机 draw."""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import ACTIVE_STATUSES
from enterprises.grading.services import scheme_for
from enterprises.models import Enterprise, EnterpriseGrade, Unit, User
from inspections.choices import InspectionKind, PlanKind, PlanStatus
from inspections.models import AnnualTarget, InspectionPlan, PlanItem, RandomDraw
from inspections.planning.choices import ItemSource, TargetKind
from inspections.planning.due import due_date, with_last_inspected
from inspections.planning.services import draw_create
from inspections.planning.targets import counted_inspections, denominator
from regsys.scoping import require_unit


@dataclass
class GenerateResult:
    routine: InspectionPlan
    flight: InspectionPlan
    added: dict = field(default_factory=lambda: defaultdict(int))
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{ItemSource(k).label} {v} 项" for k, v in self.added.items() if v]
        text = _("已生成：") + ("，".join(parts) if parts else _("没有新增计划项"))
        if self.warnings:
            text += "；" + "；".join(self.warnings)
        return text


def _first_open_month(year: int, today: datetime.date) -> int:
    return today.month if today.year == year else 1


def _spread_quarters(count: int, first_month: int) -> list[int]:
    """Quarters for ``count`` items, round-robin over the quarters still open."""
    first = (first_month - 1) // 3 + 1
    quarters = list(range(first, 5))
    return [quarters[i % len(quarters)] for i in range(count)]


@transaction.atomic
def plan_generate(*, unit: Unit, year: int, by: User | None, today: datetime.date | None = None,
                  seed: str | None = None) -> GenerateResult:
    """Create (or top up) ``unit``'s draft 日常 and 飞行 plans for ``year``.

    1. every graded enterprise whose next inspection falls due by year end (month = due month; never
       inspected ones spread evenly over the months still open);
    2. coverage targets: enough further enterprises of each target's denominator (not yet inspected
       or planned) to reach the required share, chosen at random with a recorded seed;
    3. sampled levels (e.g. 一级 ≥25%): a 双随机 draw per level, its picks with their officers;
    4. the flight plan: the unit's share of the district's flight-inspection target, highest grades first.
    Only inspections dated before ``today`` count. Enterprises already in the plan are not added twice;
    approved or submitted plans are refused.
    """
    if by is not None:
        require_unit(by, unit.id)
    today = today or timezone.localdate()
    scheme = scheme_for(year)
    plans = {}
    for kind in (PlanKind.ROUTINE, PlanKind.FLIGHT):
        plan, _created = InspectionPlan.objects.get_or_create(unit=unit, year=year, kind=kind)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("%(plan)s 已提交或已批准，不能重新生成") % {"plan": plan})
        plans[kind] = plan
    result = GenerateResult(routine=plans[PlanKind.ROUTINE], flight=plans[PlanKind.FLIGHT])
    first_month = _first_open_month(year, today)
    rng = random.Random(f"plan:{seed or ''}:{unit.code}:{year}")
    planned = {
        kind: set(PlanItem.objects.filter(plan=plan).values_list("enterprise_id", flat=True))
        for kind, plan in plans.items()
    }
    new_items: list[tuple[PlanItem, list[int]]] = []

    def add(kind: str, item: PlanItem, officers: list[int] | None = None) -> None:
        planned[kind].add(item.enterprise_id)
        new_items.append((item, officers or []))
        result.added[item.source] += 1

    # 1. due dates
    grades = with_last_inspected(
        EnterpriseGrade.objects.filter(
            year=year, enterprise__owning_unit=unit, enterprise__status__in=ACTIVE_STATUSES,
            level__interval_months__isnull=False,
        ).select_related("level", "enterprise"),
        scheme,
        before=today,
    )
    year_end = datetime.date(year, 12, 31)
    earliest: dict[int, tuple[datetime.date, EnterpriseGrade]] = {}
    for grade in grades:
        due = due_date(grade.last_inspected, grade.level, year)
        if due is None or due > year_end:
            continue
        if grade.enterprise_id not in earliest or due < earliest[grade.enterprise_id][0]:
            earliest[grade.enterprise_id] = (due, grade)
    open_months = list(range(first_month, 13))
    never = 0
    for enterprise_id, (due, grade) in sorted(earliest.items(), key=lambda kv: (kv[1][0], kv[0])):
        if enterprise_id in planned[PlanKind.ROUTINE]:
            continue
        if grade.last_inspected is None:
            # never inspected: due within the year; spread evenly over the months still open
            month = open_months[never % len(open_months)]
            never += 1
            reason = _("%(level)s，无检查记录，年内完成") % {"level": grade.level}
        else:
            month = max(due.month if due.year == year else 1, first_month)
            reason = _("%(level)s，应检日期 %(due)s") % {"level": grade.level, "due": due.isoformat()}
        add(PlanKind.ROUTINE, PlanItem(
            plan=plans[PlanKind.ROUTINE], enterprise_id=enterprise_id, kind=InspectionKind.ROUTINE,
            target_month=month, target_quarter=(month - 1) // 3 + 1, source=ItemSource.DUE, due_date=due,
            reason=reason,
        ))

    # 2. coverage targets
    for target in AnnualTarget.objects.filter(year=year, is_active=True, kind=TargetKind.COVERAGE,
                                              district_only=False):
        members = sorted(denominator(target, unit).values_list("id", flat=True))
        inspected = set(counted_inspections(target).filter(enterprise_id__in=members, start_date__lt=today)
                        .values_list("enterprise_id", flat=True))
        required = math.ceil(len(members) * target.min_ratio)
        covered = inspected | (planned[PlanKind.ROUTINE] & set(members))
        open_members = [m for m in members if m not in covered]
        need = max(0, required - len(covered & set(members)))
        chosen = rng.sample(open_members, min(need, len(open_members)))
        for enterprise_id, quarter in zip(sorted(chosen), _spread_quarters(len(chosen), first_month),
                                          strict=True):
            add(PlanKind.ROUTINE, PlanItem(
                plan=plans[PlanKind.ROUTINE], enterprise_id=enterprise_id, kind=InspectionKind.ROUTINE,
                target_quarter=quarter, source=ItemSource.TARGET, reason=target.name[:200],
            ))

    # 3. sampled levels → 双随机 draw (one per level and year; an existing draw is reused)
    for level in scheme.levels.filter(interval_months__isnull=True).order_by("sector", "rank"):
        draw = RandomDraw.objects.filter(unit=unit, year=year, sector=level.sector, level_codes=level.code).first()
        if draw is None:
            try:
                with transaction.atomic():
                    draw = draw_create(
                        unit=unit, year=year, name=_("%(level)s 双随机抽查") % {"level": level},
                        sector=level.sector, level_codes=level.code, ratio=level.sample_ratio,
                        seed=f"{seed}:{unit.code}:{level.code}" if seed else None, by=by,
                    )
            except ValidationError as exc:
                if EnterpriseGrade.objects.filter(year=year, level=level, enterprise__owning_unit=unit).exists():
                    result.warnings.append(f"{level}：{'；'.join(exc.messages)}")
                continue
        picks = draw.picks.prefetch_related("officers").order_by("position")
        open_picks = [p for p in picks if p.enterprise_id not in planned[PlanKind.ROUTINE]]
        for pick, quarter in zip(open_picks, _spread_quarters(len(open_picks), first_month), strict=True):
            add(PlanKind.ROUTINE, PlanItem(
                plan=plans[PlanKind.ROUTINE], enterprise_id=pick.enterprise_id, kind=InspectionKind.RANDOM,
                target_quarter=quarter, source=ItemSource.DRAW, draw=draw,
                reason=_("双随机抽取：%(name)s") % {"name": draw.name},
            ), [o.id for o in pick.officers.all()])

    # 4. flight plan: the unit's share of the district flight target
    flight = AnnualTarget.objects.filter(year=year, is_active=True, kind=TargetKind.COUNT,
                                         inspection_kinds__contains=InspectionKind.FLIGHT).first()
    if flight and flight.min_count:
        district = Enterprise.objects.filter(status__in=ACTIVE_STATUSES).count()
        mine = Enterprise.objects.filter(status__in=ACTIVE_STATUSES, owning_unit=unit)
        share = math.ceil(flight.min_count * mine.count() / district) if district else 0
        need = max(0, share - len(planned[PlanKind.FLIGHT]))
        ranked = sorted(
            EnterpriseGrade.objects.filter(year=year, enterprise__in=mine)
            .exclude(enterprise_id__in=planned[PlanKind.FLIGHT])
            .values_list("enterprise_id", "is_key", "level__rank"),
            key=lambda row: (not row[1], -row[2], row[0]),
        )
        key_ids: list[int] = []
        others: list[int] = []
        for enterprise_id, is_key, _rank in ranked:
            if enterprise_id not in key_ids and enterprise_id not in others:
                (key_ids if is_key else others).append(enterprise_id)
        # 年度重点监管 enterprises first; others (highest level first) only to make up the number
        candidates = key_ids if len(key_ids) >= need else key_ids + others[: 2 * (need - len(key_ids))]
        chosen = sorted(rng.sample(candidates, min(need, len(candidates))))
        for enterprise_id, quarter in zip(chosen, _spread_quarters(len(chosen), first_month), strict=True):
            add(PlanKind.FLIGHT, PlanItem(
                plan=plans[PlanKind.FLIGHT], enterprise_id=enterprise_id, kind=InspectionKind.FLIGHT,
                target_quarter=quarter, source=ItemSource.FLIGHT,
                reason=_("飞行检查：全区不少于%(n)s家，本单位分担%(s)s家") % {"n": flight.min_count, "s": share},
            ))

    created = PlanItem.objects.bulk_create([item for item, _o in new_items], batch_size=2000)
    through = PlanItem.officers.through
    through.objects.bulk_create(
        [through(planitem_id=item.id, user_id=o) for item, (_i, offs) in zip(created, new_items, strict=True)
         for o in offs],
        batch_size=2000,
    )
    now = timezone.now()
    for plan in plans.values():
        plan.generated_at = now
        plan.save(update_fields=["generated_at"])
    return result
