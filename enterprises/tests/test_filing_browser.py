"""A 所 inspector on a 390 px phone: the 3月31日 progress moves as the submission list is imported."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from conftest import browser_login
from enterprises.models import AnnualFiling
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = dt.date.today().year - 1  # the whole list is dated in the past


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_progress_moves_as_the_submission_list_is_imported(live_server, phone_context, tmp_path):
    sd = SubdistrictFactory(name="五马街道")
    other = SubdistrictFactory(name="藤桥镇")
    user = UserFactory(username="wuma_test", unit=sd.unit)
    a = EnterpriseFactory(subdistrict=sd, name="温州五马医疗器械商行")
    b = EnterpriseFactory(subdistrict=sd, name="温州康宁医疗器械有限公司", is_operator=False, is_manufacturer=True,
                          is_registrant=True)
    EnterpriseFactory(subdistrict=sd, name="温州大众药房医疗器械经营部")
    EnterpriseFactory(subdistrict=other, name="藤桥医疗器械商行")  # another 所: not in this user's figures
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "企业名称", "提交日期", "环节"])
    sheet.append([a.credit_code, "", f"{YEAR}-03-12", ""])
    sheet.append(["", b.name, f"{YEAR}-04-03", "生产"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "提交名单.xlsx"
    path.write_bytes(buffer.getvalue())

    page = phone_context.new_page()
    browser_login(page, live_server, user.username)
    page.goto(f"{live_server.url}/enterprises/filings/progress/?year={YEAR}")
    assert page.inner_text("#total-owed") == "3"
    assert page.inner_text("#total-submitted") == "0"
    assert page.inner_text("#total-rate") == "0.0%"
    assert f"{YEAR}年3月31日" in page.inner_text("#due-date")
    assert _fits(page)

    page.click("#filing-tabs >> text=批量导入")
    page.wait_for_selector("#filing-import-form")
    assert page.input_value("#id_year") == str(YEAR)
    page.set_input_files("#id_file", str(path))
    page.click("#filing-import-form button[type=submit]")
    page.wait_for_selector("#import-result")
    assert "新登记 2 条" in page.inner_text("#import-result")
    assert _fits(page)

    page.click("#import-result >> text=查看进度")
    page.wait_for_selector("#progress-table")
    assert page.inner_text("#total-submitted") == "2"
    assert page.inner_text("#total-rate") == "66.7%"  # 2 of 3, by hand
    row = page.locator(f"#progress-table tr[data-unit='{sd.unit.pk}'] td")
    assert [row.nth(i).inner_text() for i in range(6)] == [sd.unit.short_name, "3", "1", "1", "1", "66.7%"]
    assert _fits(page)
    assert AnnualFiling.objects.filter(source="import").count() == 2
