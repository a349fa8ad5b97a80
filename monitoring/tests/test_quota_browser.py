"""Chromium at phone size: the AE quota dashboard draws its charts, fits the screen, and drills down."""

from __future__ import annotations

import re

import pytest

from conftest import browser_login
from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from monitoring.tests.quota_world import YEAR, build_quota_district


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_on_a_phone_drills_down(live_server, phone_context):
    w = build_quota_district()
    UserFactory(username="yaoxie", unit=UnitFactory(kind=UnitKind.SECTION, name="药械科"), role=Role.SECTION_STAFF)
    page = phone_context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    browser_login(page, live_server, "yaoxie")

    # the whole of 2024 (today is later): 150 by June + 3 in July = 153
    page.goto(f"{live_server.url}/monitoring/quotas/?year={YEAR}")
    assert page.inner_text("#card-reports .ae-count") == "153"
    for chart in ("#chart-month", "#chart-unit", "#chart-kind"):
        assert page.locator(f"{chart} canvas").count() == 1
        assert page.locator(chart).bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    table = page.locator("#ae-by-unit").locator("xpath=..")
    assert table.evaluate("el => getComputedStyle(el).overflowX") == "auto"

    # 甲所's count → its 133 reports
    page.locator(f"#ae-by-unit tr[data-unit='{w.jia.pk}'] a.unit-count").click()
    page.wait_for_url(re.compile(r"/monitoring/quotas/records/"))
    assert "共 133 条" in page.inner_text("body")
    assert "甲所" in page.inner_text("#drill-scope")
    # back to the dashboard of the same selection: 甲所's figures
    page.click("text=不良事件监测指标")
    page.wait_for_url(re.compile(r"/monitoring/quotas/\?"))
    assert page.inner_text("#card-reports .ae-count") == "133"

    # 甲所's zero-report hospitals from the coverage card
    page.click("#card-coverage a.ae-zero")
    page.wait_for_url(re.compile(r"figure=hospitals_zero"))
    rows = page.locator("#drill-table tbody tr")
    assert rows.count() == 1
    assert "甲区第二医院" in rows.nth(0).inner_text() and "2023-11-20" in rows.nth(0).inner_text()
    assert problems == []
