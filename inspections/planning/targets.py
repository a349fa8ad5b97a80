"""Annual target arithmetic: numerator, denominator, percentage, on-track, missing enterprises.

Each target is defined once as data (``AnnualTarget``): the denominator selects enterprises with
``enterprises.links.link_q`` and tag codes; the numerator is those with a finalised inspection of
the counted kinds in the year. District figures and the per-unit breakdown use one grouped query each.
"""

from __future__ import annotations

import calendar
import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from enterprises.choices import ACTIVE_STATUSES
from enterprises.links import link_q
from enterprises.models import Enterprise, Unit
from inspections.choices import InspectionStatus
from inspections.models import AnnualTarget, Inspection
from inspections.planning.choices import TargetKind


def year_elapsed(year: int, today: datetime.date) -> Decimal:
    """Share of ``year`` elapsed on ``today`` (0 before it starts, 1 after it ends)."""
    if today.year < year:
        return Decimal(0)
    if today.year > year:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


def denominator(target: AnnualTarget, unit: Unit | None = None) -> QuerySet:
    """The enterprises a coverage target is about (active, in any of its links, with any of its tags)."""
    qs = Enterprise.objects.filter(status__in=ACTIVE_STATUSES)
    if unit is not None:
        qs = qs.filter(owning_unit=unit)
    links = Q()
    for link in target.link_list:
        links |= link_q(link)
    qs = qs.filter(links)
    if target.tag_list:
        qs = qs.filter(id__in=Enterprise.tags.through.objects.filter(tag__code__in=target.tag_list)
                       .values("enterprise_id"))
    return qs


def counted_inspections(target: AnnualTarget) -> QuerySet:
    """Finalised inspections of the target's year and kinds."""
    qs = Inspection.objects.filter(status=InspectionStatus.FINALISED, start_date__year=target.year)
    if target.kind_list:
        qs = qs.filter(kind__in=target.kind_list)
    return qs


@dataclass
class TargetProgress:
    """One target's figures for the district or one unit."""

    target: AnnualTarget
    numerator: int
    denominator: int | None  # None for a count target
    required: int | None  # None when the target is assessed district-wide only
    expected_by_now: int | None
    missing: list = field(default_factory=list)
    missing_count: int = 0

    @property
    def percentage(self) -> Decimal | None:
        base = self.denominator if self.target.kind == TargetKind.COVERAGE else self.required
        if not base:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(base)).quantize(Decimal("0.1"))

    @property
    def on_track(self) -> bool | None:
        if self.required is None:
            return None
        return self.numerator >= self.expected_by_now

    @property
    def met(self) -> bool | None:
        if self.required is None:
            return None
        return self.numerator >= self.required


def _required(target: AnnualTarget, denominator_count: int) -> int:
    if target.kind == TargetKind.COUNT:
        return target.min_count or 0
    return math.ceil(Decimal(denominator_count) * (target.min_ratio or Decimal(0)))


def target_progress(
    target: AnnualTarget, *, unit: Unit | None, today: datetime.date, missing_limit: int | None = 50
) -> TargetProgress:
    """Figures of ``target`` for ``unit`` (None = district), with up to ``missing_limit`` missing enterprises."""
    elapsed = year_elapsed(target.year, today)
    inspected = counted_inspections(target).values("enterprise_id")
    if target.kind == TargetKind.COUNT:
        qs = Enterprise.objects.all()
        if unit is not None:
            qs = qs.filter(owning_unit=unit)
        links = Q()
        for link in target.link_list:
            links |= link_q(link)
        numerator = qs.filter(links, id__in=inspected).count()
        required = None if (unit is not None and target.district_only) else _required(target, 0)
        expected = None if required is None else math.floor(required * elapsed)
        return TargetProgress(target, numerator, None, required, expected)
    base = denominator(target, unit)
    total = base.count()
    done = base.filter(id__in=inspected)
    numerator = done.count()
    required = None if (unit is not None and target.district_only) else _required(target, total)
    expected = None if required is None else math.floor(required * elapsed)
    missing_qs = base.exclude(id__in=inspected).select_related("owning_unit").order_by("name")
    missing = list(missing_qs[:missing_limit] if missing_limit else missing_qs)
    return TargetProgress(target, numerator, total, required, expected, missing, total - numerator)


def targets_progress(
    year: int, *, unit: Unit | None, today: datetime.date, missing_limit: int | None = 50
) -> list[TargetProgress]:
    targets = AnnualTarget.objects.filter(year=year, is_active=True)
    return [target_progress(t, unit=unit, today=today, missing_limit=missing_limit) for t in targets]


def targets_by_unit(year: int, units: list[Unit], today: datetime.date) -> dict[int, dict[int, TargetProgress]]:
    """target id → unit id → figures; one grouped query per target."""
    elapsed = year_elapsed(year, today)
    result: dict[int, dict[int, TargetProgress]] = {}
    for target in AnnualTarget.objects.filter(year=year, is_active=True):
        inspected = counted_inspections(target).values("enterprise_id")
        if target.kind == TargetKind.COUNT:
            links = Q()
            for link in target.link_list:
                links |= link_q(link)
            base = Enterprise.objects.filter(links, id__in=inspected)
            rows = base.values("owning_unit").annotate(done=Count("id"))
            counts = {r["owning_unit"]: (None, r["done"]) for r in rows}
        else:
            rows = denominator(target).values("owning_unit").annotate(
                total=Count("id"), done=Count("id", filter=Q(id__in=inspected))
            )
            counts = {r["owning_unit"]: (r["total"], r["done"]) for r in rows}
        per_unit = {}
        for unit in units:
            total, done = counts.get(unit.id, (0 if target.kind == TargetKind.COVERAGE else None, 0))
            if target.district_only:
                required = expected = None
            else:
                required = _required(target, total or 0)
                expected = math.floor(required * elapsed)
            per_unit[unit.id] = TargetProgress(target, done, total, required, expected)
        result[target.id] = per_unit
    return result
