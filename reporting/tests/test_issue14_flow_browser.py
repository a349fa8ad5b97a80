"""Issue 14 end to end in Chromium: an administrator designs a form with computed, hand-entered and formula cells;
a 所 files it, its wrong entry is refused in Chinese and blocks submission, its Excel and Word files hold the
values worked out by hand below; the 药械科 approves and compiles the district file.

The records (2024, the form counts every record of the period): 五马所 inspected its manufacturer twice and its
operator once; 大南所 inspected its manufacturer once and files too, but its return is not approved.

五马所's copy (hand-entered 宣传活动: 生产 3, 经营 2):

    项目  检查家次  宣传活动  小计
    生产      2        3       5
    经营      1        2       3
    合计      3        5       8

The district copy counts every unit's records (检查家次: 生产 2 + 1, 经营 1) and compiles only the approved
returns' entries (五马所's), so 宣传活动 stays 3 and 2 — see ``DISTRICT``.
"""

import datetime as dt

import pytest
from docx import Document
from openpyxl import load_workbook

from campaigns.models import FormTemplate
from campaigns.tests.test_designer_browser import _add_column, _cell, _save
from conftest import browser_login
from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from reporting.choices import ReturnStatus
from reporting.models import Return
from reporting.return_cells import return_manual_save
from reporting.services import return_submit

from .factories import CampaignFactory, DueDateFactory, InspectionFactory

CUTOFF = dt.date(2024, 6, 15)
UNIT_A = [("项目", "检查家次", "宣传活动", "小计"), ("生产", 2, 3, 5), ("经营", 1, 2, 3), ("合计", 3, 5, 8)]
# the district: 检查家次 of every unit (生产 2 + 1, 经营 1); 宣传活动 of approved returns only (五马所's)
DISTRICT = [("项目", "检查家次", "宣传活动", "小计"), ("生产", 3, 3, 6), ("经营", 1, 2, 3), ("合计", 4, 5, 9)]


def _world():
    section_unit = UnitFactory(name="区局药械科", short_name="药械科", kind=UnitKind.SECTION)
    admin = UserFactory(unit=section_unit, role=Role.ADMIN, full_name="系统管理员")
    chief = UserFactory(unit=section_unit, role=Role.LEADER, full_name="赵科长", phone="0577-88990000")
    unit_a = UnitFactory(name="五马市场监管所", short_name="五马所", phone="0577-88001111")
    unit_b = UnitFactory(name="大南市场监管所", short_name="大南所", phone="0577-88002222")
    sub_a, sub_b = SubdistrictFactory(unit=unit_a), SubdistrictFactory(unit=unit_b)
    maker_a = EnterpriseFactory(name="甲生产", subdistrict=sub_a, is_manufacturer=True, is_operator=False)
    seller_a = EnterpriseFactory(name="甲经营", subdistrict=sub_a, is_operator=True)
    maker_b = EnterpriseFactory(name="乙生产", subdistrict=sub_b, is_manufacturer=True, is_operator=False)
    for enterprise, unit, day in ((maker_a, unit_a, dt.date(2024, 3, 10)), (maker_a, unit_a, dt.date(2024, 5, 1)),
                                  (seller_a, unit_a, dt.date(2024, 4, 20)), (maker_b, unit_b, dt.date(2024, 2, 5))):
        InspectionFactory(enterprise=enterprise, unit=unit, start_date=day)
    InspectionFactory(enterprise=maker_a, unit=unit_a, start_date=dt.date(2024, 7, 1))  # after the cut-off
    return {"admin": admin, "chief": chief, "unit_a": unit_a, "unit_b": unit_b,
            "user_a": UserFactory(unit=unit_a, full_name="张所员", phone="13800000001"),
            "user_b": UserFactory(unit=unit_b, full_name="李所员")}


def _design(page, live_server) -> FormTemplate:
    page.goto(f"{live_server.url}/campaigns/templates/")
    page.click("text=新建报表")
    page.fill("#id_code", "工作数据测试")
    page.fill("#id_year", "2024")
    page.fill("#id_title_template", "{year}年度医疗器械监督管理工作数据（测试）")
    page.fill("#id_header_label", "项目")
    page.fill("#id_footer_template", "数据截至{year}年{month}月{day}日")
    page.select_option("#id_record_scope", "all")
    page.click("button[name=save]")
    page.wait_for_url("**/design/")
    for key, path, link in (("sc", "生产", "manufacture"), ("jy", "经营", "operation"), ("hj", "合计", "")):
        page.click("text=添加行")
        page.fill("#id_key", key)
        page.fill("#id_path_text", path)
        if link:
            page.select_option("#id_link", link)
        _save(page)
        page.wait_for_url("**/design/")
    _add_column(page, "jc", "检查家次", "computed", metric="enterprises_inspected")
    page.wait_for_url("**/design/")
    _add_column(page, "xc", "宣传活动", "manual", min_value="0", required=True)
    page.wait_for_url("**/design/")
    _add_column(page, "zj", "小计", "formula", formula="{.jc} + {.xc}")
    page.wait_for_url("**/design/")
    for column in ("jc", "xc", "zj"):
        _cell(page, "hj", column).locator("a").click()
        page.select_option("#id_kind", "formula")
        page.fill("#id_formula", "{sc.} + {jy.}")
        _save(page)
        page.wait_for_url("**/design/")
    page.click("text=报表设置")
    page.check("#id_is_active")
    page.click("button[name=save]")
    page.wait_for_url("**/design/")
    assert "检查通过" in page.locator("#problems").inner_text()
    return FormTemplate.objects.get(code="工作数据测试", is_active=True)


