"""The form as an Excel workbook (openpyxl), laid out like the seed: one sheet per filled copy."""

from __future__ import annotations

import io
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from regsys.xlsx import put

from .layout import (
    EMPTY,
    ExportInput,
    FormLayout,
    SheetData,
    header_text,
    label_chars,
    preamble_text,
    unit_width,
)

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TITLE_ROW, PREAMBLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _sheet_title(name: str, used: set[str]) -> str:
    base = name.translate(INVALID_SHEET_CHARS)[:28] or "Sheet"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}{n}", n + 1
    used.add(title)
    return title


def _merge(ws: Worksheet, styles: dict, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """``ws.merge_cells``, with the same cells and styles, but openpyxl's styling of the range run once per kind.

    openpyxl re-styles every cell of a merged range (a border added per edge, the top-left cell's protection
    copied), each a lookup of a hashed style object; a form has hundreds of merges of a few shapes. The
    styles a merge leaves depend only on the top-left cell's style and the range's size, so the first merge
    of each kind is done by openpyxl and the styles it leaves are copied for the next (``styles``: per workbook).
    """
    mcr = MergedCellRange(ws, CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row).coord)
    ws.merged_cells.add(mcr)
    key = (tuple(mcr.start_cell._style), max_row - min_row, max_col - min_col)
    known = styles.get(key)
    if known is None:
        ws._clean_merge_range(mcr)
        styles[key] = [copy(ws._cells[coord]._style) for coord in mcr.cells]
        return
    for (row, col), style in zip(mcr.cells, known, strict=True):
        cell = ws._cells[row, col] if (row, col) == (min_row, min_col) else MergedCell(ws, row=row, column=col)
        ws._cells[row, col] = cell
        cell._style = copy(style)


def _write_form(ws: Worksheet, layout: FormLayout, sheet: SheetData, styles: dict) -> None:
    last_col = layout.total_columns
    last_letter = get_column_letter(last_col)
    put(ws, TITLE_ROW, 1, layout.title).font = Font(name=FONT_NAME, size=16, bold=True)
    ws.cell(TITLE_ROW, 1).alignment = CENTER
    _merge(ws, styles, TITLE_ROW, 1, TITLE_ROW, last_col)
    ws.row_dimensions[TITLE_ROW].height = 32
    put(ws, PREAMBLE_ROW, 1, preamble_text(layout, sheet.preamble_values)).font = Font(name=FONT_NAME, size=11)
    ws.cell(PREAMBLE_ROW, 1).alignment = LEFT
    _merge(ws, styles, PREAMBLE_ROW, 1, PREAMBLE_ROW, last_col)
    ws.row_dimensions[PREAMBLE_ROW].height = 22

    body_font = Font(name=FONT_NAME, size=10)
    header_font = Font(name=FONT_NAME, size=10, bold=True)
    put(ws, HEADER_ROW, 1, layout.header_label)
    for index, column in enumerate(layout.columns, start=layout.label_columns + 1):
        put(ws, HEADER_ROW, index, header_text(column.label))
    ws.row_dimensions[HEADER_ROW].height = 60
    last_row = FIRST_DATA_ROW + len(layout.rows) - 1
    styled = {}  # the first cell of each font is styled; the others copy its style ids (no re-hashing)
    for r in range(HEADER_ROW, last_row + 1):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            font = header_font if r == HEADER_ROW else body_font
            first = styled.get(id(font))
            if first is None:
                cell.border = BORDER
                cell.alignment = CENTER
                cell.font = font
                styled[id(font)] = cell
            else:
                cell._style = copy(first._style)
    if layout.label_columns > 1:
        _merge(ws, styles, HEADER_ROW, 1, HEADER_ROW, layout.label_columns)

    per_line = label_chars(layout)
    for offset, (row, values) in enumerate(zip(layout.rows, sheet.values, strict=True)):
        r = FIRST_DATA_ROW + offset
        ws.row_dimensions[r].height = _row_height(row, per_line)
        for label in row.label_cells:
            c = label.col + 1
            put(ws, r, c, label.text or None)
            if label.rowspan > 1 or label.colspan > 1:
                _merge(ws, styles, r, c, r + label.rowspan - 1, c + label.colspan - 1)
        for index, (column, value) in enumerate(zip(layout.columns, values, strict=True)):
            cell = ws.cell(r, layout.label_columns + 1 + index)
            if value is None:
                cell.value = EMPTY
            elif column.decimals:
                cell.value = float(Decimal(value).quantize(Decimal(1).scaleb(-column.decimals)))
                cell.number_format = "0." + "0" * column.decimals
            else:
                cell.value = int(value)
                cell.number_format = "0"

    footer_row = last_row + 1
    put(ws, footer_row, 1, layout.footer).font = Font(name=FONT_NAME, size=10)
    ws.cell(footer_row, 1).alignment = LEFT
    _merge(ws, styles, footer_row, 1, footer_row, last_col)
    ws.row_dimensions[footer_row].height = 22

    for index, chars in enumerate(per_line, start=1):  # a CJK character is about 2 width units
        ws.column_dimensions[get_column_letter(index)].width = max(6, 2 * chars + 2)
    for index, column in enumerate(layout.columns, start=layout.label_columns + 1):  # room for the unit's line
        ws.column_dimensions[get_column_letter(index)].width = max(column.width, unit_width(column.label) + 2)

    ws.print_area = f"A1:{last_letter}{footer_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, layout.label_columns + 1)


def _write_warnings(ws: Worksheet, data: ExportInput) -> None:
    headers = ("序号", "表页", "项目", "规则", "说明")
    font = Font(name=FONT_NAME, size=10)
    for c, text in enumerate(headers, start=1):
        cell = put(ws, 1, c, text)
        cell.font = Font(name=FONT_NAME, size=10, bold=True)
        cell.border = BORDER
        cell.alignment = CENTER
    if not data.warnings:
        put(ws, 2, 1, "未发现问题").font = font
    for r, warning in enumerate(data.warnings, start=2):
        for c, value in enumerate((r - 1, warning.sheet, warning.row, warning.rule, warning.detail), start=1):
            cell = put(ws, r, c, value)
            cell.font = font
            cell.border = BORDER
            cell.alignment = LEFT
    for letter, width in zip("ABCDE", (6, 14, 40, 30, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def export_xlsx(data: ExportInput) -> bytes:
    """The workbook: one sheet per filled copy (district first, then its units) and 校验提示."""
    workbook = Workbook()
    used: set[str] = set()
    styles: dict = {}  # merged cells' styles, shared by the sheets (one workbook, one style table)
    for index, sheet in enumerate(data.sheets):
        ws = workbook.active if index == 0 else workbook.create_sheet()
        ws.title = _sheet_title(sheet.name, used)
        _write_form(ws, data.layout, sheet, styles)
    _write_warnings(workbook.create_sheet(_sheet_title("校验提示", used)), data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_height(row, per_line: tuple[int, ...]) -> int:
    """Points for a data row: 20 for one line of label, 15 more for each further line its own labels wrap to
    (a label in a column ``per_line`` characters wide; labels spanning rows or columns share their room)."""
    lines = 1
    for label in row.label_cells:
        if label.rowspan == 1 and label.colspan == 1 and label.col < len(per_line) and label.text:
            lines = max(lines, -(-len(label.text) // max(per_line[label.col], 1)))
    return 20 + 15 * (lines - 1)

