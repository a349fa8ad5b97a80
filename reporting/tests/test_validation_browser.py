"""In Chromium: the return page lists a case or a locked inspection that looks in the campaign but is not linked,
and its link fixes it."""

import datetime as dt
import os

import pytest

from conftest import browser_login
from enterprises.models import Tag
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import InspectionStatus
from inspections.tests.factories import InspectionFactory

from .factories import CampaignFactory, CaseFactory, DueDateFactory

SHOTS = os.environ.get("REGSYS_SHOTS", "")  # a folder to keep screenshots in (for a look by eye)


@pytest.mark.browser
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_unlinked_case_is_listed_and_its_link_opens_the_case_to_link_it(
        live_server, browser_context, phone_context, forms, file_return, size):
    station = UnitFactory(name="五马市场监管所", short_name="五马所")
    campaign = CampaignFactory(units=[station], forms=list(forms.values()))
    DueDateFactory(campaign=campaign, due_on=dt.date(2023, 12, 25), reopened=True)
    officer = UserFactory(unit=station)
    maker = EnterpriseFactory(name="甲口罩厂", is_manufacturer=True, is_operator=False,
                              tags=list(Tag.objects.filter(code="mask")), subdistrict=SubdistrictFactory(unit=station))
    case = CaseFactory(enterprise=maker, unit=station, filed_on=dt.date(2023, 6, 1))
    case.handlers.add(officer)
    ret = file_return(campaign=campaign, template=forms["统计表一"], unit=station, cutoff=dt.date(2023, 9, 30),
                      by=officer)
    page = (phone_context if size == "phone" else browser_context).new_page()
    if size == "desktop":
        page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, officer.username)

    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")

    warning = page.locator("#warnings li")
    assert warning.count() == 1
    assert "甲口罩厂" in warning.inner_text() and "未关联本专项" in warning.inner_text()
    assert "案件 2023-06-01，五马所" in warning.inner_text()
    link = warning.locator("a", has_text="去修改")
    box = link.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]  # reachable without scrolling sideways
    if SHOTS:
        warning.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/return_warnings_{size}.png", full_page=False)
    link.click()
    page.wait_for_url(f"**/inspections/cases/{case.pk}/edit/")
    page.check(f"input[name=campaigns][value='{campaign.pk}']")
    page.click("text=保存")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/case_saved_{size}.png", full_page=True)
    page.wait_for_url(f"**/inspections/cases/{case.pk}/")
    assert list(case.campaigns.all()) == [campaign]


def _inspected_total(page) -> int:
    """The sum of the 检查企业家次 cells the return page shows."""
    return sum(int(text) for text in page.locator("#return-grid a[href*='column=enterprises_inspected']")
               .all_inner_texts())


@pytest.mark.browser
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_locked_inspection_listed_as_unlinked_is_linked_from_the_return_and_then_counts(
        live_server, browser_context, phone_context, forms, file_return, size):
    station = UnitFactory(name="五马市场监管所", short_name="五马所")
    campaign = CampaignFactory(units=[station], forms=list(forms.values()))
    DueDateFactory(campaign=campaign, due_on=dt.date(2023, 12, 25), reopened=True)
    officer, colleague = UserFactory(unit=station), UserFactory(unit=station)
    maker = EnterpriseFactory(name="甲口罩厂", is_manufacturer=True, is_operator=False,
                              tags=list(Tag.objects.filter(code="mask")), subdistrict=SubdistrictFactory(unit=station))
    inspection = InspectionFactory(enterprise=maker, unit=station, start_date=dt.date(2023, 6, 1),
                                   officers=[officer, colleague], status=InspectionStatus.FINALISED)
    ret = file_return(campaign=campaign, template=forms["统计表一"], unit=station, cutoff=dt.date(2023, 9, 30),
                      by=officer)
    page = (phone_context if size == "phone" else browser_context).new_page()
    if size == "desktop":
        page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, officer.username)
    page.goto(f"{live_server.url}/reporting/returns/{ret.pk}/")
    warning = page.locator("#warnings li")
    assert warning.count() == 1 and "检查 2023-06-01，五马所" in warning.inner_text()
    assert _inspected_total(page) == 0

    warning.locator("a", has_text="去修改").click()
    page.wait_for_url(f"**/inspections/{inspection.pk}/campaigns/")
    assert "已锁定" in page.locator("#link-record").inner_text()
    assert campaign.name in page.locator("#in-scope").inner_text()
    box = page.locator("button", has_text="保存").bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    page.check(f"input[name=campaigns][value='{campaign.pk}']")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/relink_{size}.png", full_page=True)
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/reporting/returns/{ret.pk}/")  # back to the return it was opened from
    assert "已保存所属专项整治" in page.content()
    page.click("button:has-text('重新计算')")
    page.wait_for_url(lambda url: f"/reporting/returns/{ret.pk}/" not in url and "/reporting/returns/" in url)

    assert page.locator("#warnings li").count() == 0
    assert _inspected_total(page) > 0
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/return_relinked_{size}.png", full_page=True)
    assert list(inspection.campaigns.all()) == [campaign]
    assert inspection.history.first().history_change_reason == f"所属专项整治：无 → {campaign.name}"
