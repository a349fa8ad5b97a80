"""End to end in headless Chromium at phone size: the 药械科 imports an export, confirms the preview, resolves
an unmatched reporting unit; a 所 user then finds the report in its list."""

import pytest

from conftest import browser_login
from enterprises.choices import InstitutionType
from enterprises.tests.factories import EnterpriseFactory
from monitoring.loader import load_reference
from monitoring.models import AdverseEventReport

from .exports import export_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_import_preview_confirm_and_resolve_on_a_phone(live_server, phone_context, district, tmp_path):
    load_reference()  # a transactional test starts from an empty database: the default profile
    hospital = EnterpriseFactory(name="温州市第九人民医院", subdistrict=district.sub_a, is_operator=False,
                                 is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
                                 owning_unit=district.station_a)
    clinic = EnterpriseFactory(name="五马街道某某诊所", subdistrict=district.sub_a, is_operator=False,
                               is_user_unit=True, institution_type=InstitutionType.CLINIC)
    upload = export_file([
        {"报告编码": "AE-B-001", "报告日期": "2025-03-12", "获知日期": "2025-03-02", "报告来源": "使用单位",
         "报告单位名称": "温州市第九人民医院", "报告单位统一社会信用代码": hospital.credit_code, "事件后果": "死亡",
         "产品名称": "一次性使用输液器", "产品批号": "B2401"},
        {"报告编码": "AE-B-002", "报告日期": "2025-04-08", "报告来源": "使用单位", "报告单位名称": "某某诊所（五马）",
         "事件后果": "其他", "产品名称": "医用棉签"},
    ])
    path = tmp_path / "导出.xlsx"
    path.write_bytes(upload.read())
    page = phone_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    browser_login(page, live_server, "yaoxie")
    page.goto(f"{live_server.url}/monitoring/reports/")
    page.click("#report-import")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("#import-confirm")

    assert page.inner_text("#count-add") == "2" and page.inner_text("#count-unmatched") == "1"
    assert AdverseEventReport.objects.count() == 0
    assert _fits(page)
    page.click("#import-confirm")
    page.wait_for_selector("#import-summary:has-text('已导入')")
    assert AdverseEventReport.objects.count() == 2

    page.goto(f"{live_server.url}/monitoring/unmatched/")
    page.click("#unmatched-table >> text=指定企业")
    page.fill("#enterprise-search", "某某诊所")
    page.click(".enterprise-choice:has-text('五马街道某某诊所')")
    page.click("#resolve-form button:has-text('确定')")
    page.wait_for_selector("text=所有报告单位均已匹配")
    assert AdverseEventReport.objects.get(code="AE-B-002").reporter == clinic

    page.context.clear_cookies()
    browser_login(page, live_server, "wuma")
    page.goto(f"{live_server.url}/monitoring/reports/")
    assert page.locator("#report-table tbody tr").count() == 2
    assert _fits(page)
    page.click("#report-table >> text=AE-B-001")
    page.wait_for_selector("#report-late")
    assert "温州市第九人民医院" in page.inner_text("#report-reporter")
    assert _fits(page)
