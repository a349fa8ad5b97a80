"""The quarterly risk-consultation report as a Word document (data in, bytes out; no ORM).

Laid out as a government written report (GB/T 9704 in spirit): A4 portrait, title in 宋体 二号 bold,
body 仿宋 三号 with a fixed 28 pt line and two-character first-line indent, headings 一、二、… in 黑体,
tables in 仿宋 小五 with full borders, a bold header row repeated on every page, page numbers "— 1 —".
Every run sets its East-Asian font (``w:eastAsia``); without it Word and LibreOffice ignore the choice.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TITLE_FONT, BODY_FONT, HEADING_FONT = "宋体", "仿宋", "黑体"
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = 22, 16, 9  # 二号, 三号, 小五
BODY_LINE = Pt(28)
TEXT_WIDTH_CM = 21.0 - 2.6 - 2.4
SOURCE_HEADERS = ("风险来源", "线索/信号数", "新增风险", "其中高风险", "季末在控", "本季度销号")
SOURCE_WIDTHS_CM = (3.4, 2.6, 2.4, 2.6, 2.4, 2.6)
REGISTER_HEADERS = ("序号", "风险点", "来源", "涉及企业/产品", "等级", "责任单位", "管控措施", "时限", "状态")
REGISTER_WIDTHS_CM = (0.9, 2.5, 1.2, 2.4, 0.9, 1.6, 2.4, 2.2, 1.9)
CHINESE_NUMBERS = "一二三四五六七八九十"
CELL_MARGIN_TWIPS = {"top": 40, "bottom": 40, "left": 57, "right": 57}  # 2 pt above/below, 0.1 cm each side
ROW_HEIGHT = Cm(0.6)


def _font(run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _paragraph(document, text: str, *, font: str = BODY_FONT, size: float = BODY_SIZE, bold: bool = False,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, space_before: float = 0):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = BODY_LINE
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(space_before)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _heading(document, text: str) -> None:
    _paragraph(document, text, font=HEADING_FONT).paragraph_format.keep_with_next = True


def _borders(table) -> None:
    """Single 0.5 pt borders on every edge and inside line (set on the table, not left to a style)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
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


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, HEADING_FONT if bold else BODY_FONT, TABLE_SIZE)
        if index < len(lines) - 1:
            run.add_break()


def _table(document, headers, widths_cm, rows, *, left_columns: tuple[int, ...] = (), whole: bool = False) -> None:
    """A bordered table, fixed column widths, header row in 黑体 repeated across pages, no row split;
    ``whole``: a short table kept on one page (each row kept with the next)."""
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        grid_col.w = Cm(width)
    flat = table._cells
    width = len(headers)
    for index, cell in enumerate(flat):
        cell.width = Cm(widths_cm[index % width])
    for c, text in enumerate(headers):
        _cell(flat[c], text, bold=True)
    for r, values in enumerate(rows, start=1):
        for c, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if c in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            _cell(flat[r * width + c], text, align=align)
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
    spacer.paragraph_format.line_spacing = Pt(12)


def _register(document, caption: str, rows) -> None:
    caption_paragraph = _paragraph(document, caption, font=HEADING_FONT, size=12, align=WD_ALIGN_PARAGRAPH.CENTER,
                                   indent=False, space_before=6)
    caption_paragraph.paragraph_format.keep_with_next = True  # never a caption alone at a page's foot
    if not rows:
        _paragraph(document, "本季度无。", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        return
    _table(document, REGISTER_HEADERS, REGISTER_WIDTHS_CM, [row.cells() for row in rows],
           left_columns=(1, 3, 6, 8))


def _page_numbers(section) -> None:
    """"— 1 —" centred in the footer (a PAGE field, so every page numbers itself)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), "宋体", 14)
    run = paragraph.add_run()
    _font(run, "宋体", 14)
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
    _font(paragraph.add_run(" —"), "宋体", 14)


def _section(n: int, text: str) -> str:
    return f"{CHINESE_NUMBERS[n - 1]}、{text}"


def risk_report_docx(data) -> bytes:
    """The report as .docx bytes; ``data`` is the ``RiskReportData`` built by ``monitoring.services.risk_report``."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    section.footer_distance = Cm(2.5)
    _page_numbers(section)
    document.core_properties.title = data.title
    document.core_properties.author = data.issuer

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(BODY_SIZE)
    title.paragraph_format.line_spacing = Pt(36)
    _font(title.add_run(data.title), TITLE_FONT, TITLE_SIZE, bold=True)
    _paragraph(document, f"{data.addressee}：", indent=False)
    _paragraph(document, f"现将{data.issuer}{data.year}年第{CHINESE_NUMBERS[data.quarter - 1]}季度"
               "医疗器械质量安全风险会商及风险管控情况报告如下：")

    _heading(document, _section(1, "基本情况"))
    if data.meetings:
        for meeting in data.meetings:
            text = (f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日，召开本季度"
                    f"医疗器械质量安全风险会商会，会议由{meeting.chair}主持")
            text += f"，{meeting.participants}参加。" if meeting.participants else "。"
            _paragraph(document, text)
            if meeting.summary:
                for line in meeting.summary.splitlines():
                    if line.strip():
                        _paragraph(document, line.strip())
    _paragraph(document, data.overview)

    _heading(document, _section(2, "风险信号来源"))
    intro = _paragraph(document, "本季度各渠道风险线索、信号及纳入风险清单情况见下表（单位：条、项）。")
    intro.paragraph_format.keep_with_next = True
    _table(document, SOURCE_HEADERS, SOURCE_WIDTHS_CM,
           [row.cells() for row in [*data.sources, data.total]], whole=True)

    _heading(document, _section(3, "风险清单"))
    _register(document, "表1  本季度新增风险", data.new)
    _register(document, "表2  季末在控风险（含以前季度结转）", data.open)
    _register(document, "表3  本季度销号风险", data.closed)

    _heading(document, _section(4, "主要管控措施"))
    for line in data.measures or ["本季度无在控风险，未采取专项管控措施。"]:
        _paragraph(document, line)

    _heading(document, _section(5, "下一步工作"))
    for line in data.next_steps or ["继续做好监督检查、监督抽检、不良事件监测、网络销售监测、投诉举报和舆情监测等"
                                    "渠道的风险信号收集，按季度开展风险会商。"]:
        _paragraph(document, line)

    _paragraph(document, "", indent=False)
    _paragraph(document, data.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_before=BODY_SIZE)
    signed = data.signed_on
    _paragraph(document, f"{signed.year}年{signed.month}月{signed.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT,
               indent=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
