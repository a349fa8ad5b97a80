"""The consultation round in headless Chromium at 1366 px: the 药械科 opens the Q2 meeting and accepts a
candidate, the owner 所 asks for 销号 with evidence, the chief approves; the pages also fit a 390 px phone."""

import datetime as dt

import pytest

from conftest import browser_login
from enterprises.choices import Role
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from inspections.choices import Severity
from inspections.tests.factories import FindingFactory, InspectionFactory
from monitoring.choices import RiskStatus
from monitoring.models import Risk

from .factories import PDF_BYTES, RiskMeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desktop(_playwright_browser):
    context = _playwright_browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_accept_request_closure_and_approve(live_server, desktop, phone_context, district, tmp_path):
    chief = UserFactory(username="kezhang", full_name="陈科长", unit=district.section, role=Role.LEADER)
    shop = EnterpriseFactory(name="五马康宁医疗器械商行", subdistrict=district.sub_a, owning_unit=district.station_a)
    check = InspectionFactory(enterprise=shop, start_date=dt.date(2024, 5, 10))
    FindingFactory(inspection=check, severity=Severity.SERIOUS, text="冷藏医疗器械储存温度无记录")
    meeting = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 7, 5), chair="王副局长")
    evidence = tmp_path / "整改佐证.pdf"
    evidence.write_bytes(PDF_BYTES)

    # the 药械科 opens the Q2 meeting and takes the inspection's candidate into the register
    page = desktop.new_page()
    browser_login(page, live_server, district.section_user.username)
    page.goto(f"{live_server.url}/monitoring/risk-meetings/")
    page.click("text=2024年第2季度")
    page.wait_for_selector(".candidate-group[data-source=inspection]")
    page.click(".candidate-group[data-source=inspection] .candidate-accept")
    assert page.input_value("#id_risk_point") == "五马康宁医疗器械商行 检查发现严重缺陷1项"
    assert page.inner_text("#enterprise-chosen-name") == shop.name
    page.select_option("#id_level", "high")
    page.fill("#id_measures", "责令企业配备温度自动监测设备，所每月跟踪检查")
    page.fill("#id_due_on", "2024-09-30")
    page.check("#id_key_supervision")
    page.click("#risk-form button[type=submit]")
    page.wait_for_selector("#meeting-risks >> text=检查发现严重缺陷1项")
    assert "本季度没有新的候选风险" in page.inner_text("#candidates")
    risk = Risk.objects.get()
    assert (risk.meeting, risk.owner_unit, risk.credit_record.kind) == (meeting, district.station_a, "risk_named")

    # the owner 所 finds it in its work list and asks for 销号 with evidence
    page.context.clear_cookies()
    browser_login(page, live_server, district.inspector_a.username)
    page.goto(f"{live_server.url}/inspections/todo/")
    page.click("text=检查发现严重缺陷1项")
    page.fill("#id_closure_note", "已安装温度自动监测设备，近三个月记录完整")
    page.set_input_files("#id_closure_evidence", str(evidence))
    page.click("#closure-request button[type=submit]")
    page.wait_for_selector("#risk-status:has-text('销号待审批')")
    assert page.query_selector("#closure-approve") is None

    # the chief approves
    page.context.clear_cookies()
    browser_login(page, live_server, chief.username)
    page.goto(f"{live_server.url}/inspections/todo/")
    page.click("text=销号待审批")
    page.click("#closure-approve button[type=submit]")
    page.wait_for_selector("#risk-status:has-text('已销号')")
    risk.refresh_from_db()
    assert (risk.status, risk.closed_by) == (RiskStatus.CLOSED, chief)

    phone = phone_context.new_page()
    browser_login(phone, live_server, district.section_user.username)
    widths = {}
    for url in ["/monitoring/risk-meetings/", f"/monitoring/risk-meetings/{meeting.pk}/", "/monitoring/risks/",
                f"/monitoring/risks/{risk.pk}/", f"/monitoring/risks/{risk.pk}/edit/"]:
        phone.goto(f"{live_server.url}{url}")
        widths[url] = phone.evaluate("document.documentElement.scrollWidth")
    assert widths == {url: 390 for url in widths}
