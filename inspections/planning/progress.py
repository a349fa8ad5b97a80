"""The plan-progress dashboard's figures: plan items by kind and month, the annual targets, the per-unit table.

They aggregate the whole year (at province scale hundreds of thousands of inspections), so the page keeps the
computed figures in the shared cache for ``REGSYS_COCKPIT_CACHE_SECONDS``, like the cockpit: a figure is at
most that old, the page says when it was computed, and ``fresh`` (the page's 刷新 link) recomputes now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from enterprises.models import Unit
from inspections.models import Inspection, PlanItem
from inspections.planning.selectors import plan_progress, unit_plan_summary
from inspections.planning.targets import TargetProgress, district_and_units, targets_progress
from regsys.scoping import Scope, scoped


@dataclass
class ProgressFigures:
    """What the dashboard shows for one scope, unit, year and day, and when it was computed."""

    progress: dict
    targets: list[TargetProgress]
    by_unit: dict[int, dict[int, TargetProgress]] = field(default_factory=dict)
    summary: dict[int, dict] = field(default_factory=dict)
    computed_at: datetime.datetime | None = None


def _cache_key(scope: Scope, year: int, unit: Unit | None, units: list[Unit], today: datetime.date,
               missing_limit: int | None) -> str:
    who = "district" if scope.district_wide else f"unit-{scope.unit_id}"
    ids = ",".join(str(u.pk) for u in units)
    return f"planning-progress:v1:{who}:{year}:{unit.pk if unit else ''}:{today}:{missing_limit}:{ids}"


def progress_figures(user, *, scope: Scope, year: int, unit: Unit | None, units: list[Unit],
                     today: datetime.date, missing_limit: int | None = 50, cached: bool = False,
                     fresh: bool = False) -> ProgressFigures:
    """The dashboard's figures for ``user`` (``unit`` None = the district for a district-wide user).

    ``cached``: read and keep them in the shared cache for ``REGSYS_COCKPIT_CACHE_SECONDS`` (0 = never);
    ``fresh``: compute them now (and keep the new figures).
    """
    seconds = settings.REGSYS_COCKPIT_CACHE_SECONDS if cached else 0
    key = _cache_key(scope, year, unit, units, today, missing_limit)
    if seconds and not fresh:
        figures = cache.get(key)
        if figures is not None:
            return figures
    figures = _compute(user, scope=scope, year=year, unit=unit, units=units, today=today,
                       missing_limit=missing_limit)
    if seconds:
        cache.set(key, figures, seconds)
    return figures


def _compute(user, *, scope: Scope, year: int, unit: Unit | None, units: list[Unit], today: datetime.date,
             missing_limit: int | None) -> ProgressFigures:
    items: QuerySet = scoped(PlanItem.objects.filter(plan__year=year), user)
    inspections: QuerySet = scoped(Inspection.objects.all(), user)
    if unit is not None:
        items = items.filter(plan__unit=unit)
        inspections = inspections.filter(enterprise__owning_unit=unit)
    figures = ProgressFigures(progress=plan_progress(items, inspections, year), targets=[],
                              computed_at=timezone.now())
    if unit is None and scope.district_wide:  # the district table and the per-unit table share one grouped pass
        figures.targets, figures.by_unit = district_and_units(year, units, today=today, missing_limit=missing_limit)
        figures.summary = unit_plan_summary(year, units)
    elif unit is not None:
        figures.targets = targets_progress(year, unit=unit, today=today, missing_limit=missing_limit)
    return figures
