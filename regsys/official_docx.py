"""The common pieces of a Chinese official document (公文) in A4, written with python-docx.

Shared by the project's Word reports (``monitoring.risk_report_docx``, ``reporting.cockpit.summary_docx``):
A4 portrait, title in 宋体 bold, body in 仿宋, headings 一、二、… in 黑体, bordered tables in 仿宋 小五 with a
bold header row repeated on every page and rows that never split, page numbers "— 1 —" in the footer.
Every run sets its East-Asian font (``w:eastAsia``); without it Word and LibreOffice ignore the choice.

What differs between reports (body size and line spacing, margins, title size, spacing after tables, cell
fills) is a parameter here; each builder keeps its own values. Needs only python-docx and the standard library,
so any app may use it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.section import Section
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TITLE_FONT, BODY_FONT, HEADING_FONT = "宋体", "仿宋", "黑体"
TABLE_SIZE = 9  # 小五
CHINESE_NUMBERS = "一二三四五六七八九十"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7  # A4
LEFT_MARGIN_CM, RIGHT_MARGIN_CM = 2.6, 2.4
TEXT_WIDTH_CM = PAGE_WIDTH_CM - LEFT_MARGIN_CM - RIGHT_MARGIN_CM
CELL_MARGIN_TWIPS = {"top": 40, "bottom": 40, "left": 57, "right": 57}  # 2 pt above/below, 0.1 cm each side
ROW_HEIGHT = Cm(0.6)


def set_font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    """The run's font, size and weight, the East-Asian font included."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def new_document(*, title: str, author: str, body_size: float, top_margin_cm: float, bottom_margin_cm: float,
                 footer_distance_cm: float, page_number_size: float, left_margin_cm: float = LEFT_MARGIN_CM,
                 right_margin_cm: float = RIGHT_MARGIN_CM) -> DocumentObject:
    """An empty A4 document: Normal style in 仿宋 ``body_size``, the margins given, page numbers in the footer,
    ``title`` and ``author`` in the core properties."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.top_margin, section.bottom_margin = Cm(top_margin_cm), Cm(bottom_margin_cm)
    section.left_margin, section.right_margin = Cm(left_margin_cm), Cm(right_margin_cm)
    section.footer_distance = Cm(footer_distance_cm)
    add_page_numbers(section, size=page_number_size)
    document.core_properties.title = title
    document.core_properties.author = author
    return document


def document_bytes(document: DocumentObject) -> bytes:
    """The document as .docx bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_title(document: DocumentObject, text: str, *, size: float, line: Length, space_after: float) -> Paragraph:
    """The centred title in 宋体 bold."""
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(space_after)
    title.paragraph_format.line_spacing = line
    set_font(title.add_run(text), TITLE_FONT, size, bold=True)
    return title


def add_paragraph(document: DocumentObject, text: str, *, size: float, line: Length, font: str = BODY_FONT,
                  bold: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True,
                  space_before: float = 0) -> Paragraph:
    """A paragraph of one run with an exact ``line`` spacing, no space after and (``indent``) a two-character
    first-line indent."""
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(space_before)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    set_font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def numbered(n: int, text: str) -> str:
    """A section heading's text: 一、…, 二、…"""
    return f"{CHINESE_NUMBERS[n - 1]}、{text}"


def add_heading(document: DocumentObject, n: int, text: str, *, size: float, line: Length,
                space_before: float = 0) -> Paragraph:
    """The numbered section heading (一、…) in 黑体, kept with the next paragraph."""
    heading = add_paragraph(document, numbered(n, text), size=size, line=line, font=HEADING_FONT,
                            space_before=space_before)
    heading.paragraph_format.keep_with_next = True
    return heading


def set_borders(table: Table) -> None:
    """Single 0.5 pt borders on every edge and inside line and the cell margins (set on the table, not left to
    a style)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in CELL_MARGIN_TWIPS.items():
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))  # the schema orders tblBorders, tblCellMar before tblLook
    for element in (borders, margins):
        if look is not None:
            look.addprevious(element)
        else:
            tbl_pr.append(element)


def shade(cell: _Cell, fill: str) -> None:
    """A solid background of hex colour ``fill`` (e.g. ``"F8D7DA"``)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def write_cell(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
               fill: str = "") -> None:
    """The cell's text in 小五, vertically centred (``bold``: 黑体, for the header); each ``\\n`` a line break."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        set_font(run, HEADING_FONT if bold else BODY_FONT, TABLE_SIZE)
        if index < len(lines) - 1:
            run.add_break()
    if fill:
        shade(cell, fill)


def add_table(document: DocumentObject, headers: Sequence[str], widths_cm: Sequence[float],
              rows: Sequence[Sequence[str]], *, spacer_line: Length, left_columns: Iterable[int] = (),
              fills: Sequence[dict[int, str]] | None = None, whole: bool = False) -> Table:
    """A bordered, centred table with fixed column widths, its header row in 黑体 repeated on every page and
    rows never split; then a short spacer paragraph (``spacer_line`` high) before what follows.

    ``left_columns``: the columns whose body cells are left-aligned (others are centred); ``fills``: per body
    row, the background of some columns (column index to hex colour); ``whole``: a short table kept on one
    page (each row kept with the next)."""
    left_columns = frozenset(left_columns)
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_borders(table)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        grid_col.w = Cm(width)
    flat = table._cells
    width = len(headers)
    for index, cell in enumerate(flat):
        cell.width = Cm(widths_cm[index % width])
    for c, text in enumerate(headers):
        write_cell(flat[c], text, bold=True)
    for r, values in enumerate(rows, start=1):
        row_fills = fills[r - 1] if fills else {}
        for c, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if c in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            write_cell(flat[r * width + c], text, align=align, fill=row_fills.get(c, ""))
    for index, row in enumerate(table.rows):
        row.height, row.height_rule = ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
        if whole and index < len(table.rows) - 1:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        tr_pr.append(cant_split)
        if index == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
    spacer = document.add_paragraph()  # breathing room before the next heading
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = spacer_line
    return table


def add_page_numbers(section: Section, *, size: float, font: str = TITLE_FONT) -> None:
    """"— 1 —" centred in the footer (a PAGE field, so every page numbers itself)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("— "), font, size)
    run = paragraph.add_run()
    set_font(run, font, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    set_font(paragraph.add_run(" —"), font, size)
