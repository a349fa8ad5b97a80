"""The .xlsx and .docx match the seed layout in /work/shared/tables (copied to tests/data)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from .scenario import build

DATA = Path(__file__).parent / "data"
CUTOFF = dt.date(2023, 9, 30)


def reference(code: str) -> dict:
    return json.loads((DATA / ("table1.json" if code == "统计表一" else "table2.json")).read_text(encoding="utf-8"))


@pytest.fixture
def built(forms, file_return):
    s = build(forms)
    out = {}
    for code, template in forms.items():
        ret = file_return(campaign=s["campaign"], template=template, unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
        out[code] = ret.jobs.get()
    return out


@pytest.mark.parametrize("code", ["统计表一", "统计表二"])
def test_xlsx_layout_matches_the_seed(built, code):
    ref = reference(code)
    ws = load_workbook(built[code].xlsx.path).worksheets[0]
    layout = ref["suggested_excel_layout"]
    last = layout["last_col"]

    assert ws["A1"].value == ref["title"]
    assert ws["A2"].value == "填报单位（盖章）：五马市场监管所    填报人：张所员    联系方式：13800000001"
    for cell in ref["header_rows"][0]:  # a bracketed unit starts a line of its own
        assert ws.cell(3, cell["col"] + 1).value.replace("\n", "") == cell["text"]
    for row in ref["rows"]:
        for cell in row["label_cells_starting_here"]:
            assert ws.cell(row["excel_row"], cell["col"] + 1).value == (cell["text"] or None), row["key"]
    footer_row = layout["footer_row"]
    assert ws.cell(footer_row, 1).value == "备注：本统计报表内数据应为专项整治工作开展以来截至2023年9月30日的累计数。"
    merged = {str(r) for r in ws.merged_cells.ranges}
    expected = {m["range"] for m in layout["merges"]} | {f"A2:{last}2"}
    assert merged == expected
    assert ws.print_area == f"'{ws.title}'!$A$1:${last}${footer_row}"
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.cell(layout["first_data_row"], 1).border.left.style == "thin"
    assert ws.cell(footer_row - 1, ref["grid"]["total_columns"]).border.bottom.style == "thin"
    labels = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(ref["grid"]["label_columns"])]
    assert max(labels) > ws.column_dimensions[last].width
    money = [c for c in ref["columns"] if c["value_type"] == "decimal"]
    for column in money:
        assert ws[f"{column['excel_col']}{layout['first_data_row']}"].number_format == "0.00"
    assert load_workbook(built[code].xlsx.path).sheetnames == ["五马所", "校验提示"]


class Grid:
    """The table's cells fetched once (python-docx rebuilds its grid on every table.cell() call)."""

    def __init__(self, table):
        self.flat = table._cells
        self.rows, self.cols = len(table.rows), len(table.columns)

    def cell(self, r, c):
        return self.flat[r * self.cols + c]

    def span(self, r, c):
        """(rowspan, colspan) of the merged cell whose top-left is (r, c)."""
        tc = self.cell(r, c)._tc
        rows = sum(1 for i in range(r, self.rows) if self.cell(i, c)._tc is tc)
        cols = sum(1 for j in range(c, self.cols) if self.cell(r, j)._tc is tc)
        return rows, cols


@pytest.mark.parametrize("code", ["统计表一", "统计表二"])
def test_docx_layout_matches_the_seed(built, code):
    ref = reference(code)
    document = Document(built[code].docx.path)
    section = document.sections[0]

    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == ref["title"]
    assert paragraphs[1].startswith("填报单位（盖章）：五马市场监管所")
    assert paragraphs[2] == "备注：本统计报表内数据应为专项整治工作开展以来截至2023年9月30日的累计数。"
    table = document.tables[0]
    assert len(table.rows) == 1 + ref["grid"]["data_rows"]
    assert len(table.columns) == ref["grid"]["total_columns"]
    grid = Grid(table)
    for cell in ref["header_rows"][0]:
        assert grid.cell(0, cell["col"]).text.replace("\n", "") == cell["text"]
        assert grid.span(0, cell["col"]) == (1, cell["colspan"])
    for index, row in enumerate(ref["rows"], start=1):
        for cell in row["label_cells_starting_here"]:
            assert grid.cell(index, cell["col"]).text == cell["text"], row["key"]
            assert grid.span(index, cell["col"]) == (cell["rowspan"], cell["colspan"]), row["key"]
    run = document.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_row_order_and_labels_of_the_shipped_templates_match_the_seed(forms):
    for code, template in forms.items():
        ref = reference(code)
        assert template.title_for() == ref["title"]
        assert [r.key for r in template.rows.order_by("order")] == [r["key"] for r in ref["rows"]]
        assert [r.path for r in template.rows.order_by("order")] == [r["path"] for r in ref["rows"]]
        assert [c.label for c in template.columns.order_by("order")] == [c["label"] for c in ref["columns"]]
        assert template.label_columns == ref["grid"]["label_columns"]


def test_docx_rows_of_the_short_form_have_room_and_the_long_form_keeps_to_its_page(built):
    from docx.shared import Cm

    short = Document(built["统计表一"].docx.path).tables[0]
    long = Document(built["统计表二"].docx.path).tables[0]

    assert {round(row.height / Cm(0.01)) for row in short.rows[1:]} == {75}  # stored in twips
    assert {row.height for row in long.rows[1:]} == {None}  # 38 rows at 0.33 cm each: no minimum


def test_xlsx_keeps_a_bracketed_unit_whole_on_its_own_line(built):
    ws = load_workbook(built["统计表二"].xlsx.path).worksheets[0]
    headers = {ws.cell(3, c).value: c for c in range(4, 22)}

    assert "企业罚没款\n(万元)" in headers and "人员罚款\n（万元）" in headers
    assert "查处违法违规案件\n（含简易程序）" in headers
    letter = ws.cell(3, headers["查处违法违规案件\n（含简易程序）"]).column_letter
    assert ws.column_dimensions[letter].width >= 16  # 7 full-width characters (2 units each) on one line
    # label columns sized to their labels: 其中 | 注射用透明质酸钠凝胶 (10 characters, one line) | 生产
    assert [ws.column_dimensions[c].width for c in "ABC"] == [6, 22, 6]


def test_docx_label_columns_fit_the_product_names_and_rows_have_padding(built):
    from docx.shared import Pt

    table = Document(built["统计表二"].docx.path).tables[0]
    grid = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))

    size = Pt(7)  # 统计表二 has 21 columns: 7 pt text
    assert grid[1] >= 10 * size  # 注射用透明质酸钠凝胶 on one line (was a third of the width, 3-4 lines)
    assert grid[0] < grid[3] and grid[2] < grid[3]  # 其中 and 生产 need little room
    assert len(set(grid[3:])) == 1
    assert abs(sum(grid) - 26.7 / 2.54 * 914400) < 914400 * 0.05  # the table spans the landscape page
    assert {m.tag.split("}")[1]: int(m.get(qn("w:w"))) for m in margins} == {
        "top": 24, "bottom": 24, "left": 50, "right": 50}  # twentieths of a point: 1.2 pt above and below
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
