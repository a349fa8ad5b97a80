"""待办 within a chosen horizon (7/30 days/all) and 本单位逾期 listing only what is overdue."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections import work_sources
from inspections.deadlines import due_soon_cutoff, parse_horizon
from inspections.selectors import todo_counts, todo_for
from inspections.tests.factories import InspectionFactory, RectificationFactory
from inspections.work_sources import WorkItem, WorkSection, register_work_source

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)
# deadline → the horizons whose 待办 lists it (7 days: to 17 June; 30 days: to 10 July)
DEADLINES = {
    "逾期企业": (dt.date(2026, 6, 5), {"7", "30", "all"}),
    "七日企业": (dt.date(2026, 6, 17), {"7", "30", "all"}),
    "八日企业": (dt.date(2026, 6, 18), {"30", "all"}),
    "三十日企业": (dt.date(2026, 7, 10), {"30", "all"}),
    "远期企业": (dt.date(2026, 7, 11), {"all"}),
}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def orders():
    unit = SubdistrictFactory(unit=UnitFactory(name="五马市场监管所")).unit
    other = SubdistrictFactory(unit=UnitFactory(name="大南市场监管所")).unit
    user = UserFactory(unit=unit)
    for name, (deadline, _) in DEADLINES.items():
        enterprise = EnterpriseFactory(subdistrict=unit.subdistricts.first(), name=name)
        inspection = InspectionFactory(enterprise=enterprise, officers=[user], start_date=dt.date(2026, 5, 1),
                                       provincial_entry_date=dt.date(2026, 5, 2), status="finalised")
        RectificationFactory(inspection=inspection, deadline=deadline)
    stranger = UserFactory(unit=other)
    inspection = InspectionFactory(enterprise=EnterpriseFactory(subdistrict=other.subdistricts.first(),
                                                                name="大南逾期企业"),
                                   officers=[stranger], start_date=dt.date(2026, 5, 1),
                                   provincial_entry_date=dt.date(2026, 5, 2), status="finalised")
    RectificationFactory(inspection=inspection, deadline=dt.date(2026, 6, 1))
    return {"user": user, "unit": unit}


def test_the_horizon_parameter_has_one_rule():
    assert [parse_horizon(v) for v in ("7", "30", "all", None, "", "9", "-1", "abc")] == [7, 30, None, 7, 7, 7, 7, 7]
    assert due_soon_cutoff(TODAY) == dt.date(2026, 6, 17)
    assert due_soon_cutoff(TODAY, 30) == dt.date(2026, 7, 10)
    assert due_soon_cutoff(TODAY, None) is None


@pytest.mark.parametrize("horizon", ["7", "30", "all"])
def test_todo_lists_exactly_the_orders_due_within_the_horizon(client, orders, horizon):
    expected = {name for name, (_, horizons) in DEADLINES.items() if horizon in horizons}
    client.force_login(orders["user"])

    page = client.get(reverse("inspections:todo"), {"horizon": horizon}).content.decode()
    work = todo_for(orders["user"], today=TODAY, horizon=parse_horizon(horizon))

    assert {r.inspection.enterprise.name for r in work.rectifications} == expected
    assert todo_counts(orders["user"], today=TODAY, horizon=parse_horizon(horizon))["rectifications"] == len(expected)
    assert {name for name in DEADLINES if name in page} == expected
    assert "大南逾期企业" not in page
    assert f'href="?horizon={horizon}" aria-current="page"' in page


def test_the_extra_sections_follow_the_horizon(client, orders, monkeypatch):
    seen = []

    def probe(user, *, unit, personal, due_by, today):
        seen.append(due_by)
        return None

    monkeypatch.setattr(work_sources, "_SOURCES", [])
    register_work_source(probe)
    client.force_login(orders["user"])
    for horizon in ("7", "30", "all", ""):
        client.get(reverse("inspections:todo"), {"horizon": horizon})

    assert seen == [dt.date(2026, 6, 17), dt.date(2026, 7, 10), None, dt.date(2026, 6, 17)]


def test_the_overdue_page_lists_only_overdue_items(client, orders, monkeypatch):
    def probe(user, *, unit, personal, due_by, today):
        return WorkSection(key="probe", title="探针事项", items=[
            WorkItem(title="探针已逾期", url="/", due_on=dt.date(2026, 6, 1), overdue=True),
            WorkItem(title="探针未到期", url="/", due_on=dt.date(2026, 6, 20), overdue=False)])

    monkeypatch.setattr(work_sources, "_SOURCES", [])
    register_work_source(probe)
    client.force_login(orders["user"])

    overdue = client.get(reverse("inspections:unit_list"), {"overdue": "1"}).content.decode()
    everything = client.get(reverse("inspections:unit_list")).content.decode()

    assert {name for name in DEADLINES if name in overdue} == {"逾期企业"}
    assert "探针已逾期" in overdue and "探针未到期" not in overdue
    assert "<title>本单位逾期" in overdue and 'id="todo-cases"' not in overdue
    assert {name for name in DEADLINES if name in everything} == set(DEADLINES)
    assert "探针已逾期" in everything and "探针未到期" in everything and "<title>本单位待办" in everything
    assert "大南逾期企业" not in overdue + everything


def test_the_nav_opens_the_overdue_page_by_its_name(client, orders):
    client.force_login(orders["user"])

    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("inspections:unit_list")}?overdue=1">本单位逾期</a>' in page
    assert f'href="{reverse("inspections:unit_list")}">本单位待办</a>' in page
