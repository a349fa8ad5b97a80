"""Chromium at phone size: a 所 user whose return was sent back sees the badge, opens the centre, clicks the
notification and lands on the return with the reviewer's comment."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import browser_login
from reporting.services import return_send_back, return_submit

from .scenario import build


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_sent_back_return_reaches_its_filer_through_the_bell(live_server, phone_context, forms, file_return):
    s = build(forms)
    ret = file_return(campaign=s["campaign"], template=forms["统计表一"], unit=s["unit_a"], cutoff=dt.date(2023, 9, 30),
                      by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])
    return_send_back(ret=ret, by=s["section"], comment="请核实无菌器械的检查家次")
    page = phone_context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    browser_login(page, live_server, s["user_a"].username)

    bell = page.locator("#notification-bell")
    assert bell.is_visible()  # outside the collapsed menu: seen on a phone without opening it
    assert page.inner_text("#notification-badge") == "1"
    box = bell.bounding_box()
    assert box["x"] + box["width"] <= 390
    bell.click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    item = page.locator("#notification-list a", has_text="报表被退回")
    assert "退回意见：请核实无菌器械的检查家次" in page.inner_text("#notification-list")
    item.click()

    page.wait_for_url(re.compile(rf"/reporting/returns/{ret.pk}/$"))
    assert "审核意见：请核实无菌器械的检查家次" in page.inner_text("body")
    assert page.locator("#notification-badge").count() == 0  # read now
    assert problems == []
