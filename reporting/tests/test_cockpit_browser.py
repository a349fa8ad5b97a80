"""Chromium at phone (390 px) and desktop (1366 px) size: the cockpit for Q2 stacks on a phone, draws its
charts, and a red figure leads to its records."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import browser_login
from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting.tests.cockpit_world import YEAR, inspect, use_test_indicators

TODAY = dt.date(YEAR, 8, 15)


@pytest.fixture
def district(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    use_test_indicators(monkeypatch)
    section = UnitFactory(kind=UnitKind.SECTION, name="药械科", short_name="药械科")
    jia = UnitFactory(name="甲市场监管所", short_name="甲所", sort_order=1)
    yi = UnitFactory(name="乙市场监管所", short_name="乙所", sort_order=2)
    inspect(jia, dt.date(YEAR, 2, 10))
    inspect(jia, dt.date(YEAR, 4, 15))
    bad = inspect(jia, dt.date(YEAR, 6, 20), conclusion="non_compliant")
    UserFactory(username="kezhang", unit=section, role=Role.LEADER)
    return type("D", (), {"jia": jia, "yi": yi, "bad": bad})


def _open_login(page, live_server) -> None:
    """The live server's first page (templates, static files) can take a while on a loaded machine."""
    page.goto(f"{live_server.url}/accounts/login/", timeout=90_000)


def _watch(page) -> list:
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cockpit_on_a_phone_stacks_and_drills_into_a_red_figure(live_server, phone_context, district):
    page = phone_context.new_page()
    problems = _watch(page)
    _open_login(page, live_server)
    browser_login(page, live_server, "kezhang")
    page.goto(f"{live_server.url}/reporting/cockpit/?year={YEAR}&quarter=2")

    # stacked: no header row, each value is a label/value line, nothing wider than the phone
    assert page.locator("#cockpit-targets thead").evaluate("el => getComputedStyle(el).display") == "none"
    actual = page.locator("#cockpit-targets tr[data-code='t_inspections'] td[data-label='实际']")
    assert actual.evaluate("el => getComputedStyle(el).display") == "flex"
    name = page.locator("#cockpit-targets tr[data-code='t_inspections'] th")
    assert name.bounding_box()["height"] < 60  # the name reads on one or two lines, not a character per line
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    for chart in ("#chart-progress", "#chart-units", "#chart-trend"):
        assert page.locator(f"{chart} canvas").count() == 1
        assert page.locator(chart).bounding_box()["width"] <= 390
    assert page.locator(".cockpit-league-scroll").evaluate("el => getComputedStyle(el).overflowX") == "auto"

    # the red figure (one 不符合 against a target of 0) → the inspection behind it
    row = page.locator("#cockpit-targets tr[data-code='t_open']")
    assert row.locator(".cockpit-status").inner_text() == "滞后"
    row.locator("a.cockpit-figure").click()
    page.wait_for_url(re.compile(r"/inspections/\?"))
    assert page.locator("table tbody tr").count() == 1
    assert district.bad.enterprise.name in page.locator("table tbody").inner_text()
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cockpit_on_a_desktop_is_a_table_and_the_league_drills_down(live_server, _playwright_browser, district):
    context = _playwright_browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = _watch(page)
    _open_login(page, live_server)
    browser_login(page, live_server, "kezhang")
    page.goto(f"{live_server.url}/reporting/cockpit/?year={YEAR}&quarter=2")
    assert page.locator("#cockpit-targets thead").evaluate("el => getComputedStyle(el).display") == "table-header-group"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # 乙所 has not inspected anyone: red, and its figure opens its (empty) list
    cell = page.locator(f"#cockpit-league tr[data-unit='{district.yi.pk}'] td").first
    assert "status-danger" in cell.get_attribute("class")
    # sorting by the first indicator puts 甲所 (2 … 3) first when descending
    page.locator("#cockpit-league thead th[data-code='t_inspections']").click()
    assert page.locator("#cockpit-league tbody tr").first.get_attribute("data-unit") == str(district.jia.pk)
    cell.locator("a").click()
    page.wait_for_url(re.compile(rf"unit={district.yi.pk}"))
    assert "没有符合条件的检查记录" in page.inner_text("body")
    assert problems == []
    context.close()
