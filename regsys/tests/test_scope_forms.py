"""The scope filter's two SQL forms hold the same rows.

On PostgreSQL a page (an ordered slice) reads a joined scope path (``inspection__enterprise__owning_unit``)
as ``IN (subquery)`` and every other query (counts, aggregates, exports) as ``= ANY(ARRAY(subquery))``
(``regsys.scoping.InSubqueryArrayOrJoinedPath``). Both
must give exactly the rows of the plain join ``path = unit``: for a 所 and for the district, through the
record's own unit, its own enterprise and an inspection's enterprise.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from enterprises.choices import Role, UnitKind
from enterprises.models import Licence
from enterprises.tests.factories import EnterpriseFactory, LicenceFactory, UnitFactory, UserFactory
from inspections.models import Case, Finding, Rectification
from inspections.tests.factories import CaseFactory, FindingFactory, InspectionFactory, RectificationFactory
from regsys.scoping import scoped

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    """Two 所; each inspects its own enterprise and the other's, so every record is reached by one path
    only, by both, or by neither."""
    station_a, station_b = UnitFactory(), UnitFactory()
    ent_a, ent_b = EnterpriseFactory(owning_unit=station_a), EnterpriseFactory(owning_unit=station_b)
    for unit in (station_a, station_b):
        for enterprise in (ent_a, ent_b):
            inspection = InspectionFactory(unit=unit, enterprise=enterprise)
            FindingFactory.create_batch(2, inspection=inspection)
            RectificationFactory(inspection=inspection)
            CaseFactory(unit=unit, enterprise=enterprise, handlers=[])
    for enterprise in (ent_a, ent_a, ent_b):
        LicenceFactory(enterprise=enterprise)
    return {
        "station": UserFactory(unit=station_a, role=Role.STATION_STAFF),
        "unit": station_a,
        "district": UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.SECTION_STAFF),
    }


CASES = [
    (Finding, Q(inspection__unit="U") | Q(inspection__enterprise__owning_unit="U")),
    (Rectification, Q(inspection__unit="U") | Q(inspection__enterprise__owning_unit="U")),
    (Case, Q(unit="U") | Q(enterprise__owning_unit="U")),
    (Licence, Q(enterprise__owning_unit="U")),
]


def _with_unit(q: Q, unit_id: int) -> Q:
    return Q(*[(key, unit_id) for key, _ in q.children], _connector=q.connector)


@pytest.mark.parametrize(("model", "reference"), CASES, ids=[m.__name__ for m, _ in CASES])
def test_page_and_count_forms_hold_the_rows_of_the_join(district, model, reference):
    station, unit = district["station"], district["unit"]
    expected = set(model.objects.filter(_with_unit(reference, unit.pk)).values_list("pk", flat=True))
    assert expected and expected != set(model.objects.values_list("pk", flat=True))  # the scope narrows

    qs = scoped(model.objects.all(), station)
    page = list(qs.order_by("-pk").values_list("pk", flat=True)[:100])
    assert set(page) == expected
    assert page == sorted(expected, reverse=True)
    assert set(qs.values_list("pk", flat=True)) == expected
    assert qs.count() == len(expected)

    everyone = scoped(model.objects.all(), district["district"])
    assert everyone.count() == model.objects.count()
    assert set(everyone.order_by("pk").values_list("pk", flat=True)[:100]) == set(
        model.objects.values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the two forms differ on PostgreSQL only")
@pytest.mark.parametrize("model", [Finding, Rectification])
def test_page_reads_the_joined_path_as_in_and_count_as_array(district, model):
    qs = scoped(model.objects.all(), district["station"])
    page_sql = str(qs.order_by("pk")[:50].query)
    count_sql = str(qs.values("pk").query)
    assert "ANY(ARRAY" not in page_sql and " IN (SELECT" in page_sql
    assert "ANY(ARRAY" in count_sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the two forms differ on PostgreSQL only")
def test_own_enterprise_path_keeps_the_array_in_a_page(district):
    qs = scoped(Licence.objects.all(), district["station"])
    assert "ANY(ARRAY" in str(qs.order_by("pk")[:50].query)
