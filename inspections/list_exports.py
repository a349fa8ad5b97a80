"""The inspections app's list exports (regsys/exports.py): each list as its page filters it, for the job's user."""

from __future__ import annotations

from itertools import islice

from django.shortcuts import get_object_or_404
from django.utils import timezone

from inspections.exports import (
    CASE_COLUMNS,
    INTERVIEW_COLUMNS,
    REFERRAL_COLUMNS,
    column_sheet,
    inspection_columns,
    rectification_columns,
)
from inspections.filters import (
    CaseFilterSet,
    InspectionFilterSet,
    InterviewFilterSet,
    RectificationFilterSet,
    ReferralFilterSet,
    filtered,
)
from inspections.planning.due import decorate
from inspections.planning.filters import ConflictFilter
from inspections.planning.selectors import conflicts_for, plans_for
from inspections.planning.views import _due_rows, _items_filter, _plans_filter
from inspections.planning.views_progress import _context, _pct, _yes_no
from inspections.selectors import case_qs, inspection_qs, interview_qs, rectification_qs, referral_qs
from regsys.exports import CHUNK, ListExport, Sheet, register, row_fill


def _list(title, queryset, filterset_class, columns):
    def sheets(request) -> list[Sheet]:
        _filterset, qs = filtered(request, queryset=queryset(request.user), filterset_class=filterset_class)
        return [column_sheet(title=title, columns=columns() if callable(columns) else columns, queryset=qs)]

    return sheets


register(ListExport(name="inspections", title="监督检查", sheets=_list(
    "监督检查", inspection_qs, InspectionFilterSet, lambda: inspection_columns(timezone.localdate()))))
register(ListExport(name="rectifications", title="责令改正", sheets=_list(
    "责令改正", rectification_qs, RectificationFilterSet, lambda: rectification_columns(timezone.localdate()))))
register(ListExport(name="interviews", title="约谈", sheets=_list(
    "约谈", interview_qs, InterviewFilterSet, INTERVIEW_COLUMNS)))
register(ListExport(name="referrals", title="移送移交", sheets=_list(
    "移送移交", referral_qs, ReferralFilterSet, REFERRAL_COLUMNS)))
register(ListExport(name="cases", title="案件", sheets=_list("案件", case_qs, CaseFilterSet, CASE_COLUMNS)))


def _batches(iterable, size: int = CHUNK):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _due_sheets(request) -> list[Sheet]:
    year, scheme, qs, _params = _due_rows(request)
    headers = ["企业名称", "统一社会信用代码", "监管单位", "环节", "监管等级", "检查频次", "上次检查日期",
               "下次应检日期", "到期状态"]

    def rows():
        if scheme is None:
            return
        today = timezone.localdate()
        for batch in _batches(qs.iterator(chunk_size=CHUNK)):
            for g in decorate(batch, scheme, today):
                yield (g.enterprise.name, g.enterprise.credit_code, g.enterprise.owning_unit.display_name,
                       g.get_sector_display(), g.level.name, g.level.frequency_text, g.last_inspected,
                       g.due_date, g.due_status_label, row_fill(g.due_colour))

    return [Sheet(title=f"{year}年检查到期情况", headers=headers, rows=rows(), total=qs.count() if scheme else 0)]


def _plan_sheets(request) -> list[Sheet]:
    qs = _plans_filter(request).qs
    rows = ((p.year, p.unit.display_name, p.get_kind_display(), p.get_status_display(), p.item_count, p.done_count,
             str(p.approved_by or ""),
             timezone.localtime(p.approved_at).strftime("%Y-%m-%d") if p.approved_at else "")
            for p in qs.iterator(chunk_size=CHUNK))
    headers = ["年度", "单位", "计划类型", "状态", "计划项", "已完成", "审批人", "审批日期"]
    return [Sheet(title="检查计划", headers=headers, rows=rows, total=qs.count())]


