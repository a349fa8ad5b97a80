"""What the district return counts, and 企业总数 at the cut-off (establishment, status changes, unit).

Row used throughout: 统计表一 医用口罩生产企业 (link 生产 + tag mask). Expected numbers worked out by hand.
"""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from enterprises.choices import EnterpriseStatus, Role, UnitKind
from enterprises.models import Enterprise, EnterpriseStatusChange, Tag
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import ReferralTarget
from reporting.metrics import Period, compute

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
ROW = "medical_mask_manufacturers"
# 统计表一 columns: 企业总数 出动人次 检查家次 责令改正 约谈 案件 罚没款 责任人 停产停业 吊销 移送公安 移交卫生
T1_COLUMNS = 12


def mask_maker(**kwargs) -> Enterprise:
    return EnterpriseFactory(is_manufacturer=True, is_operator=False, tags=list(Tag.objects.filter(code="mask")),
                             **kwargs)


def campaign_with_due(forms, units):
    campaign = CampaignFactory(units=units, forms=list(forms.values()))
    DueDateFactory(campaign=campaign, due_on=D(2023, 12, 25), reopened=True)
    return campaign


def mask_row(ws) -> list:
    """The 医用口罩生产企业 row of a 统计表一 sheet (first data row, after the two label columns)."""
    values = [ws.cell(4, c).value for c in range(3, 3 + T1_COLUMNS)]
    return [Decimal(str(v)).quantize(Decimal("0.01")) if isinstance(v, float) else v for v in values]


# --- 全区 counts the whole district ----------------------------------------------------------------

@pytest.fixture
def district(forms):
    station = UnitFactory(name="五马市场监管所", short_name="五马所", kind=UnitKind.STATION)
    section = UnitFactory(name="区局药械科", short_name="药械科", kind=UnitKind.SECTION)
    squad = UnitFactory(name="区局执法队", short_name="执法队", kind=UnitKind.ENFORCEMENT)
    return {"station": station, "section": section, "squad": squad,
            "reviewer": UserFactory(unit=section, role=Role.SECTION_STAFF)}


def records_of_every_unit_kind(d, campaign):
    """E1 (the 所's) and E2 (supervised by the 药械科 itself), with a record of each unit kind."""
    c = [campaign]
    e1 = mask_maker(subdistrict=SubdistrictFactory(unit=d["station"]))
    e2 = mask_maker(subdistrict=e1.subdistrict, owning_unit=d["section"])
    InspectionFactory(enterprise=e1, unit=d["station"], staff_count=2, campaigns=c)  # 所
    InspectionFactory(enterprise=e2, unit=d["section"], staff_count=3, campaigns=c)  # 药械科
    ReferralFactory(enterprise=e2, unit=d["section"], target=ReferralTarget.POLICE, campaigns=c)  # 药械科
    CaseFactory(enterprise=e1, unit=d["squad"], decided_on=D(2023, 6, 1), fine_amount=10000,
                confiscation_amount=5000, campaigns=c)  # 执法队
    InterviewFactory(enterprise=e1, unit=d["squad"], campaigns=c)  # 执法队


# 企业总数 2 (E1, E2), 出动 2+3, 检查 2, 约谈 1 (执法队), 案件 1 (执法队), 罚没 1.50 万, 移送公安 1 (药械科)
DISTRICT_MASK_ROW = [2, 5, 2, 0, 1, 1, Decimal("1.50"), 0, 0, 0, 1, 0]
STATION_MASK_ROW = [1, 2, 1, 0, 0, 0, Decimal("0.00"), 0, 0, 0, 0, 0]
SECTION_MASK_ROW = [1, 3, 1, 0, 0, 0, Decimal("0.00"), 0, 0, 0, 1, 0]
SQUAD_MASK_ROW = [0, 0, 0, 0, 1, 1, Decimal("1.50"), 0, 0, 0, 0, 0]


@pytest.mark.parametrize("taking_part", [(), ("station",), ("station", "section"), ("station", "section", "squad")])
def test_the_district_return_counts_every_unit_kind_whether_or_not_it_takes_part(
        forms, file_return, district, taking_part):
    campaign = campaign_with_due(forms, [district[k] for k in taking_part])
    records_of_every_unit_kind(district, campaign)

    ret = file_return(campaign=campaign, template=forms["统计表一"], unit=None, cutoff=CUTOFF, by=district["reviewer"])

    workbook = load_workbook(ret.jobs.get().xlsx.path)
    assert mask_row(workbook["全区"]) == DISTRICT_MASK_ROW
    # the sheets per unit are those of the units that file (every 所 when none is ticked)
    filing = taking_part or ("station",)
    assert workbook.sheetnames == ["全区", *[district[k].short_name for k in filing], "校验提示"]
    expected = {"station": STATION_MASK_ROW, "section": SECTION_MASK_ROW, "squad": SQUAD_MASK_ROW}
    for key in filing:
        assert mask_row(workbook[district[key].short_name]) == expected[key]
    assert ret.data["total"][ROW]["staff_dispatched"] == 5


def test_a_unit_return_counts_only_that_units_records(forms, file_return, district):
    campaign = campaign_with_due(forms, [district["station"]])
    records_of_every_unit_kind(district, campaign)
    officer = UserFactory(unit=district["station"])

    ret = file_return(campaign=campaign, template=forms["统计表一"], unit=district["station"], cutoff=CUTOFF,
                      by=officer)

    assert mask_row(load_workbook(ret.jobs.get().xlsx.path).worksheets[0]) == STATION_MASK_ROW


# --- 企业总数 at the cut-off -----------------------------------------------------------------------

