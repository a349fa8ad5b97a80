"""An inspection logged on a phone through quick entry, with the campaign the page pre-selects, counts in
the campaign's return (issue: nothing logged on a phone may silently miss a return)."""

import pytest

from conftest import browser_login
from inspections.models import Inspection
from inspections.tests.campaign_world import ROW_KEY, campaign_world
from reporting.services import return_request

CAMPAIGN_BOX = "#campaign-field input[name=campaigns][value='{pk}']"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quick_entry_with_the_preselected_campaign_counts_in_the_return(live_server, phone_context):
    w = campaign_world()
    w.operator.name = "温州瓯江医疗器械有限公司"
    w.operator.save()
    page = phone_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    box = CAMPAIGN_BOX.format(pk=w.campaign.pk)
    browser_login(page, live_server, w.inspector.username)

    page.goto(f"{live_server.url}/inspections/quick/")
    unticked_before_the_enterprise = page.is_checked(box)
    page.fill("#enterprise-search", "瓯江")
    page.click(".enterprise-choice")
    page.wait_for_selector(f"{box}:checked")  # redrawn for the picked enterprise
    page.check(f"input[name=officers][value='{w.colleague.pk}']")
    page.select_option("#id_conclusion", "compliant")
    page.click("#quick-finalise")
    page.wait_for_selector("#inspection-status")

    assert unticked_before_the_enterprise is False
    assert "已关联专项整治：医疗器械质量安全专项整治" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    inspection = Inspection.objects.get()
    assert list(inspection.campaigns.all()) == [w.campaign]
    ret = return_request(campaign=w.campaign, template=w.template, unit=w.unit, cutoff=w.today, by=w.inspector)
    ret.refresh_from_db()
    assert ret.data["total"][ROW_KEY]["enterprises_inspected"] == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quick_entry_unticked_by_the_inspector_does_not_count(live_server, phone_context):
    w = campaign_world()
    page = phone_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    box = CAMPAIGN_BOX.format(pk=w.campaign.pk)
    browser_login(page, live_server, w.inspector.username)

    page.goto(f"{live_server.url}/inspections/quick/")
    page.fill("#enterprise-search", w.operator.credit_code)
    page.click(".enterprise-choice")
    page.wait_for_selector(f"{box}:checked")
    page.uncheck(box)
    page.check(f"input[name=officers][value='{w.colleague.pk}']")
    page.select_option("#id_conclusion", "compliant")
    page.click("#quick-finalise")
    page.wait_for_selector("#inspection-status")

    assert list(Inspection.objects.get().campaigns.all()) == []
    ret = return_request(campaign=w.campaign, template=w.template, unit=w.unit, cutoff=w.today, by=w.inspector)
    ret.refresh_from_db()
    assert ret.data["total"][ROW_KEY]["enterprises_inspected"] == 0