def _request_return(page, live_server, campaign, template, unit_value: str | None = None) -> Return:
    page.goto(f"{live_server.url}/reporting/new/?campaign={campaign.pk}")
    page.select_option("#id_template", label=str(template))
    if unit_value is not None:
        page.select_option("#id_unit", unit_value)
    page.fill("#id_cutoff", CUTOFF.isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector("#return-grid")
    return Return.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def _downloads(page, tmp_path, stem: str):
    with page.expect_download() as xlsx:
        page.click("text=下载 Excel")
    with page.expect_download() as docx:
        page.click("text=下载 Word")
    xlsx_path, docx_path = tmp_path / f"{stem}.xlsx", tmp_path / f"{stem}.docx"
    xlsx.value.save_as(xlsx_path)
    docx.value.save_as(docx_path)
    return load_workbook(xlsx_path), Document(docx_path)


def _rows(ws, first: int, count: int) -> list[tuple]:
    return [tuple(c.value for c in row)[:4] for row in ws.iter_rows(min_row=first, max_row=first + count - 1)]


@pytest.mark.browser
def test_designed_form_is_filled_refused_submitted_approved_and_compiled(live_server, browser_context, tmp_path):
    browser_context.set_default_timeout(60_000)  # many page loads on a loaded CI machine
    w = _world()
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, w["admin"].username)
    template = _design(page, live_server)

    campaign = CampaignFactory(name="2024年度医疗器械监督管理工作数据", year=2024, start_date=dt.date(2024, 1, 1),
                               end_date=dt.date(2024, 12, 31), kind="annual", units=[w["unit_a"], w["unit_b"]],
                               forms=[template])
    due = DueDateFactory(campaign=campaign, due_on=CUTOFF)
    due.reopened = True  # today is after the due date: the chief reopened the period
    due.save()

    # 大南所 files and submits (not approved): the district must not count its entries
    from reporting.demo_filing import _file

    ret_b = _file(campaign=campaign, template=template, unit=w["unit_b"], cutoff=CUTOFF, by=w["user_b"])
    ret_b = return_manual_save(ret=ret_b, by=w["user_b"], values={"sc": {"xc": "7"}, "jy": {"xc": "4"}})
    return_submit(ret=ret_b, by=w["user_b"])

    # 五马所 files: a wrong entry is refused in Chinese and blocks submission
    page.context.clear_cookies()
    browser_login(page, live_server, w["user_a"].username)
    ret = _request_return(page, live_server, campaign, template)
    assert page.locator("#submit-return").is_disabled()
    problems = page.locator("#submit-problems").inner_text()
    assert "生产 × 宣传活动：必填，尚未填写" in problems and "经营 × 宣传活动：必填，尚未填写" in problems
    page.get_by_label("生产 × 宣传活动").fill("-1")
    page.get_by_label("经营 × 宣传活动").fill("2")
    page.click("#manual-save")
    error = page.locator(".manual-cell .invalid-feedback")
    assert error.inner_text() == "不能小于 0" and error.is_visible()
    assert page.locator("#submit-return").is_disabled()
    ret.refresh_from_db()
    assert ret.manual == {}  # nothing saved
    page.get_by_label("生产 × 宣传活动").fill("3")
    page.click("#manual-save")
    page.wait_for_selector("text=手填数据已保存")
    assert page.locator("#submit-return").is_enabled()

    workbook, document = _downloads(page, tmp_path, "unit_a")
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "2024年度医疗器械监督管理工作数据（测试）"
    assert _rows(sheet, 3, 4) == UNIT_A
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        [str(v) for v in row] for row in UNIT_A]
    page.click("#submit-return")
    page.wait_for_selector("text=已上报，等待药械科审核")

    # the 药械科 approves 五马所's return and compiles the district file
    page.context.clear_cookies()
    browser_login(page, live_server, w["chief"].username)
    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")
    page.click("button:has-text('审核通过')")
    page.wait_for_selector("text=已审核通过，报表已锁定")
    district = _request_return(page, live_server, campaign, template, unit_value="district")
    assert district.unit_id is None
    workbook, document = _downloads(page, tmp_path, "district")
    assert workbook.sheetnames == ["全区", "五马所", "大南所", "校验提示"]
    assert _rows(workbook["全区"], 3, 4) == DISTRICT
    assert _rows(workbook["五马所"], 3, 4) == UNIT_A
    # 大南所's sheet shows its records' numbers; its entries are not compiled while it is not approved
    assert _rows(workbook["大南所"], 3, 4) == [UNIT_A[0], ("生产", 1, "—", 1), ("经营", 0, "—", 0),
                                              ("合计", 1, 0, 1)]
    checks = [tuple(c.value for c in row) for row in workbook["校验提示"].iter_rows(min_row=2) if row[0].value]
    assert any(r[3] == "手填数据未汇总" and "大南所" in r[4] for r in checks)
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        [str(v) for v in row] for row in DISTRICT]
    assert Return.objects.get(pk=ret.pk).status == ReturnStatus.APPROVED
