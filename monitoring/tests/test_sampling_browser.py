"""A 所 inspector on a 390 px phone, in headless Chromium: records a sample, walks every step to the
conclusion, uploads the delivery receipt, and sees the 复检 last day skip the 2024 中秋 holiday."""

import datetime as dt

import pytest

from conftest import browser_login
from enterprises.models import CalendarDay, CalendarDayKind
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from monitoring.models import Sample, SamplingStepRule
from monitoring.sampling_reference import ensure_step_rules

from .factories import SamplingTaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def _record(page, **fields) -> None:
    for selector, value in fields.items():
        page.fill(f"#step-form #{selector}", value)
    page.click("#step-submit")


def test_inspector_walks_a_sample_through_every_step_on_a_phone(live_server, phone_context, district, tmp_path):
    ensure_step_rules(SamplingStepRule)  # a transactional test starts from an empty database
    for day in (15, 16, 17):
        CalendarDay.objects.update_or_create(date=dt.date(2024, 9, day), defaults={"kind": CalendarDayKind.HOLIDAY, "name": "中秋节"})
    CalendarDay.objects.update_or_create(date=dt.date(2024, 9, 14), defaults={"kind": CalendarDayKind.WORKDAY, "name": "中秋节调休"})
    SamplingTaskFactory(name="2024年省级医疗器械监督抽检（第二批）")
    UserFactory(username="wuma2", full_name="陈建国", unit=district.station_a)
    EnterpriseFactory(name="温州五马大药房有限公司", subdistrict=district.sub_a)
    receipt = tmp_path / "送达回执.pdf"
    receipt.write_bytes(b"%PDF-1.4\n% receipt signed by the enterprise\n")

    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")
    page.goto(f"{live_server.url}/monitoring/sampling/samples/")
    page.click("#sample-create")

    # the sample: enterprise from the search, task, number, product, two officers
    page.fill("#enterprise-search", "五马大药房")
    page.click(".enterprise-choice")
    page.select_option("#id_task", label="2024年省抽：2024年省级医疗器械监督抽检（第二批）")
    page.fill("#id_sample_no", "ZJCJ2024-0815")
    page.select_option("#id_link", "operation")
    page.fill("#id_sampled_on", "2024-08-01")
    page.fill("#id_product_name", "一次性使用无菌注射器 带针")
    page.fill("#id_registrant_name", "浙江康康医疗器械有限公司")
    page.fill("#id_batch", "20240305")
    page.fill("#id_quantity", "200支")
    page.check("label:has-text('陈建国') >> input")
    assert _fits(page)
    page.click("#sample-save")
    page.wait_for_selector("#step-form")
    assert "待办：数据录入（期限 2024-08-06" in page.inner_text("#sample-next")
    assert _fits(page)

    _record(page, id_done_on="2024-08-02", id_note="已录入国家医疗器械抽检信息系统")
    page.wait_for_selector("#step-report_received #step-form")
    page.fill("#step-form #id_done_on", "2024-09-05")
    page.fill("#step-form #id_lab", "浙江省医疗器械检验研究院")
    page.fill("#step-form #id_report_no", "QW2024-1187")
    page.select_option("#step-form #id_conclusion", "failed")
    page.fill("#step-form #id_failed_items", "无菌")
    page.click("#step-submit")
    page.wait_for_selector("#step-report_delivered #step-form")
    assert page.inner_text("#sample-conclusion") == "不合格"

    _record(page, id_done_on="2024-09-12")
    page.wait_for_selector("#step-receipt_uploaded #step-form")
    # Thu 9/12 + 7 working days: Sat 9/14 is worked, 中秋 9/15–17 are not → 9/24, not 9/23
    assert page.inner_text("#retest-last-day") == "2024-09-24"
    assert "2024-09-24" in page.inner_text("#step-retest_window")
    assert _fits(page)

    page.fill("#step-form #id_done_on", "2024-09-13")
    page.set_input_files("#step-form #id_file", str(receipt))
    page.click("#step-submit")
    page.wait_for_selector("#step-concluded #step-form")
    with page.expect_popup() as popup:
        page.click("#step-receipt_uploaded .step-file")
    assert popup.value.url.endswith("/file/")
    popup.value.close()

    _record(page, id_done_on="2024-09-30", id_note="复检申请期内企业未申请复检")
    page.wait_for_selector("#sample-next:has-text('已办结')")
    assert _fits(page)
    assert "2024-09-24 届满" in page.inner_text("#step-retest_window")

    sample = Sample.objects.get(sample_no="ZJCJ2024-0815")
    done = dict(sample.steps.values_list("step", "done_on"))
    assert done == {"sampled": dt.date(2024, 8, 1), "data_entered": dt.date(2024, 8, 2),
                    "report_received": dt.date(2024, 9, 5), "report_delivered": dt.date(2024, 9, 12),
                    "receipt_uploaded": dt.date(2024, 9, 13), "retest_window": dt.date(2024, 9, 24),
                    "concluded": dt.date(2024, 9, 30)}
    assert (sample.conclusion, sample.next_step, sample.unit_id) == ("failed", "", district.station_a.pk)
    assert sorted(sample.officers.values_list("username", flat=True)) == ["wuma", "wuma2"]
