"""Cockpit indicators of the registry's annual duties (年度工作): self-reports, grading, UDI in 三甲 hospitals.

Each reads the selector that holds the rule (``filing_counts``, one grouped statement; ``grading_progress``,
``udi_coverage_grouped``), once for the district with its per-unit rows. The deadlines are data: the self-report's due date and the UDI
target date from the year's duty settings, the grading deadline from the year's 分级标准. Nothing is expected
before a deadline (``by_deadline``); from it on, the whole target.

* 自查报告提交率: owed self-reports submitted by the as-of day (on time or late) ÷ owed (a use unit's report
  kept on file does not count, as on the filings pages); the late and missing counts are in the note.
* 分级完成率: grades approved by the as-of day ÷ grades needed (enterprise × sector in supervision now). A year
  without its 分级标准 is 未配置.
* 三甲医院UDI应用覆盖率: hospitals applied by the as-of day ÷ counted hospitals.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.duties.choices import FilingKind
from enterprises.duties.filing_rules import due_date
from enterprises.duties.filing_selectors import filing_counts
from enterprises.duties.udi_selectors import udi_coverage_grouped
from enterprises.grading.selectors import grading_progress
from enterprises.models import GradingScheme, Unit
from reporting.cockpit.base import (
    HUNDRED,
    Figure,
    Figures,
    Indicator,
    Period,
    by_deadline,
    list_url,
    not_configured,
    share,
)

DUTIES = gettext_lazy("年度工作")








# ------------------------------------------------------------------ self-reports

def self_report_compute(period: Period, units: list) -> Figures:
    kind = FilingKind.SELF_REPORT
    table = filing_counts(period.year, kind, None, period.as_of)
    expected = by_deadline(HUNDRED, period, due_date(period.year, kind))
    per_unit = {p.unit.pk: p for p in table.units}
    empty = _("无应报送企业")

    def figure(progress, unit_id: int | None) -> Figure:
        url = (list_url("enterprises:filing_list", year=period.year, kind=kind, unit=unit_id) if unit_id
               else list_url("enterprises:filing_progress", year=period.year, kind=kind))
        if progress is None:
            return share(0, 0, expected=expected, url=url, empty_note=empty)
        note = _("逾期提交%(late)s家，未提交%(missing)s家") % {"late": progress.late, "missing": progress.missing}
        return share(progress.submitted, progress.owed, expected=expected, url=url, note=note, empty_note=empty)

    result: Figures = {None: figure(table.total, None)}
    for unit in units:
        result[unit.pk] = figure(per_unit.get(unit.pk), unit.pk)
    return result


# ------------------------------------------------------------------ grading

def grading_compute(period: Period, units: list) -> Figures:
    scheme = GradingScheme.objects.filter(year=period.year).first()
    if scheme is None:
        note = _("未制定%(year)s年度分级标准") % {"year": period.year}
        url = reverse("grading:overview")
        return {None: not_configured(note, url=url), **{u.pk: not_configured(note, url=url) for u in units}}
    counted = {u.pk: u for u in Unit.objects.all()}
    counted.update({u.pk: u for u in units})
    rows = {p.unit.pk: p for p in grading_progress(period.year, counted.values(), period.as_of, as_of=period.as_of)}
    expected = by_deadline(HUNDRED, period, scheme.grading_deadline)
    empty = _("无需分级的企业")

    def figure(required: int, approved: int, unit_id: int | None) -> Figure:
        url = list_url("grading:grade_list", year=period.year, unit=unit_id)
        return share(approved, required, expected=expected, url=url, empty_note=empty)

    result: Figures = {None: figure(sum(p.required for p in rows.values()), sum(p.approved for p in rows.values()),
                                    None)}
    for unit in units:
        row = rows[unit.pk]
        result[unit.pk] = figure(row.required, row.approved, unit.pk)
    return result


# ------------------------------------------------------------------ UDI

def udi_compute(period: Period, units: list) -> Figures:
    coverage = udi_coverage_grouped(period.year, period.as_of)
    district = coverage[None]
    expected = by_deadline(HUNDRED, period, district.target_on)
    empty = _("无三级甲等医院")

    def figure(cov, unit_id: int | None) -> Figure:
        url = list_url("enterprises:udi_hospitals", year=period.year, unit=unit_id)
        if cov is None:
            return share(0, 0, expected=expected, url=url, empty_note=empty)
        note = _("目标日期%(day)s，部署中%(n)s家") % {"day": f"{cov.target_on:%Y年%m月%d日}", "n": cov.deploying}
        return share(cov.applied, cov.hospitals, expected=expected, url=url, note=note, empty_note=empty)

    result: Figures = {None: figure(district, None)}
    for unit in units:
        result[unit.pk] = figure(coverage.get(unit.pk), unit.pk)
    return result


INDICATORS: list[Indicator] = [
    Indicator(
        code="self_report_rate", section=DUTIES, name=gettext_lazy("年度自查报告提交率"), unit_label="%",
        compute=self_report_compute,
        description=gettext_lazy("截至统计截止日已提交（含逾期提交）的年度自查报告÷应报送数；"
                                 "截止日期（默认3月31日）前不考核，截止日期起应全部提交"),
    ),
    Indicator(
        code="grading_rate", section=DUTIES, name=gettext_lazy("分级监管完成率"), unit_label="%",
        compute=grading_compute,
        description=gettext_lazy("截至统计截止日已批准的年度监管等级÷应分级数（企业×环节）；"
                                 "分级完成期限（默认3月31日）起应全部完成"),
    ),
    Indicator(
        code="udi_hospital_coverage", section=DUTIES, name=gettext_lazy("三甲医院UDI应用覆盖率"), unit_label="%",
        compute=udi_compute,
        description=gettext_lazy("截至统计截止日已应用UDI的三级甲等医院÷全部三级甲等医院；目标日期见年度义务设置"),
    ),
]
