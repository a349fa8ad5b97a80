"""Annual plans: generation from due dates, targets and draws; hand edits; approval; fulfilment."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import OperationMode, Role, UnitKind
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.tests.factories import (
    EnterpriseFactory,
    SubdistrictFactory,
    TagFactory,
    UnitFactory,
    UserFactory,
)
from inspections.choices import InspectionKind, InspectionStatus, PlanKind, PlanStatus
from inspections.models import AnnualTarget, Inspection, InspectionPlan, PlanItem
from inspections.planning.choices import ItemSource
from inspections.planning.generate import plan_generate
from inspections.planning.selectors import items_for, plan_progress, plans_for
from inspections.planning.services import (
    plan_approve,
    plan_item_create,
    plan_item_link,
    plan_item_update,
    plan_items_autolink,
    plan_return,
    plan_submit,
    targets_ensure,
)
from inspections.planning.tests.factories import ConflictFactory, InspectionFactory
from inspections.services import plan_items_refresh_done

pytestmark = pytest.mark.django_db

D = datetime.date
GENERATED_ON = D(2024, 1, 15)


@pytest.fixture
def world():
    sd = SubdistrictFactory()
    unit = sd.unit
    officers = [UserFactory(unit=unit) for _ in range(3)]
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    logistics = dict(subdistrict=sd, operation_mode=OperationMode.WHOLESALE, provides_logistics=True)
    e1, e2, e3 = (EnterpriseFactory(**logistics) for _ in range(3))  # 三级: every 12 months
    retail = [EnterpriseFactory(subdistrict=sd, operation_mode=OperationMode.RETAIL) for _ in range(4)]  # 一级
    e8 = EnterpriseFactory(subdistrict=sd, operation_mode=OperationMode.WHOLESALE, operates_class3=True)  # 二级
    InspectionFactory(enterprise=e1, start_date=D(2023, 3, 10))
    InspectionFactory(enterprise=e2, start_date=D(2023, 12, 20))
    InspectionFactory(enterprise=e3, start_date=D(2024, 1, 5))
    scheme_ensure(year=2024)
    grades_propose(year=2024, unit=unit, by=None, as_of=D(2024, 1, 10))
    targets_ensure(year=2024)
    AnnualTarget.objects.filter(code="flight").update(is_active=False)
    return {"unit": unit, "officers": officers, "chief": chief, "e1": e1, "e2": e2, "e3": e3, "retail": retail,
            "e8": e8, "sd": sd}


def rows(plan):
    return {(i.enterprise_id, i.kind, i.target_month, i.source, i.due_date) for i in plan.items.all()}


def test_generation_from_due_dates_and_the_draw(world):
    w = world

    result = plan_generate(unit=w["unit"], year=2024, by=w["officers"][0], today=GENERATED_ON, seed="t")

    routine = result.routine
    drawn = routine.items.get(source=ItemSource.DRAW)
    assert rows(routine) - {(drawn.enterprise_id, InspectionKind.RANDOM, None, ItemSource.DRAW, None)} == {
        (w["e1"].id, InspectionKind.ROUTINE, 3, ItemSource.DUE, D(2024, 3, 10)),
        (w["e2"].id, InspectionKind.ROUTINE, 12, ItemSource.DUE, D(2024, 12, 20)),
        (w["e8"].id, InspectionKind.ROUTINE, 1, ItemSource.DUE, D(2024, 12, 31)),  # never inspected: first open month
    }
    assert drawn.enterprise in w["retail"]  # 25% of the 4 一级 retailers = 1
    assert drawn.draw.seed == "t:" + w["unit"].code + ":o1"
    assert set(drawn.officers.all()) <= set(w["officers"]) and drawn.officers.count() == 2
    assert drawn.target_quarter == 1
    # the page shows "<source>：<reason>", so the reason does not repeat the source
    assert (drawn.get_source_display(), drawn.reason) == ("双随机抽取", drawn.draw.name)
    assert routine.status == PlanStatus.DRAFT
    assert result.flight.items.count() == 0


def test_generating_again_adds_nothing(world):
    w = world
    plan_generate(unit=w["unit"], year=2024, by=None, today=GENERATED_ON, seed="t")

    again = plan_generate(unit=w["unit"], year=2024, by=None, today=GENERATED_ON, seed="t")

    assert dict(again.added) == {}
    assert PlanItem.objects.count() == 4


def test_overdue_enterprise_is_planned_in_the_current_month(world):
    w = world

    result = plan_generate(unit=w["unit"], year=2024, by=None, today=D(2024, 5, 20), seed="t")

    assert result.routine.items.get(enterprise=w["e1"]).target_month == 5


def test_coverage_target_adds_enough_enterprises(world):
    w = world
    sterile = TagFactory(code="sterile")
    tagged = [EnterpriseFactory(subdistrict=w["sd"], operation_mode=OperationMode.RETAIL, tags=[sterile])
              for _ in range(10)]
    for enterprise in tagged:
        InspectionFactory(enterprise=enterprise, start_date=D(2023, 6, 1))  # 二级 → next due mid-2025
    grades_propose(year=2024, unit=w["unit"], by=None, as_of=D(2024, 1, 10))

    result = plan_generate(unit=w["unit"], year=2024, by=None, today=GENERATED_ON, seed="t")

    target_items = result.routine.items.filter(source=ItemSource.TARGET)
    assert target_items.count() == 2  # ceil(10 × 15%) = 2
    assert {i.enterprise for i in target_items} <= set(tagged)
    assert {i.target_quarter for i in target_items} == {1, 2}


def test_flight_plan_takes_the_units_share_of_the_district_target(world):
    w = world
    AnnualTarget.objects.filter(code="flight").update(is_active=True, min_count=4)
    other = SubdistrictFactory()
    for _ in range(8):
        EnterpriseFactory(subdistrict=other)

    result = plan_generate(unit=w["unit"], year=2024, by=None, today=GENERATED_ON, seed="t")

    # 8 of the district's 16 enterprises → ceil(4 × 8 / 16) = 2 flight items, key (三级) enterprises first
    flight = result.flight.items.all()
    assert flight.count() == 2
    assert {i.kind for i in flight} == {InspectionKind.FLIGHT}
    assert {i.reason for i in flight} == {"全区不少于4家，本单位分担2家"}
    assert {i.enterprise_id for i in flight} <= {w["e1"].id, w["e2"].id, w["e3"].id}


def test_station_user_cannot_generate_for_another_unit(world):
    with pytest.raises(PermissionDenied):
        plan_generate(unit=world["unit"], year=2024, by=UserFactory(), today=GENERATED_ON)

    assert InspectionPlan.objects.count() == 0


@pytest.fixture
def plan(world):
    return plan_generate(unit=world["unit"], year=2024, by=None, today=GENERATED_ON, seed="t").routine


def test_adjust_an_item(world, plan):
    w = world
    item = plan.items.get(enterprise=w["e2"])

    plan_item_update(item=item, kind=InspectionKind.FULL, target_month=6, target_quarter=None,
                     officers=w["officers"][:2], note="提前到6月", by=w["officers"][0])

    item.refresh_from_db()
    assert (item.kind, item.target_month, item.target_quarter, item.note) == (InspectionKind.FULL, 6, 2, "提前到6月")
    assert set(item.officers.all()) == set(w["officers"][:2])


@pytest.mark.parametrize(
    ("month", "quarter", "officer_count"), [(13, None, 2), (5, 3, 2), (None, 5, 2), (6, None, 1)]
)
def test_bad_item_changes_are_refused_and_nothing_changes(world, plan, month, quarter, officer_count):
    w = world
    item = plan.items.get(enterprise=w["e2"])

    with pytest.raises(ValidationError):
        plan_item_update(item=item, kind=InspectionKind.ROUTINE, target_month=month, target_quarter=quarter,
                         officers=w["officers"][:officer_count], note="x", by=w["officers"][0])

    item.refresh_from_db()
    assert (item.target_month, item.note, item.officers.count()) == (12, "", 0)


def test_officer_with_a_conflict_cannot_be_assigned(world, plan):
    w = world
    item = plan.items.get(enterprise=w["e2"])
    ConflictFactory(officer=w["officers"][1], enterprise=w["e2"])

    with pytest.raises(ValidationError):
        plan_item_update(item=item, kind=item.kind, target_month=6, target_quarter=None,
                         officers=w["officers"][:2], note="", by=w["officers"][0])

    assert item.officers.count() == 0


def test_adding_another_units_enterprise_is_refused(world, plan):
    w = world
    foreign = EnterpriseFactory()

    with pytest.raises(ValidationError):
        plan_item_create(plan=plan, enterprise=foreign, kind=InspectionKind.ROUTINE, by=w["officers"][0])

    assert not plan.items.filter(enterprise=foreign).exists()


def test_only_the_chief_approves_and_an_approved_plan_is_locked(world, plan):
    w = world
    staff = w["officers"][0]
    plan_submit(plan=plan, by=staff)

    with pytest.raises(PermissionDenied):
        plan_approve(plan=plan, by=staff)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    plan_approve(plan=plan, by=w["chief"])
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, w["chief"])
    with pytest.raises(ValidationError):
        plan_item_create(plan=plan, enterprise=w["e3"], kind=InspectionKind.ROUTINE, by=staff)
    with pytest.raises(ValidationError):
        plan_generate(unit=w["unit"], year=2024, by=staff, today=GENERATED_ON)

    plan_return(plan=plan, reason="请补充飞行检查", by=w["chief"])
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.DRAFT, None)


def test_linked_finalised_inspection_fulfils_the_item_and_shows_in_progress(world, plan):
    w = world
    item = plan.items.get(enterprise=w["e1"])
    draft = InspectionFactory(enterprise=w["e1"], start_date=D(2024, 3, 5), status=InspectionStatus.DRAFT)
    plan_item_link(item=item, inspection=draft, by=w["officers"][0])

    def done():
        return items_for(w["chief"]).get(pk=item.pk).done_on

    assert done() is None
    draft.status = InspectionStatus.FINALISED
    draft.save()
    plan_items_refresh_done([item.pk])  # what inspection_finalise does after saving
    assert done() == D(2024, 3, 5)
    progress = plan_progress(PlanItem.objects.filter(plan=plan), Inspection.objects.all(), 2024)
    assert (progress["planned_total"], progress["done_total"]) == (4, 1)
    # January: e8 (never inspected); March: e1 and the drawn retailer (quarter 1 → counted in March); December: e2
    assert progress["planned"] == [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert progress["done"] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    # all finalised inspections of 2024 by month: e3 (Jan 5) and e1 (Mar 5)
    assert progress["inspections"] == [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def test_link_refuses_another_enterprise_or_year(world, plan):
    w = world
    item = plan.items.get(enterprise=w["e1"])
    other = InspectionFactory(enterprise=w["e2"], start_date=D(2024, 3, 5))
    last_year = InspectionFactory(enterprise=w["e1"], start_date=D(2023, 11, 5))

    for inspection in (other, last_year):
        with pytest.raises(ValidationError):
            plan_item_link(item=item, inspection=inspection, by=w["officers"][0])
        inspection.refresh_from_db()
        assert inspection.plan_item is None


def test_autolink_matches_enterprise_year_and_flight_kind(world, plan):
    w = world
    flight_plan = InspectionPlan.objects.get(unit=w["unit"], year=2024, kind=PlanKind.FLIGHT)
    flight_item = plan_item_create(plan=flight_plan, enterprise=w["e8"], kind=InspectionKind.FLIGHT,
                                   by=w["officers"][0])
    routine = InspectionFactory(enterprise=w["e1"], start_date=D(2024, 3, 12))
    routine_for_flight = InspectionFactory(enterprise=w["e8"], start_date=D(2024, 4, 1))
    InspectionFactory(enterprise=w["e2"], start_date=D(2024, 2, 2), status=InspectionStatus.DRAFT)

    linked = plan_items_autolink(plans=[plan, flight_plan], by=w["officers"][0])

    routine.refresh_from_db()
    routine_for_flight.refresh_from_db()
    assert linked == 2
    assert routine.plan_item == plan.items.get(enterprise=w["e1"])
    assert routine_for_flight.plan_item == plan.items.get(enterprise=w["e8"])  # the routine item, not the flight one
    assert not flight_item.inspections.exists()


def test_never_inspected_enterprises_are_spread_over_the_open_months(world):
    w = world
    extra = [EnterpriseFactory(subdistrict=w["sd"], operation_mode=OperationMode.WHOLESALE, provides_logistics=True)
             for _ in range(5)]
    grades_propose(year=2024, unit=w["unit"], by=None, as_of=D(2024, 1, 10))

    result = plan_generate(unit=w["unit"], year=2024, by=None, today=D(2024, 10, 3), seed="t")

    months = sorted(result.routine.items.filter(enterprise__in=extra + [w["e8"]]).values_list("target_month",
                                                                                                flat=True))
    assert months == [10, 10, 11, 11, 12, 12]  # six never-inspected enterprises over October–December


def test_generation_ignores_inspections_dated_after_the_generation_day(world):
    w = world  # e3's only inspection is on 5 January

    result = plan_generate(unit=w["unit"], year=2024, by=None, today=D(2024, 1, 3), seed="t")

    item = result.routine.items.get(enterprise=w["e3"])
    assert (item.source, item.due_date) == (ItemSource.DUE, D(2024, 12, 31))


def test_link_and_autolink_record_the_done_date(world, plan):
    w = world
    item = plan.items.get(enterprise=w["e1"])
    finalised = InspectionFactory(enterprise=w["e1"], start_date=D(2024, 4, 9))
    assert PlanItem.objects.get(pk=item.pk).done_on is None
    plan_item_link(item=item, inspection=finalised, by=w["officers"][0])
    assert PlanItem.objects.get(pk=item.pk).done_on == D(2024, 4, 9)

    other = plan.items.get(enterprise=w["e2"])
    InspectionFactory(enterprise=w["e2"], start_date=D(2024, 8, 1))
    assert plan_items_autolink(plans=[plan], by=None) == 1
    assert PlanItem.objects.get(pk=other.pk).done_on == D(2024, 8, 1)


def test_plan_counts_match_the_linked_finalised_inspections(world, plan):
    """item_count / done_count read from the stored dates equal a count over the inspections themselves."""
    w = world
    e1, e2 = plan.items.get(enterprise=w["e1"]), plan.items.get(enterprise=w["e2"])
    InspectionFactory(enterprise=w["e1"], start_date=D(2024, 3, 5), plan_item=e1)
    InspectionFactory(enterprise=w["e1"], start_date=D(2024, 2, 5), plan_item=e1)  # two on one item: counted once
    InspectionFactory(enterprise=w["e2"], start_date=D(2024, 3, 9), plan_item=e2, status=InspectionStatus.DRAFT)
    empty = InspectionPlan.objects.create(unit=w["unit"], year=2023, kind=PlanKind.ROUTINE)

    rows = {p.pk: (p.item_count, p.done_count) for p in plans_for(w["chief"])}

    expected = {}
    for p in InspectionPlan.objects.filter(unit=w["unit"]):
        items = PlanItem.objects.filter(plan=p)
        expected[p.pk] = (items.count(), items.filter(inspections__status=InspectionStatus.FINALISED)
                          .distinct().count())
    assert rows == expected
    assert rows[plan.pk][1] == 1 and rows[empty.pk] == (0, 0)
    assert PlanItem.objects.get(pk=e1.pk).done_on == D(2024, 2, 5)
