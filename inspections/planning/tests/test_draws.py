"""双随机 draws: reproducible from the seed, two officers each, conflicts avoided, refusals change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.choices import OperationMode, Role
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UserFactory
from inspections.models import DrawPick, RandomDraw
from inspections.planning.draws import draw_run
from inspections.planning.services import draw_create, draw_publish, draw_verify
from inspections.planning.tests.factories import ConflictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_setup():
    subdistrict = SubdistrictFactory()
    unit = subdistrict.unit
    enterprises = [EnterpriseFactory(subdistrict=subdistrict, operation_mode=OperationMode.RETAIL)
                   for _ in range(10)]
    officers = [UserFactory(unit=unit) for _ in range(4)]
    UserFactory(unit=unit, enforcement_cert_no="", inspector_cert_no="")  # no certificate: not in the pool
    scheme_ensure(year=2024)
    grades_propose(year=2024, unit=unit, by=None)
    return unit, enterprises, officers


def picks_of(draw):
    return [(p.enterprise_id, sorted(o.id for o in p.officers.all())) for p in draw.picks.order_by("position")]


def test_same_seed_gives_the_same_enterprises_and_officers(unit_setup):
    unit, enterprises, officers = unit_setup

    first = draw_create(unit=unit, year=2024, name="A", sector="operation", level_codes="o1", ratio="0.25",
                        seed="20240319", by=None)
    second = draw_create(unit=unit, year=2024, name="B", sector="operation", level_codes="o1", ratio="0.25",
                         seed="20240319", by=None)

    assert picks_of(first) == picks_of(second)
    assert len(picks_of(first)) == 3  # 25% of 10, rounded up
    assert sorted(first.pool) == sorted(e.id for e in enterprises)
    assert first.officer_pool == sorted(o.id for o in officers)


def test_verify_reruns_the_recorded_draw(unit_setup):
    unit, _enterprises, _officers = unit_setup
    draw = draw_create(unit=unit, year=2024, name="A", sector="operation", ratio="0.5", seed="abc", by=None)

    check = draw_verify(draw)

    assert check["matches"] is True
    assert check["pool_changed"] is False
    assert [e for e, _o in check["rerun"]] == [e for e, _o in picks_of(draw)]


def test_verify_detects_a_tampered_pick_and_a_changed_pool(unit_setup):
    unit, enterprises, _officers = unit_setup
    draw = draw_create(unit=unit, year=2024, name="A", sector="operation", ratio="0.3", seed="abc", by=None)
    pick = draw.picks.first()
    not_picked = next(e for e in enterprises if e.id not in {p.enterprise_id for p in draw.picks.all()})
    DrawPick.objects.filter(pk=pick.pk).update(enterprise=not_picked)
    EnterpriseFactory(subdistrict=enterprises[0].subdistrict)

    check = draw_verify(draw)

    assert check["matches"] is False
    assert check["pool_changed"] is True


def test_every_enterprise_gets_two_distinct_officers_from_the_unit(unit_setup):
    unit, _enterprises, officers = unit_setup

    draw = draw_create(unit=unit, year=2024, name="A", ratio="1", seed="s", by=None)

    for _enterprise, picked in picks_of(draw):
        assert len(set(picked)) == 2
        assert set(picked) <= {o.id for o in officers}


def test_conflicted_officer_is_never_drawn_for_that_enterprise(unit_setup):
    unit, enterprises, officers = unit_setup
    for enterprise in enterprises:
        ConflictFactory(officer=officers[0], enterprise=enterprise)
    ConflictFactory(officer=officers[1], enterprise=enterprises[0])

    draw = draw_create(unit=unit, year=2024, name="A", ratio="1", seed="s", by=None)

    picked = dict(picks_of(draw))
    assert all(officers[0].id not in offs for offs in picked.values())
    assert sorted(picked[enterprises[0].id]) == sorted([officers[2].id, officers[3].id])
    assert len(draw.conflicts) == 11


def test_too_few_officers_after_conflicts_refuses_the_draw(unit_setup):
    unit, enterprises, officers = unit_setup
    for officer in officers[:3]:
        ConflictFactory(officer=officer, enterprise=enterprises[4])

    with pytest.raises(ValidationError):
        draw_create(unit=unit, year=2024, name="A", ratio="1", seed="s", by=None)

    assert RandomDraw.objects.count() == 0
    assert DrawPick.objects.count() == 0


def test_fewer_than_two_officers_per_enterprise_is_refused(unit_setup):
    unit, _enterprises, _officers = unit_setup

    with pytest.raises(ValidationError):
        draw_create(unit=unit, year=2024, name="A", ratio="0.5", officers_per_enterprise=1, seed="s", by=None)
    with pytest.raises(ValidationError):
        draw_run(pool=[1, 2], officer_pool=[7, 8], conflicts=[], ratio=Decimal("1"), officers_per_enterprise=1,
                 seed="s")

    assert RandomDraw.objects.count() == 0


@pytest.mark.parametrize("ratio", ["0", "1.5", "abc"])
def test_bad_ratio_is_refused(unit_setup, ratio):
    unit, _enterprises, _officers = unit_setup

    with pytest.raises(ValidationError):
        draw_create(unit=unit, year=2024, name="A", ratio=ratio, seed="s", by=None)

    assert RandomDraw.objects.count() == 0


def test_empty_pool_is_refused(unit_setup):
    unit, _enterprises, _officers = unit_setup

    with pytest.raises(ValidationError):
        draw_create(unit=unit, year=2024, name="A", sector="production", ratio="0.25", seed="s", by=None)


def test_station_user_cannot_draw_for_another_unit(unit_setup):
    unit, _enterprises, _officers = unit_setup

    with pytest.raises(PermissionDenied):
        draw_create(unit=unit, year=2024, name="A", ratio="0.25", seed="s", by=UserFactory())

    assert RandomDraw.objects.count() == 0


def test_draw_run_is_a_pure_function_of_its_inputs():
    args = dict(pool=list(range(1, 41)), officer_pool=[101, 102, 103, 104, 105], conflicts=[[101, 5]],
                ratio=Decimal("0.25"), officers_per_enterprise=2)

    first = draw_run(seed="x", **args)
    second = draw_run(seed="x", **{**args, "pool": list(reversed(args["pool"]))})
    other = draw_run(seed="y", **args)

    assert first == second
    assert len(first) == 10
    assert first != other


def test_a_published_draw_stays_verifiable_the_draw_is_pinned():
    """A published draw is re-run by anyone from its recorded inputs: the algorithm may never change, or every
    published draw stops verifying. This draw was computed once (2026) and is pinned here, officers included."""
    picks = draw_run(pool=list(range(1, 41)), officer_pool=[101, 102, 103, 104, 105],
                     conflicts=[[103, 32], [104, 33]], ratio=Decimal("0.25"), officers_per_enterprise=2,
                     seed="20240319")

    assert picks == [
        (32, [102, 104]), (33, [102, 105]), (16, [102, 103]), (13, [101, 102]), (2, [103, 104]),
        (7, [102, 105]), (39, [102, 104]), (3, [101, 103]), (21, [101, 104]), (11, [102, 103]),
    ]


def test_publish_once_then_public_page_and_export_without_login(unit_setup, client):
    unit, _enterprises, officers = unit_setup
    draw = draw_create(unit=unit, year=2024, name="一级经营企业双随机", ratio="0.25", seed="s", by=None)

    assert client.get(f"/planning/public/draws/{draw.pk}/").status_code == 404

    draw_publish(draw=draw, by=officers[0])
    with pytest.raises(ValidationError):
        draw_publish(draw=draw, by=officers[0])
    response = client.get(f"/planning/public/draws/{draw.pk}/")

    assert response.status_code == 200
    first = draw.picks.order_by("position").first()
    assert first.enterprise.name in response.content.decode()
    assert client.get(f"/planning/draws/{draw.pk}/export/").status_code == 200


def test_publish_by_another_unit_is_refused(unit_setup):
    unit, _enterprises, _officers = unit_setup
    draw = draw_create(unit=unit, year=2024, name="A", ratio="0.25", seed="s", by=None)

    with pytest.raises(PermissionDenied):
        draw_publish(draw=draw, by=UserFactory(role=Role.STATION_STAFF))

    draw.refresh_from_db()
    assert draw.published_at is None


def test_api_lists_every_draws_picks_in_order_in_the_same_queries_for_one_draw_or_three(unit_setup, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given a 所 user and one draw of three picks (25 % of 10, two officers each)
    unit, _enterprises, _officers = unit_setup
    client.force_login(UserFactory(unit=unit))
    client.get("/api/draws/")  # the session's first request stamps its login time

    def picks_and_queries():
        with CaptureQueriesContext(connection) as captured:
            rows = client.get("/api/draws/").json()["results"]
        return {row["id"]: [(p["position"], p["enterprise"], p["officers"]) for p in row["picks"]] for row in rows}, \
            len(captured)

    first = draw_create(unit=unit, year=2024, name="A", sector="operation", level_codes="o1", ratio="0.25",
                        seed="1", by=None)
    one, one_queries = picks_and_queries()
    # when two more draws are made
    for seed in ("2", "3"):
        draw_create(unit=unit, year=2024, name=f"B{seed}", sector="operation", level_codes="o1", ratio="0.5",
                    seed=seed, by=None)
    three, three_queries = picks_and_queries()
    detail = client.get(f"/api/draws/{first.pk}/").json()["picks"]

    # then every draw lists its picks by position with sorted officer ids, as recorded, in as many queries
    for draw in RandomDraw.objects.all():
        expected = [(p.position, p.enterprise_id, sorted(o.id for o in p.officers.all()))
                    for p in draw.picks.order_by("position")]
        assert three[draw.pk] == expected
        assert all(len(officers) == 2 for _pos, _e, officers in expected)
    assert one == {first.pk: three[first.pk]}
    assert [(p["position"], p["enterprise"], p["officers"]) for p in detail] == three[first.pk]
    assert [len(three[d]) for d in sorted(three)] == [3, 5, 5]
    assert three_queries == one_queries
