"""The quarterly work summary (季度工作总结) as a Word document: data in, bytes out, no ORM.

Laid out like the project's other written reports (see ``monitoring.risk_report_docx``), with their common pieces
from ``regsys.official_docx``: A4 portrait, title in 宋体 bold, body in 仿宋, headings 一、二、… in 黑体, bordered
tables in 仿宋 小五 with a repeated header row, charts as inline pictures, page numbers "— 1 —".
``SummaryData`` is assembled by ``reporting.cockpit.summary``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from regsys.official_docx import (
    CHINESE_NUMBERS,
    HEADING_FONT,
    TEXT_WIDTH_CM,
    add_heading,
    add_paragraph,
    add_table,
    add_title,
    document_bytes,
    new_document,
)

TITLE_SIZE, BODY_SIZE, META_SIZE = 20, 14, 12
BODY_LINE = Pt(24)
TABLE_SPACER = Pt(10)
INDICATOR_WIDTHS_CM = (2.2, 4.4, 1.9, 1.9, 2.0, 1.8, 1.8)
UNIT_COLUMN_CM = 2.8
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


def _paragraph(document, text: str, *, size: float = BODY_SIZE, **options):
    """A paragraph: body text 四号 on a 24 pt line, smaller text on a line of 1.6 times its size."""
    return add_paragraph(document, text, size=size, line=BODY_LINE if size >= BODY_SIZE else Pt(size * 1.6),
                         **options)


def _heading(document, n: int, text: str) -> None:
    add_heading(document, n, text, size=BODY_SIZE, line=BODY_LINE, space_before=6)


def _caption(document, text: str) -> None:
    caption = _paragraph(document, text, font=HEADING_FONT, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                         space_before=4)
    caption.paragraph_format.keep_with_next = True


def _table(document, headers: list[str], widths_cm, rows: list[list[str]], **options) -> None:
    add_table(document, headers, widths_cm, rows, spacer_line=TABLE_SPACER, **options)


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
    document = new_document(title=data.title, author=data.issuer, body_size=BODY_SIZE, top_margin_cm=3.0,
                            bottom_margin_cm=2.8, footer_distance_cm=1.8, page_number_size=12)
    add_title(document, data.title, size=TITLE_SIZE, line=Pt(32), space_after=10)
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

    return document_bytes(document)
