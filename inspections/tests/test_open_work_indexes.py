"""The 待办 lists start from partial indexes of open work, per path of a 监管所's scope, and cut each list at
the same rows whatever plan the database picks."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from inspections import selectors
from inspections.choices import InspectionStatus
from inspections.tests.factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in constraints.items() if info["index"]}


def test_the_migrations_create_the_open_work_indexes_per_scope_path():
    assert {"inspection_draft_unit_idx", "inspection_draft_ent_idx", "inspection_unentered_unit_idx",
            "inspection_unentered_ent_idx", "inspection_unentered_idx"} <= index_names("inspections_inspection")
    assert {"case_open_unit_idx", "case_open_enterprise_idx", "case_open_idx"} <= index_names("inspections_case")
    assert "officer_user_inspection_idx" in index_names("inspections_inspectionofficer")
    assert "enterprise_unit_ids_idx" in index_names("enterprises_enterprise")


def test_drafts_of_one_day_are_cut_in_the_order_they_were_entered():
    _unit, enterprise, (user, _other) = station_with_staff()
    day = timezone.localdate() - dt.timedelta(days=3)
    drafts = [InspectionFactory(enterprise=enterprise, officers=[user], status=InspectionStatus.DRAFT,
                                start_date=day) for _ in range(7)]

    work = selectors.work_list_capped(selectors.todo_for(user, today=timezone.localdate()), limit=5)

    assert [i.pk for i in work.drafts] == sorted(d.pk for d in drafts)[:5]
    assert work.drafts.total == 7 and work.drafts.more == 2
