"""The 药械科 records a failed sample's disposal on a 390 px phone, in headless Chromium: a control measure,
the inspection draft, 停产整改, a refused 复产, cause and rectification, then 复产."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from enterprises.choices import EnterpriseStatus
from enterprises.tests.factories import EnterpriseFactory
from monitoring.models import SampleControl
from monitoring.tests.factories import FailedSampleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_district_user_records_a_failures_disposal_on_a_phone(live_server, phone_context, district):
    today = timezone.localdate()
    maker = EnterpriseFactory(
        name="温州康宁医疗器械有限公司",
        subdistrict=district.sub_a,
        is_manufacturer=True,
        is_operator=False,
        owning_unit=district.section,
    )
    shop = EnterpriseFactory(name="藤桥康泰药店", subdistrict=district.sub_b)
    sample = FailedSampleFactory(
        enterprise=maker,
        unit=district.station_a,
        link="production",
        sample_no="CJ2024-33001",
        sampled_on=today - dt.timedelta(days=30),
        officers=[district.inspector_a, district.section_user],
    )
    page = phone_context.new_page()
    browser_login(page, live_server, "yaoxie")
    page.goto(f"{live_server.url}/monitoring/sampling/samples/{sample.pk}/disposal/")
    assert "不合格处置" in page.inner_text("h1")
    assert _fits(page)

    # a control measure on an operator of another 所
    page.fill("#enterprise-search", "康泰")
    page.click(f".enterprise-choice[data-id='{shop.pk}']")
    page.select_option("#id_measure", "stop_sale")
    page.fill("#id_quantity", "30支")
    page.click("#control-submit")
    page.wait_for_selector("#controls >> text=藤桥康泰药店")
    assert SampleControl.objects.get().measure == "stop_sale"

    # the 有因检查 draft of the manufacturer
    page.click("#inspection-submit")
    page.wait_for_selector("#inspection-link")
    assert "有因检查" in page.inner_text("#inspection-link")
    assert _fits(page)

    # 停产整改
    page.click("#suspension-submit")
    page.wait_for_selector("#resume-form")
    maker.refresh_from_db()
    assert maker.status == EnterpriseStatus.PRODUCTION_STOPPED

    # 复产 before the rectification is recorded: refused, in Chinese
    page.click("#resume-submit")
    page.wait_for_selector("#resume-form .invalid-feedback, #resume-form .alert-danger")
    assert "责令停产整改尚未记录原因分析和整改情况，不能复产" in page.inner_text("#resume-form")
    assert _fits(page)
    maker.refresh_from_db()
    assert maker.status == EnterpriseStatus.PRODUCTION_STOPPED

    # cause and rectification, then 复产
    page.fill("#id_rectify-cause", "灭菌柜温度探头失准，灭菌参数偏离")
    page.fill("#id_rectify-rectification", "更换温度探头，重新完成灭菌确认并培训操作人员")
    page.click("#rectify-submit")
    page.wait_for_selector("#suspension-cause:has-text('灭菌柜温度探头失准')")
    page.click("#resume-submit")
    page.wait_for_selector(f"#suspension-resumed:has-text('{today:%Y-%m-%d}')")
    assert _fits(page)
    maker.refresh_from_db()
    sample.refresh_from_db()
    assert maker.status == EnterpriseStatus.ACTIVE
    assert sample.suspension.resumed_on == today
    assert sample.follow_up_inspection.status == "draft"
