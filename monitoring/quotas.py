"""The plan's three adverse-event quotas: the one definition of each figure.

``ae_quota_figures()`` returns every figure of the AE quota dashboard for a year or a quarter, for the
district or one 监管所. The dashboard, its drill-down lists, its Excel export and the chief's quarterly
cockpit all read it (or the querysets below, which it is built from), so a figure and its records
never disagree.

Definitions (the annual plan: 不良事件监测数 ≥ 每百万人口 480 例, 注册人注册率 100 %, 二级以上医疗机构覆盖率 100 %):

* **Reports counted**: reports whose 报告日期 lies in the period up to the as-of date and which count
  toward the district under the year's ``MonitoringSettings.district_rule`` (defaults when the year has
  no settings row). A 所's figure counts the reports it owns (``AdverseEventReport.unit``).
* **Population**: the sum of the year's ``PopulationFigure`` over every 街道/镇 of the district (or of the
  所). When any 街道/镇 of the scope has no figure for the year the population is ``None`` (未配置) and
  the per-million figures are ``None`` too; the missing 街道/镇 are listed. No number is ever guessed.
* **Rate per million** = reports ÷ (population ÷ 1,000,000), for the period (not annualised).
* **Annual target** = per_million_target × population ÷ 1,000,000. The **period target** is the annual
  target pro rata to the period's days (a year: the annual target itself).
* **Expected to date** = annual target × days elapsed ÷ days in the year, days elapsed counted from the
  period's first day to the as-of date, both included.
* **Projection** = reports ÷ days elapsed × days in the period: the period-end count at the current pace.
* **Status**: ``met`` (reports ≥ period target), ``on_pace`` (≥ expected to date), ``behind``;
  ``no_population`` when the population is missing, ``not_started`` before the period's first day.
* **Registration rate** = registrants registered in the national monitoring system by the as-of date
  ÷ all local registrants/filers (``Enterprise.is_registrant`` in an active status). A registrant with no
  ``RegistrantRegistration`` row, or one marked unregistered, or registered after the as-of date,
  counts as not registered.
* **Hospital coverage** = 二级以上 hospitals (使用单位, 医院, ``HOSPITAL_GRADES_2_PLUS``, active) that
  filed ≥ 1 report (as the reporting unit) in the period up to the as-of date ÷ all such hospitals.

Periods: ``quarter=None`` is the year. With a quarter, ``cumulative=True`` (default) is 1 January to the
quarter's end (Q1, Q1–Q2 …, the plan's progress so far); ``cumulative=False`` is the quarter alone (the
cockpit's quarter-by-quarter view). ``as_of`` defaults to today and is capped at the period's end.

Every figure is computed with a bounded number of queries (grouped aggregates, no query per 所).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.choices import (
    ACTIVE_STATUSES,
    HOSPITAL_GRADES_2_PLUS,
    HospitalGrade,
    InstitutionType,
    UnitKind,
)
from enterprises.grading.selectors import visible_units
from enterprises.models import Enterprise, Subdistrict, Unit
from regsys.scoping import scope_for

from .choices import DistrictRule, ReporterKind
from .models import AdverseEventReport, MonitoringSettings, PopulationFigure
from .services.settings import settings_for_year

ONE_TENTH = Decimal("0.1")
MILLION = 1_000_000
QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}

STATUS_LABELS = {
    "met": gettext_lazy("已达标"),
    "on_pace": gettext_lazy("进度正常"),
    "behind": gettext_lazy("进度落后"),
    "no_population": gettext_lazy("未配置人口"),
    "not_started": gettext_lazy("尚未开始"),
    "not_met": gettext_lazy("未达标"),
    "no_records": gettext_lazy("无统计对象"),
}


@dataclass(frozen=True)
class QuotaPeriod:
    """The days a quota figure covers: ``start``–``end``, counted up to ``cutoff`` (the as-of date)."""

    year: int
    quarter: int | None
    cumulative: bool
    start: dt.date
    end: dt.date
    cutoff: dt.date
    days: int
    elapsed: int
    days_in_year: int

    @property
    def label(self) -> str:
        if self.quarter is None:
            return _("%(year)s年全年") % {"year": self.year}
        if self.cumulative and self.quarter > 1:
            return _("%(year)s年第一至第%(q)s季度") % {"year": self.year, "q": "一二三四"[self.quarter - 1]}
        return _("%(year)s年第%(q)s季度") % {"year": self.year, "q": "一二三四"[self.quarter - 1]}


def quota_period(*, year: int, quarter: int | None = None, cumulative: bool = True,
                 as_of: dt.date | None = None) -> QuotaPeriod:
    """The period of a year or quarter; ``ValueError`` for a quarter outside 1–4."""
    if quarter is not None and quarter not in QUARTER_MONTHS:
        raise ValueError("quarter must be 1-4")
    if quarter is None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        first, last = QUARTER_MONTHS[quarter]
        start = dt.date(year, 1 if cumulative else first, 1)
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
    as_of = as_of or timezone.localdate()
    cutoff = min(as_of, end)
    days = (end - start).days + 1
    elapsed = max(0, min(days, (cutoff - start).days + 1))
    days_in_year = 366 if calendar.isleap(year) else 365
    return QuotaPeriod(year=year, quarter=quarter, cumulative=cumulative, start=start, end=end, cutoff=cutoff,
                       days=days, elapsed=elapsed, days_in_year=days_in_year)


def quota_unit_for(user, raw_unit: str | int | None) -> Unit | None:
    """The unit whose figures ``user`` asked for: ``None`` (district) or a unit a district user picks; a
    所 user always gets its own unit and naming any other is a 404 (``Http404``)."""
    raw = "" if raw_unit is None else str(raw_unit)
    scope = scope_for(user)
    if scope.district_wide:
        return get_object_or_404(visible_units(user), pk=int(raw)) if raw.isdigit() else None
    if scope.unit_id is None:
        raise PermissionDenied
    if raw and raw != str(scope.unit_id):
        raise Http404
    return Unit.objects.get(pk=scope.unit_id)


def district_rule_q(rule: str) -> Q:
    """Which reports count toward the district (``MonitoringSettings.district_rule``)."""
    if rule == DistrictRule.ALL_IMPORTED:
        return Q()
    # 报告单位位于本区: the reporting unit was matched to a registry enterprise, or the 街道/镇 is known.
    return Q(reporter__isnull=False) | Q(subdistrict__isnull=False)


def counted_reports(*, period: QuotaPeriod, unit: Unit | None = None,
                    settings: MonitoringSettings | None = None) -> QuerySet:
    """The reports the per-million figure counts (the district's, or those ``unit`` owns)."""
    settings = settings or settings_for_year(period.year)
    qs = AdverseEventReport.objects.filter(reported_on__gte=period.start, reported_on__lte=period.cutoff)
    qs = qs.filter(district_rule_q(settings.district_rule))
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def hospitals_2_plus(*, unit: Unit | None = None) -> QuerySet:
    """二级以上 hospitals in an active status: the coverage quota's denominator."""
    qs = Enterprise.objects.filter(
        is_user_unit=True, institution_type=InstitutionType.HOSPITAL, hospital_grade__in=HOSPITAL_GRADES_2_PLUS,
        status__in=ACTIVE_STATUSES,
    )
    if unit is not None:
        qs = qs.filter(owning_unit=unit)
    return qs


def hospital_reports_q(period: QuotaPeriod) -> Q:
    """On ``Enterprise``: its reports (as reporting unit) in the period up to the as-of date."""
    return Q(ae_reports_filed__reported_on__gte=period.start, ae_reports_filed__reported_on__lte=period.cutoff)


def hospitals_with_reports(*, period: QuotaPeriod, unit: Unit | None = None) -> QuerySet:
    """二级以上 hospitals annotated with ``period_reports`` and ``last_report_on`` (ever)."""
    return hospitals_2_plus(unit=unit).annotate(
        period_reports=Count("ae_reports_filed", filter=hospital_reports_q(period)),
        last_report_on=Max("ae_reports_filed__reported_on"),
    )


def registrants(*, unit: Unit | None = None) -> QuerySet:
    """Local 注册人/备案人 in an active status: the registration quota's denominator."""
    qs = Enterprise.objects.filter(is_registrant=True, status__in=ACTIVE_STATUSES)
    if unit is not None:
        qs = qs.filter(owning_unit=unit)
    return qs


def registered_q(cutoff: dt.date) -> Q:
    """On ``Enterprise``: registered in the national AE system by ``cutoff`` (no date = date unknown, counts)."""
    return Q(ae_registration__registered=True) & (
        Q(ae_registration__registered_on__isnull=True) | Q(ae_registration__registered_on__lte=cutoff)
    )


def registrants_with_status(*, period: QuotaPeriod, unit: Unit | None = None) -> QuerySet:
    """Registrants annotated with ``is_registered`` (by the as-of date)."""
    return registrants(unit=unit).annotate(
        is_registered=Case(When(registered_q(period.cutoff), then=Value(True)), default=Value(False),
                           output_field=BooleanField()),
    )


def _d(value: Decimal) -> Decimal:
    return value.quantize(ONE_TENTH, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    return _d(Decimal(part) * 100 / whole) if whole else None


def _report_quota(count: int, population: int | None, settings: MonitoringSettings, period: QuotaPeriod) -> dict:
    """The per-million block for one scope (district or 所)."""
    block = {"count": count, "rate_per_million": None, "target_annual": None, "target": None,
             "expected_to_date": None, "projection": None, "status": "no_population"}
    if period.elapsed:
        block["projection"] = _d(Decimal(count) * period.days / period.elapsed)
    if population:
        per_million = Decimal(settings.per_million_target)
        block["rate_per_million"] = _d(Decimal(count) * MILLION / population)
        block["target_annual"] = _d(per_million * population / MILLION)
        block["target"] = _d(per_million * population * period.days / (MILLION * period.days_in_year))
        block["expected_to_date"] = _d(per_million * population * period.elapsed / (MILLION * period.days_in_year))
        if not period.elapsed:
            block["status"] = "not_started"
        elif count >= block["target"]:
            block["status"] = "met"
        elif count >= block["expected_to_date"]:
            block["status"] = "on_pace"
        else:
            block["status"] = "behind"
    block["status_label"] = str(STATUS_LABELS[block["status"]])
    return block


def _rate_status(rate: Decimal | None, target: Decimal) -> str:
    if rate is None:
        return "no_records"
    return "met" if rate >= target else "not_met"


def _unit_name(unit: Unit | None) -> str:
    return unit.display_name if unit is not None else str(_("全区"))


def ae_quota_figures(*, year: int, quarter: int | None = None, unit: Unit | None = None,
                     as_of: dt.date | None = None, cumulative: bool = True) -> dict:
    """Every AE quota figure of the period for the district (``unit=None``) or one 所.

    Keys (see the module docstring for the definitions):

    * ``year``, ``quarter`` (``None`` = the year), ``cumulative``, ``period_label``, ``period_start``,
      ``period_end``, ``as_of`` (the as-of date capped at the period end), ``days_in_period``,
      ``days_elapsed``, ``days_in_year``
    * ``unit_id`` (``None`` = district), ``unit_name``
    * ``settings``: ``district_rule``, ``district_rule_label``, ``per_million_target``,
      ``registration_target``, ``coverage_target``, ``configured`` (the year has its own settings row)
    * ``population`` (int or ``None`` = 未配置), ``population_missing`` (names of 街道/镇 without a figure)
    * ``reports``: ``count``, ``rate_per_million``, ``target_annual``, ``target`` (the period's),
      ``expected_to_date``, ``projection``, ``status``, ``status_label`` (Decimals to 0.1, ``None`` when
      the population is missing)
    * ``monthly``: one row per month of the period: ``month``, ``label``, ``reports``, ``cumulative``,
      ``expected_cumulative`` (pro-rata line at the month's end), ``elapsed`` (month has begun)
    * ``by_quarter``: one row per quarter inside the period, each quarter alone: ``quarter``, ``label`` and
      the keys of a ``reports`` block (the quarter's own target, expected to date and projection)
    * ``by_unit``: one row per 所 (only the unit itself when ``unit`` is given): ``unit_id``,
      ``unit_name``, ``population``, ``population_missing``, ``reports`` (a block as above),
      ``registrants``, ``registered``, ``hospitals``, ``hospitals_covered``
    * ``unassigned_reports``: counted reports with no 所 (district figures only; 0 for a unit)
    * ``by_kind``: one row per 报告来源: ``kind``, ``label``, ``count``, ``share`` (% of the count)
    * ``registration``: ``total``, ``registered``, ``missing_count``, ``rate`` (%), ``target``,
      ``status`` (met / not_met / no_records), ``status_label``, ``missing``: rows of ``id``, ``name``,
      ``credit_code``, ``unit_id``, ``unit_name``, ``reason``
    * ``coverage``: ``total``, ``covered``, ``zero_count``, ``rate`` (%), ``target``, ``status``,
      ``status_label``, ``zero``: rows of ``id``, ``name``, ``credit_code``, ``grade``, ``grade_label``,
      ``unit_id``, ``unit_name``, ``last_report_on`` (last report ever, ``None`` = never)
    """
    period = quota_period(year=year, quarter=quarter, cumulative=cumulative, as_of=as_of)
    settings = settings_for_year(year)

    # Population per 所: every 街道/镇 must have the year's figure, else the total is unknown.
    subdistricts = Subdistrict.objects.all()
    if unit is not None:
        subdistricts = subdistricts.filter(unit=unit)
    subdistricts = list(subdistricts.values_list("id", "name", "unit_id"))
    figures = dict(PopulationFigure.objects.filter(year=year, subdistrict_id__in=[s[0] for s in subdistricts])
                   .values_list("subdistrict_id", "population"))
    unit_population: dict[int, int] = {}
    unit_missing: dict[int, list[str]] = {}
    for sd_id, name, unit_id in subdistricts:
        unit_population[unit_id] = unit_population.get(unit_id, 0) + figures.get(sd_id, 0)
        unit_missing.setdefault(unit_id, [])
        if sd_id not in figures:
            unit_missing[unit_id].append(name)

    def population_of(unit_ids) -> tuple[int | None, list[str]]:
        missing = [n for uid in unit_ids for n in unit_missing.get(uid, [])]
        total = sum(unit_population.get(uid, 0) for uid in unit_ids)
        if missing or not any(uid in unit_missing for uid in unit_ids):
            return None, missing
        return total, missing

    # Reports: one grouped query by 所, 报告来源 and month.
    grouped = (counted_reports(period=period, unit=unit, settings=settings)
               .annotate(month=ExtractMonth("reported_on"))
               .values("unit_id", "reporter_kind", "month").annotate(n=Count("id")).order_by())
    by_unit_count: dict[int | None, int] = {}
    by_kind_count: dict[str, int] = {}
    by_month_count: dict[int, int] = {}
    for row in grouped:
        by_unit_count[row["unit_id"]] = by_unit_count.get(row["unit_id"], 0) + row["n"]
        by_kind_count[row["reporter_kind"]] = by_kind_count.get(row["reporter_kind"], 0) + row["n"]
        by_month_count[row["month"]] = by_month_count.get(row["month"], 0) + row["n"]
    total = sum(by_unit_count.values())

    if unit is not None:
        units = [unit]
    else:
        report_unit_ids = [uid for uid in by_unit_count if uid is not None]
        units = list(Unit.objects.filter(Q(kind=UnitKind.STATION) | Q(pk__in=report_unit_ids)))
    population, population_missing = population_of([u.pk for u in units] if unit is not None else list(unit_missing))

    # Registrants and hospitals: one query each, grouped here by 所 for the table.
    reg_rows = list(registrants_with_status(period=period, unit=unit).order_by("owning_unit__sort_order", "name")
                    .values("id", "name", "credit_code", "owning_unit_id", "owning_unit__name",
                            "owning_unit__short_name", "is_registered", "ae_registration__id",
                            "ae_registration__registered", "ae_registration__registered_on"))
    hosp_rows = list(hospitals_with_reports(period=period, unit=unit).order_by("owning_unit__sort_order", "name")
                     .values("id", "name", "credit_code", "hospital_grade", "owning_unit_id", "owning_unit__name",
                             "owning_unit__short_name", "period_reports", "last_report_on"))

    def _owner_name(row) -> str:
        return row["owning_unit__short_name"] or row["owning_unit__name"]

    missing = []
    for row in reg_rows:
        if row["is_registered"]:
            continue
        if row["ae_registration__id"] is None:
            reason = _("无注册记录")
        elif not row["ae_registration__registered"]:
            reason = _("未注册")
        else:
            reason = _("注册日期（%(date)s）晚于统计截止日") % {"date": row["ae_registration__registered_on"]}
        missing.append({"id": row["id"], "name": row["name"], "credit_code": row["credit_code"],
                        "unit_id": row["owning_unit_id"], "unit_name": _owner_name(row), "reason": str(reason)})
    registered = len(reg_rows) - len(missing)
    reg_rate = _percent(registered, len(reg_rows))
    reg_target = Decimal(settings.registration_target)
    reg_status = _rate_status(reg_rate, reg_target)

    grade_labels = dict(HospitalGrade.choices)
    zero = [{"id": r["id"], "name": r["name"], "credit_code": r["credit_code"], "grade": r["hospital_grade"],
             "grade_label": str(grade_labels.get(r["hospital_grade"], "")), "unit_id": r["owning_unit_id"],
             "unit_name": _owner_name(r), "last_report_on": r["last_report_on"]}
            for r in hosp_rows if not r["period_reports"]]
    covered = len(hosp_rows) - len(zero)
    cov_rate = _percent(covered, len(hosp_rows))
    cov_target = Decimal(settings.coverage_target)
    cov_status = _rate_status(cov_rate, cov_target)

    by_unit = []
    for u in units:
        pop, pop_missing = population_of([u.pk])
        u_regs = [r for r in reg_rows if r["owning_unit_id"] == u.pk]
        u_hosps = [r for r in hosp_rows if r["owning_unit_id"] == u.pk]
        by_unit.append({
            "unit_id": u.pk, "unit_name": u.display_name, "population": pop, "population_missing": pop_missing,
            "reports": _report_quota(by_unit_count.get(u.pk, 0), pop, settings, period),
            "registrants": len(u_regs), "registered": sum(1 for r in u_regs if r["is_registered"]),
            "hospitals": len(u_hosps), "hospitals_covered": sum(1 for r in u_hosps if r["period_reports"]),
        })

    by_kind = [{"kind": value, "label": str(label), "count": by_kind_count.get(value, 0),
                "share": _percent(by_kind_count.get(value, 0), total)}
               for value, label in ReporterKind.choices]

    monthly = []
    running = 0
    first_month = period.start.month
    for month in range(first_month, period.end.month + 1):
        month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
        running += by_month_count.get(month, 0)
        days_to_month_end = (month_end - period.start).days + 1
        expected = (_d(Decimal(settings.per_million_target) * population * days_to_month_end
                       / (MILLION * period.days_in_year)) if population else None)
        monthly.append({"month": month, "label": _("%(m)s月") % {"m": month}, "reports": by_month_count.get(month, 0),
                        "cumulative": running, "expected_cumulative": expected,
                        "elapsed": dt.date(year, month, 1) <= period.cutoff})

    by_quarter = []
    for q, (first, last) in QUARTER_MONTHS.items():
        if first < period.start.month or last > period.end.month:
            continue
        alone = quota_period(year=year, quarter=q, cumulative=False, as_of=period.cutoff)
        count = sum(by_month_count.get(m, 0) for m in range(first, last + 1))
        by_quarter.append({"quarter": q, "label": alone.label, **_report_quota(count, population, settings, alone)})

    return {
        "year": year, "quarter": quarter, "cumulative": cumulative, "period_label": period.label,
        "period_start": period.start, "period_end": period.end, "as_of": period.cutoff,
        "days_in_period": period.days, "days_elapsed": period.elapsed, "days_in_year": period.days_in_year,
        "unit_id": unit.pk if unit is not None else None, "unit_name": _unit_name(unit),
        "settings": {
            "district_rule": settings.district_rule, "district_rule_label": str(settings.get_district_rule_display()),
            "per_million_target": Decimal(settings.per_million_target), "registration_target": reg_target,
            "coverage_target": cov_target, "configured": settings.pk is not None,
        },
        "population": population, "population_missing": population_missing,
        "reports": _report_quota(total, population, settings, period),
        "monthly": monthly,
        "by_quarter": by_quarter,
        "by_unit": by_unit,
        "unassigned_reports": by_unit_count.get(None, 0),
        "by_kind": by_kind,
        "registration": {
            "total": len(reg_rows), "registered": registered, "missing_count": len(missing), "rate": reg_rate,
            "target": reg_target, "status": reg_status, "status_label": str(STATUS_LABELS[reg_status]),
            "missing": missing,
        },
        "coverage": {
            "total": len(hosp_rows), "covered": covered, "zero_count": len(zero), "rate": cov_rate,
            "target": cov_target, "status": cov_status, "status_label": str(STATUS_LABELS[cov_status]),
            "zero": zero,
        },
    }
