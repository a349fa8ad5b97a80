"""End to end at phone width: a 所 user works a 僵尸企业 candidate to 注销 and sees the registry change with its reason."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from enterprises.choices import EnterpriseStatus
from enterprises.models import AnnualFiling

from .factories import EnterpriseFactory, LicenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_user_works_a_candidate_to_cancellation_on_a_phone(live_server, phone_context, district):
    today = timezone.localdate()
    lost = EnterpriseFactory(name="五马失联医疗器械商行", subdistrict=district.sub_a,
                             status=EnterpriseStatus.ABNORMAL, status_since=today - dt.timedelta(days=400))
    LicenceFactory(enterprise=lost, number="浙温药监械经营备20210001号")
    AnnualFiling.objects.create(enterprise=lost, year=today.year, kind="self_report", sector="operation",
                                submitted_on=dt.date(today.year, 3, 1))  # only 失联 makes it a candidate
    EnterpriseFactory(name="藤桥失联医疗器械商行", subdistrict=district.sub_b, status=EnterpriseStatus.ABNORMAL,
                      status_since=today - dt.timedelta(days=400))
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/enterprises/zombies/candidates/")
    row = page.locator(f"#candidate-table tr[data-enterprise='{lost.pk}']")
    assert "检查发现失联" in row.inner_text()
    assert "藤桥失联医疗器械商行" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row.locator("button.start-case").click()

    page.wait_for_selector("text=已发起核查")
    page.fill("#form-verify [name=verified_on]", (today - dt.timedelta(days=20)).isoformat())
    page.fill("#form-verify [name=verification]", "两次到经营场所核查，大门紧闭，电话无人接听")
    page.click("#form-verify button[type=submit]")
    page.wait_for_selector("text=已登记核查情况")
    page.select_option("#form-notify [name=notice_kind]", "public")
    page.fill("#form-notify [name=notice_on]", (today - dt.timedelta(days=15)).isoformat())
    page.fill("#form-notify [name=notice_ref]", "鹿市监械告〔2026〕21号")
    page.click("#form-notify button[type=submit]")
    page.wait_for_selector("text=已登记告知/公告")
    page.select_option("#form-clear [name=clearance_kind]", "cancel_filing")
    page.fill("#form-clear [name=decision_no]", "鹿市监械注〔2026〕21号")
    page.fill("#form-clear [name=decision_on]", (today - dt.timedelta(days=1)).isoformat())
    page.click("#form-clear button[type=submit]")

    page.wait_for_selector("text=企业名录状态已改为注销")
    assert "已注销/取消备案" in page.inner_text("h1 + p")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#enterprise-link")
    history = page.inner_text("#status-history")
    assert "异常/失联 → 注销" in history
    assert "原因：僵尸企业清理：取消备案，决定文号鹿市监械注〔2026〕21号（列为候选原因：检查发现失联）" in history
