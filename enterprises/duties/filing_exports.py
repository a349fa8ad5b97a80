"""The yearly-filing list as a download-centre export (regsys/exports.py): the rows the page lists."""

from __future__ import annotations

from enterprises.duties.filing_filters import filtered_rows
from regsys.exports import ListExport, Sheet, register, row_fill

HEADERS = ["年度", "类别", "企业名称", "统一社会信用代码", "监管单位", "环节", "截止日期", "状态", "提交日期",
           "登记方式", "责令改正", "备注"]
FILLS = {"submitted": "success", "late": "warning", "missing": "danger", "on_file": "secondary"}


def _order_text(row) -> str:
    if row.order_state == "confirmed":
        return f"已确认（{row.filing.order_confirmed_on:%Y-%m-%d}）"
    if row.order_state == "proposed":
        return f"拟责令改正（{row.filing.order_proposed_on:%Y-%m-%d}）"
    return ""


def filing_sheets(request) -> list[Sheet]:
    _filterset, params, rows = filtered_rows(request)
    values = (
        (r.year, r.kind_label, r.enterprise.name, r.enterprise.credit_code, r.enterprise.owning_unit.display_name,
         r.sector_label, r.due, r.status_label, r.submitted_on, r.filing.get_source_display() if r.filing else "",
         _order_text(r), r.filing.note if r.filing else "", row_fill(FILLS[r.status]))
        for r in rows
    )
    return [Sheet(title="年度报送", headers=HEADERS, rows=values, total=len(rows),
                  widths=[8, 14, 36, 22, 14, 8, 12, 10, 12, 10, 22, 30], number_formats={7: "yyyy-mm-dd", 9: "yyyy-mm-dd"})]


register(ListExport(name="annual_filings", title="年度报送名单", sheets=filing_sheets))
