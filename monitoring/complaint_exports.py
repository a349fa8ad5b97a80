"""The list export of complaints and public opinion (a download-centre job), filtered as the page is."""

from __future__ import annotations

from inspections.exports import column_sheet
from inspections.filters import filtered
from monitoring.complaint_filters import ComplaintFilterSet
from monitoring.complaint_selectors import complaint_list
from monitoring.views.complaints import COLUMNS
from regsys.exports import ListExport, Sheet, register


def _complaint_sheets(request) -> list[Sheet]:
    _f, qs = filtered(request, queryset=complaint_list(user=request.user), filterset_class=ComplaintFilterSet)
    return [column_sheet(title="投诉举报与舆情", columns=COLUMNS, queryset=qs)]


register(ListExport(name="complaints", title="投诉举报与舆情", sheets=_complaint_sheets))
