"""双随机 draws: the pool definition, the officer pool and the reproducible draw itself.

``draw_run`` is a pure function of the recorded pool, officer pool, conflicts, ratio and seed, so
anyone can re-run a recorded draw and must get the same enterprises and officers.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from enterprises.choices import ACTIVE_STATUSES
from enterprises.grading.rules import sector_q
from enterprises.models import Enterprise, Unit, User
from inspections.models import ConflictOfInterest

MIN_OFFICERS = 2  # 两名以上执法人员 (行政处罚法第42条; domain.md §6.1)


def split_codes(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def pool_queryset(
    *, unit: Unit, year: int, sector: str = "", level_codes: str = "", tag_codes: str = ""
) -> QuerySet:
    """Active enterprises of ``unit`` matching the pool definition."""
    qs = Enterprise.objects.filter(owning_unit=unit, status__in=ACTIVE_STATUSES)
    if sector:
        qs = qs.filter(sector_q(sector))
    levels = split_codes(level_codes)
    if levels:
        grade_q = Q(grades__year=year, grades__level__code__in=levels)
        if sector:
            grade_q &= Q(grades__sector=sector)
        qs = qs.filter(grade_q)
    tags = split_codes(tag_codes)
    if tags:
        qs = qs.filter(tags__code__in=tags)
    return qs.distinct()


def officer_pool_queryset(unit: Unit) -> QuerySet:
    """The unit's officers who may inspect: active users holding an enforcement or inspector certificate."""
    return User.objects.filter(unit=unit, is_active=True).filter(
        ~Q(enforcement_cert_no="") | ~Q(inspector_cert_no="")
    )


def conflict_pairs(officer_ids: list[int], enterprise_ids: list[int]) -> list[list[int]]:
    """Active conflicts among the given officers and enterprises, as sorted [officer, enterprise] pairs."""
    return sorted(
        [o, e] for o, e in ConflictOfInterest.objects.filter(
            is_active=True, officer_id__in=officer_ids, enterprise_id__in=enterprise_ids
        ).values_list("officer_id", "enterprise_id")
    )


def draw_size(pool_size: int, ratio: Decimal) -> int:
    """How many enterprises a ratio means: rounded up (≥25% of 10 = 3)."""
    return math.ceil(Decimal(pool_size) * Decimal(ratio))


def draw_run(
    *, pool: list[int], officer_pool: list[int], conflicts: list[list[int]], ratio: Decimal,
    officers_per_enterprise: int, seed: str,
) -> list[tuple[int, list[int]]]:
    """The picks of a draw: [(enterprise id, [officer ids])] in draw order. Deterministic in the inputs."""
    if officers_per_enterprise < MIN_OFFICERS:
        raise ValidationError(_("每户检查人员不得少于%(n)s名") % {"n": MIN_OFFICERS})
    rng = random.Random(f"regsys-draw:{seed}")
    enterprises = sorted(set(pool))
    officers = sorted(set(officer_pool))
    excluded = {(o, e) for o, e in conflicts}
    chosen = rng.sample(enterprises, draw_size(len(enterprises), ratio))
    picks = []
    for enterprise_id in chosen:
        eligible = [o for o in officers if (o, enterprise_id) not in excluded]
        if len(eligible) < officers_per_enterprise:
            raise ValidationError(
                _("检查人员库不足：企业（ID %(e)s）回避后只剩 %(n)s 名可选检查人员，至少需要 %(k)s 名")
                % {"e": enterprise_id, "n": len(eligible), "k": officers_per_enterprise}
            )
        picks.append((enterprise_id, sorted(rng.sample(eligible, officers_per_enterprise))))
    return picks
