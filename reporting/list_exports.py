"""The reporting app's list exports (regsys/exports.py): returns and the records behind a return's number."""

from __future__ import annotations

from regsys.exports import CHUNK, ListExport, Sheet, register
from reporting.filters import ReturnFilter
from reporting.selectors import returns_visible
from reporting.views import _record_table, cell_records


def _return_sheets(request) -> list[Sheet]:
    qs = ReturnFilter(request.GET, queryset=returns_visible(request.user), request=request).qs
    rows = ((str(r.campaign), str(r.template), r.unit.name if r.unit_id else "全区", r.cutoff,
             "临时报送" if r.unscheduled else r.due_date.due_on, r.version,
             r.get_status_display(), r.filled_by, r.submitted_at and r.submitted_at.strftime("%Y-%m-%d %H:%M"),
             len(r.warnings)) for r in qs.iterator(chunk_size=CHUNK))
    headers = ["专项整治", "报表", "填报单位", "截止日期", "报送期限", "版本", "状态", "填报人", "上报时间", "校验提示数"]
    return [Sheet(title="统计报表", headers=headers, rows=rows, total=qs.count())]


def _cell_sheets(request) -> list[Sheet]:
    _ret, _row, metric, records = cell_records(request, request.pk)
    headers, rows = _record_table(metric.source, records.iterator(chunk_size=CHUNK))
    return [Sheet(title="明细", headers=headers, rows=rows, total=records.count())]


register(ListExport(name="returns", title="统计报表", sheets=_return_sheets))
register(ListExport(name="return_cell", title="报表数字明细", sheets=_cell_sheets))
