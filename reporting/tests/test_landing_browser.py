"""Chromium at phone and desktop size: the chief approves and sends back returns from 等待我处理 on the start
page; the 所 sees the returned return with the reviewer's comment on its own start page."""

from __future__ import annotations

import pytest

from conftest import browser_login
from reporting.choices import ReturnStatus
from reporting.models import Return

from .test_landing import today, town  # noqa: F401 - fixtures

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_chief_reviews_from_the_start_page_and_the_station_sees_the_comment(live_server, _playwright_browser,
                                                                            town, size):  # noqa: F811
    context = _playwright_browser.new_context(locale="zh-CN", viewport=SIZES[size], is_mobile=size == "phone")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())
    width = SIZES[size]["width"]

    browser_login(page, live_server, "kz")
    assert page.locator("#waiting-returns .waiting-return").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    approve = page.locator(f"#waiting-return-{town['ret_a'].pk}")
    approve.get_by_role("button", name="审核通过").click()
    page.locator(f"#waiting-return-{town['ret_a'].pk} [role=status]").wait_for()
    assert "已审核通过" in page.inner_text(f"#waiting-return-{town['ret_a'].pk}")
    assert Return.objects.get(pk=town["ret_a"].pk).status == ReturnStatus.APPROVED

    row = page.locator(f"#waiting-return-{town['ret_b'].pk}")
    row.locator("summary").click()
    row.get_by_role("button", name="确认退回").click()  # no comment: refused, nothing changes
    page.locator(f"#waiting-return-{town['ret_b'].pk} [role=alert]").wait_for()
    assert "退回时必须填写意见" in page.inner_text(f"#waiting-return-{town['ret_b'].pk}")
    assert Return.objects.get(pk=town["ret_b"].pk).status == ReturnStatus.SUBMITTED
    row = page.locator(f"#waiting-return-{town['ret_b'].pk}")
    row.locator("textarea").fill("请补充第三季度新开办企业")
    row.get_by_role("button", name="确认退回").click()
    page.locator(f"#waiting-return-{town['ret_b'].pk} [role=status]").wait_for()
    assert Return.objects.get(pk=town["ret_b"].pk).status == ReturnStatus.RETURNED
    page.screenshot(path=f"/tmp/landing_chief_{size}.png", full_page=True)
    page.context.clear_cookies()

    browser_login(page, live_server, "dn")  # 大南所
    sent_back = page.inner_text("#home-sent-back")
    assert "请补充第三季度新开办企业" in sent_back and "大南所漏报两家企业" in sent_back
    assert "五马所口罩行数据需核实" not in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.screenshot(path=f"/tmp/landing_station_{size}.png", full_page=True)
    assert problems == []
    context.close()
