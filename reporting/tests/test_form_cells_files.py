"""The Excel and Word files of a return with computed, hand-entered and formula cells, read back cell by cell
against values worked out by hand (see cells_world: 五马所 inspected its manufacturer twice, its operator once)."""

import pytest
from docx import Document
from openpyxl import load_workbook

from reporting.choices import JobStatus
from reporting.return_cells import return_manual_save, return_override_set
from reporting.services import return_recompute

from .cells_engine_world import CUTOFF, build

pytestmark = pytest.mark.django_db

CORRECTION = "生产 × 检查家次：计算值 2，修正为 5；原因：补录两次纸质检查"


@pytest.fixture
def ret(file_return, django_capture_on_commit_callbacks):
    """五马所's return: 宣传活动次数 of 生产 entered (3), of 经营 not; 检查家次 of 生产 corrected 2 -> 5."""
    w = build()
    ret = file_return(campaign=w["campaign"], template=w["template"], unit=w["unit_a"], cutoff=CUTOFF,
                      by=w["user_a"])
    with django_capture_on_commit_callbacks(execute=True):
        return_manual_save(ret=ret, by=w["user_a"], values={"r1": {"manual": "3"}})
        return_override_set(ret=ret, by=w["user_a"], row="r1", column="computed", value="5",
                            reason="补录两次纸质检查")
    ret.refresh_from_db()
    ret.w = w
    return ret


def _latest_job(ret):
    job = ret.jobs.order_by("-pk").first()
    assert job.status == JobStatus.SUCCESS, job.error
    return job


def _sheet_rows(ws, first: int, last: int) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=first, max_row=last)]


def test_the_excel_file_shows_the_filled_copy_cell_by_cell_and_the_checks(ret):
    job = _latest_job(ret)
    assert ret.jobs.count() == 3  # computed, then re-written after each edit
    workbook = load_workbook(job.xlsx.path)
    assert workbook.sheetnames == ["五马所", "校验提示"]
    ws = workbook["五马所"]
    assert ws["A1"].value == "2023年小表"
    assert _sheet_rows(ws, 3, 7) == [
        ("项目", "检查家次", "宣传活动次数", "合计"),
        ("生产", 5, 3, 8),
        ("经营", 1, "—", 1),
        ("合计", 6, 3, 9),
        ("数据截至2023年6月25日", None, None, None),
    ]
    assert _sheet_rows(workbook["校验提示"], 1, 3) == [
        ("序号", "表页", "项目", "规则", "说明"),
        (1, "五马所", "生产", "手工修正计算值", CORRECTION),
        (None, None, None, None, None),
    ]


def test_the_word_file_shows_the_same_cells_and_checks(ret):
    document = Document(_latest_job(ret).docx.path)
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["项目", "检查家次", "宣传活动次数", "合计"],
        ["生产", "5", "3", "8"],
        ["经营", "1", "—", "1"],
        ["合计", "6", "3", "9"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert f"1. [五马所] 生产：手工修正计算值（{CORRECTION}）" in texts


def test_after_a_recompute_the_files_use_the_computed_value_and_list_the_pending_correction(
        ret, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new = return_recompute(ret=ret, by=ret.w["user_a"])
    workbook = load_workbook(_latest_job(new).xlsx.path)
    assert _sheet_rows(workbook["五马所"], 4, 6) == [("生产", 2, 3, 5), ("经营", 1, "—", 1), ("合计", 3, 3, 6)]
    assert _sheet_rows(workbook["校验提示"], 2, 3) == [
        (1, "五马所", "生产", "手工修正待重新确认",
         "生产 × 检查家次：上一版本修正为 5（原因：补录两次纸质检查），重新计算后未再确认，本版本使用计算值"),
        (None, None, None, None, None),
    ]


def test_the_district_file_names_the_units_not_compiled(ret, file_return):
    w = ret.w
    district = file_return(campaign=w["campaign"], template=w["template"], unit=None, cutoff=CUTOFF,
                           by=w["section"])
    workbook = load_workbook(_latest_job(district).xlsx.path)
    assert workbook.sheetnames == ["全区", "五马所", "大南所", "校验提示"]
    # nobody approved: no entries compiled; the metrics count the whole district
    assert _sheet_rows(workbook["全区"], 4, 6) == [("生产", 3, "—", 3), ("经营", 1, "—", 1), ("合计", 4, 0, 4)]
    assert _sheet_rows(workbook["大南所"], 4, 6) == [("生产", 1, "—", 1), ("经营", 0, "—", 0), ("合计", 1, 0, 1)]
    assert _sheet_rows(workbook["校验提示"], 1, 4) == [
        ("序号", "表页", "项目", "规则", "说明"),
        (1, "全区", "五马所", "手填数据未汇总", "五马所 本期报表尚未审核通过，其手填数据未计入全区合计"),
        (2, "全区", "大南所", "手填数据未汇总", "大南所 本期报表尚未审核通过，其手填数据未计入全区合计"),
        (None, None, None, None, None),
    ]
