"""The registry-side AE pages in headless Chromium at phone width (390 px): nothing wider than the screen,
the training form's "add a row" button and enterprise chooser, the population table saved in one form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from enterprises.tests.factories import EnterpriseFactory
from monitoring.models import PopulationFigure, TrainingCourse

from .registry_fixtures import reg_fixture  # noqa: F401  (reg_fixture provides the `reg` fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _page_fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_station_records_a_course_with_two_enterprises_on_a_phone(live_server, phone_context, reg):
    other = EnterpriseFactory(name="五马药店", subdistrict=reg.sub_a, is_operator=True)
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/monitoring/trainings/")
    _page_fits(page)
    page.click("#training-new")
    _page_fits(page)
    page.fill("#id_held_on", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.fill("#id_topic", "可疑即报培训")
    page.fill("#id_att-0-enterprise", f"{reg.registrant_a.credit_code} {reg.registrant_a.name}")
    page.fill("#id_att-0-people", "2")
    page.click("#att-add")
    page.fill("#id_att-1-enterprise", other.credit_code)
    page.fill("#id_att-1-people", "3")
    page.click("#training-form button[type=submit]")
    page.wait_for_url(lambda url: "/trainings/new/" not in url)

    assert page.is_visible("text=2家企业，5人")
    _page_fits(page)
    course = TrainingCourse.objects.get()
    assert sorted(course.attendances.values_list("enterprise__name", "people")) == [
        ("五马医疗科技有限公司", 2), ("五马药店", 3)]


def test_section_saves_population_and_sees_the_registration_list_on_a_phone(live_server, phone_context, reg):
    page = phone_context.new_page()
    browser_login(page, live_server, "yaoxie")

    page.goto(f"{live_server.url}/monitoring/population/?year=2026")
    _page_fits(page)
    page.fill("#id_pop-0-population", "120000")
    page.fill("#id_pop-0-source", "2025年统计公报")
    page.click("#population-form button[type=submit]")
    page.wait_for_selector("text=已保存2026年常住人口")

    assert PopulationFigure.objects.get().population == 120000
    page.goto(f"{live_server.url}/monitoring/registrations/")
    _page_fits(page)
    assert page.is_visible("text=藤桥医疗器械有限公司")
    page.goto(f"{live_server.url}/monitoring/settings/?year=2026")
    _page_fits(page)
    assert page.is_visible("text=哪些报告计入本区")
