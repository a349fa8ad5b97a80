"""A 所 inspector on a 390 px phone records that a 三甲 hospital it supervises has applied UDI, with the
acceptance letter; the list then shows 已应用 and the coverage moves, and the pages fit the screen."""

import datetime as dt

import pytest

from conftest import browser_login
from enterprises.models import HospitalUdi
from enterprises.tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_station_records_a_hospitals_udi_on_a_phone(live_server, phone_context, district, tmp_path):
    year = dt.date.today().year
    for name in ("温州市第一人民医院", "温州市中心医院"):
        EnterpriseFactory(subdistrict=district.sub_a, owning_unit=district.station_a, name=name, is_operator=False,
                          is_user_unit=True, institution_type="hospital", hospital_grade="3a")
    letter = tmp_path / "UDI验收报告.pdf"
    letter.write_bytes(b"%PDF-1.4\n% UDI acceptance\n")
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/enterprises/udi/hospitals/")
    assert page.inner_text("#coverage-percent") == "0.0%"
    assert page.inner_text("#coverage-hospitals") == "2"
    assert _fits(page)
    page.locator("#udi-hospital-table tr", has_text="温州市中心医院").locator("text=登记").click()
    page.wait_for_selector("#udi-hospital-form")
    assert _fits(page)

    page.check("input[name=status][value=applied]")
    page.fill("#id_status_on", dt.date.today().isoformat())
    page.fill("#id_note", "已接入医院SPD系统，高值耗材扫码入库")
    page.click("#udi-save")  # no evidence yet: refused with the reason
    page.wait_for_selector("text=已应用的须上传佐证材料")
    assert HospitalUdi.objects.count() == 0
    page.set_input_files("#id_evidence", str(letter))
    page.click("#udi-save")

    page.wait_for_selector("#udi-coverage")
    assert page.inner_text("#coverage-percent") == "50.0%"
    assert page.inner_text("#coverage-applied") == "1"
    row = page.locator("#udi-hospital-table tr", has_text="温州市中心医院")
    assert "已应用" in row.inner_text()
    assert _fits(page)
    [record] = HospitalUdi.objects.all()
    assert (record.year, record.status, record.updated_by.username) == (year, "applied", "wuma")
    assert record.evidence.read().startswith(b"%PDF")
