"""``PlanItem.done_on`` (the first linked finalised inspection's date) after every write that can change it."""

import datetime as dt

import pytest

from enterprises.choices import Role
from enterprises.tests.factories import UserFactory
from inspections import services
from inspections.models import InspectionPlan, PlanItem
from inspections.services import plan_item_first_done, plan_items_refresh_done

from .factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


def _item(unit, enterprise) -> PlanItem:
    plan = InspectionPlan.objects.create(unit=unit, year=2024, kind="routine")
    return PlanItem.objects.create(plan=plan, enterprise=enterprise, kind="routine")


def _done_on(item) -> dt.date | None:
    item.refresh_from_db(fields=["done_on"])
    return item.done_on


def _draft(enterprise, officers, item, day):
    return InspectionFactory(enterprise=enterprise, officers=officers, plan_item=item, start_date=day,
                             conclusion="basically")


def test_a_draft_on_the_item_does_not_fulfil_it_finalising_does():
    unit, enterprise, (a, b) = station_with_staff()
    item = _item(unit, enterprise)
    inspection = _draft(enterprise, [a, b], item, dt.date(2024, 3, 5))
    assert _done_on(item) is None

    services.inspection_finalise(inspection=inspection, by=a)

    assert _done_on(item) == dt.date(2024, 3, 5)


def test_the_earliest_finalised_inspection_counts_and_an_amended_date_follows():
    unit, enterprise, (a, b) = station_with_staff()
    chief = UserFactory(unit=unit, role=Role.LEADER)
    item = _item(unit, enterprise)
    later = _draft(enterprise, [a, b], item, dt.date(2024, 6, 1))
    earlier = _draft(enterprise, [a, b], item, dt.date(2024, 4, 1))
    services.inspection_finalise(inspection=later, by=a)
    assert _done_on(item) == dt.date(2024, 6, 1)
    services.inspection_finalise(inspection=earlier, by=a)
    assert _done_on(item) == dt.date(2024, 4, 1)

    services.inspection_amend(inspection=earlier, changes={"start_date": dt.date(2024, 7, 1)},
                              reason="检查日期录错", by=chief)
    assert _done_on(item) == dt.date(2024, 6, 1)  # the other one is now the first
    services.inspection_amend(inspection=later, changes={"start_date": dt.date(2024, 2, 2)},
                              reason="检查日期录错", by=chief)
    assert _done_on(item) == dt.date(2024, 2, 2)


def test_refresh_repairs_a_stale_value_and_takes_a_queryset():
    unit, enterprise, (a, b) = station_with_staff()
    item = _item(unit, enterprise)
    services.inspection_finalise(inspection=_draft(enterprise, [a, b], item, dt.date(2024, 3, 5)), by=a)
    PlanItem.objects.filter(pk=item.pk).update(done_on=None)
    stale = PlanItem.objects.annotate(fresh=plan_item_first_done()).exclude(done_on__isnull=True,
                                                                            fresh__isnull=True)
    assert [i.pk for i in stale if i.done_on != i.fresh] == [item.pk]

    assert plan_items_refresh_done(PlanItem.objects.values("pk")) == 1
    assert _done_on(item) == dt.date(2024, 3, 5)
    assert plan_items_refresh_done([None]) == 0


def test_command_checks_and_recomputes():
    from django.core.management import CommandError, call_command

    unit, enterprise, (a, b) = station_with_staff()
    item = _item(unit, enterprise)
    services.inspection_finalise(inspection=_draft(enterprise, [a, b], item, dt.date(2024, 3, 5)), by=a)
    call_command("plan_items_refresh_done", "--check")
    PlanItem.objects.filter(pk=item.pk).update(done_on=dt.date(2024, 1, 1))
    with pytest.raises(CommandError):
        call_command("plan_items_refresh_done", "--check")
    call_command("plan_items_refresh_done")
    assert _done_on(item) == dt.date(2024, 3, 5)
