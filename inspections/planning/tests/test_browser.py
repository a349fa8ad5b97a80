"""Chromium flow: the chief generates a 所's plan for the year, adjusts an item, approves, sees progress."""

import datetime
import re

import pytest

from conftest import browser_login
from enterprises.choices import OperationMode, Role, UnitKind
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import PlanStatus
from inspections.models import InspectionPlan, PlanItem
from inspections.planning.generate import plan_generate
from inspections.planning.services import targets_ensure
from inspections.planning.tests.factories import InspectionFactory

YEAR = datetime.date.today().year


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chief_generates_adjusts_approves_and_sees_progress(live_server, browser_context):
    sd = SubdistrictFactory(unit=UnitFactory(name="五马市场监管所", short_name="五马所"))
    key = EnterpriseFactory(subdistrict=sd, name="温州康宁医疗器械物流有限公司", provides_logistics=True,
                            operation_mode=OperationMode.WHOLESALE)
    for i in range(4):
        EnterpriseFactory(subdistrict=sd, name=f"温州益民大药房{i}", operation_mode=OperationMode.RETAIL)
    officers = [UserFactory(unit=sd.unit, full_name=name) for name in ("王伟", "李娜", "张敏")]
    UserFactory(username="kezhang", unit=UnitFactory(kind=UnitKind.SECTION, name="药械科"), role=Role.LEADER)
    scheme_ensure(year=YEAR)
    targets_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)

    page = browser_context.new_page()
    browser_login(page, live_server, "kezhang")

    # generate
    page.goto(f"{live_server.url}/planning/")
    page.select_option("#generate-form select[name=unit]", label="五马市场监管所")
    page.fill("#generate-form input[name=year]", str(YEAR))
    page.click("#generate-form button[type=submit]")
    page.wait_for_url(re.compile(r"/planning/plans/\d+/"))
    assert "已生成" in page.inner_text(".alert-success")
    row = page.locator("#item-table tr", has_text=key.name)
    assert row.count() == 1

    # adjust the key enterprise's item: June, two officers
    row.get_by_role("link", name="调整").click()
    page.select_option("select[name=target_month]", "6")
    page.select_option("select[name=officers]", [str(officers[0].pk), str(officers[1].pk)])
    page.fill("input[name=note]", "与专项检查合并")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(re.compile(r"/planning/plans/\d+/$"))
    row = page.locator("#item-table tr", has_text=key.name)
    assert row.locator(".period").inner_text() == "6月"
    assert "王伟" in row.inner_text() and "李娜" in row.inner_text()

    # approve
    page.click("#approve-plan")
    assert page.inner_text("#plan-status") == "已批准"
    plan = InspectionPlan.objects.get(unit=sd.unit, year=YEAR, kind="routine")
    assert plan.status == PlanStatus.APPROVED

    # an inspection is finalised; the chief links it and sees the progress
    page.goto(f"{live_server.url}/planning/progress/?year={YEAR}&unit={sd.unit.pk}")
    assert page.inner_text("#done-total") == "0"
    InspectionFactory(enterprise=key, start_date=datetime.date(YEAR, 1, 1))
    page.goto(f"{live_server.url}/planning/plans/{plan.pk}/")
    page.click("#autolink")
    assert "已关联 1 次检查" in page.inner_text(".alert-success")
    page.click("text=查看进度")
    page.wait_for_url(re.compile(r"/planning/progress/"))
    assert page.inner_text("#done-total") == "1"
    assert int(page.inner_text("#planned-total")) == PlanItem.objects.filter(plan__unit=sd.unit, plan__year=YEAR).count()
    assert page.locator("#chart-month canvas").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_station_inspector_reads_due_list_and_grades_on_a_phone(live_server, phone_context):
    # given a 所 inspector with graded enterprises (long names)
    sd = SubdistrictFactory(unit=UnitFactory(name="五马市场监管所", short_name="五马所"))
    for i in range(3):
        EnterpriseFactory(subdistrict=sd, name=f"温州康宁医疗器械物流有限公司鹿城第{i}分公司", provides_logistics=True)
    UserFactory(unit=sd.unit, username="wuma9")
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    targets_ensure(year=YEAR)
    plan = plan_generate(unit=sd.unit, year=YEAR, by=None, seed="p").routine
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma9")

    for url in (f"/planning/due/?year={YEAR}", f"/grading/grades/?year={YEAR}", f"/planning/plans/{plan.pk}/"):
        # when the inspector opens the list on a 390 px phone
        page.goto(f"{live_server.url}{url}")

        # then the page does not scroll sideways and the unit column (always their own) is hidden
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not page.get_by_role("columnheader", name="监管单位").is_visible()
        assert not page.get_by_role("columnheader", name="来源/理由").is_visible()
        assert page.get_by_role("cell", name="温州康宁医疗器械物流有限公司鹿城第0分公司").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_plan_sorting_and_grading_defaults_read_in_chinese(live_server, _playwright_browser, width):
    sd = SubdistrictFactory(unit=UnitFactory(name="五马市场监管所", short_name="五马所"))
    for i in range(3):
        EnterpriseFactory(subdistrict=sd, name=f"温州益民大药房{i}", operation_mode=OperationMode.RETAIL)
    UserFactory(username="wuma", unit=sd.unit)
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    plan_generate(unit=sd.unit, year=YEAR, by=None, seed="x")
    plan = InspectionPlan.objects.filter(unit=sd.unit).order_by("pk").first()
    context = _playwright_browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/planning/plans/{plan.pk}/")
    options = page.locator("select[name=o] option").all_inner_texts()
    page.goto(f"{live_server.url}/grading/")
    levels = page.inner_text("#levels")
    page.screenshot(path=f"/tmp/i9-ui-grading-{width}.png", full_page=True)
    context.close()

    assert options[1:] == ["月份", "月份（降序）", "季度", "季度（降序）", "企业", "企业（降序）", "类型", "类型（降序）"]
    assert "未经本局确认" in levels and "默认值，未经本局确认，可在系统管理中修改" in levels
    assert not re.search(r"\[[CSR]\]|回忆|flcube|domain\.md", levels), levels
