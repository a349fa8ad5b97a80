"""Excel files of the registry: data in, bytes out (no queries of their own beyond iteration)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from enterprises.models import Enterprise, Licence
from regsys import xlsx

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

ENTERPRISE_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("企业名称", 36), ("统一社会信用代码", 22), ("企业类别", 30), ("产品领域", 24),
    ("街道/镇", 12), ("监管单位", 16), ("经营状态", 10), ("法定代表人", 12), ("企业负责人", 12),
    ("质量负责人", 12), ("联系电话", 16), ("经营/生产地址", 36), ("证照", 40), ("医院等级", 12),
]
LICENCE_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("证照类型", 24), ("证照编号", 28), ("企业名称", 36), ("统一社会信用代码", 22),
    ("监管单位", 16), ("发证机关", 20), ("发证日期", 12), ("有效期至", 12), ("剩余天数", 10), ("状态", 8),
]


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int]]):
    ws = wb.active
    ws.title = title
    ws.append(xlsx.row(ws, [name for name, _width in columns]))
    for index, (_name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def enterprises_xlsx(enterprises: Iterable[Enterprise]) -> bytes:
    """The enterprise list as shown (tags and licences must be prefetched by the caller)."""
    wb = Workbook()
    ws = _sheet(wb, "企业名录", ENTERPRISE_COLUMNS)
    for index, e in enumerate(enterprises, start=1):
        ws.append(xlsx.row(ws, [
            index, e.name, e.credit_code, "、".join(e.role_labels()),
            "、".join(str(t) for t in e.tags.all()), e.subdistrict.name, e.owning_unit.name,
            e.get_status_display(), e.legal_representative, e.person_in_charge, e.quality_manager,
            e.phone, e.business_address,
            "；".join(f"{lic.get_kind_display()} {lic.number}" for lic in e.licences.all()),
            e.get_hospital_grade_display(),
        ]))
    ws.auto_filter.ref = ws.dimensions
    return _save(wb)


def licences_xlsx(licences: Iterable[Licence], *, today) -> bytes:
    wb = Workbook()
    ws = _sheet(wb, "证照", LICENCE_COLUMNS)
    for index, lic in enumerate(licences, start=1):
        days_left = (lic.expires_on - today).days if lic.expires_on else None
        ws.append(xlsx.row(ws, [
            index, lic.get_kind_display(), lic.number, lic.enterprise.name, lic.enterprise.credit_code,
            lic.enterprise.owning_unit.name, lic.issuer, lic.issued_on, lic.expires_on, days_left,
            lic.get_status_display(),
        ]))
        for column in (8, 9):
            ws.cell(row=index + 1, column=column).number_format = "yyyy-mm-dd"
    ws.auto_filter.ref = ws.dimensions
    return _save(wb)
