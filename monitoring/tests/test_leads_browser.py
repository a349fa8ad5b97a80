"""Online leads on a 390 px phone, in headless Chromium: the 药械科 imports the platform's list and confirms
the preview; the 五马所 inspector opens its lead and records the 核查 and the feedback."""

import datetime as dt

import pytest

from conftest import browser_login
from enterprises.tests.factories import EnterpriseFactory
from monitoring.leads_choices import LeadResult, LeadStatus
from monitoring.loader import load_reference
from monitoring.models import OnlineLead

from .test_leads import lead_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_import_confirm_and_a_station_disposes_a_lead_on_a_phone(live_server, phone_context, district, tmp_path):
    load_reference()  # the default lead import profile (a transactional test starts from an empty database)
    wuma = EnterpriseFactory(name="温州市五马康健医疗器械有限公司", subdistrict=district.sub_a,
                             owning_unit=district.station_a)
    today = dt.date.today()
    pushed = today - dt.timedelta(days=3)
    rows = [
        {"线索编号": "XS-B-001", "平台名称": "淘宝", "店铺名称": "康健医疗器械专营店", "经营主体名称": wuma.name,
         "涉及产品": "医用外科口罩", "涉嫌问题": "销售未经注册的第二类医疗器械", "推送日期": pushed.isoformat(),
         "处置期限": (pushed + dt.timedelta(days=15)).isoformat()},
        {"线索编号": "XS-B-002", "平台名称": "拼多多", "店铺名称": "小王家居日用", "涉嫌问题": "无证经营",
         "推送日期": pushed.isoformat(), "处置期限": (pushed + dt.timedelta(days=15)).isoformat()},
    ]
    path = tmp_path / "线索清单.xlsx"
    path.write_bytes(lead_file(rows).read())
    page = phone_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, "yaoxie")
    page.goto(f"{live_server.url}/monitoring/leads/")
    page.click("#lead-import")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("#import-confirm")
    assert (page.inner_text("#count-add"), page.inner_text("#count-unmatched")) == ("2", "1")
    assert _fits(page)
    page.click("#import-confirm")
    page.wait_for_selector("#import-summary:has-text('已导入')")
    page.goto(f"{live_server.url}/monitoring/leads/queue/")
    assert page.inner_text("#queue-count") == "1"
    page.context.clear_cookies()

    browser_login(page, live_server, "wuma")
    page.goto(f"{live_server.url}/monitoring/leads/")
    assert page.locator("#lead-table tbody tr").count() == 1
    assert _fits(page)
    page.click("text=XS-B-001")
    page.select_option("#id_result", LeadResult.SUBSTANTIATED)
    page.fill("#id_checked_on", today.isoformat())
    page.fill("#id_check_note", "网店页面取证，情况属实")
    page.fill("#id_correction_ordered_on", today.isoformat())
    page.fill("#id_correction_note", "责令立即下架涉案商品")
    page.fill("#id_feedback_on", today.isoformat())
    assert _fits(page)
    page.click("#dispose-save")
    page.wait_for_selector("#lead-status:has-text('已反馈')")
    lead = OnlineLead.objects.get(code="XS-B-001")
    assert (lead.result, lead.status, lead.feedback_on, lead.correction_note, lead.handled_by) == (
        LeadResult.SUBSTANTIATED, LeadStatus.DONE, today, "责令立即下架涉案商品", district.inspector_a)
