"""The 药械科 builds the quarterly risk-consultation report on a 390 px phone and downloads the Word file."""

import datetime as dt
import io

import pytest
from docx import Document

from conftest import browser_login
from monitoring.choices import RiskStatus

from .factories import RiskFactory, RiskMeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_build_and_download_the_report_on_a_phone(live_server, phone_context, district):
    meeting = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 6, 27), chair="李局长")
    RiskFactory(meeting=meeting, risk_point="注射器抽检不合格批次仍在流通", enterprise__subdistrict=district.sub_a)
    RiskFactory(meeting=meeting, risk_point="角膜接触镜聚集性不良事件", enterprise__subdistrict=district.sub_b,
                status=RiskStatus.CLOSED, closed_on=dt.date(2024, 6, 20))
    page = phone_context.new_page()
    browser_login(page, live_server, "yaoxie")

    page.goto(f"{live_server.url}/monitoring/risk-report/")
    page.fill("#id_year", "2024")
    page.select_option("#id_quarter", "2")
    page.click("#build-risk-report")
    page.wait_for_selector("#risk-report-builds a:has-text('Word')")

    assert "已加入下载中心：2024年第二季度风险会商情况报告（全区）" in page.inner_text(".alert")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        page.click("#risk-report-builds a:has-text('Word')")
    assert download.value.suggested_filename == "2024年第二季度风险会商情况报告_全区.docx"
    with open(download.value.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    assert document.paragraphs[0].text == "测试区市场监督管理局2024年第二季度医疗器械质量安全风险会商情况报告"
    assert [len(t.rows) for t in document.tables] == [10, 3, 2, 2]  # sources; new (2); open (1); closed (1)
