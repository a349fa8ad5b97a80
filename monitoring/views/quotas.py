"""The AE quota dashboard, its drill-down lists and its Excel export.

Every number comes from ``monitoring.quotas`` (figures) and every drill-down list from the same module's
querysets, narrowed by ``scoped()``: a 所 user reads its own unit's figures and records only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.grading.selectors import visible_units
from enterprises.grading.xlsx import workbook_bytes, xlsx_response
from enterprises.models import Unit
from monitoring.choices import ReporterKind
from monitoring.quotas import (
    ae_quota_figures,
    counted_reports,
    hospitals_with_reports,
    quota_period,
    quota_unit_for,
    registrants_with_status,
    settings_for_year,
)
from regsys.exports import row_fill as fill
from regsys.scoping import scope_for, scoped

PAGE_SIZE = 50
QUARTERS = ((1, gettext_lazy("第一季度")), (2, gettext_lazy("第二季度")), (3, gettext_lazy("第三季度")), (4, gettext_lazy("第四季度")))
FIGURES = {
    "reports": gettext_lazy("计入指标的不良事件报告"),
    "registrants": gettext_lazy("注册人/备案人"),
    "registrants_registered": gettext_lazy("已在国家监测系统注册的注册人"),
    "registrants_missing": gettext_lazy("尚未在国家监测系统注册的注册人"),
    "hospitals": gettext_lazy("二级以上医疗机构"),
    "hospitals_covered": gettext_lazy("期内已报告的二级以上医疗机构"),
    "hospitals_zero": gettext_lazy("期内零报告的二级以上医疗机构"),
}


@dataclass(frozen=True)
class QuotaQuery:
    """The dashboard's selection: period and scope (a 所 user is always held to its own unit)."""

    year: int
    quarter: int | None
    cumulative: bool
    unit: Unit | None
    district: bool

    def params(self, **extra) -> str:
        values = {"year": self.year}
        if self.quarter:
            values["quarter"] = self.quarter
            values["mode"] = "cumulative" if self.cumulative else "single"
        if self.unit is not None and self.district:
            values["unit"] = self.unit.pk
        values.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(values)


def _int(value: str | None, low: int, high: int) -> int | None:
    if value and value.isdigit() and low <= int(value) <= high:
        return int(value)
    return None


def _query(request) -> QuotaQuery:
    today = timezone.localdate()
    year = _int(request.GET.get("year"), 2000, 2100) or today.year
    quarter = _int(request.GET.get("quarter"), 1, 4)
    cumulative = request.GET.get("mode") != "single"
    raw_unit = request.GET.get("unit", "")
    unit = quota_unit_for(request.user, "" if raw_unit == "none" else raw_unit)
    return QuotaQuery(year=year, quarter=quarter, cumulative=cumulative, unit=unit,
                      district=scope_for(request.user).district_wide)


def _number(value):
    return None if value is None else float(value)


def _chart(figures: dict, query: QuotaQuery) -> dict:
    drill = reverse("monitoring:ae_drilldown")
    months = figures["monthly"]
    units = figures["by_unit"]
    return {
        "months": [m["label"] for m in months],
        "month_reports": [m["reports"] if m["elapsed"] else None for m in months],
        "month_cumulative": [m["cumulative"] if m["elapsed"] else None for m in months],
        "month_expected": [_number(m["expected_cumulative"]) for m in months],
        "month_urls": [f"{drill}?{query.params(figure='reports', month=m['month'])}" for m in months],
        "units": [u["unit_name"] for u in units],
        "unit_reports": [u["reports"]["count"] for u in units],
        "unit_expected": [_number(u["reports"]["expected_to_date"]) for u in units],
        "unit_rates": [_number(u["reports"]["rate_per_million"]) for u in units],
        "unit_urls": [f"{drill}?{query.params(figure='reports', unit=u['unit_id'])}" for u in units],
        "kinds": [k["label"] for k in figures["by_kind"]],
        "kind_counts": [k["count"] for k in figures["by_kind"]],
        "kind_urls": [f"{drill}?{query.params(figure='reports', kind=k['kind'])}" for k in figures["by_kind"]],
    }


