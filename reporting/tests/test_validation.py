"""Every 校验提示 rule, each with data that triggers it (and, at the boundary, data that does not).

The rule texts are written out here on purpose: dropping a rule from reporting/validation.py, or making
it say nothing, fails its test.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.choices import Role, UnitKind
from enterprises.models import Tag
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import InspectionStatus, ReferralTarget
from reporting.exporters.layout import Warning
from reporting.validation import check_grid

from .factories import (
    CampaignFactory,
    CaseFactory,
    DueDateFactory,
    InspectionFactory,
    InterviewFactory,
    ReferralFactory,
)

D = dt.date
CUTOFF = D(2023, 9, 30)

# --- the rules on the numbers (check_grid) ---------------------------------------------------------

LABELS = {"parent": "新冠检测试剂/经营", "child": "其中：抗原检测试剂/经营"}
METRIC_LABELS = {
    "staff_dispatched": "出动人员人次", "enterprises_inspected": "检查企业家次", "ordered_to_correct": "责令改正家次",
    "rectification_completed": "完成整改家次", "cases_investigated": "查处案件", "ordered_suspension": "责令停产停业数",
    "licenses_revoked": "吊销许可证数", "cases_to_police": "移送公安机关案件数",
    "enterprise_fines_confiscations": "企业罚没款（万元）",
}
# a row that breaks no rule: 2 inspections with 4 staff, 1 ordered and completed, 1 case, nothing more
CLEAN = {"staff_dispatched": 4, "enterprises_inspected": 2, "ordered_to_correct": 1, "rectification_completed": 1,
         "cases_investigated": 1, "ordered_suspension": 1, "licenses_revoked": 1, "cases_to_police": 1,
         "enterprise_fines_confiscations": Decimal("0.50")}


def check(values: dict, child: dict | None = None) -> list[Warning]:
    rows = [("parent", None)] + ([("child", "parent")] if child is not None else [])
    grid = {"parent": values, **({"child": child} if child is not None else {})}
    return check_grid(sheet="五马所", rows=rows, labels=LABELS, metric_labels=METRIC_LABELS, grid=grid)


def test_a_clean_row_raises_nothing():
    assert check(CLEAN) == []
    assert check(CLEAN, child=CLEAN) == []  # a 其中 row equal to its parent is fine


def test_a_negative_value():
    assert check({**CLEAN, "enterprise_fines_confiscations": Decimal("-0.01")}) == [
        Warning("五马所", "新冠检测试剂/经营", "数值不能为负", "企业罚没款（万元）=-0.01")]


def test_a_part_row_larger_than_its_parent():
    child = {**CLEAN, "cases_investigated": 2, "cases_to_police": 0}
    parent = {**CLEAN, "cases_investigated": 2, "ordered_suspension": 0, "cases_to_police": 0}
    assert check(parent, child=child) == [Warning(
        "五马所", "其中：抗原检测试剂/经营", "“其中”行不应大于所属行", "责令停产停业数：1 > 新冠检测试剂/经营 0")]


@pytest.mark.parametrize(("small", "large", "text"), [
    ("rectification_completed", "ordered_to_correct", "完成整改家次不应大于责令改正家次"),
    ("ordered_to_correct", "enterprises_inspected", "检查企业家次应不小于责令改正家次"),
    ("ordered_suspension", "cases_investigated", "责令停产停业数不应大于查处案件数"),
    ("licenses_revoked", "cases_investigated", "吊销许可证数不应大于查处案件数"),
    ("cases_to_police", "cases_investigated", "移送公安机关案件数一般不大于查处案件数"),
])
def test_each_pair_rule(small, large, text):
    equal = {**CLEAN, small: CLEAN[large]}
    over = {**CLEAN, small: CLEAN[large] + 1}
    if small == "ordered_to_correct":  # keep 完成整改 ≤ 责令改正 and 4 staff for 2 inspections
        equal["rectification_completed"] = over["rectification_completed"] = 0

    assert check(equal) == []
    assert check(over) == [Warning("五马所", "新冠检测试剂/经营", text,
                                   f"{METRIC_LABELS[small]}={over[small]}，{METRIC_LABELS[large]}={over[large]}")]


def test_fewer_than_two_staff_per_inspection():
    assert check({**CLEAN, "staff_dispatched": 4}) == []
    assert check({**CLEAN, "staff_dispatched": 3}) == [Warning(
        "五马所", "新冠检测试剂/经营", "每次现场检查应有两名以上执法人员", "出动人员人次=3，检查企业家次=2")]


# --- the same rules on a computed return -----------------------------------------------------------

@pytest.fixture
def world(forms):
    station = UnitFactory(name="五马市场监管所", short_name="五马所")
    other = UnitFactory(name="大南市场监管所", short_name="大南所")
    section = UnitFactory(name="区局药械科", short_name="药械科", kind=UnitKind.SECTION)
    campaign = CampaignFactory(units=[station, other], forms=list(forms.values()))
    DueDateFactory(campaign=campaign, due_on=D(2023, 12, 25), reopened=True)
    mask = list(Tag.objects.filter(code="mask"))
    return {
        "campaign": campaign, "station": station, "other": other, "t1": forms["统计表一"], "t2": forms["统计表二"],
        "officer": UserFactory(unit=station), "other_officer": UserFactory(unit=other),
        "reviewer": UserFactory(unit=section, role=Role.SECTION_STAFF),
        # in 统计表一's 医用口罩生产企业 row, and not in any row of either form
        "in_rows": EnterpriseFactory(name="甲口罩厂", is_manufacturer=True, is_operator=False, tags=mask,
                                     subdistrict=SubdistrictFactory(unit=station)),
        "outside": EnterpriseFactory(name="乙五金店", is_operator=False, subdistrict=SubdistrictFactory(unit=station)),
    }


def rules_of(ret) -> list[tuple[str, str]]:
    return [(w["row"], w["rule"]) for w in ret.warnings]


def test_a_return_with_one_staff_per_inspection_and_a_referral_without_a_case_warns(world, file_return):
    c = [world["campaign"]]
    InspectionFactory(enterprise=world["in_rows"], unit=world["station"], staff_count=1, campaigns=c)
    ReferralFactory(enterprise=world["in_rows"], unit=world["station"], target=ReferralTarget.POLICE, campaigns=c)

    ret = file_return(campaign=world["campaign"], template=world["t1"], unit=world["station"], cutoff=CUTOFF,
                      by=world["officer"])

    row = "医用口罩生产企业"
    assert rules_of(ret) == [(row, "移送公安机关案件数一般不大于查处案件数"), (row, "每次现场检查应有两名以上执法人员")]
    sheet = load_workbook(ret.jobs.get().xlsx.path)["校验提示"]
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "移送公安机关案件数一般不大于查处案件数", "每次现场检查应有两名以上执法人员"]


# --- records in the campaign's scope but not linked to it ------------------------------------------

UNLINKED = "在专项范围内（企业属于报表所列企业，日期在专项期间内）但未关联本专项，未计入本表"


def unlinked_world(world):
    """Four unlinked records in scope (a record of each kind), and records that must not be listed."""
    e, c = world["in_rows"], [world["campaign"]]
    station, other = world["station"], world["other"]
    records = {
        "inspection": InspectionFactory(enterprise=e, unit=station, start_date=D(2023, 5, 10), staff_count=2),
        "interview": InterviewFactory(enterprise=e, unit=station, held_on=D(2023, 6, 1)),
        "referral": ReferralFactory(enterprise=e, unit=other, target=ReferralTarget.HEALTH, referred_on=D(2023, 7, 1)),
        "case": CaseFactory(enterprise=e, unit=other, filed_on=D(2023, 8, 1)),
    }
    InspectionFactory(enterprise=e, unit=station, start_date=D(2023, 5, 11), campaigns=c)  # linked
    InspectionFactory(enterprise=world["outside"], unit=station, start_date=D(2023, 5, 12))  # not in the rows
    InspectionFactory(enterprise=e, unit=station, start_date=D(2023, 3, 31))  # before the campaign
    InspectionFactory(enterprise=e, unit=station, start_date=D(2023, 10, 1))  # after the cut-off
    InspectionFactory(enterprise=e, unit=station, start_date=D(2023, 5, 13), status=InspectionStatus.DRAFT)
    CaseFactory(enterprise=e, unit=other, filed_on=D(2023, 3, 1), decided_on=D(2023, 5, 1))  # filed before
    return records


def test_a_unit_return_lists_its_own_unlinked_records_with_a_link_to_fix_each(world, file_return, client):
    records = unlinked_world(world)

    ret = file_return(campaign=world["campaign"], template=world["t1"], unit=world["station"], cutoff=CUTOFF,
                      by=world["officer"])

    inspection, interview = records["inspection"], records["interview"]
    assert ret.warnings == [
        {"sheet": "五马所", "row": "甲口罩厂", "rule": UNLINKED, "detail": "检查 2023-05-10，五马所",
         "url": f"/inspections/{inspection.pk}/campaigns/"},
        {"sheet": "五马所", "row": "甲口罩厂", "rule": UNLINKED, "detail": "约谈 2023-06-01，五马所",
         "url": f"/inspections/interviews/{interview.pk}/campaigns/"},
    ]
    client.force_login(world["officer"])
    page = client.get(reverse("reporting:return_detail", args=[ret.pk])).content.decode()
    assert f'<a href="/inspections/{inspection.pk}/campaigns/">去修改</a>' in page
    for warning, record in zip(ret.warnings, (inspection, interview), strict=True):
        opened = client.get(warning["url"])
        assert opened.status_code == 200
        assert opened.context["record"] == record
        assert str(world["campaign"].pk) not in [str(pk) for pk in opened.context["form"]["campaigns"].value()]


def test_a_record_only_the_other_form_counts_is_listed_on_that_form_alone(world, file_return):
    # a 医美 operator: in 统计表二's 医疗美容医疗器械/经营 row, in no row of 统计表一
    shop = EnterpriseFactory(name="丙医美器械店", is_manufacturer=False, is_operator=True,
                             tags=list(Tag.objects.filter(code="aesthetic")),
                             subdistrict=SubdistrictFactory(unit=world["station"]))
    InspectionFactory(enterprise=shop, unit=world["station"], start_date=D(2023, 5, 10), staff_count=2)

    listed = {
        template: [w["row"] for w in file_return(campaign=world["campaign"], template=world[template],
                                                  unit=world["station"], cutoff=CUTOFF, by=world["officer"]).warnings
                   if w["rule"] == UNLINKED]
        for template in ("t1", "t2")
    }

    assert listed == {"t1": [], "t2": ["丙医美器械店"]}


def test_the_district_return_lists_every_units_unlinked_records(world, file_return):
    records = unlinked_world(world)

    ret = file_return(campaign=world["campaign"], template=world["t1"], unit=None, cutoff=CUTOFF,
                      by=world["reviewer"])

    unlinked = [(w["sheet"], w["detail"], w["url"]) for w in ret.warnings if w["rule"] == UNLINKED]
    assert unlinked == [
        ("全区", "检查 2023-05-10，五马所", reverse("inspections:campaigns", args=[records["inspection"].pk])),
        ("全区", "约谈 2023-06-01，五马所", reverse("inspections:interview_campaigns", args=[records["interview"].pk])),
        ("全区", "移送/移交 2023-07-01，大南所", reverse("inspections:referral_campaigns", args=[records["referral"].pk])),
        ("全区", "案件 2023-08-01，大南所", reverse("inspections:case_edit", args=[records["case"].pk])),
    ]


def test_once_linked_the_records_count_and_the_warning_goes(world, file_return):
    records = unlinked_world(world)
    for record in records.values():
        record.campaigns.add(world["campaign"])

    ret = file_return(campaign=world["campaign"], template=world["t1"], unit=None, cutoff=CUTOFF,
                      by=world["reviewer"])

    assert [w for w in ret.warnings if w["rule"] == UNLINKED] == []
    mask = ret.data["total"]["medical_mask_manufacturers"]
    # the linked inspection of 05-11 plus the four fixed records
    assert (mask["enterprises_inspected"], mask["enterprises_interviewed"], mask["cases_investigated"],
            mask["clues_to_health_dept"]) == (2, 1, 1, 1)


def test_cases_are_in_scope_by_the_date_the_template_counts_them_by(world, file_return):
    template = world["t1"]
    template.case_count_date = "decided_on"
    template.save()
    CaseFactory(enterprise=world["in_rows"], unit=world["station"], filed_on=D(2023, 3, 1), decided_on=D(2023, 5, 1))

    ret = file_return(campaign=world["campaign"], template=template, unit=world["station"], cutoff=CUTOFF,
                      by=world["officer"])

    assert [w["detail"] for w in ret.warnings if w["rule"] == UNLINKED] == ["案件 2023-05-01，五马所"]


def test_only_so_many_unlinked_records_are_listed_one_by_one(world, file_return, monkeypatch):
    import reporting.validation

    monkeypatch.setattr(reporting.validation, "UNLINKED_LISTED", 2)
    for day in (1, 2, 3):
        InspectionFactory(enterprise=world["in_rows"], unit=world["station"], start_date=D(2023, 5, day))

    ret = file_return(campaign=world["campaign"], template=world["t1"], unit=world["station"], cutoff=CUTOFF,
                      by=world["officer"])

    assert [(w["row"], w["detail"]) for w in ret.warnings] == [
        ("甲口罩厂", "检查 2023-05-01，五马所"), ("甲口罩厂", "检查 2023-05-02，五马所"), ("其余记录", "另有 1 条未逐条列出")]


def test_a_record_linked_only_to_another_campaign_is_listed(world, file_return):
    InterviewFactory(enterprise=world["in_rows"], unit=world["station"], held_on=D(2023, 6, 2),
                     campaigns=[CampaignFactory(name="另一个专项")])

    ret = file_return(campaign=world["campaign"], template=world["t1"], unit=world["station"], cutoff=CUTOFF,
                      by=world["officer"])

    assert [w["detail"] for w in ret.warnings if w["rule"] == UNLINKED] == ["约谈 2023-06-02，五马所"]


def test_unlinked_records_of_every_kind_are_one_statement_with_the_count_beyond_the_listed(world, monkeypatch):
    """Whatever the records, one statement lists the first UNLINKED_LISTED records of all kinds by date and
    counts the rest in SQL (plus the form's rows); the count adds up across kinds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import reporting.validation
    from reporting.validation import unlinked_records

    monkeypatch.setattr(reporting.validation, "UNLINKED_LISTED", 2)
    for day in (3, 4, 5):
        InspectionFactory(enterprise=world["in_rows"], unit=world["station"], start_date=D(2023, 5, day))
    for day in (1, 6):
        InterviewFactory(enterprise=world["in_rows"], unit=world["station"], held_on=D(2023, 5, day))

    with CaptureQueriesContext(connection) as queries:
        warnings = unlinked_records(campaign=world["campaign"], template=world["t1"], unit=world["station"],
                                    cutoff=CUTOFF, sheet="五马所")

    assert len(queries) == 2  # the form's rows, then the records of every kind
    assert [(w.row, w.detail) for w in warnings] == [
        ("甲口罩厂", "约谈 2023-05-01，五马所"), ("甲口罩厂", "检查 2023-05-03，五马所"), ("其余记录", "另有 3 条未逐条列出")]
    for n in range(20):  # more records: still the same statements
        InspectionFactory(enterprise=world["in_rows"], unit=world["station"], start_date=D(2023, 6, 1 + n))
    with CaptureQueriesContext(connection) as more:
        warnings = unlinked_records(campaign=world["campaign"], template=world["t1"], unit=world["station"],
                                    cutoff=CUTOFF, sheet="五马所")
    assert len(more) == 2
    assert warnings[-1].detail == "另有 23 条未逐条列出"
