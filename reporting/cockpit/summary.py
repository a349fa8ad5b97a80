"""The quarterly work summary (季度工作总结) for the chief: its content and its download-centre job.

The figures come from ``cockpit_table`` (the cockpit's one reader): the quarter's snapshot when one was
taken (the reported figure never drifts), else live. The overdue lists come from the selectors that define
逾期 for each kind of work. ``summary_docx`` turns the content into a Word file; a Celery task on the reports
queue builds it into an ``ExportJob`` of kind ``cockpit_summary``. A 所 user gets its own unit's summary.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import UnitKind
from enterprises.models import Unit
from inspections.deadlines import provincial_entry_due
from inspections.selectors import unit_work_list
from monitoring.risk_selectors import risks_for, risks_overdue
from monitoring.sampling_selectors import overdue_q, samples_for
from regsys.jobs import job_claim, job_enqueue, job_fail, job_progress, job_succeed
from regsys.scoping import scope_for
from reporting.cockpit import charts
from reporting.cockpit.base import (
    STATUS_COLOURS,
    STATUS_LABELS,
    Figure,
    Indicator,
    Period,
    Status,
    figure_status,
    figure_trend,
    quarter_start,
)
from reporting.cockpit.service import Cell, CockpitTable, cockpit_table
from reporting.cockpit.summary_docx import (
    Chart,
    IndicatorLine,
    OverdueBlock,
    SummaryData,
    UnitCell,
    UnitTable,
    cn_date,
    summary_docx,
)
from reporting.models import ExportJob
from reporting.selectors import jobs_of
from reporting.services import job_files_write

logger = logging.getLogger(__name__)
KIND = "cockpit_summary"
FIRST_YEAR = 2000
OVERDUE_ROWS = 20  # rows printed of each overdue list
UNIT_TABLE_COLUMNS = 4  # indicators per slice of the per-所 table (fits A4 portrait)
UNIT_CHART_SERIES = 4
LAGGING = (Status.BEHIND, Status.SLIGHTLY_BEHIND)
DASH = "—"


# ------------------------------------------------------------------ numbers as printed

def format_number(value: Decimal | int | None) -> str:
    """An integer as is; a decimal to one place, trailing zeros dropped (15.0 → 15, 33.333 → 33.3)."""
    if value is None:
        return DASH
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
        return f"{value:f}"
    return str(value)


def format_delta(value: Decimal | int | None) -> str:
    if value is None:
        return DASH
    if value == 0:
        return _("持平")
    return ("+" if value > 0 else "") + format_number(value)


def _named(indicator: Indicator) -> str:
    return f"{indicator.name}（{indicator.unit_label}）" if indicator.unit_label else str(indicator.name)


# ------------------------------------------------------------------ the figures as reported

def reported(cell: Cell, use_snapshot: bool) -> tuple[Figure | None, str, Decimal | int | None]:
    """The figure the summary reports for a cell (the snapshot's when the quarter was frozen, else live), its
    status and its change against the previous quarter."""
    figure = (cell.snapshot or cell.figure) if use_snapshot else cell.figure
    status = figure_status(cell.indicator, figure) if figure is not None else Status.NOT_CONFIGURED
    previous = cell.vs_previous.previous if cell.vs_previous is not None else None
    before = Figure(actual=previous) if previous is not None else None
    return figure, status, figure_trend(cell.indicator, figure, before).delta


def _line(cell: Cell, use_snapshot: bool) -> IndicatorLine:
    figure, status, delta = reported(cell, use_snapshot)
    configured = figure is not None and figure.configured and figure.actual is not None
    return IndicatorLine(
        section=str(cell.indicator.section), name=_named(cell.indicator),
        actual=format_number(figure.actual) if configured else str(STATUS_LABELS[Status.NOT_CONFIGURED]),
        target=format_number(figure.target) if configured else DASH,
        expected=format_number(figure.expected) if configured else DASH,
        status=str(STATUS_LABELS[status]), colour=STATUS_COLOURS[status], trend=format_delta(delta),
    )


def _own_cells(table: CockpitTable, unit: Unit | None) -> list[Cell]:
    """The cells the summary reports: the district's, or the 所's own (its per-unit indicators)."""
    if unit is None:
        return [row.district for row in table.rows if row.district is not None]
    return [row.units[unit.pk] for row in table.rows if unit.pk in row.units]


def _notes(cells: list[Cell], use_snapshot: bool) -> list[str]:
    notes, missing = [], []
    for cell in cells:
        figure, status, _delta = reported(cell, use_snapshot)
        if status == Status.NOT_CONFIGURED:
            note = figure.note if figure is not None and figure.note else _("缺少所需数据")
            missing.append(f"{cell.indicator.name}（{note}）")
    if missing:
        notes.append(_("注：以下指标未配置，未列数据：%(list)s。") % {"list": "；".join(missing)})
    if use_snapshot:
        drift = [_("%(name)s实时为%(live)s（%(delta)s）") % {
            "name": c.indicator.name, "live": format_number(c.figure.actual), "delta": format_delta(c.snapshot_diff)}
            for c in cells if c.snapshot_diff not in (None, 0)]
        if drift:
            notes.append(_("冻结后补录的数据使以下指标的实时数有变动（本总结仍按冻结数报告）：%(list)s。") % {
                "list": "；".join(drift)})
    notes.append(_("“较上季度”为本期实际数与上一季度末数之差；第一季度及上季度未配置的指标记“—”。"))
    return notes


def _unit_tables(table: CockpitTable, use_snapshot: bool) -> list[UnitTable]:
    rows = [row for row in table.rows if row.units]
    slices = []
    for start in range(0, len(rows), UNIT_TABLE_COLUMNS):
        chunk = rows[start:start + UNIT_TABLE_COLUMNS]
        lines = []
        for unit in table.units:
            cells = []
            for row in chunk:
                figure, status, _delta = reported(row.units[unit.pk], use_snapshot)
                if status == Status.NOT_CONFIGURED:
                    text = str(STATUS_LABELS[status])
                elif figure.target is None:
                    text = format_number(figure.actual)
                else:
                    text = f"{format_number(figure.actual)}/{format_number(figure.target)}\n{STATUS_LABELS[status]}"
                cells.append(UnitCell(text=text, colour=STATUS_COLOURS[status]))
            lines.append((unit.display_name, cells))
        slices.append(UnitTable(headers=[_named(row.indicator) for row in chunk], rows=lines))
    return slices


def _percent(part, whole) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _completion(figure: Figure | None, indicator: Indicator) -> tuple[Decimal, Decimal | None] | None:
    """Actual and expected as % of the target (only for a target to reach, above zero)."""
    if (figure is None or not figure.configured or figure.actual is None or not indicator.higher_is_better
            or figure.target is None or Decimal(figure.target) <= 0):
        return None
    expected = _percent(figure.expected, figure.target) if figure.expected is not None else None
    return _percent(figure.actual, figure.target), expected


def _charts(table: CockpitTable, cells: list[Cell], use_snapshot: bool, who: str) -> tuple[list[Chart], list[str]]:
    made, notes = [], []
    bars = []
    for cell in cells:
        figure, status, _delta = reported(cell, use_snapshot)
        pair = _completion(figure, cell.indicator)
        if pair is not None:
            bars.append(charts.CompletionBar(label=str(cell.indicator.name), actual_pct=pair[0],
                                             expected_pct=pair[1], colour=STATUS_COLOURS[status]))
    if bars:
        caption = _("%(who)s各项指标完成进度（条形为实际完成占全年目标的比例，竖线为按进度应达）") % {"who": who}
        made.append(Chart(caption=caption, png=charts.completion_chart(bars, title=_("指标完成进度"))))
    else:
        notes.append(_("未配置：没有设定了目标的指标，未绘制完成进度图。"))
    counts = {}
    for cell in cells:
        status = reported(cell, use_snapshot)[1]
        counts[status] = counts.get(status, 0) + 1
    order = (Status.MET, Status.ON_TRACK, Status.SLIGHTLY_BEHIND, Status.BEHIND, Status.INFO, Status.NOT_CONFIGURED)
    made.append(Chart(caption=_("%(who)s指标状态分布") % {"who": who}, png=charts.status_chart(
        [(str(STATUS_LABELS[s]), counts.get(s, 0), STATUS_COLOURS[s]) for s in order], title=_("指标状态分布"))))
    if table.district_visible and table.units:
        chosen = [row for row in table.rows if row.units and any(
            _completion(reported(c, use_snapshot)[0], row.indicator) for c in row.units.values())]
        if chosen:
            section = chosen[0].indicator.section
            chosen = [row for row in chosen if row.indicator.section == section][:UNIT_CHART_SERIES]
            series = [(str(row.indicator.name), [
                (_completion(reported(row.units[u.pk], use_snapshot)[0], row.indicator) or (None,))[0]
                for u in table.units]) for row in chosen]
            made.append(Chart(
                caption=_("各监管所%(section)s指标完成率（占本所目标的比例）") % {"section": section},
                png=charts.unit_completion_chart([u.display_name for u in table.units], series,
                                                 title=_("各监管所%(section)s指标完成率") % {"section": section})))
    return made, notes


def _lagging(cells: list[Cell], table: CockpitTable, use_snapshot: bool) -> list[str]:
    sentences = []
    for cell in cells:
        figure, status, _delta = reported(cell, use_snapshot)
        if status not in LAGGING:
            continue
        ind, unit = cell.indicator, cell.indicator.unit_label
        values = {"name": ind.name, "actual": format_number(figure.actual), "target": format_number(figure.target),
                  "unit": unit, "status": STATUS_LABELS[status]}
        if ind.higher_is_better:
            expected = figure.expected if figure.expected is not None else figure.target
            values.update(expected=format_number(expected), gap=format_number(expected - figure.actual))
            text = _("“%(name)s”实际完成%(actual)s%(unit)s，全年目标%(target)s%(unit)s，按进度应达%(expected)s%(unit)s，"
                     "差%(gap)s%(unit)s，%(status)s。") % values
        else:
            values["gap"] = format_number(figure.actual - figure.target)
            text = _("“%(name)s”实际为%(actual)s%(unit)s，目标为不超过%(target)s%(unit)s，超出%(gap)s%(unit)s，"
                     "%(status)s。") % values
        row = next((r for r in table.rows if r.indicator.code == ind.code), None)
        if cell.indicator.per_unit and row is not None and table.district_visible and row.district is cell:
            behind = [u.display_name for u in table.units
                      if u.pk in row.units and reported(row.units[u.pk], use_snapshot)[1] in LAGGING]
            if behind:
                text += _("其中进度滞后的监管所：%(units)s。") % {"units": "、".join(behind)}
        sentences.append(text)
    return sentences


# ------------------------------------------------------------------ overdue lists (as of the day generated)

def _days(day: dt.date | None, today: dt.date) -> str:
    return str((today - day).days) if day is not None else DASH


def overdue_blocks(*, user, unit: Unit | None, today: dt.date, limit: int = OVERDUE_ROWS) -> list[OverdueBlock]:
    """What ``user`` sees overdue on ``today`` (of ``unit`` when given): the counts and the first rows."""
    work = unit_work_list(user, unit=unit, today=today, overdue_only=True)
    blocks = []

    provincial = work.provincial.select_related("unit")
    rows = []
    for n, i in enumerate(provincial[:limit], start=1):
        due = i.provincial_entry_due or provincial_entry_due(i.end_date or i.start_date)
        rows.append([str(n), i.enterprise.name, i.unit.display_name, f"{i.start_date:%Y-%m-%d}", f"{due:%Y-%m-%d}",
                     _days(due, today)])
    blocks.append(OverdueBlock(
        title=_("检查结束满一个月仍未录入省局系统"), total=provincial.count(), rows=rows,
        headers=[_("序号"), _("企业"), _("监管所"), _("检查日期"), _("应录入日期"), _("逾期天数")],
        widths_cm=(1.0, 5.6, 2.6, 2.4, 2.4, 2.0)))

    rectifications = work.rectifications.select_related("inspection__unit")
    rows = [[str(n), r.inspection.enterprise.name, r.inspection.unit.display_name, f"{r.ordered_on:%Y-%m-%d}",
             f"{r.deadline:%Y-%m-%d}", _days(r.deadline, today)] for n, r in enumerate(rectifications[:limit], start=1)]
    blocks.append(OverdueBlock(
        title=_("逾期未完成的整改"), total=rectifications.count(), rows=rows,
        headers=[_("序号"), _("企业"), _("监管所"), _("责令改正日期"), _("整改期限"), _("逾期天数")],
        widths_cm=(1.0, 5.6, 2.6, 2.4, 2.4, 2.0)))

    samples = samples_for(user).filter(overdue_q(today))
    if unit is not None:
        samples = samples.filter(unit=unit)
    samples = samples.order_by("next_due_on", "pk")
    rows = [[str(n), f"{s.product_name}（{s.sample_no}）", s.unit.display_name, s.get_next_step_display(),
             f"{s.next_due_on:%Y-%m-%d}", _days(s.next_due_on, today)] for n, s in enumerate(samples[:limit], start=1)]
    blocks.append(OverdueBlock(
        title=_("监督抽检逾期环节"), total=samples.count(), rows=rows,
        headers=[_("序号"), _("样品（抽样单号）"), _("监管所"), _("待办环节"), _("环节期限"), _("逾期天数")],
        widths_cm=(1.0, 5.6, 2.6, 2.4, 2.4, 2.0)))

    risks = risks_overdue(risks_for(user), today=today)
    if unit is not None:
        risks = risks.filter(owner_unit=unit)
    rows = [[str(n), r.risk_point, r.owner_unit.display_name, r.get_status_display(), f"{r.due_on:%Y-%m-%d}",
             _days(r.due_on, today)] for n, r in enumerate(risks.select_related("owner_unit")[:limit], start=1)]
    blocks.append(OverdueBlock(
        title=_("超过完成时限未销号的风险"), total=risks.count(), rows=rows,
        headers=[_("序号"), _("风险点"), _("责任单位"), _("状态"), _("完成时限"), _("逾期天数")],
        widths_cm=(1.0, 5.6, 2.6, 2.4, 2.4, 2.0)))
    return blocks


# ------------------------------------------------------------------ the summary's content

def bureau_name() -> str:
    return (Unit.objects.filter(kind=UnitKind.BUREAU).order_by("pk").values_list("name", flat=True).first()
            or _("区市场监督管理局"))


def summary_title(period: Period, unit: Unit | None) -> str:
    who = unit.display_name if unit is not None else _("全区")
    return _("%(period)s医疗器械监管工作总结（%(who)s）") % {"period": period.label, "who": who}


def summary_filename(period: Period, unit: Unit | None) -> str:
    who = unit.display_name if unit is not None else _("全区")
    return _("%(period)s医疗器械监管工作总结_%(who)s.docx") % {"period": period.label, "who": who}


def summary_data(*, period: Period, user, unit: Unit | None, today: dt.date,
                 progress: Callable[[int, str], None] | None = None) -> SummaryData:
    """Everything the document prints, for the district (``unit`` None) or one 所 as ``user`` may see it."""
    step = progress or (lambda _n, _m: None)
    table = cockpit_table(period=period, user=user)
    use_snapshot = table.snapshot is not None
    cells = _own_cells(table, unit)
    who = unit.display_name if unit is not None else _("全区")
    if use_snapshot:
        taken = timezone.localtime(table.snapshot.taken_at)
        source = _("%(period)s季末快照（冻结于%(when)s，数据截至%(as_of)s）") % {
            "period": period.label, "when": f"{cn_date(taken.date())} {taken:%H:%M}",
            "as_of": cn_date(table.snapshot.as_of)}
    elif period.ended:
        source = _("实时数据（该季度尚未冻结）")
    else:
        source = _("实时数据（统计期尚未结束，数据将随录入变化）")
    step(40, _("正在绘制图表"))
    made, chart_notes = _charts(table, cells, use_snapshot, who)
    step(60, _("正在汇总逾期事项"))
    overdue = overdue_blocks(user=user, unit=unit, today=today)
    return SummaryData(
        title=summary_title(period, unit), issuer=unit.name if unit is not None else bureau_name(),
        scope_label=who, period_label=period.label, start=period.start, as_of=period.as_of, generated_on=today,
        source=source, lines=[_line(c, use_snapshot) for c in cells], notes=_notes(cells, use_snapshot),
        unit_tables=_unit_tables(table, use_snapshot) if unit is None else [], district=unit is None,
        charts=made, chart_notes=chart_notes, overdue=overdue, overdue_shown=OVERDUE_ROWS,
        lagging=_lagging(cells, table, use_snapshot),
    )


# ------------------------------------------------------------------ the job

def cockpit_summary_check(*, user, year: int, quarter: int | None, today: dt.date) -> Unit | None:
    """Who may request which summary: a district user the district's, a 所 user its own unit's, read-only users
    none. Answers the unit of the summary (None: the district). The period must have begun."""
    scope = scope_for(user)
    if not scope.can_write:
        raise PermissionDenied(_("只读账号不能生成工作总结"))
    if not scope.district_wide and scope.unit_id is None:
        raise PermissionDenied(_("账号未分配监管单位，不能生成工作总结"))
    if year < FIRST_YEAR or quarter not in (None, 1, 2, 3, 4):
        raise ValidationError(_("请选择正确的年度和季度"))
    begins = quarter_start(year, quarter) if quarter else dt.date(year, 1, 1)
    if begins > today:
        label = Period(year, quarter, today).label if quarter else _("%(year)s年") % {"year": year}
        raise ValidationError(_("%(period)s尚未开始，不能生成工作总结") % {"period": label})
    return None if scope.district_wide else Unit.objects.get(pk=scope.unit_id)


@transaction.atomic
def cockpit_summary_request(*, user, year: int, quarter: int | None) -> ExportJob:
    """File the summary of ``year``/``quarter`` (None: 截至今日) as a job; a worker builds it."""
    today = timezone.localdate()
    unit = cockpit_summary_check(user=user, year=year, quarter=quarter, today=today)
    job = ExportJob.objects.create(
        kind=KIND, unit=unit, created_by=user, message=_("等待生成"),
        params={"year": year, "quarter": quarter, "unit": unit.pk if unit is not None else None},
        title=summary_title(Period(year, quarter, today), unit),
    )
    job_enqueue(job)
    return job


def cockpit_summary_jobs(user) -> QuerySet[ExportJob]:
    """The user's own builds (the download centre's rule: a job's files are its requester's)."""
    return jobs_of(user).filter(kind=KIND).select_related("unit")


def cockpit_summary_build(*, job_id: int, task_id: str) -> ExportJob | None:
    """Write the summary's .docx into the job. Safe to run twice (fixed file name, overwritten)."""
    if job_claim(model=ExportJob, pk=job_id, task_id=task_id) is None:
        return None
    job = ExportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    try:
        job_progress(job, 10, _("正在汇总指标"))
        today = timezone.localdate(job.created_at)
        period = Period(job.params["year"], job.params.get("quarter"), today)
        data = summary_data(period=period, user=job.created_by, unit=job.unit, today=today,
                            progress=lambda n, m: job_progress(job, n, m))
        job_progress(job, 80, _("正在生成文档"))
        content = summary_docx(data)
        job_progress(job, 90, _("正在保存文件"))
        job_files_write(job=job, files={"docx": (summary_filename(period, job.unit), content)})
        job_succeed(job, _("已完成"), fields=("docx",))
    except OperationalError:
        raise
    except Exception as exc:
        logger.exception("cockpit summary failed for job %s", job_id)
        job_fail(job=job, error=f"{type(exc).__name__}: {exc}")
    return job
