"""The inspection list and its export stay fast on a district's year: counts per row without a join product."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import Role
from enterprises.tests.factories import UnitFactory, UserFactory
from inspections.choices import InspectionStatus
from inspections.selectors import inspection_qs

from .factories import FindingFactory, InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


def test_list_counts_officers_and_findings_per_inspection_without_count_distinct():
    _unit, enterprise, (a, b) = station_with_staff()
    c = UserFactory(unit=a.unit)
    busy = InspectionFactory(enterprise=enterprise, officers=[a, b, c])
    FindingFactory(inspection=busy)
    FindingFactory(inspection=busy)
    quiet = InspectionFactory(enterprise=enterprise, officers=[a, b])

    rows = {i.pk: (i.officer_count, i.finding_count) for i in inspection_qs(a)}

    assert rows == {busy.pk: (3, 2), quiet.pk: (2, 0)}
    assert "COUNT(DISTINCT" not in str(inspection_qs(a).query).upper()


def test_export_runs_a_fixed_number_of_queries_and_writes_chinese_labels(client, export_file):
    _unit, enterprise, (a, b) = station_with_staff()
    chief = UserFactory(unit=UnitFactory(), role=Role.LEADER)
    client.force_login(chief)
    InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.FINALISED,
                      conclusion="basically")
    export_file(client, reverse("inspections:export"))  # the session's first request stamps its login time
    with CaptureQueriesContext(connection) as one_row:  # the request and the job it files (run inline)
        export_file(client, reverse("inspections:export"))
    for _ in range(5):
        InspectionFactory(enterprise=enterprise, officers=[a, b], status=InspectionStatus.FINALISED)

    with CaptureQueriesContext(connection) as six_rows:
        book = export_file(client, reverse("inspections:export"))

    assert len(six_rows) == len(one_row)
    sheet = book.active
    assert sheet.max_row == 7
    header = [cell.value for cell in sheet[1]]
    last = dict(zip(header, [cell.value for cell in sheet[7]], strict=True))
    assert (last["检查类型"], last["检查结论"], last["状态"]) == ("日常监督检查", "基本符合", "已完成")


def test_api_inspection_list_runs_a_fixed_number_of_queries_without_count_distinct():
    _unit, enterprise, (a, b) = station_with_staff()
    api = APIClient()
    api.force_authenticate(a)
    InspectionFactory(enterprise=enterprise, officers=[a, b])
    with CaptureQueriesContext(connection) as one_row:
        api.get("/api/inspections/")
    for _ in range(4):
        FindingFactory(inspection=InspectionFactory(enterprise=enterprise, officers=[a, b]))

    with CaptureQueriesContext(connection) as five_rows:
        response = api.get("/api/inspections/")

    assert response.json()["count"] == 5
    assert len(five_rows) == len(one_row)
    assert [q["sql"] for q in five_rows.captured_queries if "COUNT(DISTINCT" in q["sql"].upper()] == []
