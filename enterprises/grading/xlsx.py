"""A small Excel writer for list exports: data in, bytes out (no ORM here)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from regsys import xlsx

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
STATUS_FILLS = {
    "success": "C6EFCE", "info": "DDEBF7", "warning": "FFEB9C", "danger": "FFC7CE", "secondary": "EDEDED",
}


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One sheet per (title, headers, rows). A row may end with a colour key (see STATUS_FILLS)
    wrapped as ``("__fill__", key)``; it colours the row."""
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(xlsx.row(sheet, headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
        for row in rows:
            fill = None
            row = list(row)
            if row and isinstance(row[-1], tuple) and row[-1][:1] == ("__fill__",):
                fill = STATUS_FILLS.get(row.pop()[1])
            row = [xlsx.clean(v) for v in row]
            sheet.append(xlsx.row(sheet, row))
            if fill:
                for cell in sheet[sheet.max_row]:
                    cell.fill = PatternFill("solid", fgColor=fill)
            for i, value in enumerate(row):
                if i < len(widths):
                    widths[i] = min(60, max(widths[i], len(str(value or "")) * 2 + 2))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def fill(key: str) -> tuple[str, str]:
    return ("__fill__", key)
