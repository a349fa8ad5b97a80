"""委托生产 pairs and 异地设库 warehouses: coverage worked out by hand, the plan target counting pairs, the
warehouse's daily unit, acceptance by the 药械科 only, and the services' refusals (nothing changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.duties import warehouses_services as services
from enterprises.duties.warehouses_selectors import (
    contract_coverage,
    contract_coverage_by_unit,
    contract_uninspected,
    warehouse_tally,
)
from enterprises.models import ContractManufacturing, Warehouse, WarehouseExchange
from enterprises.tests.factories import EnterpriseFactory, PairFactory, WarehouseFactory
from inspections.models import AnnualTarget
from inspections.planning.services import targets_ensure
from inspections.planning.targets import target_progress, targets_by_unit
from inspections.tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def pairs(district):
    """Five pairs in 2024 (by hand):

    p1 registrant A1 (五马) ↔ manufacturer A2 (五马): both inspected in 2024 → covered (lead 五马)
    p2 registrant A1 (五马) ↔ outside manufacturer: A1 inspected → covered (lead 五马)
    p3 outside registrant ↔ manufacturer B1 (藤桥): B1 inspected only in 2023 → not covered (lead 藤桥)
    p4 registrant B2 (藤桥) ↔ manufacturer A2 (五马): B2 inspected (draft only) → not covered (lead 藤桥)
    p5 registrant A1 ↔ manufacturer B1, ended 2023-12-31 → not counted in 2024
    p6 registrant A1 ↔ outside, signed 2024-09-01 → counted in 2024, not as of 2024-06-30
    """
    a1 = EnterpriseFactory(subdistrict=district.sub_a, name="五马注册人", is_registrant=True)
    a2 = EnterpriseFactory(subdistrict=district.sub_a, name="五马受托厂", is_manufacturer=True)
    b1 = EnterpriseFactory(subdistrict=district.sub_b, name="藤桥受托厂", is_manufacturer=True)
    b2 = EnterpriseFactory(subdistrict=district.sub_b, name="藤桥注册人", is_registrant=True)
    InspectionFactory(enterprise=a1, start_date=D(2024, 3, 1), status="finalised")
    InspectionFactory(enterprise=a2, start_date=D(2024, 8, 1), status="finalised")
    InspectionFactory(enterprise=b1, start_date=D(2023, 11, 1), status="finalised")
    InspectionFactory(enterprise=b2, start_date=D(2024, 2, 1), status="draft")
    p = {
        "p1": PairFactory(registrant=a1, manufacturer=a2),
        "p2": PairFactory(registrant=a1),
        "p3": PairFactory(manufacturer=b1),
        "p4": PairFactory(registrant=b2, manufacturer=a2),
        "p5": PairFactory(registrant=a1, manufacturer=b1, is_active=False, ended_on=D(2023, 12, 31)),
        "p6": PairFactory(registrant=a1, agreement_signed_on=D(2024, 9, 1)),
    }
    return district, {"a1": a1, "a2": a2, "b1": b1, "b2": b2}, p


def test_coverage_counts_pairs_by_hand(pairs):
    district, _e, _p = pairs

    whole = contract_coverage(2024)
    wuma = contract_coverage(2024, unit=district.station_a)
    tengqiao = contract_coverage(2024, unit=district.station_b)

    # counted: p1 p2 p3 p4 p6 = 5; covered: p1 (both inspected), p2 (A1), p6 (A1) = 3
    assert (whole.pairs, whole.covered, whole.percent) == (5, 3, pytest.approx(60))
    # 五马 leads p1 p2 p6, all covered; 藤桥 leads p3 p4, none covered
    assert (wuma.pairs, wuma.covered) == (3, 3)
    assert (tengqiao.pairs, tengqiao.covered, str(tengqiao.percent)) == (2, 0, "0.0")
    assert contract_coverage_by_unit(2024) == {district.station_a.pk: (3, 3), district.station_b.pk: (2, 0)}


def test_coverage_as_of_a_date(pairs):
    _district, _e, _p = pairs

    mid_year = contract_coverage(2024, as_of=D(2024, 6, 30))

    # p6 not signed yet → 4 pairs; A2 inspected only in August → p1 not covered yet; p2 covered → 1
    assert (mid_year.pairs, mid_year.covered) == (4, 1)


def test_uninspected_sides_of_uncovered_pairs(pairs):
    _district, e, _p = pairs

    names = [x.name for x in contract_uninspected(2024)]

    # p3: B1 (only 2023); p4: B2 (draft) — A2 was inspected; outside sides are not listed
    assert names == ["藤桥受托厂", "藤桥注册人"]


def test_no_pairs_no_percentage(district):
    figure = contract_coverage(2024)

    assert (figure.pairs, figure.covered, figure.percent) == (0, 0, None)


def test_plan_target_entrusted_counts_pairs(pairs):
    district, _e, _p = pairs
    targets_ensure(year=2024)
    entrusted = AnnualTarget.objects.get(year=2024, code="entrusted")
    today = D(2024, 12, 31)

    whole = target_progress(entrusted, unit=None, today=today)
    wuma = target_progress(entrusted, unit=district.station_a, today=today)
    by_unit = targets_by_unit(2024, [district.station_a, district.station_b], today)[entrusted.pk]

    assert (whole.numerator, whole.denominator, whole.required) == (3, 5, 5)
    assert str(whole.percentage) == "60.0"
    assert [x.name for x in whole.missing] == ["藤桥受托厂", "藤桥注册人"]
    assert (wuma.numerator, wuma.denominator, wuma.missing) == (3, 3, [])
    assert (by_unit[district.station_b.pk].numerator, by_unit[district.station_b.pk].denominator) == (0, 2)


# ---------------------------------------------------------------- pair services


def _input(**kw) -> services.PairInput:
    base = {"registrant": None, "registrant_name": "", "manufacturer": None, "manufacturer_name": "",
            "product": "医用外科口罩"}
    base.update(kw)
    return services.PairInput(**base)


def test_pair_create_by_the_registrants_unit(district):
    a1 = EnterpriseFactory(subdistrict=district.sub_a, name="五马注册人", is_registrant=True)

    pair = services.pair_create(data=_input(registrant=a1, manufacturer_name=" 苏州某厂 ", cross_region=True,
                                            other_region="江苏省苏州市"), by=district.inspector_a)

    assert (pair.registrant_name, pair.manufacturer_name, pair.other_region) == ("五马注册人", "苏州某厂", "江苏省苏州市")
    assert pair.history.count() == 1


LOCAL = object()  # stands for the district's registrant in the cases below


@pytest.mark.parametrize(("kw", "field"), [
    ({"registrant_name": "上海某公司", "manufacturer_name": "苏州某厂", "cross_region": True, "other_region": "x"},
     "registrant"),
    ({"registrant": LOCAL, "manufacturer_name": "苏州某厂"}, "cross_region"),
    ({"registrant": LOCAL, "manufacturer_name": "苏州某厂", "cross_region": True}, "other_region"),
    ({"registrant": LOCAL, "manufacturer": LOCAL}, "manufacturer"),
    ({"registrant": LOCAL, "manufacturer_name": "苏州某厂", "cross_region": True, "other_region": "江苏",
      "is_active": False}, "ended_on"),
    ({"registrant": LOCAL, "manufacturer_name": "苏州某厂", "cross_region": True, "other_region": "江苏",
      "agreement_signed_on": D(2024, 5, 1), "agreement_expires_on": D(2024, 4, 1)}, "agreement_expires_on"),
    ({"registrant": LOCAL, "manufacturer_name": "苏州某厂", "cross_region": True, "other_region": "江苏",
      "product": "  "}, "product"),
])
def test_pair_create_refuses_bad_input(district, kw, field):
    a1 = EnterpriseFactory(subdistrict=district.sub_a, is_registrant=True)
    kw = {k: (a1 if v is LOCAL else v) for k, v in kw.items()}

    with pytest.raises(ValidationError) as refused:
        services.pair_create(data=_input(**kw), by=district.section_user)

    assert field in refused.value.message_dict
    assert ContractManufacturing.objects.count() == 0


def test_pair_of_another_unit_cannot_be_edited(district):
    b2 = EnterpriseFactory(subdistrict=district.sub_b, is_registrant=True)
    pair = PairFactory(registrant=b2)

    with pytest.raises(PermissionDenied):
        services.pair_update(pair=pair, data=_input(registrant=b2, manufacturer_name="改", cross_region=True,
                                                    other_region="江苏"), by=district.inspector_a, version=1)

    pair.refresh_from_db()
    assert pair.manufacturer_name == "苏州某医疗器械有限公司"


def test_pair_with_outside_registrant_is_edited_by_the_manufacturers_unit(district):
    a2 = EnterpriseFactory(subdistrict=district.sub_a, is_manufacturer=True)
    pair = PairFactory(manufacturer=a2)

    services.pair_update(pair=pair, data=_input(manufacturer=a2, registrant_name="上海新公司", cross_region=True,
                                                other_region="上海市"), by=district.inspector_a, version=1)

    pair.refresh_from_db()
    assert (pair.registrant_name, pair.version) == ("上海新公司", 2)
    assert not services.can_edit_pair(district.inspector_b, pair)


# ---------------------------------------------------------------- warehouses


def _wh_input(entry, subdistrict, **kw) -> services.WarehouseInput:
    base = {"enterprise": entry, "home_enterprise": None, "home_name": "杭州某医药有限公司", "home_licence_no": "",
            "home_bureau": "杭州市市场监督管理局", "address": "某路1号", "subdistrict": subdistrict}
    base.update(kw)
    return services.WarehouseInput(**base)


def test_warehouse_daily_unit_follows_its_subdistrict(district):
    entry = EnterpriseFactory(subdistrict=district.sub_a, is_remote_warehouse=True)

    warehouse = services.warehouse_create(data=_wh_input(entry, district.sub_a), by=district.section_user)
    assert warehouse.daily_unit == district.station_a

    moved = services.warehouse_update(warehouse=warehouse, data=_wh_input(entry, district.sub_b),
                                      by=district.section_user, version=warehouse.version)
    assert moved.daily_unit == district.station_b
    assert moved.history.first().history_change_reason == "库房所在街道/镇变更，日常监管单位随之调整"


def test_station_cannot_register_a_warehouse_in_another_units_subdistrict(district):
    entry = EnterpriseFactory(subdistrict=district.sub_b, is_remote_warehouse=True)

    with pytest.raises(PermissionDenied):
        services.warehouse_create(data=_wh_input(entry, district.sub_b), by=district.inspector_a)

    assert Warehouse.objects.count() == 0


def test_warehouse_entry_must_be_marked_remote(district):
    entry = EnterpriseFactory(subdistrict=district.sub_a, is_remote_warehouse=False)

    with pytest.raises(ValidationError) as refused:
        services.warehouse_create(data=_wh_input(entry, district.sub_a, home_bureau=""), by=district.section_user)

    assert set(refused.value.message_dict) == {"enterprise", "home_bureau"}
    assert Warehouse.objects.count() == 0


def test_station_cannot_set_acceptance(district):
    warehouse = WarehouseFactory(subdistrict=district.sub_a)

    with pytest.raises(PermissionDenied):
        services.warehouse_accept(warehouse=warehouse, accepted_on=D(2024, 3, 1), by=district.inspector_a,
                                  version=1)
    with pytest.raises(ValidationError):
        services.exchange_add(warehouse=warehouse, kind="acceptance", on=D(2024, 3, 1), counterpart="x",
                              content="验收", by=district.inspector_a)

    warehouse.refresh_from_db()
    assert warehouse.accepted_on is None
    assert WarehouseExchange.objects.count() == 0


def test_section_sets_acceptance(district):
    warehouse = WarehouseFactory(subdistrict=district.sub_a)

    services.warehouse_accept(warehouse=warehouse, accepted_on=D(2024, 3, 1), by=district.section_user, version=1)

    warehouse.refresh_from_db()
    assert (warehouse.accepted_on, warehouse.version) == (D(2024, 3, 1), 2)


def test_exchange_log_by_the_daily_unit_only(district):
    warehouse = WarehouseFactory(subdistrict=district.sub_a)

    entry = services.exchange_add(warehouse=warehouse, kind="joint_inspection", on=D(2024, 4, 2),
                                  counterpart=" 杭州市市场监督管理局 ", content="联合检查库房温湿度记录",
                                  by=district.inspector_a)
    with pytest.raises(PermissionDenied):
        services.exchange_add(warehouse=warehouse, kind="notify", on=D(2024, 4, 2), counterpart="x", content="y",
                              by=district.inspector_b)
    with pytest.raises(PermissionDenied):
        services.exchange_add(warehouse=warehouse, kind="notify", on=D(2024, 4, 2), counterpart="x", content="y",
                              by=district.auditor)

    assert list(WarehouseExchange.objects.values_list("pk", "counterpart")) == [(entry.pk, "杭州市市场监督管理局")]


def test_warehouse_tally_by_hand(district):
    a = WarehouseFactory(subdistrict=district.sub_a, remote_monitoring=True, accepted_on=D(2024, 2, 1))
    WarehouseFactory(subdistrict=district.sub_a)
    WarehouseFactory(subdistrict=district.sub_b, remote_monitoring=True)
    WarehouseFactory(subdistrict=district.sub_b, is_active=False, remote_monitoring=True)
    WarehouseExchange.objects.create(warehouse=a, kind="notify", on=D(2024, 5, 1), counterpart="x", content="y")
    WarehouseExchange.objects.create(warehouse=a, kind="notify", on=D(2023, 5, 1), counterpart="x", content="y")

    whole = warehouse_tally(2024, as_of=D(2024, 12, 31))
    wuma = warehouse_tally(2024, unit=district.station_a, as_of=D(2024, 12, 31))

    # in use: 3 (the stopped one left out); accepted: a; monitored: a + 藤桥's first; 2024 log entries: 1
    assert (whole.total, whole.accepted, whole.monitored, whole.exchanges) == (3, 1, 2, 1)
    assert (wuma.total, wuma.accepted, wuma.monitored, wuma.exchanges) == (2, 1, 1, 1)

