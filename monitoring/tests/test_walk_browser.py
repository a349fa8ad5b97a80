"""The 药械科's whole AE round on a 390 px phone, in headless Chromium: import the national export, read the
quota dashboard, drill down to the reports, open the death report and evaluate it."""

import datetime as dt

import pytest

from conftest import browser_login
from enterprises.choices import HospitalGrade, InstitutionType
from enterprises.tests.factories import EnterpriseFactory
from monitoring.loader import load_reference
from monitoring.models import Evaluation, PopulationFigure

from .exports import export_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = dt.date.today().year - 1


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_import_dashboard_drill_down_and_evaluate_on_a_phone(live_server, phone_context, district, tmp_path):
    load_reference()  # the default import profile (a transactional test starts from an empty database)
    for sub, people in ((district.sub_a, 600_000), (district.sub_b, 400_000)):
        PopulationFigure.objects.create(year=YEAR, subdistrict=sub, population=people, source="统计公报")
    hospital = EnterpriseFactory(name="温州市第九人民医院", subdistrict=district.sub_a, is_operator=False,
                                 is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
                                 hospital_grade=HospitalGrade.GRADE_2A, owning_unit=district.station_a)
    rows = [
        {"报告编码": "AE-W-001", "报告日期": f"{YEAR}-03-12", "获知日期": f"{YEAR}-03-02", "报告来源": "使用单位",
         "报告单位名称": hospital.name, "报告单位统一社会信用代码": hospital.credit_code, "事件后果": "死亡",
         "产品名称": "呼吸机", "产品批号": "V2401", "所在街道/镇": "五马街道"},
        {"报告编码": "AE-W-002", "报告日期": f"{YEAR}-04-08", "报告来源": "使用单位", "报告单位名称": hospital.name,
         "报告单位统一社会信用代码": hospital.credit_code, "事件后果": "其他", "产品名称": "医用棉签",
         "所在街道/镇": "五马街道"},
        {"报告编码": "AE-W-003", "报告日期": f"{YEAR}-05-20", "报告来源": "个人", "事件后果": "其他",
         "产品名称": "电子体温计", "所在街道/镇": "藤桥镇"},
    ]
    path = tmp_path / "国家系统导出.xlsx"
    path.write_bytes(export_file(rows).read())
    page = phone_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, "yaoxie")

    # import: preview, then confirm
    page.goto(f"{live_server.url}/monitoring/reports/")
    page.click("#report-import")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("#import-confirm")
    assert page.inner_text("#count-add") == "3"
    assert _fits(page)
    page.click("#import-confirm")
    page.wait_for_selector("#import-summary:has-text('已导入')")

    # dashboard: 3 reports for a population of 1,000,000 → 3.0 per million; target 480 × 1.0 = 480
    page.goto(f"{live_server.url}/monitoring/quotas/?year={YEAR}")
    assert page.inner_text("#card-reports .ae-count") == "3"
    assert page.inner_text("#card-reports .ae-rate") == "3.0"
    assert "目标 480" in page.inner_text("#card-reports")
    assert _fits(page)

    # drill down to the three reports, open the death report and its evaluation (opened by the import)
    page.click("#card-reports a.ae-count")
    page.wait_for_selector("text=共 3 条")
    assert _fits(page)
    page.click("text=AE-W-001")
    page.wait_for_selector("#report-evaluations")
    assert _fits(page)
    page.click("#report-evaluations >> text=死亡事件")
    page.click("#evaluation-actions >> text=评价")
    page.fill("#id_opinion", "呼吸机供气中断与患者死亡可能有关，需核查同批次产品")
    page.select_option("#id_causality", "possible")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("#evaluation-close")
    assert _fits(page)

    evaluation = Evaluation.objects.get(primary_report__code="AE-W-001")
    assert (evaluation.trigger, evaluation.status, evaluation.causality) == ("death", "evaluated", "possible")
