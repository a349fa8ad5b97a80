"""Quick entry in Chromium at phone size: camera photo, 其余全部符合, a 不符合 item becomes a 缺陷 with the
item's severity, 完成并锁定 after confirming (and nothing locked when the officer cancels)."""

import os
from pathlib import Path

import pytest

from conftest import browser_login
from inspections.choices import InspectionStatus
from inspections.models import Attachment, ChecklistTemplate, Inspection
from inspections.reference import load_reference

from .factories import station_with_staff
from .test_quick_entry import JPEG

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/regsys-shots"))


def _fill_quick_entry(page, live_server, colleague):
    page.goto(f"{live_server.url}/inspections/quick/")
    page.fill("#enterprise-search", "瓯江")
    page.click(".enterprise-choice")
    page.wait_for_selector("#quick-checklist .checklist-item")
    page.check(f"input[name=officers][value='{colleague.pk}']")
    page.set_input_files("input[name=photos]", files=[
        {"name": "门头.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_quick_entry_checklist_photo_finding_and_confirmed_finalise(live_server, phone_context):
    load_reference()
    gsp = ChecklistTemplate.objects.get(code="gsp-routine")
    items = list(gsp.items.order_by("sort_order"))
    key = next(i for i in items if i.is_key)
    _unit, enterprise, (inspector, colleague) = station_with_staff()
    enterprise.name = "温州瓯江医疗器械有限公司"
    enterprise.save()
    page = phone_context.new_page()
    browser_login(page, live_server, inspector.username)

    _fill_quick_entry(page, live_server, colleague)
    assert page.get_attribute("input[name=photos]", "capture") == "environment"
    assert page.locator("#others-rows .officer-row").count() == 0  # no blank officer rows
    page.click(f"label[for='q{key.pk}-no']")
    assert page.is_visible(f".checklist-item[data-item='{key.pk}'] .finding-hint")
    assert page.inner_text(f".checklist-item[data-item='{key.pk}'] .finding-hint") == "将记为严重缺陷"
    page.fill(f"input[name=note_{key.pk}]", "冷藏柜无温度记录")
    page.click("#checklist-rest-yes")
    checked = page.eval_on_selector_all("#quick-checklist input[type=radio]:checked", "els => els.map(e => e.value)")
    assert sorted(checked) == sorted(["no"] + ["yes"] * (len(items) - 1))
    page.select_option("#id_conclusion", "basically")

    assert page.inner_text("#quick-photos .photo-button span") == "已选照片 1 张"
    bar = page.locator("#quick-actions").bounding_box()
    assert bar["y"] + bar["height"] <= 844 + 1 and bar["y"] > 844 - 120  # at the bottom of the screen, in reach
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let the buttons' colour transitions finish
    page.screenshot(path=str(SHOTS / "quick-entry-390.png"), full_page=False)
    page.screenshot(path=str(SHOTS / "quick-entry-390-full.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    page.once("dialog", lambda dialog: dialog.dismiss())  # cancelling keeps the page and saves nothing
    page.click("#quick-finalise")
    assert Inspection.objects.count() == 0
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.click("#quick-finalise")
    page.wait_for_selector("#inspection-status")

    assert "锁定" in messages[0]
    assert page.inner_text("#inspection-status") == "已完成"
    assert "严重缺陷" in page.inner_text("#finding-list") and "冷藏柜无温度记录" in page.inner_text("#finding-list")
    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.FINALISED
    finding = inspection.findings.get()
    assert (finding.severity, finding.checklist_item_id) == ("serious", key.pk)
    assert inspection.answers.filter(result="yes").count() == len(items) - 1
    assert list(Attachment.objects.filter(inspection=inspection).values_list("original_name", "kind")) == [
        ("门头.jpg", "photo")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quick_entry_at_desktop_width(live_server, browser_context):
    load_reference()
    _unit, enterprise, (inspector, colleague) = station_with_staff()
    enterprise.name = "温州瓯江医疗器械有限公司"
    enterprise.save()
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, inspector.username)

    _fill_quick_entry(page, live_server, colleague)
    page.click("#others-add")

    assert page.locator("#others-rows .officer-row").count() == 1
    assert page.input_value("#id_others-TOTAL_FORMS") == "1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "quick-entry-1366.png"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
