"""Campaigns through the API, and a district set up entirely through it by an administrator.

Writes are for system administrators only and go through ``services.campaign_save`` (the page's
rules); PUT/PATCH carry ``version`` (409 when stale); bad input is a Chinese 400 that changes nothing.
"""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from campaigns.models import Campaign, CampaignDueDate, FormTemplate
from campaigns.reference import load_reference
from enterprises.choices import Role, UnitKind
from enterprises.models import Enterprise
from enterprises.reference import load_reference as load_tags
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Shuangyu-2024-zhan"


@pytest.fixture
def setup(db):
    """A bureau with its 药械科, one 所 with a street and an enterprise, the shipped forms, and people."""
    load_tags()
    load_reference()
    bureau = UnitFactory(name="测试区市场监督管理局", short_name="区局", kind=UnitKind.BUREAU, code="B")
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION, parent=bureau, code="S")
    station = UnitFactory(name="五马市场监管所", short_name="五马所", parent=bureau, code="WM")
    street = SubdistrictFactory(name="五马街道", unit=station)
    return {
        "bureau": bureau, "section": section, "station": station, "street": street,
        "forms": {t.code: t for t in FormTemplate.objects.all()},
        "admin": UserFactory(username="sysadmin", unit=bureau, role=Role.ADMIN),
        "wuma": UserFactory(username="wuma", unit=station),
        "yaoxie": UserFactory(username="yaoxie", unit=section, role=Role.SECTION_STAFF),
        "kezhang": UserFactory(username="kezhang", unit=section, role=Role.LEADER),
    }


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _campaign_payload(setup, **changes):
    return {
        "name": "2024年医疗器械质量安全专项整治", "doc_number": "鹿市监药械〔2024〕5号", "year": 2024,
        "start_date": "2024-04-01", "end_date": "2024-12-31", "units": [setup["station"].pk],
        "forms": [setup["forms"]["统计表一"].pk, setup["forms"]["统计表二"].pk],
        "due_dates": ["2024-06-25", "2024-09-25", "2024-12-25"], "description": "", "is_active": True,
        **changes,
    }


def _snapshot():
    return (sorted(map(repr, Campaign.objects.values_list())), sorted(map(repr, CampaignDueDate.objects.values_list())),
            sorted(Campaign.units.through.objects.values_list("campaign_id", "unit_id")),
            sorted(Campaign.forms.through.objects.values_list("campaign_id", "formtemplate_id")))


def test_an_administrator_sets_up_a_district_through_the_api_and_the_new_user_sees_their_jurisdiction(setup):
    """Unit, street, 事权划分 rule, user and campaign, all by API; then the new user signs in (token and
    session) and sees the new 所's enterprise and campaign, and nothing of the other 所."""
    admin = _api(setup["admin"])
    EnterpriseFactory(name="五马大药房", subdistrict=setup["street"])

    unit = admin.post("/api/units/", {"name": "双屿市场监管所", "short_name": "双屿所", "kind": "station",
                                      "parent": setup["bureau"].pk, "code": "SY"}, format="json").data
    street = admin.post("/api/subdistricts/", {"name": "双屿街道", "kind": "street", "code": "330302009",
                                               "unit": unit["id"]}, format="json").data
    rule = admin.post("/api/ownership-rules/", {"priority": 100, "role": "any", "target": "subdistrict_station",
                                                "note": "其他：所在街道/镇的监管所"}, format="json")
    user = admin.post("/api/users/", {"username": "shuangyu1", "full_name": "双屿检查员", "unit": unit["id"],
                                      "role": "station_staff", "enforcement_cert_no": "浙执33030100",
                                      "password": PASSWORD}, format="json")
    campaign = admin.post("/api/campaigns/", _campaign_payload(setup, units=[unit["id"], setup["station"].pk]),
                          format="json")
    enterprise = admin.post("/api/enterprises/", {"name": "双屿医疗器械商行", "credit_code": "91330302MA2ABCDE0X",
                                                  "subdistrict": street["id"], "is_operator": True,
                                                  "operation_mode": "retail"}, format="json")

    assert (rule.status_code, user.status_code, campaign.status_code) == (201, 201, 201)
    assert enterprise.status_code == 201, enterprise.json()
    assert enterprise.data["owning_unit_name"] == "双屿市场监管所"
    assert campaign.data["due_dates"][0]["due_on"] == "2024-06-25"
    assert [d["label"] for d in campaign.data["due_dates"]] == ["6月25日", "9月25日", "12月25日"]
    assert sorted(campaign.data["units"]) == sorted([unit["id"], setup["station"].pk])
    assert campaign.data["version"] == 1

    by_token = APIClient()
    token = by_token.post("/api/auth/token/", {"username": "shuangyu1", "password": PASSWORD}).data["token"]
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    by_session = APIClient()
    signed_in = by_session.post(reverse("login"), {"username": "shuangyu1", "password": PASSWORD})
    assert signed_in.status_code == 302
    for client in (by_token, by_session):
        enterprises = client.get("/api/enterprises/").data["results"]
        campaigns = client.get("/api/campaigns/").data["results"]
        assert [e["name"] for e in enterprises] == ["双屿医疗器械商行"]
        assert [c["name"] for c in campaigns] == ["2024年医疗器械质量安全专项整治"]
        refused = client.post("/api/campaigns/", _campaign_payload(setup, name="自建专项"), format="json")
        assert refused.status_code == 403
    assert Enterprise.objects.get(name="双屿医疗器械商行").owning_unit.name == "双屿市场监管所"
    assert Campaign.objects.count() == 1


