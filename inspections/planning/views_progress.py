"""The plan-progress dashboard (per unit and for the district) and its Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from enterprises.grading.selectors import visible_units
from enterprises.grading.xlsx import fill, workbook_bytes, xlsx_response
from inspections.models import Inspection, PlanItem
from inspections.planning.selectors import plan_progress, unit_plan_summary
from inspections.planning.targets import district_and_units, targets_progress
from regsys.scoping import scope_for, scoped


def _until_today(values: list[int], year: int, today) -> list[int | None]:
    """Monthly figures with months still to come left blank (the chart draws no false zero)."""
    if year < today.year:
        return values
    if year > today.year:
        return [None] * len(values)
    return [v if month <= today.month else None for month, v in enumerate(values, start=1)]


def _context(request, missing_limit: int | None = 50) -> dict:
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
    items = scoped(PlanItem.objects.filter(plan__year=year), request.user)
    inspections = scoped(Inspection.objects.all(), request.user)
    if unit is not None:
        items = items.filter(plan__unit=unit)
        inspections = inspections.filter(enterprise__owning_unit=unit)
    progress = plan_progress(items, inspections, year)
    district = unit is None and scope.district_wide
    by_unit = {}
    if district:  # the district table and the per-unit table share one grouped pass
        targets, by_unit = district_and_units(year, units, today=today, missing_limit=missing_limit)
    elif unit is not None:
        targets = targets_progress(year, unit=unit, today=today, missing_limit=missing_limit)
    else:
        targets = []
    context = {
        "year": year, "unit": unit, "units": units, "progress": progress, "targets": targets, "today": today,
        "district": district,
        "chart": {"months": [f"{m}月" for m in progress["months"]], "planned": progress["planned"],
                  "done": _until_today(progress["done"], year, today),
                  "inspections": _until_today(progress["inspections"], year, today),
                  "kinds": [k["label"] for k in progress["by_kind"]],
                  "kind_planned": [k["planned"] for k in progress["by_kind"]],
                  "kind_done": [k["done"] for k in progress["by_kind"]]},
    }
    if district:
        summary = unit_plan_summary(year, units)
        context["unit_rows"] = [
            {"unit": u, **summary[u.id], "targets": [by_unit[t.target.id][u.id] for t in targets]}
            for u in units
        ]
    return context


@login_required
def progress(request):
    return render(request, "inspections/planning/progress.html", _context(request))


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


def _yes_no(value) -> str:
    return "" if value is None else ("是" if value else "否")


@login_required
def progress_export(request):
    ctx = _context(request, missing_limit=None)
    p = ctx["progress"]
    scope_name = ctx["unit"].display_name if ctx["unit"] else "全区"
    month_rows = [(f"{m}月", a, b, c) for m, a, b, c in zip(p["months"], p["planned"], p["done"], p["inspections"],
                                                           strict=True)]
    month_rows.append(("合计", sum(p["planned"]), sum(p["done"]), sum(p["inspections"])))
    kind_rows = [(k["label"], k["planned"], k["done"]) for k in p["by_kind"]]
    target_rows, missing_rows = [], []
    for t in ctx["targets"]:
        target_rows.append((
            t.target.name, t.numerator, "" if t.denominator is None else t.denominator,
            "" if t.required is None else t.required, _pct(t.percentage),
            "" if t.expected_by_now is None else t.expected_by_now, _yes_no(t.on_track), _yes_no(t.met),
            t.target.basis, fill("success" if t.on_track else "danger") if t.on_track is not None else fill("secondary"),
        ))
        for e in t.missing:
            missing_rows.append((t.target.name, e.name, e.credit_code, e.owning_unit.display_name))
    sheets = [
        ("按月份", ["月份", "计划检查", "按计划完成", "全部已完成检查"], month_rows),
        ("按检查类型", ["检查类型", "计划", "已完成"], kind_rows),
        ("年度指标", ["指标", "已检查（分子）", "企业数（分母）", "全年应检", "完成率", "截至今日应完成", "进度达标",
                  "全年已达标", "依据"], target_rows),
        ("尚未检查企业", ["指标", "企业名称", "统一社会信用代码", "监管单位"], missing_rows),
    ]
    if ctx.get("unit_rows"):
        headers = ["单位", "计划项", "已完成"] + [t.target.name for t in ctx["targets"]]
        rows = [
            [r["unit"].display_name, r["planned"], r["done"]]
            + [f"{x.numerator}/{x.denominator if x.denominator is not None else '—'}" for x in r["targets"]]
            for r in ctx["unit_rows"]
        ]
        sheets.append(("各单位", headers, rows))
    return xlsx_response(workbook_bytes(sheets), f"{ctx['year']}年检查计划进度-{scope_name}.xlsx")
