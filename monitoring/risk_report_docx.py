"""The quarterly risk-consultation report as a Word document (data in, bytes out; no ORM).

Laid out as a government written report (GB/T 9704 in spirit): A4 portrait, title in 宋体 二号 bold,
body 仿宋 三号 with a fixed 28 pt line and two-character first-line indent, headings 一、二、… in 黑体,
tables in 仿宋 小五 with full borders, a bold header row repeated on every page, page numbers "— 1 —".
The common pieces (fonts, paragraphs, tables, page numbers, page setup) are in ``regsys.official_docx``;
this module holds the report's own sizes, margins and content.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from regsys.official_docx import (
    CHINESE_NUMBERS,
    HEADING_FONT,
    add_heading,
    add_paragraph,
    add_table,
    add_title,
    document_bytes,
    new_document,
)

TITLE_SIZE, BODY_SIZE = 22, 16  # 二号, 三号
BODY_LINE = Pt(28)
SOURCE_HEADERS = ("风险来源", "线索/信号数", "新增风险", "其中高风险", "季末在控", "本季度销号")
SOURCE_WIDTHS_CM = (3.4, 2.6, 2.4, 2.6, 2.4, 2.6)
REGISTER_HEADERS = ("序号", "风险点", "来源", "涉及企业/产品", "等级", "责任单位", "管控措施", "时限", "状态")
REGISTER_WIDTHS_CM = (0.9, 2.5, 1.2, 2.4, 0.9, 1.6, 2.4, 2.2, 1.9)
TABLE_SPACER = Pt(12)


def _paragraph(document, text: str, *, size: float = BODY_SIZE, **options):
    """A body paragraph: 三号 unless ``size`` says otherwise, every line exactly 28 pt."""
    return add_paragraph(document, text, size=size, line=BODY_LINE, **options)


def _heading(document, n: int, text: str) -> None:
    add_heading(document, n, text, size=BODY_SIZE, line=BODY_LINE)


def _register(document, caption: str, rows) -> None:
    caption_paragraph = _paragraph(document, caption, font=HEADING_FONT, size=12, align=WD_ALIGN_PARAGRAPH.CENTER,
                                   indent=False, space_before=6)
    caption_paragraph.paragraph_format.keep_with_next = True  # never a caption alone at a page's foot
    if not rows:
        _paragraph(document, "本季度无。", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        return
    add_table(document, REGISTER_HEADERS, REGISTER_WIDTHS_CM, [row.cells() for row in rows],
              spacer_line=TABLE_SPACER, left_columns=(1, 3, 6, 8))


def risk_report_docx(data) -> bytes:
    """The report as .docx bytes; ``data`` is the ``RiskReportData`` built by ``monitoring.services.risk_report``."""
    document = new_document(title=data.title, author=data.issuer, body_size=BODY_SIZE, top_margin_cm=3.7,
                            bottom_margin_cm=3.5, footer_distance_cm=2.5, page_number_size=14)
    add_title(document, data.title, size=TITLE_SIZE, line=Pt(36), space_after=BODY_SIZE)
    _paragraph(document, f"{data.addressee}：", indent=False)
    _paragraph(document, f"现将{data.issuer}{data.year}年第{CHINESE_NUMBERS[data.quarter - 1]}季度"
               "医疗器械质量安全风险会商及风险管控情况报告如下：")

    _heading(document, 1, "基本情况")
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

    _heading(document, 2, "风险信号来源")
    intro = _paragraph(document, "本季度各渠道风险线索、信号及纳入风险清单情况见下表（单位：条、项）。")
    intro.paragraph_format.keep_with_next = True
    add_table(document, SOURCE_HEADERS, SOURCE_WIDTHS_CM, [row.cells() for row in [*data.sources, data.total]],
              spacer_line=TABLE_SPACER, whole=True)

    _heading(document, 3, "风险清单")
    _register(document, "表1  本季度新增风险", data.new)
    _register(document, "表2  季末在控风险（含以前季度结转）", data.open)
    _register(document, "表3  本季度销号风险", data.closed)

    _heading(document, 4, "主要管控措施")
    for line in data.measures or ["本季度无在控风险，未采取专项管控措施。"]:
        _paragraph(document, line)

    _heading(document, 5, "下一步工作")
    for line in data.next_steps or ["继续做好监督检查、监督抽检、不良事件监测、网络销售监测、投诉举报和舆情监测等"
                                    "渠道的风险信号收集，按季度开展风险会商。"]:
        _paragraph(document, line)

    _paragraph(document, "", indent=False)
    _paragraph(document, data.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_before=BODY_SIZE)
    signed = data.signed_on
    _paragraph(document, f"{signed.year}年{signed.month}月{signed.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT,
               indent=False)

    return document_bytes(document)
