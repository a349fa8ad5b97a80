"""Cockpit indicators of monitoring: adverse events (不良事件监测), sampling (监督抽检), risks (风险会商).

Adverse events read ``monitoring.quotas.ae_quota_figures`` (the one definition of the three AE quotas), called
once for the district; its ``by_unit`` rows give every 所. Sampling and risks read their selectors with one
grouped query per indicator. Figures are cumulative from 1 January to ``period.as_of`` except the risk flows
(new and closed in the quarter).

Decisions (documented here, shown on the cockpit as the indicator's description):

* 报告数: the rate per million population of the period so far (not annualised) against the year's target
  (default 480/百万); expected = the target pro rata to the days elapsed. Population missing for any 街道/镇:
  未配置, naming them.
* 注册率 is a standing duty: expected = the full target at any time. 覆盖率 builds up over the year:
  expected = the target pro rata to the days elapsed.
* 抽检环节按时完成率: the officers' steps (not the automatic 复检申请期) due from 1 January to the as-of day,
  done on or before their due date, by sampling unit. A step done late stays late.
* 风险: the target is "逾期未销号 = 0" (a risk open on the as-of day past its 完成时限); new, closed and
  open risks are shown for information (no target).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.models import Risk, Sample, SamplingTask
from monitoring.quotas import ae_quota_figures
from monitoring.risk_selectors import risks_closed_in, risks_new_by, risks_open_at, risks_overdue_at
from monitoring.sampling_selectors import step_timeliness_by_unit
from reporting.cockpit.base import (
    HUNDRED,
    Figure,
    Figures,
    Indicator,
    Period,
    list_url,
    not_configured,
    pro_rata,
    share,
    shared,
)

AE = gettext_lazy("不良事件监测")
SAMPLING = gettext_lazy("监督抽检")
RISKS = gettext_lazy("风险会商")






def _ids(units: list) -> list[int]:
    return [u.pk for u in units]


# ------------------------------------------------------------------ adverse events

def _ae(period: Period, units: list) -> tuple[dict, dict[int, dict]]:
    """The district's AE figures and the by-unit rows of the period; a unit missing from ``by_unit`` (not a
    所 and without reports) is computed on its own."""
    def read() -> tuple[dict, dict[int, dict]]:
        figures = ae_quota_figures(year=period.year, quarter=period.quarter, as_of=period.as_of, cumulative=True)
        rows = {r["unit_id"]: r for r in figures["by_unit"]}
        for unit in units:
            if unit.pk not in rows:
                alone = ae_quota_figures(year=period.year, quarter=period.quarter, unit=unit, as_of=period.as_of)
                rows[unit.pk] = alone["by_unit"][0]
        return figures, rows

    return shared(("ae", period, tuple(_ids(units))), read)


def _ae_url(period: Period, unit_id: int | None, figure: str = "") -> str:
    params = {"year": period.year, "quarter": period.quarter, "mode": "cumulative" if period.quarter else None,
              "unit": unit_id, "figure": figure}
    return list_url("monitoring:ae_drilldown" if figure else "monitoring:ae_dashboard", **params)


def _per_million_figure(period: Period, unit_id: int | None, count: int, population: int | None,
                        missing: list[str], per_million_target: Decimal) -> Figure:
    url = _ae_url(period, unit_id)
    if not population:
        if missing:
            note = _("缺少%(year)s年人口数：%(names)s") % {"year": period.year, "names": "、".join(missing)}
        else:
            note = _("未关联街道/镇，无法计算人口")
        return not_configured(note, url=list_url("monitoring:population", year=period.year))
    rate = (Decimal(count) * 1_000_000 / population).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Figure(actual=rate, target=per_million_target, expected=pro_rata(per_million_target, period),
                  numerator=count, denominator=population, url=url)


def ae_rate_compute(period: Period, units: list) -> Figures:
    figures, rows = _ae(period, units)
    target = figures["settings"]["per_million_target"]
    result: Figures = {None: _per_million_figure(period, None, figures["reports"]["count"], figures["population"],
                                                 figures["population_missing"], target)}
    for uid in _ids(units):
        row = rows[uid]
        result[uid] = _per_million_figure(period, uid, row["reports"]["count"], row["population"],
                                          row["population_missing"], target)
    return result




def ae_registration_compute(period: Period, units: list) -> Figures:
    figures, rows = _ae(period, units)
    target = figures["settings"]["registration_target"]
    note = _("无在册注册人/备案人")
    reg = figures["registration"]
    result: Figures = {None: share(reg["registered"], reg["total"], target=target, expected=target,
                        url=_ae_url(period, None, "registrants_missing"), empty_note=note)}
    for uid in _ids(units):
        row = rows[uid]
        result[uid] = share(row["registered"], row["registrants"], target=target, expected=target,
                        url=_ae_url(period, uid, "registrants_missing"), empty_note=note)
    return result


def ae_coverage_compute(period: Period, units: list) -> Figures:
    figures, rows = _ae(period, units)
    target = figures["settings"]["coverage_target"]
    expected = pro_rata(target, period)
    note = _("无二级以上医疗机构")
    cov = figures["coverage"]
    result: Figures = {None: share(cov["covered"], cov["total"], target=target, expected=expected,
                        url=_ae_url(period, None, "hospitals_zero"), empty_note=note)}
    for uid in _ids(units):
        row = rows[uid]
        result[uid] = share(row["hospitals_covered"], row["hospitals"], target=target, expected=expected,
                        url=_ae_url(period, uid, "hospitals_zero"), empty_note=note)
    return result


# ------------------------------------------------------------------ sampling

def sampling_steps_compute(period: Period, units: list) -> Figures:
    by_unit = step_timeliness_by_unit(start=period.start, end=period.as_of)
    note = _("期内无到期抽检环节")

    def figure(unit_id: int | None, due: int, on_time: int) -> Figure:
        url = list_url("monitoring:sample_list", late_from=period.start.isoformat(), late_to=period.as_of.isoformat(),
                   unit=unit_id)
        return share(on_time, due, target=HUNDRED, expected=HUNDRED, url=url, empty_note=note)

    result: Figures = {None: figure(None, sum(d for d, _o in by_unit.values()), sum(o for _d, o in by_unit.values()))}
    for uid in _ids(units):
        due, on_time = by_unit.get(uid, (0, 0))
        result[uid] = figure(uid, due, on_time)
    return result


def sampling_quota_compute(period: Period, units: list) -> Figures:
    """Batches sampled by the as-of day under the year's tasks, against the tasks' quotas (district only: a
    task left to the 药械科 has no per-所 share)."""
    url = list_url("monitoring:sampling_task_list", year=period.year)
    quota = SamplingTask.objects.filter(year=period.year).aggregate(n=Sum("quota"))["n"] or 0
    if not quota:
        return {None: not_configured(_("%(year)s年未录入抽检任务及批次数") % {"year": period.year}, url=url)}
    taken = Sample.objects.filter(task__year=period.year, sampled_on__lte=period.as_of).count()
    return {None: Figure(actual=taken, target=quota, expected=pro_rata(quota, period, integer=True),
                         numerator=taken, denominator=quota, url=url)}


# ------------------------------------------------------------------ risks

def _risk_counts(qs: QuerySet[Risk]) -> dict[int, int]:
    return dict(qs.values("owner_unit_id").annotate(n=Count("id")).order_by().values_list("owner_unit_id", "n"))


def _risk_figures(units: list, counts: dict[int, int], target, url_params: dict) -> Figures:
    def figure(unit_id: int | None, n: int) -> Figure:
        return Figure(actual=n, target=target, url=list_url("monitoring:risk_list", owner_unit=unit_id, **url_params))

    result: Figures = {None: figure(None, sum(counts.values()))}
    for uid in _ids(units):
        result[uid] = figure(uid, counts.get(uid, 0))
    return result


def risks_new_compute(period: Period, units: list) -> Figures:
    qs = risks_new_by(Risk.objects.all(), year=period.year, quarter=period.quarter, day=period.as_of)
    params = ({"year": period.year, "quarter": period.quarter, "carried": "false"} if period.quarter
              else {"meeting_year": period.year})
    return _risk_figures(units, _risk_counts(qs), None, params)


def risks_closed_compute(period: Period, units: list) -> Figures:
    qs = risks_closed_in(Risk.objects.all(), start=period.period_start, end=period.as_of)
    params = {"closed_from": period.period_start.isoformat(), "closed_to": period.as_of.isoformat()}
    return _risk_figures(units, _risk_counts(qs), None, params)


def risks_open_compute(period: Period, units: list) -> Figures:
    qs = risks_open_at(Risk.objects.all(), day=period.as_of)
    return _risk_figures(units, _risk_counts(qs), None, {"open_on": period.as_of.isoformat()})


def risks_overdue_compute(period: Period, units: list) -> Figures:
    qs = risks_overdue_at(Risk.objects.all(), day=period.as_of)
    return _risk_figures(units, _risk_counts(qs), 0, {"overdue_on": period.as_of.isoformat()})


INDICATORS: list[Indicator] = [
    Indicator(
        code="ae_reports_per_million", section=AE, name=gettext_lazy("不良事件报告数（每百万人口）"),
        unit_label=gettext_lazy("例/百万人口"), compute=ae_rate_compute,
        description=gettext_lazy("1月1日至统计截止日计入本区的报告数÷常住人口×100万；年度目标见监测设置，"
                                 "应完成数按已过天数折算；任一街道/镇缺少人口数即为未配置"),
    ),
    Indicator(
        code="ae_registration_rate", section=AE, name=gettext_lazy("注册人监测系统注册率"), unit_label="%",
        compute=ae_registration_compute,
        description=gettext_lazy("截至统计截止日已在国家监测系统注册的注册人/备案人÷在册注册人/备案人"),
    ),
    Indicator(
        code="ae_hospital_coverage", section=AE, name=gettext_lazy("二级以上医疗机构报告覆盖率"), unit_label="%",
        compute=ae_coverage_compute,
        description=gettext_lazy("1月1日至统计截止日有报告的二级以上医疗机构÷全部二级以上医疗机构；"
                                 "应完成比例按已过天数折算"),
    ),
    Indicator(
        code="sampling_steps_on_time", section=SAMPLING, name=gettext_lazy("抽检环节按时完成率"), unit_label="%",
        compute=sampling_steps_compute,
        description=gettext_lazy("1月1日至统计截止日到期的抽检环节中按期限完成的比例（不含复检申请期）"),
    ),
    Indicator(
        code="sampling_batches", section=SAMPLING, name=gettext_lazy("抽检批次完成数"), unit_label=gettext_lazy("批次"),
        compute=sampling_quota_compute, per_unit=False,
        description=gettext_lazy("本年度抽检任务下截至统计截止日已抽样批次，对照任务批次数，应完成数按已过天数折算"),
    ),
    Indicator(
        code="risks_new", section=RISKS, name=gettext_lazy("本期新增风险"), unit_label=gettext_lazy("项"),
        compute=risks_new_compute, flow=True,
        description=gettext_lazy("本季度（截至今日为本年度）会商纳入的风险，按责任单位统计"),
    ),
    Indicator(
        code="risks_closed", section=RISKS, name=gettext_lazy("本期销号风险"), unit_label=gettext_lazy("项"),
        compute=risks_closed_compute, flow=True,
        description=gettext_lazy("本季度（截至今日为本年度）内批准销号的风险"),
    ),
    Indicator(
        code="risks_open", section=RISKS, name=gettext_lazy("期末未销号风险"), unit_label=gettext_lazy("项"),
        compute=risks_open_compute, higher_is_better=False,
        description=gettext_lazy("统计截止日已纳入会商且尚未销号的风险"),
    ),
    Indicator(
        code="risks_overdue", section=RISKS, name=gettext_lazy("逾期未销号风险"), unit_label=gettext_lazy("项"),
        compute=risks_overdue_compute, higher_is_better=False,
        description=gettext_lazy("统计截止日尚未销号且已过完成时限的风险，目标为零"),
    ),
]
