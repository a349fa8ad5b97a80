"""In Chromium, on a phone (390 px) and a desktop (1366 px): a 所 fills the hand-entered cells of a return (a wrong
value is refused in Chinese and blocks submission), a correction without a reason is refused, the 所 submits and
the 药械科 approves."""

import os

import pytest

from conftest import browser_login
from reporting.choices import ReturnStatus

from .cells_world import build_world

SHOTS = os.environ.get("REGSYS_SHOTS", "")


@pytest.mark.browser
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_station_fills_manual_cells_submits_and_the_district_approves(
        live_server, _playwright_browser, browser_context, phone_context, size):
    w = build_world()
    ret = w["ret_a"]
    page = (phone_context if size == "phone" else browser_context).new_page()
    if size == "desktop":
        page.set_viewport_size({"width": 1366, "height": 900})
    width = page.viewport_size["width"]
    browser_login(page, live_server, w["user_a"].username)
    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")

    assert page.locator("#submit-return").is_disabled()
    assert "宣传周 × 活动场次：必填，尚未填写" in page.locator("#submit-problems").inner_text()
    first = page.locator("#id_cell_0")
    assert first.get_attribute("inputmode") == "numeric"
    label = page.locator("label[for=id_cell_0]")
    assert label.inner_text() == "宣传周 × 活动场次"
    if size == "phone":  # one field per line, label above its box, nothing off the screen
        box, second = first.bounding_box(), page.locator("#id_cell_1").bounding_box()
        assert second["y"] > box["y"] + box["height"] and box["x"] + box["width"] <= width
    first.fill("五")
    page.fill("#id_cell_1", "2")
    page.click("#manual-save")

    error = page.locator(".manual-cell .invalid-feedback")
    assert error.inner_text() == "“五”不是数字" and error.is_visible()
    assert page.locator("#id_cell_0").input_value() == "五" and page.locator("#id_cell_1").input_value() == "2"
    assert page.locator("#submit-return").is_disabled()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/return_manual_error_{size}.png", full_page=True)

    page.fill("#id_cell_0", "5")
    page.click("#manual-save")
    page.wait_for_selector("text=手填数据已保存")
    assert page.locator("#submit-return").is_enabled()

    page.locator("a.cell-correct").first.click()
    page.wait_for_selector("#override-form")
    assert "宣传周 × 检查家次" in page.locator("#override-form h2").inner_text()
    page.fill("#override-form input[name=value]", "6")
    page.click("#override-save")
    reason_error = page.locator("#override-form .invalid-feedback")
    assert reason_error.inner_text() == "手工修正计算值必须填写原因" and reason_error.is_visible()
    save_box = page.locator("#override-save").bounding_box()
    assert save_box["x"] + save_box["width"] <= width
    ret.refresh_from_db()
    assert ret.overrides == {} and ret.manual == {"publicity": {"events": "5"}, "training": {"events": "2"}}
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/return_override_refused_{size}.png", full_page=True)

    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")
    page.click("#submit-return")
    page.wait_for_selector("text=已上报，等待药械科审核")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED

    reviewer = _playwright_browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        desk = reviewer.new_page()
        browser_login(desk, live_server, w["chief"].username)
        desk.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")
        assert "5" in desk.locator("#manual-cells").inner_text()  # the values read, not editable
        assert desk.locator("#manual-form").count() == 0
        desk.click("button:has-text('审核通过')")
        desk.wait_for_selector("text=已审核通过，报表已锁定")
    finally:
        reviewer.close()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.APPROVED
    assert ret.data["total"]["publicity"] == {"inspected": 3, "events": 5, "total": 8}
