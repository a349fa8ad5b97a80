"""A 所 inspector on a 390 px phone meets the 证照已过期 warning on the enterprise, in its plan item and on the
quick-entry form once the enterprise is picked (headless Chromium)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from enterprises.choices import LicenceKind
from inspections.choices import InspectionKind, PlanKind
from inspections.models import InspectionPlan, PlanItem

from .factories import EnterpriseFactory, LicenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_expired_licence_warning_on_enterprise_plan_and_inspection_form(live_server, phone_context, district):
    shop = EnterpriseFactory(name="五马康宁大药房", subdistrict=district.sub_a)
    LicenceFactory(enterprise=shop, kind=LicenceKind.OPERATION_LICENCE, number="浙温药监械经营许20210001号",
                   expires_on=timezone.localdate() - dt.timedelta(days=42))
    EnterpriseFactory(name="五马康宁诊所", subdistrict=district.sub_a)
    plan = InspectionPlan.objects.create(unit=district.station_a, year=timezone.localdate().year,
                                         kind=PlanKind.ROUTINE)
    item = PlanItem.objects.create(plan=plan, enterprise=shop, kind=InspectionKind.ROUTINE, target_month=6)
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/enterprises/{shop.pk}/")
    assert page.locator("#enterprise-name .expired-licence-badge").is_visible()
    assert "浙温药监械经营许20210001号" in page.locator("#expired-licence-warning").inner_text()
    assert _fits(page)

    page.goto(f"{live_server.url}/planning/plans/{plan.pk}/")
    assert page.locator(f"#item-{item.pk} .expired-licence-badge").is_visible()

    page.goto(f"{live_server.url}/inspections/quick/")
    warning = page.locator("#expired-licence-warning")
    assert not warning.is_visible()
    page.fill("#enterprise-search", "康宁")
    page.locator(".enterprise-choice", has_text="五马康宁大药房").click()
    assert warning.is_visible()
    assert "浙温药监械经营许20210001号" in warning.inner_text()
    assert _fits(page)
    page.click("#enterprise-change")
    page.fill("#enterprise-search", "康宁诊所")
    page.locator(".enterprise-choice", has_text="五马康宁诊所").click()
    assert not warning.is_visible()  # another enterprise: no warning left behind
