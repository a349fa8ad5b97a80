"""End to end in headless Chromium: a 所 inspector searches, edits and sees the change and its history."""

import pytest

from conftest import browser_login

from .factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_inspector_searches_edits_and_sees_history(live_server, browser_context, district):
    EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a, phone="0577-11111111")
    EnterpriseFactory(name="五马眼镜店", subdistrict=district.sub_a)
    EnterpriseFactory(name="藤桥大药房", subdistrict=district.sub_b)
    page = browser_context.new_page()

    browser_login(page, live_server, "wuma")
    page.click("#nav-enterprises")
    page.click("text=企业名录")
    page.fill("#id_q", "大药房")
    page.wait_for_selector("#result-count:has-text('共 1 家企业')")
    assert "q=" in page.url
    assert page.locator("#enterprise-table tbody tr").count() == 1
    assert "藤桥大药房" not in page.content()

    page.click("#enterprise-table >> text=五马大药房")
    page.click("text=编辑")
    page.fill("#id_phone", "0577-22222222")
    page.fill("#id_quality_manager", "李质量")
    page.click("button:has-text('保存')")

    page.wait_for_selector("text=已保存“五马大药房”的修改")
    assert "0577-22222222" in page.inner_text("#basic-info")
    assert "李质量" in page.inner_text("#basic-info")
    history = page.inner_text("#change-history")
    assert "五马检查员 修改企业信息" in history
    assert "联系电话：0577-11111111 → 0577-22222222" in history
    assert "质量负责人：— → 李质量" in history


def test_list_is_usable_on_a_phone(live_server, phone_context, district):
    EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    page = phone_context.new_page()

    browser_login(page, live_server, "wuma")
    page.goto(f"{live_server.url}/enterprises/")

    assert page.is_visible("text=五马大药房")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
