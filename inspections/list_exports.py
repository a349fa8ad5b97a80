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
from inspections.planning.selectors import plans_for
from inspections.planning.views import _due_rows, _items_filter, _plans_filter
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
