"""A national-system export built in the test: the default profile's headers, one dict per report."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADERS = ["报告编码", "报告日期", "事件发生日期", "获知日期", "报告来源", "报告单位名称", "报告单位统一社会信用代码",
           "所在街道/镇", "事件后果", "产品名称", "注册证编号", "注册人名称", "型号规格", "产品批号", "事件陈述"]


def export_file(rows: list[dict], *, headers: list[str] = HEADERS, name: str = "国家系统导出.xlsx",
                formulas: dict[tuple[int, str], str] | None = None) -> SimpleUploadedFile:
    """An .xlsx as the national system exports it; ``formulas`` puts a formula in (row index, header)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报告列表"
    ws.append(headers)
    for index, row in enumerate(rows):
        values = [row.get(h, "") for h in headers]
        for (row_index, header), formula in (formulas or {}).items():
            if row_index == index:
                values[headers.index(header)] = formula
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
