"""Target arithmetic on a hand-built district (expected numbers worked out by hand in comments)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.choices import EnterpriseStatus, InstitutionType, OperationMode, Role, UnitKind
from enterprises.tests.factories import (
    EnterpriseFactory,
    SubdistrictFactory,
    TagFactory,
    UnitFactory,
    UserFactory,
)
from inspections.choices import InspectionKind, InspectionStatus
from inspections.models import AnnualTarget
from inspections.planning.services import targets_ensure
from inspections.planning.targets import (
    progress_of,
    target_progress,
    targets_by_unit,
    targets_progress,
    year_elapsed,
)
from inspections.planning.tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
JULY_1 = D(2024, 7, 1)  # day 183 of 366 → exactly half of 2024 has elapsed


@pytest.fixture
def district():
    sterile, implant, lens = TagFactory(code="sterile"), TagFactory(code="implant"), TagFactory(code="contact-lens")
    sd_a, sd_b = SubdistrictFactory(), SubdistrictFactory()
    a = {
        "ops": [EnterpriseFactory(subdistrict=sd_a, operation_mode=OperationMode.RETAIL, tags=[sterile])
                for _ in range(10)],
        "clinics": [EnterpriseFactory(subdistrict=sd_a, is_operator=False, is_user_unit=True,
                                      institution_type=InstitutionType.CLINIC, tags=[implant]) for _ in range(3)],
        "plain": [EnterpriseFactory(subdistrict=sd_a) for _ in range(2)],
        "cancelled": EnterpriseFactory(subdistrict=sd_a, tags=[sterile], status=EnterpriseStatus.CANCELLED),
        "lens": [EnterpriseFactory(subdistrict=sd_a, tags=[lens]) for _ in range(2)],
    }
    b_ops = [EnterpriseFactory(subdistrict=sd_b, tags=[sterile]) for _ in range(7)]
    # counted: finalised, this year
    InspectionFactory(enterprise=a["ops"][0], start_date=D(2024, 3, 1))
    InspectionFactory(enterprise=a["ops"][0], start_date=D(2024, 5, 1))  # same enterprise twice → counts once
    InspectionFactory(enterprise=a["ops"][1], start_date=D(2024, 6, 30))
    InspectionFactory(enterprise=a["clinics"][0], start_date=D(2024, 2, 2))
    InspectionFactory(enterprise=a["lens"][0], start_date=D(2024, 4, 4))
    # not counted
    InspectionFactory(enterprise=a["ops"][2], start_date=D(2024, 4, 1), status=InspectionStatus.DRAFT)
    InspectionFactory(enterprise=a["ops"][3], start_date=D(2023, 12, 31))
    InspectionFactory(enterprise=a["cancelled"], start_date=D(2024, 4, 1))
    # flight inspections: one per unit
    InspectionFactory(enterprise=a["plain"][0], start_date=D(2024, 5, 5), kind=InspectionKind.FLIGHT)
    InspectionFactory(enterprise=b_ops[0], start_date=D(2024, 6, 6), kind=InspectionKind.FLIGHT)
    targets_ensure(year=2024)
    return sd_a.unit, sd_b.unit, a, b_ops


def target(code):
    return AnnualTarget.objects.get(year=2024, code=code)


def test_defaults_are_the_lucheng_2024_figures():
    targets_ensure(year=2024)

    rows = {t.code: (t.kind, t.min_ratio, t.min_count, t.links, t.tag_codes) for t in AnnualTarget.objects.all()}

    assert rows == {
        "flight": ("count", None, 10, "", ""),
        "sterile-implant": ("coverage", Decimal("0.150"), None, "operation,use", "sterile,implant"),
        "contact-lens": ("coverage", Decimal("1.000"), None, "operation", "contact-lens"),
        "vbp-delivery": ("coverage", Decimal("1.000"), None, "delivery", ""),
        "entrusted": ("coverage", Decimal("1.000"), None, "registrant,contract_manufacturer", ""),
    }


def test_year_elapsed():
    assert year_elapsed(2024, JULY_1) == Decimal("0.5")
    assert year_elapsed(2024, D(2023, 12, 31)) == 0
    assert year_elapsed(2024, D(2025, 1, 1)) == 1


def test_sterile_implant_rate_for_one_unit(district):
    unit_a, _unit_b, a, _b = district

    p = target_progress(target("sterile-implant"), unit=unit_a, today=JULY_1)

    # denominator: 10 sterile operators + 3 implant clinics (cancelled and untagged ones excluded) = 13
    # numerator: ops[0], ops[1], clinics[0] = 3; required = ceil(13 × 0.15) = ceil(1.95) = 2
    assert (p.numerator, p.denominator, p.required) == (3, 13, 2)
    assert p.percentage == Decimal("23.1")  # 3 / 13 = 23.08 %
    assert p.expected_by_now == 1  # floor(2 × 0.5)
    assert (p.on_track, p.met) == (True, True)
    assert p.missing_count == 10
    assert a["ops"][2] in p.missing and a["ops"][0] not in p.missing


def test_sterile_implant_rate_for_the_district(district):
    p = target_progress(target("sterile-implant"), unit=None, today=JULY_1)

    # 13 (unit A) + 7 (unit B) = 20; numerator: 3 in A + b_ops[0] (its flight inspection counts too) = 4
    # required = ceil(20 × 0.15) = 3
    assert (p.numerator, p.denominator, p.required, p.expected_by_now) == (4, 20, 3, 1)
    assert p.percentage == Decimal("20.0")
    assert p.met is True


def test_contact_lens_full_coverage_lists_the_missing_one(district):
    unit_a, _unit_b, a, _b = district

    p = target_progress(target("contact-lens"), unit=unit_a, today=JULY_1)

    assert (p.numerator, p.denominator, p.required, p.expected_by_now) == (1, 2, 2, 1)
    assert p.percentage == Decimal("50.0")
    assert (p.on_track, p.met) == (True, False)
    assert p.missing == [a["lens"][1]]
    counted_only = target_progress(target("contact-lens"), unit=unit_a, today=JULY_1, missing_limit=0)
    assert (counted_only.missing, counted_only.missing_count) == ([], 1)


def test_flight_target_is_assessed_for_the_district_only(district):
    unit_a, _unit_b, _a, _b = district

    district_p = target_progress(target("flight"), unit=None, today=JULY_1)
    unit_p = target_progress(target("flight"), unit=unit_a, today=JULY_1)

    # 2 enterprises with a finalised flight inspection; 10 required; by 1 July floor(10 × 0.5) = 5 expected
    assert (district_p.numerator, district_p.required, district_p.expected_by_now) == (2, 10, 5)
    assert district_p.percentage == Decimal("20.0")
    assert district_p.on_track is False
    assert (unit_p.numerator, unit_p.required, unit_p.on_track) == (1, None, None)


def test_breakdown_by_unit_matches_the_unit_figures(district):
    unit_a, unit_b, _a, _b = district

    by_unit = targets_by_unit(2024, [unit_a, unit_b], JULY_1)

    sterile = by_unit[target("sterile-implant").id]
    assert (sterile[unit_a.id].numerator, sterile[unit_a.id].denominator, sterile[unit_a.id].required) == (3, 13, 2)
    assert (sterile[unit_b.id].numerator, sterile[unit_b.id].denominator, sterile[unit_b.id].required) == (1, 7, 2)
    assert sterile[unit_b.id].on_track is True  # 1 ≥ floor(2 × 0.5) = 1
    flight = by_unit[target("flight").id]
    assert (flight[unit_a.id].numerator, flight[unit_b.id].numerator) == (1, 1)


def test_inactive_target_is_left_out(district):
    unit_a, _unit_b, _a, _b = district
    AnnualTarget.objects.filter(code="entrusted").update(is_active=False)

    codes = [p.target.code for p in targets_progress(2024, unit=unit_a, today=JULY_1)]

    assert codes == ["flight", "sterile-implant", "contact-lens", "vbp-delivery"]


def test_next_year_copies_the_edited_targets():
    targets_ensure(year=2024)
    AnnualTarget.objects.filter(code="flight").update(min_count=12)

    created = targets_ensure(year=2025)

    assert created == 5
    assert AnnualTarget.objects.get(year=2025, code="flight").min_count == 12
    assert targets_ensure(year=2025) == 0


def extra_targets(n):
    for i in range(n):
        AnnualTarget.objects.create(year=2024, code=f"extra-{i}", name=f"附加指标{i}", kind="coverage",
                                    links="operation", tag_codes="sterile", inspection_kinds="routine" if i % 2 else "",
                                    min_ratio=Decimal("0.500"), confidence="R", sort_order=100 + i)


def test_all_targets_are_computed_in_a_fixed_number_of_queries(district):
    unit_a, unit_b, _a, _b = district

    def queries():
        with CaptureQueriesContext(connection) as captured:
            targets_progress(2024, unit=None, today=JULY_1)
            targets_progress(2024, unit=unit_a, today=JULY_1)
            targets_by_unit(2024, [unit_a, unit_b], JULY_1)
        return len(captured)

    five_targets = queries()
    extra_targets(6)
    eleven_targets = queries()

    # per call: the targets, one grouped count over the enterprises, one query for the missing lists; the
    # 委托生产 target counts pairs: one query for its figures and one for its missing list (no pair here, so
    # no inspection lookup): 3 calls → 8 + 2 + 2 + 1
    assert (five_targets, eleven_targets) == (13, 13)
    extra = {p.target.code: p for p in targets_progress(2024, unit=unit_a, today=JULY_1)}
    # operators tagged sterile in A: the 10 retail ops; inspected in 2024: ops[0], ops[1] (routine)
    assert (extra["extra-0"].numerator, extra["extra-0"].denominator, extra["extra-0"].required) == (2, 10, 5)
    assert (extra["extra-1"].numerator, extra["extra-1"].denominator) == (2, 10)
    assert len(extra["extra-0"].missing) == 8


def test_targets_of_two_years_are_counted_each_in_its_own_year(district):
    unit_a, _unit_b, _a, _b = district
    targets_ensure(year=2025)
    targets = list(AnnualTarget.objects.filter(code="sterile-implant").order_by("year"))

    figures = progress_of(targets, unit=None, today=JULY_1)

    # 2024: 4 of 20 (see the district test above); 2025: no inspection yet, same 20 enterprises
    assert [(p.target.year, p.numerator, p.denominator) for p in figures] == [(2024, 4, 20), (2025, 0, 20)]
    assert [p.missing_count for p in figures] == [16, 20]
    assert [len(p.missing) for p in figures] == [16, 20]


def test_api_targets_and_progress_page_run_the_same_queries_for_five_targets_or_eleven(client, district):
    unit_a, _unit_b, _a, _b = district
    chief = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER)
    station = UserFactory(unit=unit_a)
    urls = ["/api/targets/?year=2024", f"{reverse('planning:progress')}?year=2024"]

    def queries(user):
        client.force_login(user)
        client.get(urls[0])  # the session's first request stamps its login time
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    before = {"district": queries(chief), "station": queries(station)}
    extra_targets(6)
    after = {"district": queries(chief), "station": queries(station)}

    assert after == before
    client.force_login(station)
    rows = {t["code"]: t["progress"] for t in client.get("/api/targets/?year=2024").json()["results"]}
    assert len(rows) == 11
    assert (rows["sterile-implant"]["numerator"], rows["sterile-implant"]["denominator"]) == (3, 13)
    assert (rows["extra-0"]["numerator"], rows["extra-0"]["missing_count"], rows["extra-0"]["unit"]) == (2, 8, unit_a.pk)


def _api_rows(client, url):
    return {t["code"]: t["progress"] for t in client.get(url).json()["results"]}


def test_api_targets_read_cached_counts_until_fresh_and_a_changed_ratio_applies_at_once(client, district, settings):
    # given the counts kept for five minutes and a district user who read the targets once
    from django.core.cache import cache

    settings.REGSYS_COCKPIT_CACHE_SECONDS = 300
    cache.clear()
    _unit_a, _unit_b, a, _b = district
    client.force_login(UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER))
    first = _api_rows(client, "/api/targets/?year=2024")

    # when one more sterile operator is inspected and the ratio of the target is raised to 50 %
    InspectionFactory(enterprise=a["ops"][5], start_date=D(2024, 6, 1))
    AnnualTarget.objects.filter(year=2024, code="sterile-implant").update(min_ratio=Decimal("0.5"))
    cached = _api_rows(client, "/api/targets/?year=2024")
    fresh = _api_rows(client, "/api/targets/?year=2024&fresh=1")
    settings.REGSYS_COCKPIT_CACHE_SECONDS = 0
    uncached = _api_rows(client, "/api/targets/?year=2024")
    cache.clear()

    # then the cached read counts as the first one (4 of 20) but requires ceil(20 × 0.5) = 10 at once;
    # the fresh read counts the new inspection (5 of 20) and equals a read without the cache
    assert (first["sterile-implant"]["numerator"], first["sterile-implant"]["required"]) == (4, 3)
    assert (cached["sterile-implant"]["numerator"], cached["sterile-implant"]["required"]) == (4, 10)
    assert (fresh["sterile-implant"]["numerator"], fresh["sterile-implant"]["denominator"]) == (5, 20)
    assert fresh == uncached
    assert {k: v for k, v in cached.items() if k != "sterile-implant"} == {
        k: v for k, v in first.items() if k != "sterile-implant"}


def test_progress_page_cached_for_the_district_equals_a_fresh_computation(client, district, settings):
    # given the figures kept for five minutes and the district's progress page read once
    from django.core.cache import cache

    settings.REGSYS_COCKPIT_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER))
    url = f"{reverse('planning:progress')}?year=2024"

    def figures(response):
        ctx = response.context
        return (ctx["chart"], [(t.target.code, t.numerator, t.denominator, t.required, t.missing_count,
                                [e.name for e in t.missing]) for t in ctx["targets"]],
                [(r["unit"].pk, r["planned"], r["done"], [(x.numerator, x.denominator) for x in r["targets"]])
                 for r in ctx["unit_rows"]])

    # when it is read again from the cache, and once with the cache off
    first, cached = client.get(url), client.get(url)
    settings.REGSYS_COCKPIT_CACHE_SECONDS = 0
    uncached = client.get(url)
    cache.clear()

    # then the cached figures equal the computed ones (4 of 20 sterile/implant enterprises inspected)
    assert figures(cached) == figures(first) == figures(uncached)
    assert [t[1:3] for t in figures(cached)[1] if t[0] == "sterile-implant"] == [(4, 20)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem is a PostgreSQL setting")
def test_the_grouped_counts_hash_the_years_inspections_with_room(district):
    # At scale 100 a year's inspected enterprises no longer fit in the default work_mem: PostgreSQL then
    # searched them once per enterprise (minutes). The grouped pass and the missing lists run with room.
    with CaptureQueriesContext(connection) as captured:
        targets_progress(2024, unit=None, today=JULY_1)
    grouped = [q["sql"] for q in captured if "GROUP BY" in q["sql"] and "enterprises_enterprise" in q["sql"]]
    assert grouped and all(sql.startswith("SET LOCAL work_mem = '64MB';") for sql in grouped)
