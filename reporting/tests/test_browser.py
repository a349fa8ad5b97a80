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
