"""The form as a Word document (python-docx): landscape A4, the seed's table with its merges."""

from __future__ import annotations

import io
from copy import deepcopy
from functools import lru_cache

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from .layout import ExportInput, FormLayout, SheetData, format_value, header_text, label_chars, preamble_text

FONT_NAME = "宋体"
TABLE_WIDTH_CM = 26.7  # A4 landscape less 1.5 cm margins
CELL_PADDING = {"top": Pt(1.2), "bottom": Pt(1.2), "left": Pt(2.5), "right": Pt(2.5)}  # vertical room in every row


def _set_run_font(run, size: float, bold: bool = False) -> None:
    run._element.insert(0, deepcopy(_run_properties(size, bold)))  # a form has hundreds of cells: copy, not rebuild


@lru_cache(maxsize=16)
def _run_properties(size: float, bold: bool):
    """The <w:rPr> of a run in 宋体 of ``size`` pt, built once through python-docx."""
    run = Document().add_paragraph().add_run()
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT_NAME)
    fonts.set(qn("w:ascii"), FONT_NAME)
    fonts.set(qn("w:hAnsi"), FONT_NAME)
    return rpr


def _paragraph(container, text: str, size: float, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(4)
    _set_run_font(paragraph.add_run(text), size, bold)
    return paragraph


def _fill_cell(cell, text: str, size: float, bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph._p.remove_all("w:pPr")
    paragraph._p.insert(0, deepcopy(_centred_paragraph()))
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _set_run_font(run, size, bold)
        if index < len(lines) - 1:
            run.add_break()


@lru_cache(maxsize=1)
def _centred_paragraph():
    """The <w:pPr> of a cell's paragraph (centred, no space after), built once through python-docx."""
    paragraph = Document().add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph._p.get_or_add_pPr()


def column_widths(layout: FormLayout, size: float) -> list[Emu]:
    """Label columns as wide as their labels need (see ``label_chars``); the data columns share the rest."""
    char = Pt(size)  # a CJK character is one em wide
    padding = CELL_PADDING["left"] + CELL_PADDING["right"] + Pt(1)
    labels = [Emu(n * char + padding) for n in label_chars(layout)]
    data = Emu(int((Cm(TABLE_WIDTH_CM) - sum(labels)) / max(len(layout.columns), 1)))
    return labels + [data] * len(layout.columns)


def _fix_table_geometry(table, widths: list[Emu]) -> None:
    """Fixed layout with explicit grid widths (LibreOffice reads the grid, Word the cells) and cell padding."""
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in CELL_PADDING.items():
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(value.pt * 20)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    look = tbl_pr.find(qn("w:tblLook"))  # the schema orders tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width


def _write_form(document, layout: FormLayout, sheet: SheetData) -> None:
    size = 7 if layout.total_columns > 16 else 8.5
    _paragraph(document, layout.title, 15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, preamble_text(layout, sheet.preamble_values), 10.5)
    table = document.add_table(rows=1 + len(layout.rows), cols=layout.total_columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = layout.total_columns
    flat = table._cells  # fetched once: python-docx recomputes the grid on every table.cell() call

    def cell(r: int, c: int):
        return flat[r * width + c]

    widths = column_widths(layout, size)
    _fix_table_geometry(table, widths)
    for index, item in enumerate(flat):
        item.width = widths[index % width]
    merges = []
    _fill_cell(cell(0, 0), layout.header_label, size, bold=True)
    if layout.label_columns > 1:
        merges.append((cell(0, 0), cell(0, layout.label_columns - 1)))
    for index, column in enumerate(layout.columns):
        _fill_cell(cell(0, layout.label_columns + index), header_text(column.label), size, bold=True)
    for offset, (row, values) in enumerate(zip(layout.rows, sheet.values, strict=True)):
        r = offset + 1
        for label in row.label_cells:
            _fill_cell(cell(r, label.col), label.text, size)
            if label.rowspan > 1 or label.colspan > 1:
                merges.append((cell(r, label.col), cell(r + label.rowspan - 1, label.col + label.colspan - 1)))
        for index, (column, value) in enumerate(zip(layout.columns, values, strict=True)):
            _fill_cell(cell(r, layout.label_columns + index), format_value(value, column.decimals), size)
    for top_left, bottom_right in merges:
        top_left.merge(bottom_right)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats if the form runs onto a second page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    row_height = _row_height(len(layout.rows))
    if row_height is not None:
        for table_row in table.rows[1:]:
            table_row.height, table_row.height_rule = row_height, WD_ROW_HEIGHT_RULE.AT_LEAST
    _paragraph(document, layout.footer, 10.5)


def _row_height(rows: int) -> Cm | None:
    """Breathing room for the rows of a short form (统计表一), as in the seed; a long one keeps to one page."""
    usable = 12.5  # cm of an A4 landscape page left for the data rows under the title, header and footer
    return Cm(min(0.75, usable / rows)) if usable / rows > 0.45 else None


def export_docx(data: ExportInput) -> bytes:
    """The return's own copy of the form (the district total for a district return), landscape."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.2)
    _write_form(document, data.layout, data.sheets[0])
    if data.warnings:
        paragraph = document.add_paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        _paragraph(document, "校验提示", 12, bold=True)
        for n, warning in enumerate(data.warnings, start=1):
            _paragraph(document, f"{n}. [{warning.sheet}] {warning.row}：{warning.rule}（{warning.detail}）", 9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
