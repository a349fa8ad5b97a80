"""Chromium under the Content-Security-Policy: the main pages run without a CSP violation or script
error, the ECharts dashboard draws, and the API docs (Swagger UI from static files) render operations."""

import datetime as dt
import re

import pytest

from campaigns.models import Campaign
from conftest import browser_login
from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory


def watch(page) -> list[str]:
    """Console errors and uncaught script errors of the page (CSP violations are console errors)."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_run_under_the_csp_and_the_dashboard_draws(live_server, browser_context):
    sd = SubdistrictFactory(unit=UnitFactory(name="五马市场监管所", short_name="五马所"))
    enterprise = EnterpriseFactory(subdistrict=sd, name="温州益民大药房")
    user = UserFactory(unit=sd.unit)
    page = browser_context.new_page()
    problems = watch(page)
    browser_login(page, live_server, user.username)

    for path in ["/", "/enterprises/", f"/enterprises/{enterprise.pk}/", "/planning/progress/",
                 "/reporting/", "/reporting/calendar/", "/reporting/downloads/", "/inspections/quick/"]:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        if path == "/planning/progress/":
            page.wait_for_selector("#chart-month canvas")
            assert page.locator("#chart-kind canvas").count() == 1

    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signed_in_user_sees_the_api_operations(live_server, browser_context):
    user = UserFactory(unit=UnitFactory())
    page = browser_context.new_page()
    problems = watch(page)
    browser_login(page, live_server, user.username)

    # Swagger UI draws the groups of operations that fall in the window (headless Chromium does not draw
    # the rest on scrolling): a tall window shows the registry's operations after the monitoring ones.
    page.set_viewport_size({"width": 1280, "height": 8000})
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    enterprises = page.locator(".opblock-summary-path", has_text="/api/enterprises/")
    for _ in range(40):
        if enterprises.count():
            break
        page.wait_for_timeout(250)

    assert page.locator(".opblock").count() > 20
    assert enterprises.count() >= 1
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_page_behaviour_moved_out_of_inline_script_still_works(live_server, browser_context):
    """data-autosubmit (calendar), data-confirm (campaign delete), data-bootstrap-fields (campaign form)."""
    first = Campaign.objects.create(name="口罩专项", year=2023, start_date=dt.date(2023, 1, 1),
                                    end_date=dt.date(2023, 12, 31))
    second = Campaign.objects.create(name="医美专项", year=2024, start_date=dt.date(2024, 1, 1),
                                     end_date=dt.date(2024, 12, 31))
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION, name="药械科"), role=Role.LEADER)
    page = browser_context.new_page()
    problems = watch(page)
    browser_login(page, live_server, chief.username)

    page.goto(f"{live_server.url}/reporting/calendar/?campaign={first.pk}")
    page.select_option("select[name=campaign]", str(second.pk))
    page.wait_for_url(re.compile(rf"campaign={second.pk}$"))

    page.goto(f"{live_server.url}/campaigns/{first.pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("form[data-confirm] button")
    assert questions == ["确定删除该专项整治？"]
    assert Campaign.objects.filter(pk=first.pk).exists()

    page.goto(f"{live_server.url}/campaigns/new/")
    assert "form-control" in page.get_attribute("form[data-bootstrap-fields] input[name=name]", "class")
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_pages_run_under_the_csp(live_server, browser_context):
    EnterpriseFactory(name="温州益民大药房")
    admin = UserFactory(unit=UnitFactory(), is_staff=True, is_superuser=True)
    page = browser_context.new_page()
    problems = watch(page)
    browser_login(page, live_server, admin.username)

    for path in ["/admin/", "/admin/enterprises/enterprise/", "/admin/enterprises/enterprise/add/",
                 "/admin/enterprises/loginlockout/"]:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path

    assert problems == []