@login_required
def ae_dashboard(request):
    query = _query(request)
    figures = ae_quota_figures(year=query.year, quarter=query.quarter, unit=query.unit,
                               cumulative=query.cumulative)
    today = timezone.localdate()
    return render(request, "monitoring/dashboard.html", {
        "q": query, "f": figures, "chart": _chart(figures, query), "base": query.params(),
        "units": list(visible_units(request.user)) if query.district else [],
        "quarters": QUARTERS, "years": sorted({*range(today.year - 5, today.year + 2), query.year}, reverse=True),
    })


def _drill_queryset(request, query: QuotaQuery, figure: str):
    """The records behind one figure, narrowed to what the user may see."""
    period = quota_period(year=query.year, quarter=query.quarter, cumulative=query.cumulative,
                          as_of=timezone.localdate())
    user = request.user
    if figure == "reports":
        qs = counted_reports(period=period, unit=query.unit, settings=settings_for_year(query.year))
        raw_unit = request.GET.get("unit", "")
        if raw_unit == "none":
            if not query.district:
                raise Http404
            qs = qs.filter(unit__isnull=True)
        kind = request.GET.get("kind", "")
        if kind in ReporterKind.values:
            qs = qs.filter(reporter_kind=kind)
        month = _int(request.GET.get("month"), 1, 12)
        if month:
            qs = qs.filter(reported_on__month=month)
        qs = qs.select_related("reporter", "unit").order_by("-reported_on", "-id")
        return scoped(qs, user), period
    if figure.startswith("registrants"):
        qs = registrants_with_status(period=period, unit=query.unit).select_related(
            "owning_unit", "ae_registration").annotate(registration_id=F("ae_registration__id"))
        if figure == "registrants_missing":
            qs = qs.filter(is_registered=False)
        elif figure == "registrants_registered":
            qs = qs.filter(is_registered=True)
        return scoped(qs.order_by("owning_unit__sort_order", "name"), user), period
    qs = hospitals_with_reports(period=period, unit=query.unit).select_related("owning_unit")
    if figure == "hospitals_zero":
        qs = qs.filter(period_reports=0)
    elif figure == "hospitals_covered":
        qs = qs.filter(period_reports__gt=0)
    return scoped(qs.order_by("owning_unit__sort_order", "name"), user), period


@login_required
def ae_drilldown(request):
    query = _query(request)
    figure = request.GET.get("figure") or "reports"
    if figure not in FIGURES:
        raise Http404
    qs, period = _drill_queryset(request, query, figure)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    extra = {k: request.GET.get(k) for k in ("kind", "month") if request.GET.get(k)}
    if request.GET.get("unit") == "none":
        extra["unit"] = "none"
    filters = []
    if query.unit is not None:
        filters.append(query.unit.display_name)
    elif extra.get("unit") == "none":
        filters.append(_("未归属监管所"))
    if extra.get("kind") in ReporterKind.values:
        filters.append(ReporterKind(extra["kind"]).label)
    if _int(extra.get("month"), 1, 12):
        filters.append(_("%(m)s月") % {"m": extra["month"]})
    return render(request, "monitoring/dashboard_drilldown.html", {
        "q": query, "figure": figure, "figure_label": FIGURES[figure], "period": period, "page": page,
        "query": query.params(figure=figure, **extra), "back": query.params(), "filters": filters,
        "kind": "reports" if figure == "reports" else figure.split("_")[0],
    })


def _dec(value):
    return "" if value is None else value


def _status_fill(status: str):
    return fill({"met": "success", "on_pace": "info", "behind": "danger", "not_met": "danger"}.get(status, "secondary"))


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else _("从未报告")