def _plan_item_sheets(request) -> list[Sheet]:
    plan = get_object_or_404(plans_for(request.user), pk=request.pk)
    qs = _items_filter(request, plan).qs
    rows = ((i.enterprise.name, i.enterprise.credit_code, i.get_kind_display(), i.period_label,
             i.get_source_display(), i.reason, "、".join(str(o) for o in i.officers.all()), i.note, i.done_on or "",
             row_fill("success") if i.done_on else row_fill("secondary"))
            for i in qs.iterator(chunk_size=CHUNK))
    headers = ["企业名称", "统一社会信用代码", "检查类型", "计划时间", "来源", "列入理由", "检查人员", "备注", "完成日期"]
    return [Sheet(title=str(plan), headers=headers, rows=rows, total=qs.count())]


register(ListExport(name="planning_due", title="检查到期情况", sheets=_due_sheets))
register(ListExport(name="plans", title="检查计划", sheets=_plan_sheets))
register(ListExport(name="plan_items", title="检查计划明细", sheets=_plan_item_sheets))


def _conflict_sheets(request) -> list[Sheet]:
    qs = ConflictFilter(request.GET, queryset=conflicts_for(request.user)).qs
    rows = ((c.officer.display_name, c.officer.unit.display_name if c.officer.unit else "", c.enterprise.name,
             c.reason, c.declared_on, "是" if c.is_active else "否") for c in qs.iterator(chunk_size=CHUNK))
    headers = ["检查人员", "所在单位", "企业", "回避理由", "申报日期", "有效"]
    return [Sheet(title="回避关系", headers=headers, rows=rows, total=qs.count())]


def _progress_sheets(request) -> list[Sheet]:
    """The progress dashboard's figures (bounded: months, kinds, targets, units) and the enterprises not yet
    inspected for each target."""
    ctx = _context(request, missing_limit=None)
    p = ctx["progress"]
    month_rows = [(f"{m}月", a, b, c) for m, a, b, c in zip(p["months"], p["planned"], p["done"], p["inspections"],
                                                           strict=True)]
    month_rows.append(("合计", sum(p["planned"]), sum(p["done"]), sum(p["inspections"])))
    kind_rows = [(k["label"], k["planned"], k["done"]) for k in p["by_kind"]]
    target_rows = []
    for t in ctx["targets"]:
        target_rows.append((
            t.target.name, t.numerator, "" if t.denominator is None else t.denominator,
            "" if t.required is None else t.required, _pct(t.percentage),
            "" if t.expected_by_now is None else t.expected_by_now, _yes_no(t.on_track), _yes_no(t.met),
            t.target.basis,
            row_fill("success" if t.on_track else "danger") if t.on_track is not None else row_fill("secondary"),
        ))
    missing_rows = ((t.target.name, e.name, e.credit_code, e.owning_unit.display_name)
                    for t in ctx["targets"] for e in t.missing)
    sheets = [
        Sheet(title="按月份", headers=["月份", "计划检查", "按计划完成", "全部已完成检查"], rows=month_rows),
        Sheet(title="按检查类型", headers=["检查类型", "计划", "已完成"], rows=kind_rows),
        Sheet(title="年度指标", headers=["指标", "已检查（分子）", "企业数（分母）", "全年应检", "完成率", "截至今日应完成",
                                     "进度达标", "全年已达标", "依据"], rows=target_rows),
        Sheet(title="尚未检查企业", headers=["指标", "企业名称", "统一社会信用代码", "监管单位"], rows=missing_rows),
    ]
    if ctx.get("unit_rows"):
        headers = ["单位", "计划项", "已完成"] + [t.target.name for t in ctx["targets"]]
        rows = [
            [r["unit"].display_name, r["planned"], r["done"]]
            + [f"{x.numerator}/{x.denominator if x.denominator is not None else '—'}" for x in r["targets"]]
            for r in ctx["unit_rows"]
        ]
        sheets.append(Sheet(title="各单位", headers=headers, rows=rows))
    return sheets


register(ListExport(name="conflicts", title="回避关系", sheets=_conflict_sheets))
register(ListExport(name="plan_progress", title="检查计划进度", sheets=_progress_sheets))
