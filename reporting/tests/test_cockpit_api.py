"""The cockpit API (``/api/cockpit/``, ``/api/cockpit/snapshots/``), the beat task, and bounded queries.
Today is held at 15 August 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting.cockpit.service import snapshot_take
from reporting.models import QuarterSnapshot
from reporting.tasks import cockpit_snapshots_task
from reporting.tests.cockpit_world import YEAR, inspect, use_test_indicators

pytestmark = pytest.mark.django_db

TODAY = dt.date(YEAR, 8, 15)


@pytest.fixture(autouse=True)
def _today_and_indicators(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    use_test_indicators(monkeypatch)


@pytest.fixture
def district():
    section = UnitFactory(kind=UnitKind.SECTION, name="药械科", short_name="药械科")
    bureau = UnitFactory(kind=UnitKind.BUREAU, name="区局", short_name="区局")
    jia = UnitFactory(name="甲市场监管所", short_name="甲所", sort_order=1)
    yi = UnitFactory(name="乙市场监管所", short_name="乙所", sort_order=2)
    inspect(jia, dt.date(YEAR, 2, 10))
    inspect(jia, dt.date(YEAR, 4, 15))
    inspect(yi, dt.date(YEAR, 5, 20))
    return type("D", (), {
        "jia": jia, "yi": yi,
        "staff": UserFactory(unit=section, role=Role.SECTION_STAFF),
        "auditor": UserFactory(unit=bureau, role=Role.AUDITOR),
        "jia_user": UserFactory(unit=jia, role=Role.STATION_STAFF),
    })


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_district_user_reads_the_district_and_every_unit(district):
    body = _api(district.staff).get("/api/cockpit/", {"year": YEAR, "quarter": 2}).json()
    assert body["period"] == {"year": YEAR, "quarter": 2, "label": "2025年第二季度", "start": "2025-01-01",
                              "as_of": "2025-06-30", "ended": True}
    assert body["district_visible"] is True
    assert body["units"] == [{"id": district.jia.pk, "name": "甲所"}, {"id": district.yi.pk, "name": "乙所"}]
    assert body["snapshot"] is None
    row = body["rows"][0]
    assert row["code"] == "t_inspections"
    assert row["district"]["figure"]["actual"] == "3"
    assert row["district"]["figure"]["expected"] == "3"
    assert (row["district"]["status"], row["district"]["status_label"]) == ("on_track", "进度正常")
    assert row["district"]["vs_previous"] == {"previous": "1", "delta": "2", "direction": "up", "better": True}
    assert row["units"][str(district.yi.pk)]["figure"]["actual"] == "1"
    assert row["units"][str(district.jia.pk)]["figure"]["actual"] == "2"
    assert [r["code"] for r in body["rows"]] == ["t_inspections", "t_open", "t_missing"]
    assert body["rows"][2]["district"]["figure"]["configured"] is False


def test_station_user_receives_its_own_unit_only(district):
    body = _api(district.jia_user).get("/api/cockpit/", {"year": YEAR, "quarter": 2}).json()
    assert body["district_visible"] is False
    assert body["units"] == [{"id": district.jia.pk, "name": "甲所"}]
    assert body["rows"][0]["district"] is None
    assert list(body["rows"][0]["units"]) == [str(district.jia.pk)]
    assert body["rows"][1]["units"] == {}  # district-only indicator
    assert "乙所" not in str(body)


def test_a_quarter_not_begun_is_a_400(district):
    response = _api(district.staff).get("/api/cockpit/", {"year": YEAR, "quarter": 4})
    assert response.status_code == 400
    assert response.json() == {"quarter": ["该季度尚未开始"]}
    assert _api(district.staff).get("/api/cockpit/", {"year": YEAR + 1}).status_code == 400


def test_snapshot_via_api_shows_in_the_table_with_its_difference(district):
    api = _api(district.staff)
    response = api.post("/api/cockpit/snapshots/", {"year": YEAR, "quarter": 2}, format="json")
    assert response.status_code == 201
    assert response.json()["trigger"] == "manual" and response.json()["taken_by"] == district.staff.pk
    inspect(district.yi, dt.date(YEAR, 6, 1))  # entered after the freeze, dated in Q2
    row = api.get("/api/cockpit/", {"year": YEAR, "quarter": 2}).json()["rows"][0]
    assert (row["district"]["figure"]["actual"], row["district"]["snapshot"]["actual"],
            row["district"]["snapshot_diff"]) == ("4", "3", "1")
    listed = api.get("/api/cockpit/snapshots/", {"year": YEAR}).json()
    assert [(s["quarter"], s["is_current"]) for s in listed] == [(2, True)]


def test_freeze_refusals(district):
    # auditor and 所: 403, nothing taken
    for user in (district.auditor, district.jia_user):
        response = _api(user).post("/api/cockpit/snapshots/", {"year": YEAR, "quarter": 2}, format="json")
        assert response.status_code == 403
    assert QuarterSnapshot.objects.count() == 0
    api = _api(district.staff)
    response = api.post("/api/cockpit/snapshots/", {"year": YEAR, "quarter": 3}, format="json")
    assert response.status_code == 400
    assert response.json() == {"quarter": ["该季度尚未结束，季度结束后才能冻结数据"]}
    first = snapshot_take(year=YEAR, quarter=2, today=TODAY)
    response = api.post("/api/cockpit/snapshots/", {"year": YEAR, "quarter": 2, "reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["该季度已有快照，重新冻结须填写原因"]}
    assert list(QuarterSnapshot.objects.values_list("pk", "is_current")) == [(first.pk, True)]


def test_beat_task_freezes_each_ended_quarter_once(district):
    # ended by 15 August 2025: 2024 Q1–Q4 and 2025 Q1–Q2
    assert cockpit_snapshots_task.delay().get() == ["2024-1", "2024-2", "2024-3", "2024-4", "2025-1", "2025-2"]
    assert cockpit_snapshots_task.delay().get() == []
    assert QuarterSnapshot.objects.count() == 6
    assert QuarterSnapshot.objects.filter(is_current=True).count() == 6
    q2 = QuarterSnapshot.objects.get(year=YEAR, quarter=2)
    assert (q2.trigger, q2.taken_by, q2.as_of) == ("schedule", None, dt.date(YEAR, 6, 30))
    assert q2.data["t_inspections"]["district"]["actual"] == 3


def _more_units(n: int) -> None:
    for i in range(n):
        unit = UnitFactory(sort_order=10 + i)
        inspect(unit, dt.date(YEAR, 3, 1 + i))
        inspect(unit, dt.date(YEAR - 1, 3, 1 + i))


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == 200
    return len(captured)


def test_page_and_api_queries_do_not_grow_with_units(client, district, django_assert_max_num_queries):
    snapshot_take(year=YEAR, quarter=1, today=TODAY)
    client.force_login(district.staff)
    api = _api(district.staff)
    page = lambda: client.get(reverse("reporting:cockpit"), {"year": YEAR, "quarter": 2})  # noqa: E731
    read = lambda: api.get("/api/cockpit/", {"year": YEAR, "quarter": 2})  # noqa: E731
    before = (_queries(page), _queries(read))
    _more_units(6)
    with django_assert_max_num_queries(before[0]):
        page()
    with django_assert_max_num_queries(before[1]):
        read()
    assert before[0] <= 30 and before[1] <= 20
