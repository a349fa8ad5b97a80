"""End to end in Chromium: a 所 user files both forms, downloads Excel and Word, submits; 药械科 approves."""

import pytest
from openpyxl import load_workbook

from conftest import browser_login
from reporting.choices import ReturnStatus
from reporting.models import Return

from .scenario import build


@pytest.mark.browser
def test_station_files_downloads_submits_and_section_approves(live_server, browser_context, forms, tmp_path):
    s = build(forms)
    page = browser_context.new_page()
    browser_login(page, live_server, s["user_a"].username)

    for template in ("统计表一", "统计表二"):
        page.goto(f"{live_server.url}/reporting/new/?campaign={s['campaign'].pk}")
        page.select_option("#id_template", label=str(forms[template]))
        page.fill("#id_cutoff", "2023-09-30")
        page.click("main button[type=submit]")
        page.wait_for_selector("#return-grid")
        with page.expect_download() as xlsx:
            page.click("text=下载 Excel")
        with page.expect_download() as docx:
            page.click("text=下载 Word")
        target = tmp_path / xlsx.value.suggested_filename
        xlsx.value.save_as(target)
        assert load_workbook(target).worksheets[0]["A1"].value == forms[template].title_for()
        assert docx.value.suggested_filename.endswith(".docx")
        page.click("#submit-return")
        page.wait_for_selector("text=已上报，等待药械科审核")

    page.goto(f"{live_server.url}/reporting/downloads/")
    assert page.locator("text=Excel").count() >= 2
    page.context.clear_cookies()
    browser_login(page, live_server, s["section"].username)
    for ret in Return.objects.filter(unit=s["unit_a"]).order_by("pk"):
        page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")
        page.fill("#id_comment", "同意")
        page.click("text=审核通过")
        page.wait_for_selector("text=已审核通过，报表已锁定")

    assert list(Return.objects.filter(unit=s["unit_a"]).values_list("status", flat=True)) == [
        ReturnStatus.APPROVED, ReturnStatus.APPROVED]


@pytest.mark.browser
def test_return_page_on_a_phone(live_server, phone_context, forms, file_return):
    s = build(forms)
    ret = file_return(campaign=s["campaign"], template=forms["统计表二"], unit=s["unit_a"],
                      cutoff=__import__("datetime").date(2023, 9, 30), by=s["user_a"])
    page = phone_context.new_page()
    browser_login(page, live_server, s["user_a"].username)

    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")

    assert page.locator("#return-grid tbody tr").count() == 38
    page.click("#return-grid a >> nth=0")
    page.wait_for_selector("#records")
    assert page.locator("#records tbody tr").count() >= 1


@pytest.mark.browser
def test_download_centre_on_a_phone_keeps_the_download_buttons_on_screen(live_server, phone_context, forms,
                                                                        file_return):
    s = build(forms)
    file_return(campaign=s["campaign"], template=forms["统计表一"], unit=s["unit_a"],
                cutoff=__import__("datetime").date(2023, 9, 30), by=s["user_a"])
    page = phone_context.new_page()
    browser_login(page, live_server, s["user_a"].username)

    page.goto(f"{live_server.url}/reporting/downloads/")

    word = page.locator("text=Word").first.bounding_box()
    name = page.locator("tbody tr td a").first.bounding_box()
    assert word["x"] + word["width"] <= 390
    assert name["width"] >= 100  # the file name is readable, not one character a line


@pytest.mark.browser
def test_return_page_shows_the_computed_numbers_and_keeps_the_labels_in_view_when_scrolled(
        live_server, _playwright_browser, forms, file_return, tmp_path):
    import datetime as dt

    from .test_scenario import T2_A

    s = build(forms)
    ret = file_return(campaign=s["campaign"], template=forms["统计表二"], unit=s["unit_a"],
                      cutoff=dt.date(2023, 9, 30), by=s["user_a"])
    context = _playwright_browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_login(page, live_server, s["user_a"].username)

    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")

    shown = page.eval_on_selector_all(
        "#return-grid tbody tr", "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText.trim()))")
    expected = [[f"{v:.2f}" if not isinstance(v, int) else str(v) for v in row] for row in T2_A]
    assert shown == expected  # every number of the page, row by row, as worked out by hand
    box = page.locator("#return-grid-scroll")
    widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1]  # 21 columns do not fit 1366 px: the grid scrolls sideways

    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_function("document.getElementById('return-grid-scroll').scrollLeft > 0")
    page.screenshot(path=str(tmp_path / "scrolled.png"))

    frame = box.bounding_box()
    last_header = page.locator("#return-grid thead th").last.bounding_box()
    assert last_header["x"] + last_header["width"] <= frame["x"] + frame["width"] + 1  # the last column in view
    for text in ("其中", "注射用透明质酸钠凝胶", "医疗器械网络交易服务第三方平台"):
        label = page.locator("#return-grid tbody th", has_text=text).first
        label.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 200)")
        assert box.evaluate("el => el.scrollLeft") > 0  # the numbers are still scrolled
        frame, rect = box.bounding_box(), label.bounding_box()
        assert frame["x"] - 1 <= rect["x"] < frame["x"] + frame["width"] / 2, text  # still at the left edge
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('th')?.innerText.trim()",
            [rect["x"] + rect["width"] / 2, rect["y"] + min(rect["height"] / 2, 10)])
        assert on_top == text  # visible, not covered by the scrolled numbers
    context.close()
