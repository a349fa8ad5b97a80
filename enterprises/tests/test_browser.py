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


def test_two_inspectors_edit_one_enterprise_the_second_keeps_their_input_and_resaves(
        live_server, _playwright_browser, district):
    from enterprises.models import Enterprise
    from enterprises.tests.factories import UserFactory

    enterprise = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a, phone="0577-11111111",
                                   business_address="五马街1号")
    UserFactory(username="wuma2", full_name="五马同事", unit=district.station_a)
    contexts = [_playwright_browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
                for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        browser_login(first, live_server, "wuma")
        browser_login(second, live_server, "wuma2")
        edit_url = f"{live_server.url}/enterprises/{enterprise.pk}/edit/"
        first.goto(edit_url)
        second.goto(edit_url)

        second.fill("#id_phone", "0577-22222222")
        second.click("button:has-text('保存')")
        second.wait_for_selector("text=已保存“五马大药房”的修改")
        first.fill("#id_business_address", "五马街9号")
        first.click("button:has-text('保存')")

        first.wait_for_selector("text=保存未完成")
        errors = first.inner_text(".alert-danger")
        assert "五马同事" in errors
        assert "联系电话：0577-22222222 → 0577-11111111" in errors
        assert first.input_value("#id_business_address") == "五马街9号"
        enterprise.refresh_from_db()
        assert (enterprise.phone, enterprise.business_address) == ("0577-22222222", "五马街1号")

        first.fill("#id_phone", "0577-22222222")
        first.click("button:has-text('保存')")
        first.wait_for_selector("text=已保存“五马大药房”的修改")
        saved = Enterprise.objects.get(pk=enterprise.pk)
        assert (saved.phone, saved.business_address, saved.version) == ("0577-22222222", "五马街9号", 3)
    finally:
        for context in contexts:
            context.close()


def test_credit_code_error_shows_in_the_first_round_of_errors_on_a_phone(live_server, phone_context, district):
    from .factories import make_credit_code

    code = make_credit_code(81)
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/enterprises/new/")
    page.fill("#id_credit_code", bad)
    page.click("button:has-text('保存')")

    page.wait_for_selector("#id_credit_code ~ .invalid-feedback, .invalid-feedback")
    errors = page.locator(".invalid-feedback").all_inner_texts()
    assert any(e.startswith("统一社会信用代码校验位错误") for e in errors)
    assert errors.count("该字段是必填项。") == 2  # the name and the 街道/镇, in the same round
    page.screenshot(path="/tmp/i9-ui-credit-code-390.png", full_page=True)