def test_an_administrator_changes_units_forms_and_due_dates_with_the_version(setup):
    admin = _api(setup["admin"])
    created = admin.post("/api/campaigns/", _campaign_payload(setup), format="json").data
    url = f"/api/campaigns/{created['id']}/"

    missing = admin.patch(url, {"name": "改名"}, format="json")
    changed = admin.patch(url, {"version": 1, "units": [setup["station"].pk, setup["section"].pk],
                                "forms": [setup["forms"]["统计表二"].pk], "due_dates": ["2024-07-15", "2025-01-10"]},
                          format="json")
    stale = admin.patch(url, {"version": 1, "name": "过期的修改"}, format="json")
    renamed = admin.patch(url, {"version": changed.data["version"], "name": "改名"}, format="json")

    assert missing.status_code == 400
    assert missing.json() == {"version": ["修改时须提交读取时的版本号 version"]}
    assert changed.status_code == 200
    assert [d["due_on"] for d in changed.data["due_dates"]] == ["2024-07-15", "2025-01-10"]
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert renamed.status_code == 200
    campaign = Campaign.objects.get()
    assert campaign.name == "改名"
    assert set(campaign.units.all()) == {setup["station"], setup["section"]}
    assert list(campaign.forms.all()) == [setup["forms"]["统计表二"]]
    # A PATCH without due_dates keeps them.
    assert list(campaign.due_dates.values_list("due_on", flat=True)) == [dt.date(2024, 7, 15), dt.date(2025, 1, 10)]


@pytest.mark.parametrize("who", ["wuma", "yaoxie", "kezhang"])
def test_non_administrators_are_refused_campaign_writes(setup, who):
    campaign = _api(setup["admin"]).post("/api/campaigns/", _campaign_payload(setup), format="json").data
    client = _api(setup[who])
    before = _snapshot()

    responses = [
        client.post("/api/campaigns/", _campaign_payload(setup, name="新专项"), format="json"),
        client.patch(f"/api/campaigns/{campaign['id']}/", {"version": 1, "name": "改名"}, format="json"),
        client.put(f"/api/campaigns/{campaign['id']}/", {**_campaign_payload(setup), "version": 1}, format="json"),
        client.delete(f"/api/campaigns/{campaign['id']}/"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0].json() == {"detail": "只有系统管理员可以修改此项设置"}
    assert client.get(f"/api/campaigns/{campaign['id']}/").status_code == 200
    assert _snapshot() == before


INVALID = [
    ({"end_date": "2024-03-01"}, {"end_date": ["结束日期不能早于开始日期"]}),
    ({"due_dates": []}, {"due_dates": ["请至少填写一个报送截止日期"]}),
    ({"due_dates": ["2024-03-15"]}, {"due_dates": ["报送截止日期不能早于专项开始日期"]}),
    ({"due_dates": ["2026-06-25"]}, {"due_dates": ["报送截止日期不能晚于2025年（专项结束的次年）"]}),
    ({"due_dates": ["2024-13-40"]}, {"due_dates": {"0": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"]}}),
    ({"year": 2023}, {"year": ["年度须在开始日期与结束日期所在的年份之内"]}),
    ({"year": 1999}, {"year": ["请确保该值大于或者等于 2000。"]}),
    ({"name": ""}, {"name": ["该字段不能为空。"]}),
    ({"units": [999999]}, {"units": ["对象 999999 不存在或不在你的权限范围内"]}),
]


@pytest.mark.parametrize(("changes", "expected"), INVALID, ids=[str(c) for c, _ in INVALID])
def test_invalid_campaign_input_is_a_chinese_400_and_changes_nothing(setup, changes, expected):
    before = _snapshot()

    response = _api(setup["admin"]).post("/api/campaigns/", _campaign_payload(setup, **changes), format="json")

    assert response.status_code == 400
    assert response.json() == expected
    assert _snapshot() == before


def test_an_invalid_change_leaves_the_campaign_as_it_was(setup):
    admin = _api(setup["admin"])
    created = admin.post("/api/campaigns/", _campaign_payload(setup), format="json").data
    before = _snapshot()

    response = admin.put(f"/api/campaigns/{created['id']}/", _campaign_payload(
        setup, version=1, name="改名", units=[], due_dates=["2024-05-01", "2030-01-01"]), format="json")

    assert response.status_code == 400
    assert response.json() == {"due_dates": ["报送截止日期不能晚于2025年（专项结束的次年）"]}
    assert _snapshot() == before


def test_the_campaign_page_applies_the_same_due_date_rule(client, setup):
    client.force_login(setup["yaoxie"])

    response = client.post(reverse("campaigns:create"), {
        "name": "2024年专项", "year": 2024, "start_date": "2024-01-01", "end_date": "2024-12-31",
        "due_dates_text": "2026-06-25"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"due_dates_text": ["报送截止日期不能晚于2025年（专项结束的次年）"]}
    assert Campaign.objects.count() == 0


def test_an_administrator_deletes_a_campaign_without_records(setup):
    admin = _api(setup["admin"])
    created = admin.post("/api/campaigns/", _campaign_payload(setup), format="json").data

    response = admin.delete(f"/api/campaigns/{created['id']}/")

    assert response.status_code == 204
    assert Campaign.objects.count() == 0 and CampaignDueDate.objects.count() == 0
