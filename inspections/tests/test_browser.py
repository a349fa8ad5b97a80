import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from enterprises.choices import Role
from enterprises.tests.factories import UserFactory
from inspections.models import Inspection
from inspections.reference import load_reference

from .factories import station_with_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_inspector_records_inspection_with_rectification_chief_sees_follow_up(live_server, phone_context):
    load_reference()
    unit, enterprise, (inspector, colleague) = station_with_staff()
    enterprise.name = "温州瓯江医疗器械有限公司"
    enterprise.save()
    chief = UserFactory(unit=unit, role=Role.LEADER, username="chief")
    today = timezone.localdate()
    deadline = today + dt.timedelta(days=3)
    page = phone_context.new_page()

    browser_login(page, live_server, inspector.username)
    page.goto(f"{live_server.url}/inspections/quick/")
    page.fill("#enterprise-search", "瓯江")
    page.click(".enterprise-choice")
    assert page.inner_text("#enterprise-chosen-name") == "温州瓯江医疗器械有限公司"
    page.select_option("#id_kind", "routine")
    page.check(f"input[name=officers][value='{colleague.pk}']")
    page.select_option("#id_conclusion", "basically")
    page.select_option("#id_finding_severity", "general")
    page.fill("#id_finding_text", "冷藏柜温湿度记录缺少节假日数据")
    page.check("#id_order_rectification")
    page.fill("#id_rectification_deadline", deadline.isoformat())
    page.fill("#id_rectification_requirements", "补齐温湿度记录并验证冷藏设备")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#quick-finalise")
    page.wait_for_selector("#inspection-status")

    assert page.inner_text("#inspection-status") == "已完成"
    assert "冷藏柜温湿度记录缺少节假日数据" in page.inner_text("#finding-list")
    assert deadline.isoformat() in page.inner_text("#rectification-card")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling

    page.click("button.navbar-toggler")
    page.click("#mainnav >> text=待办")
    page.wait_for_selector("#todo-follow-ups")
    follow_ups = page.inner_text("#todo-follow-ups")
    assert "温州瓯江医疗器械有限公司" in follow_ups
    assert deadline.isoformat() in follow_ups

    page.context.clear_cookies()
    browser_login(page, live_server, chief.username)
    page.goto(f"{live_server.url}/inspections/unit/")
    page.wait_for_selector("#todo-follow-ups")
    assert "温州瓯江医疗器械有限公司" in page.inner_text("#todo-follow-ups")
    assert "温州瓯江医疗器械有限公司" in page.inner_text("#todo-rectifications")

    inspection = Inspection.objects.get(kind="routine")
    assert inspection.officers.count() == 2
    assert Inspection.objects.filter(kind="follow_up", start_date=deadline).count() == 1
