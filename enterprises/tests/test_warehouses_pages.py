"""委托生产 and 异地设库 pages, exports and API: each one's scoping (a 所 sees its own, the district all), forms
that refuse bad input without saving, and the enterprise page's panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.models import ContractManufacturing, Warehouse, WarehouseExchange
from enterprises.tests.factories import EnterpriseFactory, PairFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    a1 = EnterpriseFactory(subdistrict=district.sub_a, name="温州五马医疗科技有限公司", is_registrant=True)
    b1 = EnterpriseFactory(subdistrict=district.sub_b, name="温州藤桥精密器械有限公司", is_manufacturer=True)
    mine = PairFactory(registrant=a1, product="医用外科口罩")
    theirs = PairFactory(manufacturer=b1, product="一次性使用输液器")
    wh_a = WarehouseFactory(subdistrict=district.sub_a, home_name="杭州甲医药有限公司")
    wh_b = WarehouseFactory(subdistrict=district.sub_b, home_name="宁波乙医药有限公司")
    return {"d": district, "a1": a1, "b1": b1, "mine": mine, "theirs": theirs, "wh_a": wh_a, "wh_b": wh_b}


def test_lists_are_scoped(client, world):
    d = world["d"]
    client.force_login(d.inspector_a)

    pairs = client.get(reverse("enterprises:contract_list"))
    warehouses = client.get(reverse("enterprises:warehouse_list"))

    assert [p.pk for p in pairs.context["objects"]] == [world["mine"].pk]
    assert [w.pk for w in warehouses.context["objects"]] == [world["wh_a"].pk]
    client.force_login(d.section_user)
    assert {p.pk for p in client.get(reverse("enterprises:contract_list")).context["objects"]} == {
        world["mine"].pk, world["theirs"].pk}
    assert client.get(reverse("enterprises:warehouse_list")).context["total"] == 2


def test_other_units_details_are_not_found(client, world):
    client.force_login(world["d"].inspector_a)

    assert client.get(reverse("enterprises:contract_detail", args=[world["theirs"].pk])).status_code == 404
    assert client.get(reverse("enterprises:warehouse_detail", args=[world["wh_b"].pk])).status_code == 404
    assert client.post(reverse("enterprises:exchange_add", args=[world["wh_b"].pk]), {
        "kind": "notify", "on": "2024-05-01", "counterpart": "x", "content": "y"}).status_code == 404
    assert WarehouseExchange.objects.count() == 0


def test_filters(client, world):
    client.force_login(world["d"].section_user)
    world["wh_a"].remote_monitoring = True
    world["wh_a"].save()

    cross = client.get(reverse("enterprises:contract_list"), {"cross_region": "yes", "q": "输液器"})
    monitored = client.get(reverse("enterprises:warehouse_list"), {"monitoring": "yes"})
    not_accepted_b = client.get(reverse("enterprises:warehouse_list"), {"accepted": "no",
                                                                        "unit": world["d"].station_b.pk})

    assert [p.pk for p in cross.context["objects"]] == [world["theirs"].pk]
    assert [w.pk for w in monitored.context["objects"]] == [world["wh_a"].pk]
    assert [w.pk for w in not_accepted_b.context["objects"]] == [world["wh_b"].pk]


def test_contract_form_saves_and_refuses(client, world):
    d = world["d"]
    client.force_login(d.inspector_a)
    url = reverse("enterprises:contract_create")

    refused = client.post(url, {"registrant": f"{world['b1'].credit_code} x", "manufacturer_name": "苏州某厂",
                                "product": "口罩", "cross_region": "on", "other_region": "江苏", "is_active": "on"})
    saved = client.post(url, {"registrant": f"{world['a1'].credit_code} {world['a1'].name}",
                              "manufacturer_name": "苏州某厂", "product": "医用防护口罩", "cross_region": "on",
                              "other_region": "江苏省苏州市", "is_active": "on"})

    assert refused.status_code == 200 and refused.context["form"].errors["registrant"]
    pair = ContractManufacturing.objects.get(product="医用防护口罩")
    assert saved["Location"] == reverse("enterprises:contract_detail", args=[pair.pk])
    assert (pair.registrant, pair.created_by) == (world["a1"], d.inspector_a)


def test_enterprise_page_shows_the_pair_and_the_warehouse(client, world):
    client.force_login(world["d"].inspector_a)

    page = client.get(reverse("enterprises:detail", args=[world["a1"].pk])).content.decode()
    entry = client.get(reverse("enterprises:detail", args=[world["wh_a"].enterprise_id])).content.decode()

    assert "委托 苏州某医疗器械有限公司 生产：医用外科口罩" in page
    assert "异地设库：杭州甲医药有限公司（杭州市市场监督管理局）" in entry


def test_station_cannot_set_acceptance_on_the_page(client, world):
    client.force_login(world["d"].inspector_a)
    url = reverse("enterprises:warehouse_accept", args=[world["wh_a"].pk])

    detail = client.get(reverse("enterprises:warehouse_detail", args=[world["wh_a"].pk]))
    response = client.post(url, {"accepted_on": "2024-03-01", "version": 1})

    assert detail.context["acceptance_form"] is None
    assert response.status_code == 403
    world["wh_a"].refresh_from_db()
    assert world["wh_a"].accepted_on is None


def test_section_sets_acceptance_on_the_page(client, world):
    client.force_login(world["d"].section_user)

    response = client.post(reverse("enterprises:warehouse_accept", args=[world["wh_a"].pk]),
                           {"accepted_on": "2024-03-01", "version": 1})

    assert response.status_code == 302
    world["wh_a"].refresh_from_db()
    assert world["wh_a"].accepted_on == dt.date(2024, 3, 1)


def test_exports_are_scoped_and_filtered(client, world, export_file):
    client.force_login(world["d"].inspector_a)

    pairs = export_file(client, reverse("enterprises:contract_export"))["委托生产关系"]
    client.force_login(world["d"].section_user)
    warehouses = export_file(client, reverse("enterprises:warehouse_export"), {"unit": world["d"].station_b.pk})["异地设库"]

    pair_rows = list(pairs.iter_rows(values_only=True))
    assert [r[0] for r in pair_rows] == ["注册人/备案人", "温州五马医疗科技有限公司"]
    assert pair_rows[1][3:5] == ("苏州某医疗器械有限公司", "区外")
    wh_rows = list(warehouses.iter_rows(values_only=True))
    assert [(r[0], r[6]) for r in wh_rows[1:]] == [("宁波乙医药有限公司", world["d"].station_b.display_name)]


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_is_scoped(world):
    api = _api(world["d"].inspector_a)

    pairs = api.get("/api/contract-pairs/").json()
    warehouses = api.get("/api/warehouses/").json()

    assert [p["id"] for p in pairs["results"]] == [world["mine"].pk]
    assert [w["id"] for w in warehouses["results"]] == [world["wh_a"].pk]
    assert api.get(f"/api/warehouses/{world['wh_b'].pk}/exchanges/").status_code == 404
    assert api.patch(f"/api/contract-pairs/{world['theirs'].pk}/", {"product": "x", "version": 1},
                     format="json").status_code == 404


def test_api_creates_a_warehouse_in_the_users_subdistrict_only(world):
    d = world["d"]
    entry = EnterpriseFactory(subdistrict=d.sub_a, is_remote_warehouse=True, name="某物流温州二号库")
    payload = {"enterprise": entry.pk, "home_name": "杭州丙医药有限公司", "home_bureau": "杭州市市场监督管理局",
               "address": "某路9号"}

    refused = _api(d.inspector_a).post("/api/warehouses/", {**payload, "subdistrict": d.sub_b.pk}, format="json")
    created = _api(d.inspector_a).post("/api/warehouses/", {**payload, "subdistrict": d.sub_a.pk,
                                                            "accepted_on": "2024-01-01"}, format="json")

    assert refused.status_code == 403
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["daily_unit"], body["accepted_on"]) == (d.station_a.pk, None)
    assert Warehouse.objects.filter(enterprise=entry).count() == 1


def test_api_acceptance_and_log(world):
    d = world["d"]
    wh = world["wh_a"]

    station = _api(d.inspector_a).post(f"/api/warehouses/{wh.pk}/accept/", {"accepted_on": "2024-03-01",
                                                                            "version": 1}, format="json")
    section = _api(d.section_user).post(f"/api/warehouses/{wh.pk}/accept/", {"accepted_on": "2024-03-01",
                                                                            "version": 1}, format="json")
    logged = _api(d.inspector_a).post(f"/api/warehouses/{wh.pk}/exchanges/", {
        "kind": "notify", "on": "2024-03-05", "counterpart": "杭州市市场监督管理局", "content": "通报验收情况"},
        format="json")
    bad = _api(d.inspector_a).post(f"/api/warehouses/{wh.pk}/exchanges/", {
        "kind": "notify", "on": "2099-03-05", "counterpart": "", "content": "x"}, format="json")

    assert station.status_code == 403
    assert (section.status_code, section.json()["accepted_on"]) == (200, "2024-03-01")
    assert logged.status_code == 201
    assert bad.status_code == 400 and "counterpart" in bad.json()
    assert [e["content"] for e in _api(d.auditor).get(f"/api/warehouses/{wh.pk}/exchanges/").json()] == ["通报验收情况"]


def test_warehouse_form_offers_a_station_its_own_subdistricts_only(client, world):
    d = world["d"]
    entry = EnterpriseFactory(subdistrict=d.sub_b, is_remote_warehouse=True)
    client.force_login(d.inspector_a)

    response = client.post(reverse("enterprises:warehouse_create"), {
        "enterprise": entry.credit_code, "home_name": "杭州丁医药有限公司", "home_bureau": "杭州市市场监督管理局",
        "address": "某路3号", "subdistrict": d.sub_b.pk, "is_active": "on"})

    assert response.status_code == 200
    assert list(response.context["form"].fields["subdistrict"].queryset) == [d.sub_a]
    assert response.context["form"].errors["subdistrict"] == ["只能选择本所辖区的街道/镇；其他辖区的库房请由该所或药械科登记"]
    assert not Warehouse.objects.filter(enterprise=entry).exists()


def test_api_pair_update_needs_the_current_version(world):
    api = _api(world["d"].inspector_a)
    url = f"/api/contract-pairs/{world['mine'].pk}/"

    first = api.patch(url, {"product": "医用防护口罩", "version": 1}, format="json")
    stale = api.patch(url, {"product": "医用外科口罩（灭菌级）", "version": 1}, format="json")
    ended = api.patch(url, {"is_active": False, "version": 2}, format="json")

    assert (first.status_code, first.json()["version"]) == (200, 2)
    assert stale.status_code == 409
    assert ended.status_code == 400 and list(ended.json()) == ["ended_on"]
    world["mine"].refresh_from_db()
    assert (world["mine"].product, world["mine"].is_active, world["mine"].version) == ("医用防护口罩", True, 2)
