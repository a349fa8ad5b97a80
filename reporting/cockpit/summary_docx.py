"""The quarterly work summary (季度工作总结) as a Word document: data in, bytes out, no ORM.

Laid out like the project's other written reports (see ``monitoring.risk_report_docx``): A4 portrait, title in
宋体 bold, body in 仿宋, headings 一、二、… in 黑体, bordered tables in 仿宋 小五 with a repeated header row,
charts as inline pictures, page numbers "— 1 —". Every run sets its East-Asian font (``w:eastAsia``).
``SummaryData`` is assembled by ``reporting.cockpit.summary``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TITLE_FONT, BODY_FONT, HEADING_FONT = "宋体", "仿宋", "黑体"
TITLE_SIZE, BODY_SIZE, META_SIZE, TABLE_SIZE = 20, 14, 12, 9
BODY_LINE = Pt(24)
TEXT_WIDTH_CM = 21.0 - 2.6 - 2.4
INDICATOR_WIDTHS_CM = (2.2, 4.4, 1.9, 1.9, 2.0, 1.8, 1.8)
UNIT_COLUMN_CM = 2.8
CELL_MARGIN_TWIPS = {"top": 40, "bottom": 40, "left": 57, "right": 57}
ROW_HEIGHT = Cm(0.6)
CHINESE_NUMBERS = "一二三四五六七八九十"
# Light backgrounds of the status cell (the cockpit's colours, as Word shading)
STATUS_FILL = {"success": "D1E7DD", "primary": "CFE2FF", "warning": "FFF3CD", "danger": "F8D7DA",
               "secondary": "E2E3E5", "light": "F8F9FA"}


@dataclass
class IndicatorLine:
    """One row of 一、主要指标完成情况 (texts as printed; ``colour`` the status's colour key)."""

    section: str
    name: str
    actual: str
    target: str
    expected: str
    status: str
    colour: str
    trend: str

    def cells(self) -> list[str]:
        return [self.section, self.name, self.actual, self.target, self.expected, self.status, self.trend]


@dataclass
class UnitCell:
    text: str
    colour: str = ""


@dataclass
class UnitTable:
    """A slice of 二、各监管所完成情况: a column per indicator, a row per 所."""

    headers: list[str]
    rows: list[tuple[str, list[UnitCell]]]


@dataclass
class Chart:
    caption: str
    png: bytes


@dataclass
class OverdueBlock:
    """One list of 四、逾期事项: the total and its first rows."""

    title: str
    total: int
    headers: list[str]
    widths_cm: tuple[float, ...]
    rows: list[list[str]]


@dataclass
class SummaryData:
    title: str
    issuer: str  # the bureau, or the 所
    scope_label: str  # 全区 or the 所's name
    period_label: str
    start: dt.date
    as_of: dt.date
    generated_on: dt.date
    source: str  # 快照（冻结于…） or 实时数据
    lines: list[IndicatorLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # 未配置 explained, live changes since the snapshot
    unit_tables: list[UnitTable] = field(default_factory=list)
    district: bool = True
    charts: list[Chart] = field(default_factory=list)
    chart_notes: list[str] = field(default_factory=list)
    overdue: list[OverdueBlock] = field(default_factory=list)
    overdue_shown: int = 20
    lagging: list[str] = field(default_factory=list)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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
    fmt.line_spacing = BODY_LINE if size >= BODY_SIZE else Pt(size * 1.6)
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(space_before)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _heading(document, n: int, text: str) -> None:
    heading = _paragraph(document, f"{CHINESE_NUMBERS[n - 1]}、{text}", font=HEADING_FONT, space_before=6)
    heading.paragraph_format.keep_with_next = True


def _caption(document, text: str) -> None:
    caption = _paragraph(document, text, font=HEADING_FONT, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                         space_before=4)
    caption.paragraph_format.keep_with_next = True


def _borders(table) -> None:
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


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, fill: str = "") -> None:
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
    if fill:
        _shade(cell, fill)


def _table(document, headers: list[str], widths_cm, rows: list[list[str]], *, left_columns=(),
           fills: list[dict[int, str]] | None = None) -> None:
    """A bordered table with fixed widths, its header row in 黑体 repeated on every page, rows never split."""
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
        row_fills = fills[r - 1] if fills else {}
        for c, text in enumerate(values):
            align = WD_ALIGN_PARAGRAPH.LEFT if c in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            _cell(flat[r * width + c], text, align=align, fill=row_fills.get(c, ""))
    for index, row in enumerate(table.rows):
        row.height, row.height_rule = ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        tr_pr.append(cant_split)
        if index == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(10)


def _page_numbers(section) -> None:
    """"— 1 —" centred in the footer (a PAGE field)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), TITLE_FONT, 12)
    run = paragraph.add_run()
    _font(run, TITLE_FONT, 12)
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
    _font(paragraph.add_run(" —"), TITLE_FONT, 12)


def _meta(document, label: str, value: str) -> None:
    _paragraph(document, f"{label}{value}", size=META_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)


def _indicators(document, data: SummaryData) -> None:
    _heading(document, 1, _("主要指标完成情况"))
    if not data.lines:
        _paragraph(document, _("未配置：本年度尚未设立任何考核指标，无法列示完成情况。"))
        return
    intro = _paragraph(document, _("%(period)s%(who)s各项考核指标完成情况见下表。实际数为自%(start)s起至%(as_of)s的累计数"
                                   "（按季度统计的指标为本季度数），按进度应达为全年目标按时间进度折算的应完成数。") % {
        "period": data.period_label, "who": data.scope_label, "start": cn_date(data.start),
        "as_of": cn_date(data.as_of)})
    intro.paragraph_format.keep_with_next = True
    _caption(document, _("表1  主要指标完成情况"))
    headers = [_("类别"), _("指标"), _("实际"), _("目标"), _("按进度应达"), _("状态"), _("较上季度")]
    _table(document, headers, INDICATOR_WIDTHS_CM, [line.cells() for line in data.lines], left_columns=(0, 1),
           fills=[{5: STATUS_FILL.get(line.colour, "")} for line in data.lines])
    for note in data.notes:
        _paragraph(document, note, size=META_SIZE)


def _units(document, data: SummaryData) -> None:
    _heading(document, 2, _("各监管所完成情况"))
    if not data.unit_tables:
        _paragraph(document, _("未配置：没有按监管所考核的指标或没有监管所，无法列示各所完成情况。"))
        return
    _paragraph(document, _("各监管所按所考核的指标完成情况如下（单元格为“实际/目标”及状态）。")).paragraph_format.keep_with_next = True
    for index, table in enumerate(data.unit_tables, start=2):
        _caption(document, _("表%(n)s  各监管所完成情况（%(part)s）") % {"n": index, "part": index - 1})
        width = (TEXT_WIDTH_CM - UNIT_COLUMN_CM) / max(len(table.headers), 1)
        rows = [[name, *(c.text for c in cells)] for name, cells in table.rows]
        fills = [{i + 1: STATUS_FILL.get(c.colour, "") for i, c in enumerate(cells)} for _name, cells in table.rows]
        _table(document, [_("监管所"), *table.headers], (UNIT_COLUMN_CM, *[width] * len(table.headers)), rows,
               left_columns=(0,), fills=fills)


def _charts(document, data: SummaryData, number: int) -> None:
    _heading(document, number, _("图表"))
    for index, chart in enumerate(data.charts, start=1):
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(TEXT_WIDTH_CM))
        _paragraph(document, _("图%(n)s  %(caption)s") % {"n": index, "caption": chart.caption}, size=11,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for note in data.chart_notes:
        _paragraph(document, note, size=META_SIZE)


def _overdue(document, data: SummaryData, number: int) -> None:
    _heading(document, number, _("逾期事项"))
    _paragraph(document, _("以下为截至%(day)s（生成之日）仍逾期的事项，每类列出前%(n)s条。") % {
        "day": cn_date(data.generated_on), "n": data.overdue_shown})
    for index, block in enumerate(data.overdue, start=1):
        text = _("（%(n)s）%(title)s：共%(total)s项。") % {"n": CHINESE_NUMBERS[index - 1], "title": block.title,
                                                      "total": block.total}
        heading = _paragraph(document, text, bold=True)
        if block.rows:
            heading.paragraph_format.keep_with_next = True
            _table(document, block.headers, block.widths_cm, block.rows, left_columns=(1,))
            if block.total > len(block.rows):
                _paragraph(document, _("另有%(n)s项未列出，详见系统中的清单。") % {"n": block.total - len(block.rows)},
                           size=META_SIZE)


def _lagging(document, data: SummaryData, number: int) -> None:
    _heading(document, number, _("滞后指标"))
    for sentence in data.lagging or [_("本期没有滞后或略滞后的指标。")]:
        _paragraph(document, sentence)


def summary_docx(data: SummaryData) -> bytes:
    """The summary as .docx bytes."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    section.footer_distance = Cm(1.8)
    _page_numbers(section)
    document.core_properties.title = data.title
    document.core_properties.author = data.issuer

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(10)
    title.paragraph_format.line_spacing = Pt(32)
    _font(title.add_run(data.title), TITLE_FONT, TITLE_SIZE, bold=True)
    _meta(document, _("统计期间："), f"{data.period_label}（{cn_date(data.start)}至{cn_date(data.as_of)}）")
    _meta(document, _("统计范围："), data.scope_label)
    _meta(document, _("数据来源："), data.source)
    _meta(document, _("生成日期："), cn_date(data.generated_on))

    _indicators(document, data)
    number = 2
    if data.district:
        _units(document, data)
        number = 3
    _charts(document, data, number)
    _overdue(document, data, number + 1)
    _lagging(document, data, number + 2)

    _paragraph(document, data.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_before=BODY_SIZE)
    _paragraph(document, cn_date(data.generated_on), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
