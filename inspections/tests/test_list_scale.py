"""Lists at province scale: the scope's enterprise path read as the unit's enterprise ids, and the rows
each list shows are the same as with the join it replaced (who sees what, in which order)."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import OperationMode
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, UnitFactory, UserFactory
from inspections.models import Finding, Inspection, Rectification
from inspections.planning.due import with_last_inspected
from inspections.planning.tests.factories import InspectionFactory as PlanningInspectionFactory
from inspections.selectors import rectification_qs
from regsys.scoping import scoped, visibility_q

from .factories import FindingFactory, InspectionFactory, RectificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two 所: ours inspects its own enterprise and one of theirs; theirs inspects one of ours."""
    ours, theirs = UnitFactory(), UnitFactory()
    ours_ent = EnterpriseFactory(subdistrict__unit=ours)
    theirs_ent = EnterpriseFactory(subdistrict__unit=theirs)
    other_ent = EnterpriseFactory(subdistrict__unit=theirs)
    rows = {
        "own": InspectionFactory(enterprise=ours_ent, unit=ours),
        "we_inspected_theirs": InspectionFactory(enterprise=theirs_ent, unit=ours),
        "they_inspected_ours": InspectionFactory(enterprise=ours_ent, unit=theirs),
        "not_ours": InspectionFactory(enterprise=other_ent, unit=theirs),
    }
    for inspection in rows.values():
        FindingFactory(inspection=inspection)
        RectificationFactory(inspection=inspection)
    return ours, rows


def _by_join(model, prefix: str, unit) -> set[int]:
    """What the scope meant before, spelled as the join: the record's unit or its enterprise's owner."""
    return set(model.objects.filter(**{f"{prefix}unit": unit}).values_list("pk", flat=True)) | set(
        model.objects.filter(**{f"{prefix}enterprise__owning_unit": unit}).values_list("pk", flat=True))


@pytest.mark.parametrize(("model", "prefix"), [(Inspection, ""), (Finding, "inspection__"),
                                               (Rectification, "inspection__")])
def test_station_sees_its_own_records_and_those_of_the_enterprises_it_supervises(world, model, prefix):
    ours, rows = world
    user = UserFactory(unit=ours)

    seen = set(scoped(model.objects.all(), user).values_list("pk", flat=True))

    visible = [rows[k].pk for k in ("own", "we_inspected_theirs", "they_inspected_ours")]
    assert seen == _by_join(model, prefix, ours)
    assert seen == set(model.objects.filter(**{f"{prefix}pk__in": visible}).values_list("pk", flat=True))
    assert scoped(model.objects.all(), user).count() == 3
    assert not scoped(model.objects.filter(**{f"{prefix}pk": rows["not_ours"].pk}), user).exists()


def test_enterprise_path_reads_the_units_enterprise_ids_not_a_join():
    unit = UnitFactory()
    user = UserFactory(unit=unit)
    sql = str(Rectification.objects.order_by().filter(visibility_q(user, Rectification)).query)

    assert "enterprises_enterprise" in sql  # the ids of the unit's enterprises, in a subquery …
    assert "JOIN \"enterprises_enterprise\"" not in sql  # … not joined to every row
    assert "ORDER BY" not in sql  # the enterprise's default ordering is left out of the subquery


def test_station_rectification_list_page_and_api_show_the_same_rows(world, client):
    ours, rows = world
    user = UserFactory(unit=ours)
    client.force_login(user)
    expected = {rows[k].rectification.pk for k in ("own", "we_inspected_theirs", "they_inspected_ours")}

    page = client.get(reverse("inspections:rectification_list"))
    api = APIClient()
    api.force_authenticate(user)
    listed = api.get("/api/rectifications/").json()

    assert page.status_code == 200
    assert {r.pk for r in page.context["objects"]} == expected
    assert page.context["total"] == 3
    assert {r["id"] for r in listed["results"]} == expected


def test_rectification_list_order_open_by_deadline_then_completed_latest_first():
    unit = UnitFactory()
    enterprise = EnterpriseFactory(subdistrict__unit=unit)
    user = UserFactory(unit=unit)

    def order(deadline, completed=None):
        r = RectificationFactory(inspection=InspectionFactory(enterprise=enterprise), deadline=deadline)
        if completed:
            Rectification.objects.filter(pk=r.pk).update(completed_on=completed)
        return r.pk

    late_done = order(dt.date(2024, 6, 1), completed=dt.date(2024, 7, 9))
    open_later = order(dt.date(2024, 9, 1))
    early_done = order(dt.date(2024, 6, 1), completed=dt.date(2024, 6, 20))
    open_sooner = order(dt.date(2024, 8, 1))

    assert [r.pk for r in rectification_qs(user)] == [open_sooner, open_later, late_done, early_done]


def test_last_inspected_is_the_latest_finalised_date_whatever_order_they_were_entered_in():
    scheme, _ = scheme_ensure(year=2024)
    enterprise = EnterpriseFactory(operation_mode=OperationMode.RETAIL, provides_logistics=True)
    grades_propose(year=2024, unit=enterprise.owning_unit, by=None, as_of=dt.date(2024, 3, 1))
    for day in (dt.date(2023, 9, 1), dt.date(2023, 2, 1), dt.date(2023, 11, 5), dt.date(2023, 4, 1)):
        PlanningInspectionFactory(enterprise=enterprise, start_date=day)

    grades = EnterpriseGrade.objects.filter(enterprise=enterprise)

    assert {g.last_inspected for g in with_last_inspected(grades, scheme)} == {dt.date(2023, 11, 5)}
    assert {g.last_inspected for g in with_last_inspected(grades, scheme, before=dt.date(2023, 11, 5))} == {
        dt.date(2023, 9, 1)}


def test_a_list_above_the_cap_shows_the_cap_and_counts_all_rows_on_demand(client, monkeypatch):
    """The product call for the HTML lists' totals (regsys/paging.py): exact up to the cap."""
    from regsys import paging

    monkeypatch.setattr(paging, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr("inspections.views.common.PAGE_SIZE", 2)
    unit = UnitFactory()
    enterprise = EnterpriseFactory(subdistrict__unit=unit)
    for day in range(1, 6):
        InspectionFactory(enterprise=enterprise, unit=unit, start_date=dt.date(2024, 5, day))
    client.force_login(UserFactory(unit=unit))
    url = reverse("inspections:list")

    capped = client.get(url).content.decode()
    exact = client.get(url, {"count": "exact"}).content.decode()
    beyond = client.get(url, {"page": 3}).content.decode()

    assert "共 3 条以上" in capped
    assert 'href="?count=exact">统计全部</a>' in capped
    assert "1 / 2+" in capped
    assert "共 5 条" in exact and "条以上" not in exact and "统计全部" not in exact
    assert "1 / 3<" in exact
    assert "3 / 2+" in beyond
    assert ">2024-05-01<" in beyond and ">2024-05-02<" not in beyond
    assert "下一页" not in beyond


def test_the_enterprise_list_caps_its_total_too(client, monkeypatch):
    from regsys import paging

    monkeypatch.setattr(paging, "LIST_COUNT_CAP", 2)
    unit = UnitFactory()
    for _ in range(3):
        EnterpriseFactory(subdistrict__unit=unit)
    client.force_login(UserFactory(unit=unit))
    url = reverse("enterprises:list")

    assert "共 2 家企业以上" in client.get(url).content.decode()
    assert "共 3 家企业" in client.get(url, {"count": "exact"}).content.decode()
