"""On a 390 px phone in headless Chromium: a 所 inspector enters a complaint (searching the enterprise), then
reads the working-day calendar and uses the 工作日计算器."""

import pytest

from conftest import browser_login
from enterprises.holidays import holidays_load
from enterprises.tests.factories import EnterpriseFactory
from monitoring.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_enter_a_complaint_and_read_the_calendar_on_a_phone(live_server, phone_context, district):
    holidays_load()  # a transactional test starts from an empty database
    shop = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    EnterpriseFactory(name="藤桥大药房", subdistrict=district.sub_b)  # another 所's: never offered
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/monitoring/complaints/")
    assert _fits(page)
    page.click("#complaint-new")
    page.fill("#id_received_on", "2024-07-01")
    page.fill("#id_source", "12315平台")
    page.fill("#enterprise-search", "大药房")
    page.wait_for_selector("#enterprise-results .enterprise-choice")
    assert page.locator("#enterprise-results .enterprise-choice").count() == 1
    page.click("#enterprise-results >> text=五马大药房")
    assert page.inner_text("#enterprise-chosen-name") == "五马大药房"
    page.fill("#id_product", "电子血压计")
    page.fill("#id_summary", "消费者反映血压计示值偏差大，怀疑为翻新机")
    assert _fits(page)
    page.click("#complaint-save")
    page.wait_for_selector("#complaint-fields")
    assert "五马大药房" in page.inner_text("#complaint-fields")
    assert _fits(page)
    complaint = Complaint.objects.get()
    assert (complaint.enterprise, complaint.unit, complaint.product) == (shop, district.station_a, "电子血压计")

    page.goto(f"{live_server.url}/enterprises/calendar/?year=2024")
    assert page.get_attribute('#month-2 td[data-date="2024-02-12"]', "data-working") == "0"
    assert page.get_attribute('#month-2 td[data-date="2024-02-04"]', "data-working") == "1"
    assert "工作日 18 天" in page.inner_text("#month-2")
    assert page.locator("#calendar-add").count() == 0
    assert _fits(page)
    page.fill("#id_start", "2024-09-12")
    page.fill("#id_days", "7")
    page.click("#calc-submit")
    page.wait_for_selector("#calc-result")
    assert "2024-09-24（星期二）" in page.inner_text("#calc-result")
    assert _fits(page)