def enterprise_total(forms, campaign, unit_ids=None, by_unit=False):
    period = Period(campaign=campaign, cutoff=CUTOFF, unit_ids=unit_ids)
    grids = compute(template=forms["统计表一"], period=period, by_unit=by_unit, metrics=["enterprise_total"])
    return {unit: grid[ROW]["enterprise_total"] for unit, grid in grids.items()}


def change(enterprise, from_status, to_status, effective_on, recorded_at=None):
    record = EnterpriseStatusChange.objects.create(enterprise=enterprise, from_status=from_status,
                                                   to_status=to_status, effective_on=effective_on, reason="变更")
    if recorded_at is not None:
        EnterpriseStatusChange.objects.filter(pk=record.pk).update(created_at=recorded_at)


def test_enterprises_established_after_the_cut_off_are_not_counted(forms):
    campaign = CampaignFactory()
    mask_maker(established_on=D(2020, 1, 1))
    mask_maker(established_on=CUTOFF)  # established on the cut-off day: counts
    mask_maker(established_on=CUTOFF + dt.timedelta(days=1))  # the day after: not yet
    mask_maker(established_on=None)  # date unknown: counts

    assert enterprise_total(forms, campaign) == {None: 3}


def test_the_status_at_the_cut_off_is_read_from_the_first_change_after_it(forms):
    a, c, s = EnterpriseStatus.ACTIVE, EnterpriseStatus.CANCELLED, EnterpriseStatus.PRODUCTION_STOPPED
    campaign = CampaignFactory()
    # 1. established before the cut-off, stopped before it, cancelled after it: 停产 at the cut-off -> counts
    e1 = mask_maker(established_on=D(2021, 3, 1), status=c)
    change(e1, a, s, D(2023, 6, 1))
    change(e1, s, c, D(2023, 10, 15))
    # 2. stopped, then cancelled, both before the cut-off -> not counted
    e2 = mask_maker(established_on=D(2021, 3, 1), status=c)
    change(e2, a, s, D(2023, 5, 1))
    change(e2, s, c, D(2023, 8, 1))
    # 3. cancelled at the cut-off, re-opened and then abnormal after it (now 异常, an active status):
    #    the earliest later change says 注销 -> not counted (neither the latest change nor today's status)
    e3 = mask_maker(established_on=D(2021, 3, 1), status=EnterpriseStatus.ABNORMAL)
    change(e3, c, a, D(2023, 10, 5))
    change(e3, a, EnterpriseStatus.ABNORMAL, D(2023, 11, 1))
    # 4. two changes on the same day after the cut-off, recorded in this order (the second one first in
    #    the table): the first recorded says 在营 -> counts
    e4 = mask_maker(established_on=D(2021, 3, 1), status=a)
    change(e4, c, a, D(2023, 10, 10), recorded_at=dt.datetime(2023, 10, 10, 10, tzinfo=dt.UTC))
    change(e4, a, c, D(2023, 10, 10), recorded_at=dt.datetime(2023, 10, 10, 9, tzinfo=dt.UTC))
    # 5. established after the cut-off although its status changes start before it -> not counted
    e5 = mask_maker(established_on=D(2023, 10, 1), status=a)
    change(e5, s, a, D(2023, 12, 1))

    assert enterprise_total(forms, campaign) == {None: 2}  # e1, e4
    counted = Period(campaign=campaign, cutoff=CUTOFF, unit_ids=None)
    from reporting.metrics import metric_records

    row = forms["统计表一"].rows.get(key=ROW)
    assert set(metric_records(metric="enterprise_total", row=row, period=counted)) == {e1, e4}


def backdate_history(enterprise, when):
    enterprise.history.update(history_date=when)


def test_an_enterprise_counts_for_the_unit_that_supervised_it_at_the_cut_off(forms):
    a, b = UnitFactory(short_name="甲所"), UnitFactory(short_name="乙所")
    campaign = CampaignFactory(units=[a, b])
    before, after = dt.datetime(2023, 1, 5, tzinfo=dt.UTC), dt.datetime(2023, 8, 1, tzinfo=dt.UTC)
    # moved from 甲 to 乙 after the cut-off (the move is recorded today): 甲's at the cut-off
    moved_later = mask_maker(subdistrict=SubdistrictFactory(unit=a))
    backdate_history(moved_later, before)
    moved_later.owning_unit = b
    moved_later.save()
    # moved from 甲 to 乙 on 2023-08-01, before the cut-off: 乙's
    moved_before = mask_maker(subdistrict=SubdistrictFactory(unit=a))
    backdate_history(moved_before, before)
    moved_before.owning_unit = b
    moved_before.save()
    moved_before.history.filter(owning_unit=b).update(history_date=after)
    # entered after the cut-off (first recorded under 甲), moved to 乙 since: keeps its first known unit 甲
    entered_later = mask_maker(subdistrict=SubdistrictFactory(unit=a))
    entered_later.owning_unit = b
    entered_later.save()
    # moved to 乙 on the evening of the cut-off day (local time): 乙's at the end of that day
    evening = mask_maker(subdistrict=SubdistrictFactory(unit=a))
    backdate_history(evening, before)
    evening.owning_unit = b
    evening.save()
    evening.history.filter(owning_unit=b).update(
        history_date=dt.datetime(2023, 9, 30, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    # no history at all (bulk-created): its current unit 乙
    no_history = mask_maker(subdistrict=SubdistrictFactory(unit=b))
    no_history.history.all().delete()

    assert enterprise_total(forms, campaign, (a.pk, b.pk), by_unit=True) == {a.pk: 2, b.pk: 3}
    assert enterprise_total(forms, campaign, (a.pk,)) == {None: 2}
    assert enterprise_total(forms, campaign) == {None: 5}  # the district counts each once
    assert set(Enterprise.objects.filter(owning_unit=b)) == {moved_later, moved_before, entered_later, evening,
                                                               no_history}
