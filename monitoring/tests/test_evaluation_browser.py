"""The evaluation pages on a 390 px phone: no sideways scrolling; evaluate and close by tapping through."""

import pytest
from django.utils import timezone

from conftest import browser_login
from monitoring.choices import EventOutcome
from monitoring.models import Evaluation
from monitoring.services.evaluations import evaluations_scan

from .evaluation_world import ReportFactory, build_district


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_section_user_evaluates_and_closes_on_a_phone(live_server, phone_context):
    district = build_district()
    ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_a, registrant=district.registrant,
                  code="AE-PHONE-1", product_name="一次性使用无菌注射器（带针）加长型号规格说明")
    evaluations_scan(today=timezone.localdate() - timezone.timedelta(days=30))
    evaluation = Evaluation.objects.get()
    page = phone_context.new_page()
    browser_login(page, live_server, district.chief.username)

    widths = {}
    for url in ["/monitoring/evaluations/", f"/monitoring/evaluations/{evaluation.pk}/",
                f"/monitoring/evaluations/{evaluation.pk}/evaluate/", "/inspections/todo/"]:
        page.goto(f"{live_server.url}{url}")
        widths[url] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {url: 390 for url in widths}

    page.goto(f"{live_server.url}/inspections/todo/")
    page.click("#todo-ae-evaluations a")
    page.click("#evaluation-actions >> text=评价")
    page.fill("#id_opinion", "注射器针管断裂，与器械很可能有关")
    page.select_option("#id_causality", "probable")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("#evaluation-close")
    page.fill("#id_closure_note", "注册人已召回同批次产品")
    page.click("#evaluation-close button[type=submit]")
    page.wait_for_selector("text=评价已关闭")

    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.causality) == ("closed", "probable")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