@login_required
def ae_dashboard_export(request):
    query = _query(request)
    f = ae_quota_figures(year=query.year, quarter=query.quarter, unit=query.unit, cumulative=query.cumulative)
    r, reg, cov = f["reports"], f["registration"], f["coverage"]
    population = f["population"] if f["population"] is not None else _("未配置")
    summary = [
        (_("统计范围"), f["unit_name"], "", "", "", "", ""),
        (_("统计期间"), f"{f['period_label']}（{f['period_start']}至{f['as_of']}）", "", "", "", "", ""),
        (_("常住人口"), population, "", "", "", "", ", ".join(f["population_missing"])),
        (_("不良事件报告数"), r["count"], _dec(r["target"]), _dec(r["expected_to_date"]), _dec(r["projection"]),
         r["status_label"], _("每百万人口目标%(t)s例，年度目标%(a)s例") % {
             "t": f["settings"]["per_million_target"], "a": _dec(r["target_annual"])}, _status_fill(r["status"])),
        (_("每百万人口报告数"), _dec(r["rate_per_million"]), f["settings"]["per_million_target"], "", "", "", ""),
        (_("注册人注册率（%）"), _dec(reg["rate"]), reg["target"], "", "", reg["status_label"],
         _("已注册%(a)s家，共%(b)s家") % {"a": reg["registered"], "b": reg["total"]}, _status_fill(reg["status"])),
        (_("二级以上医疗机构报告覆盖率（%）"), _dec(cov["rate"]), cov["target"], "", "", cov["status_label"],
         _("已报告%(a)s家，共%(b)s家") % {"a": cov["covered"], "b": cov["total"]}, _status_fill(cov["status"])),
    ]
    months = [(m["label"], m["reports"] if m["elapsed"] else "", m["cumulative"] if m["elapsed"] else "",
               _dec(m["expected_cumulative"])) for m in f["monthly"]]
    units = [(u["unit_name"], u["population"] if u["population"] is not None else _("未配置"),
              u["reports"]["count"], _dec(u["reports"]["rate_per_million"]), _dec(u["reports"]["target"]),
              _dec(u["reports"]["expected_to_date"]), _dec(u["reports"]["projection"]), u["reports"]["status_label"],
              u["registered"], u["registrants"], u["hospitals_covered"], u["hospitals"],
              _status_fill(u["reports"]["status"])) for u in f["by_unit"]]
    if f["unassigned_reports"]:
        units.append((_("未归属监管所"), "", f["unassigned_reports"], "", "", "", "", "", "", "", "", ""))
    quarters = [(x["label"], x["count"], _dec(x["rate_per_million"]), _dec(x["target"]), _dec(x["expected_to_date"]),
                 _dec(x["projection"]), x["status_label"], _status_fill(x["status"])) for x in f["by_quarter"]]
    kinds = [(k["label"], k["count"], _dec(k["share"])) for k in f["by_kind"]]
    missing = [(m["name"], m["credit_code"], m["unit_name"], m["reason"]) for m in reg["missing"]]
    zero = [(z["name"], z["credit_code"], z["grade_label"], z["unit_name"], _date(z["last_report_on"]))
            for z in cov["zero"]]
    sheets = [
        (_("指标汇总"), [_("指标"), _("实际"), _("目标"), _("截至统计日应完成"), _("按当前进度预计期末"), _("状态"),
                      _("说明")], summary),
        (_("按月份"), [_("月份"), _("报告数"), _("累计"), _("按时间进度应累计")], months),
        (_("按季度"), [_("季度"), _("报告数"), _("每百万人口报告数"), _("季度目标"), _("截至统计日应完成"), _("预计季末"),
                    _("状态")], quarters),
        (_("按监管所"), [_("监管所"), _("常住人口"), _("报告数"), _("每百万人口报告数"), _("目标"), _("截至统计日应完成"),
                      _("预计期末"), _("状态"), _("已注册注册人"), _("注册人总数"), _("已报告医疗机构"),
                      _("二级以上医疗机构")], units),
        (_("按报告来源"), [_("报告来源"), _("报告数"), _("占比（%）")], kinds),
        (_("未注册注册人"), [_("企业名称"), _("统一社会信用代码"), _("监管单位"), _("原因")], missing),
        (_("零报告医疗机构"), [_("机构名称"), _("统一社会信用代码"), _("医院等级"), _("监管单位"), _("最近一次报告日期")],
         zero),
    ]
    name = f"{f['period_label']}不良事件监测指标-{f['unit_name']}.xlsx"
    return xlsx_response(workbook_bytes(sheets), name)

