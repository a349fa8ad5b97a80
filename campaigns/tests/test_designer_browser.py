"""In Chromium: an administrator builds a small form in the designer — a computed, a hand-entered and a formula
column, and a 合计 row of formulas — sees a bad formula's Chinese error and the kinds in the grid; the
designer page fits a phone's width."""

import os
from decimal import Decimal

import pytest

from campaigns.models import CellKind, FormCell, FormTemplate
from conftest import browser_login
from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting.metrics import METRICS

SHOTS = os.environ.get("REGSYS_SHOTS", "")


def _save(page):
    page.click("#item-form button[value=save]")


def _add_row(page, key, path):
    page.click("text=添加行")
    page.fill("#id_key", key)
    page.fill("#id_path_text", path)
    _save(page)
    page.wait_for_url("**/design/")


def _add_column(page, key, label, kind, **fields):
    page.click("text=添加列")
    page.fill("#id_key", key)
    page.fill("#id_label", label)
    page.select_option("#id_kind", kind)
    if "metric" in fields:
        page.select_option("#id_metric", fields["metric"])
    if "min_value" in fields:
        page.fill("#id_min_value", fields["min_value"])
    if fields.get("required"):
        page.check("#id_required")
    if "formula" in fields:
        page.fill("#id_formula", fields["formula"])
    _save(page)


def _cell(page, row, column):
    return page.locator(f"#cell-grid td[data-row='{row}'][data-column='{column}']")


@pytest.mark.browser
def test_an_administrator_builds_a_form_with_computed_manual_and_formula_cells(
        live_server, browser_context, phone_context, tmp_path):
    admin = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION, name="药械科"), role=Role.ADMIN)
    for context in (browser_context, phone_context):
        context.set_default_timeout(60_000)  # a loaded CI machine: many page loads in one test
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, admin.username)

    page.goto(f"{live_server.url}/campaigns/templates/")
    page.click("text=新建报表")
    page.fill("#id_code", "附件1测试")
    page.fill("#id_year", "2024")
    page.fill("#id_title_template", "{year}年医疗器械监督管理工作数据")
    page.fill("#id_header_label", "项目")
    page.fill("#id_footer_template", "截至{year}年{month}月{day}日")
    page.select_option("#id_record_scope", "all")
    page.click("button[name=save]")
    page.wait_for_url("**/design/")
    template = FormTemplate.objects.get(code="附件1测试")
    assert (template.year, template.record_scope, template.is_active) == (2024, "all", False)

    _add_row(page, "sc", "生产")
    _add_row(page, "jy", "经营")
    _add_row(page, "hj", "合计")
    _add_column(page, "jc", "检查家次", "computed", metric="enterprises_inspected")
    page.wait_for_url("**/design/")
    _add_column(page, "xc", "宣传活动", "manual", min_value="0", required=True)
    page.wait_for_url("**/design/")
    _add_column(page, "zj", "小计", "formula", formula="{.jc} + ")
    error = page.locator("[data-field=formula] .field-error")
    assert "公式写法有误" in error.inner_text()
    assert not template.columns.filter(key="zj").exists()
    page.fill("#id_formula", "{.jc} + {.xc}")
    _save(page)
    page.wait_for_url("**/design/")

    for column in ("jc", "xc", "zj"):
        _cell(page, "hj", column).locator("a").click()
        page.select_option("#id_kind", "formula")
        page.fill("#id_formula", "{sc.} + {jy.}")
        _save(page)
        page.wait_for_url("**/design/")

    assert _cell(page, "sc", "jc").inner_text().strip() == f"计算：{METRICS['enterprises_inspected'].label}"
    assert _cell(page, "jy", "xc").inner_text().strip() == "手填"
    assert _cell(page, "sc", "zj").inner_text().strip() == "公式：{.jc} + {.xc}"
    for column in ("jc", "xc", "zj"):
        assert _cell(page, "hj", column).inner_text().strip() == "公式：{sc.} + {jy.}"
    assert "检查通过" in page.locator("#problems").inner_text()
    assert page.locator("#preview tbody tr").count() == 3

    page.click("text=报表设置")
    page.check("#id_is_active")
    page.click("button[name=save]")
    page.wait_for_url("**/design/")

    template.refresh_from_db()
    assert template.is_active and template.label_columns == 1
    assert list(template.rows.values_list("key", "path", "order")) == [
        ("sc", ["生产"], 1), ("jy", ["经营"], 2), ("hj", ["合计"], 3)]
    assert template.rows.get(key="hj").label_cells == [{"text": "合计", "col": 0, "colspan": 1, "rowspan": 1}]
    columns = {c.key: c for c in template.columns.all()}
    assert [c.key for c in template.columns.order_by("order")] == ["jc", "xc", "zj"]
    assert (columns["jc"].kind, columns["jc"].metric) == (CellKind.COMPUTED, "enterprises_inspected")
    assert (columns["xc"].kind, columns["xc"].required, columns["xc"].min_value, columns["xc"].decimals) == (
        CellKind.MANUAL, True, Decimal(0), 0)
    assert (columns["zj"].kind, columns["zj"].formula) == (CellKind.FORMULA, "{.jc} + {.xc}")
    cells = FormCell.objects.filter(template=template)
    assert sorted((c.row.key, c.column.key, c.kind, c.formula) for c in cells) == [
        ("hj", key, CellKind.FORMULA, "{sc.} + {jy.}") for key in ("jc", "xc", "zj")]

    phone = phone_context.new_page()
    browser_login(phone, live_server, admin.username)
    phone.goto(f"{live_server.url}/campaigns/templates/{template.pk}/design/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert phone.locator("#cell-grid").evaluate("e => getComputedStyle(e).overflowX") == "auto"
    phone.screenshot(path=str(tmp_path / "designer_phone.png"), full_page=True)
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/designer_phone.png", full_page=True)
        page.screenshot(path=f"{SHOTS}/designer_desktop.png", full_page=True)
