"""The plan-progress dashboard (per unit and for the district) and its Excel export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from enterprises.grading.selectors import visible_units
from inspections.planning.progress import progress_figures
from regsys.exports import export_start
from regsys.scoping import scope_for


def _until_today(values: list[int], year: int, today) -> list[int | None]:
    """Monthly figures with months still to come left blank (the chart draws no false zero)."""
    if year < today.year:
        return values
    if year > today.year:
        return [None] * len(values)
    return [v if month <= today.month else None for month, v in enumerate(values, start=1)]


def _context(request, missing_limit: int | None = 50, cached: bool = False) -> dict:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    scope = scope_for(request.user)
    units = list(visible_units(request.user))
    unit = None
    if not scope.district_wide:
        unit = units[0] if units else None
    elif request.GET.get("unit", "").isdigit():
        unit = get_object_or_404(visible_units(request.user), pk=int(request.GET["unit"]))
    figures = progress_figures(request.user, scope=scope, year=year, unit=unit, units=units, today=today,
                               missing_limit=missing_limit, cached=cached, fresh=bool(request.GET.get("fresh")))
    progress, targets = figures.progress, figures.targets
    district = unit is None and scope.district_wide
    seconds = settings.REGSYS_COCKPIT_CACHE_SECONDS if cached else 0
    context = {
        "year": year, "unit": unit, "units": units, "progress": progress, "targets": targets, "today": today,
        "district": district, "computed_at": figures.computed_at if seconds else None,
        "cache_minutes": max(1, seconds // 60),
        "chart": {"months": [f"{m}月" for m in progress["months"]], "planned": progress["planned"],
                  "done": _until_today(progress["done"], year, today),
                  "inspections": _until_today(progress["inspections"], year, today),
                  "kinds": [k["label"] for k in progress["by_kind"]],
                  "kind_planned": [k["planned"] for k in progress["by_kind"]],
                  "kind_done": [k["done"] for k in progress["by_kind"]]},
    }
    if district:
        context["unit_rows"] = [
            {"unit": u, **figures.summary[u.id], "targets": [figures.by_unit[t.target.id][u.id] for t in targets]}
            for u in units
        ]
    return context


@login_required
def progress(request):
    return render(request, "inspections/planning/progress.html", _context(request, cached=True))


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


def _yes_no(value) -> str:
    return "" if value is None else ("是" if value else "否")


@login_required
def progress_export(request):
    return export_start(request, "plan_progress")
