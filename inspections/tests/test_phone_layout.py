"""Pages an inspector opens on site fit a 390 px phone screen: no sideways scrolling."""

import pytest

from conftest import browser_login
from inspections.reference import load_reference

from .factories import station_with_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspector_pages_do_not_scroll_sideways_on_a_phone(live_server, phone_context):
    load_reference()
    _unit, enterprise, (inspector, _colleague) = station_with_staff()
    page = phone_context.new_page()
    browser_login(page, live_server, inspector.username)

    widths = {}
    for url in ["/", "/inspections/quick/", "/inspections/new/", "/inspections/todo/", "/inspections/",
                f"/enterprises/{enterprise.pk}/", "/enterprises/"]:
        page.goto(f"{live_server.url}{url}")
        widths[url] = page.evaluate("document.documentElement.scrollWidth")

    assert widths == {url: 390 for url in widths}
