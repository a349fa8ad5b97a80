"""District set-up through the API: units, 街道/镇, 事权划分 rules and users.

Administrators write (through ``enterprises.organisation``, the same checks as the admin forms);
everyone else reads within their scope and is refused every write; bad input is a Chinese 400
that changes nothing.
"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.choices import OwnerRuleRole, OwnerTarget, Role, UnitKind
from enterprises.models import OwnershipRule, Subdistrict, Unit, User

from .factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lucheng-2024-zhan"


@pytest.fixture
def admin(district):
    return UserFactory(username="sysadmin", unit=district.bureau, role=Role.ADMIN)


@pytest.fixture
def chief(district):
    return UserFactory(username="kezhang", unit=district.section, role=Role.LEADER)


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _snapshot():
    """Every organisation row, to prove a refused write changed nothing."""
    return [sorted(map(repr, model.objects.values_list())) for model in (Unit, Subdistrict, OwnershipRule, User)]


def test_admin_creates_and_changes_a_unit_street_rule_and_user(district, admin):
    api = _api(admin)

    unit = api.post("/api/units/", {"name": "双屿市场监管所", "short_name": "双屿所", "kind": "station",
                                    "parent": district.bureau.pk, "code": "SY01", "phone": "0577-1"}, format="json")
    street = api.post("/api/subdistricts/", {"name": "双屿街道", "kind": "street", "code": "330302009",
                                             "unit": unit.data["id"], "population": 80000}, format="json")
    rule = api.post("/api/ownership-rules/", {"priority": 5, "role": "platform", "target": "fixed_unit",
                                              "unit": district.section.pk, "note": "平台由药械科负责"}, format="json")
    user = api.post("/api/users/", {
        "username": "shuangyu1", "full_name": "双屿检查员", "unit": unit.data["id"], "role": "station_staff",
        "enforcement_cert_no": "浙执33030099", "inspector_cert_no": "JC-0099", "password": NEW_PASSWORD,
    }, format="json")

    assert (unit.status_code, street.status_code, rule.status_code, user.status_code) == (201, 201, 201, 201)
    assert street.data["unit_name"] == "双屿市场监管所"
    assert rule.data["role_display"] == "网络交易服务第三方平台"
    assert "password" not in user.data
    created = User.objects.get(username="shuangyu1")
    assert created.check_password(NEW_PASSWORD)
    assert (created.unit.name, created.role, created.enforcement_cert_no, created.inspector_cert_no) == (
        "双屿市场监管所", Role.STATION_STAFF, "浙执33030099", "JC-0099")

    moved = api.patch(f"/api/subdistricts/{street.data['id']}/", {"unit": district.station_a.pk}, format="json")
    renamed = api.patch(f"/api/units/{unit.data['id']}/", {"short_name": "双屿"}, format="json")
    reprioritised = api.put(f"/api/ownership-rules/{rule.data['id']}/", {
        "priority": 6, "role": "platform", "target": "subdistrict_station", "unit": None, "note": ""}, format="json")
    promoted = api.patch(f"/api/users/{created.pk}/", {"role": "section_staff", "unit": district.section.pk,
                                                       "is_active": False}, format="json")

    assert [r.status_code for r in (moved, renamed, reprioritised, promoted)] == [200, 200, 200, 200]
    assert Subdistrict.objects.get(name="双屿街道").unit == district.station_a
    assert Unit.objects.get(code="SY01").short_name == "双屿"
    assert OwnershipRule.objects.values_list("priority", "target", "unit").get(pk=rule.data["id"]) == (
        6, OwnerTarget.SUBDISTRICT_STATION, None)
    created.refresh_from_db()
    assert (created.role, created.unit, created.is_active) == (Role.SECTION_STAFF, district.section, False)
    assert created.check_password(NEW_PASSWORD)  # no password sent: unchanged


def test_a_new_user_signs_in_with_the_token_and_sees_their_jurisdiction(district, admin):
    from .factories import EnterpriseFactory

    EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    EnterpriseFactory(name="藤桥大药房", subdistrict=district.sub_b)
    _api(admin).post("/api/users/", {"username": "wuma9", "full_name": "新检查员", "unit": district.station_a.pk,
                                     "role": "station_staff", "password": NEW_PASSWORD}, format="json")
    client = APIClient()

    token = client.post("/api/auth/token/", {"username": "wuma9", "password": NEW_PASSWORD}).data["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get("/api/enterprises/")

    assert [row["name"] for row in listing.data["results"]] == ["五马大药房"]


def test_a_new_password_replaces_the_old_one_and_ends_the_users_tokens(district, admin):
    user = district.inspector_a
    Token.objects.create(user=user)

    response = _api(admin).patch(f"/api/users/{user.pk}/", {"password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(TEST_PASSWORD)
    assert not Token.objects.filter(user=user).exists()


def test_passwords_and_their_hashes_are_never_returned(district, admin):
    api = _api(admin)

    listing = api.get("/api/users/")
    detail = api.get(f"/api/users/{district.inspector_a.pk}/")

    body = listing.content.decode() + detail.content.decode()
    assert "password" not in body and "pbkdf2" not in body and "argon2" not in body
    assert {row["username"] for row in listing.data["results"]} >= {"wuma", "tengqiao", "yaoxie", "sysadmin"}


def test_a_station_user_reads_its_own_and_the_district_units_people_only(district):
    api = _api(district.inspector_a)

    listing = api.get("/api/users/")
    other = api.get(f"/api/users/{district.inspector_b.pk}/")

    assert sorted(row["username"] for row in listing.data["results"]) == ["audit", "wuma", "yaoxie"]
    assert other.status_code == 404


WRITES = [
    ("post", "/api/units/", lambda d: {"name": "新所", "kind": "station", "code": "N1"}),
    ("patch", "/api/units/{station_a}/", lambda d: {"name": "改名所"}),
    ("post", "/api/subdistricts/", lambda d: {"name": "新街道", "kind": "street", "code": "9", "unit": d.station_a.pk}),
    ("patch", "/api/subdistricts/{sub_a}/", lambda d: {"unit": d.station_b.pk}),
    ("post", "/api/ownership-rules/", lambda d: {"priority": 1, "role": "any", "target": "subdistrict_station"}),
    ("post", "/api/users/", lambda d: {"username": "x1", "unit": d.station_a.pk, "password": NEW_PASSWORD}),
    ("patch", "/api/users/{inspector_a}/", lambda d: {"role": "admin"}),
]


@pytest.mark.parametrize("who", ["inspector_a", "section_user", "chief", "auditor"])
@pytest.mark.parametrize(("method", "path", "payload"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_everyone_but_an_administrator_is_refused_every_write(district, chief, who, method, path, payload):
    user = chief if who == "chief" else getattr(district, who)
    before = _snapshot()
    url = path.format(station_a=district.station_a.pk, sub_a=district.sub_a.pk, inspector_a=district.inspector_a.pk)

    response = getattr(_api(user), method)(url, payload(district), format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "只有系统管理员可以修改此项设置"}
    assert _snapshot() == before


INVALID = [
    ("post", "/api/units/", lambda d: {"name": "五马市场监管所", "kind": "station", "code": d.station_a.code},
     {"name": ["具有 单位名称 的 监管单位 已存在。"], "code": ["具有 单位代码 的 监管单位 已存在。"]}),
    # the bureau under the 药械科, which sits under the bureau: a circle
    ("patch", "/api/units/{bureau}/", lambda d: {"parent": d.section.pk},
     {"parent": ["上级单位不能是本单位或其下级单位"]}),
    ("patch", "/api/units/{station_a}/", lambda d: {"kind": "section"},
     {"kind": ["该单位辖有街道/镇，不能改为其他类型；请先将街道/镇划归其他监管所"]}),
    ("post", "/api/subdistricts/", lambda d: {"name": "新街道", "kind": "street", "code": "3303", "unit": d.section.pk},
     {"unit": ["街道/镇只能划归市场监管所，药械科不是监管所"]}),
    ("post", "/api/subdistricts/", lambda d: {"name": "五马街道", "kind": "street", "code": "3304",
                                              "unit": d.station_b.pk},
     {"name": ["具有 街道/镇 的 街道/镇 已存在。"]}),
    ("post", "/api/ownership-rules/", lambda d: {"priority": 1, "role": "manufacturer", "target": "fixed_unit"},
     {"unit": ["归属为“指定单位”时须选择指定单位"]}),
    ("post", "/api/ownership-rules/", lambda d: {"priority": 10, "role": "any", "target": "subdistrict_station",
                                                 "unit": d.section.pk},
     {"unit": ["归属为“所在街道/镇的监管所”时不填写指定单位"], "priority": ["具有 优先级 的 事权划分规则 已存在。"]}),
    ("post", "/api/users/", lambda d: {"username": "new1", "unit": d.station_a.pk, "password": "12345678"},
     {"password": ["这个密码太常见了。", "密码只包含数字。"]}),
    ("post", "/api/users/", lambda d: {"username": "new2", "unit": d.station_a.pk},
     {"password": ["请设置初始密码"]}),
    ("post", "/api/users/", lambda d: {"username": "new3", "password": "   "},
     {"password": ["请设置初始密码"], "unit": ["请选择所在单位（只有系统管理员可以不属于任何单位）"]}),
    ("post", "/api/users/", lambda d: {"username": "wuma", "role": "station_staff", "password": NEW_PASSWORD},
     {"unit": ["请选择所在单位（只有系统管理员可以不属于任何单位）"], "username": ["已存在一位使用该名字的用户。"]}),
    ("patch", "/api/users/{inspector_b}/", lambda d: {"enforcement_cert_no": d.inspector_a.enforcement_cert_no},
     lambda d: {"enforcement_cert_no": [f"证号 {d.inspector_a.enforcement_cert_no} 已登记在用户 五马检查员 名下"]}),
    ("post", "/api/users/", lambda d: {"username": "a b", "unit": d.station_a.pk, "password": NEW_PASSWORD,
                                       "email": "not-an-address"},
     {"username": ["请输入合法的用户名。只能包含英文字母、数字、特殊字符“@”、“.”、“-”和“_”。"],
      "email": ["请输入合法的邮件地址。"]}),
]


@pytest.mark.parametrize(("method", "path", "payload", "expected"), INVALID,
                         ids=[f"{i}-{m} {p}" for i, (m, p, _, _e) in enumerate(INVALID)])
def test_invalid_input_is_a_chinese_400_and_changes_nothing(district, admin, method, path, payload, expected):
    before = _snapshot()
    url = path.format(bureau=district.bureau.pk, station_a=district.station_a.pk,
                      inspector_b=district.inspector_b.pk)

    response = getattr(_api(admin), method)(url, payload(district), format="json")

    assert response.status_code == 400
    assert response.json() == (expected(district) if callable(expected) else expected)
    assert _snapshot() == before


def test_an_administrator_cannot_lock_themselves_out(district, admin):
    response = _api(admin).patch(f"/api/users/{admin.pk}/", {"role": "leader", "is_active": False}, format="json")

    assert response.status_code == 400
    assert response.json() == {"is_active": ["不能停用自己的账号"],
                               "role": ["不能取消自己的系统管理员角色，请由其他系统管理员修改"]}
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)


def test_the_admin_forms_apply_the_same_rules(client, district):
    root = UserFactory(username="root", unit=district.bureau, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(root)

    street = client.post(reverse("admin:enterprises_subdistrict_add"), {
        "name": "新街道", "kind": "street", "code": "3303", "unit": district.section.pk, "population": 0})
    rule = client.post(reverse("admin:enterprises_ownershiprule_add"), {
        "priority": 1, "role": OwnerRuleRole.MANUFACTURER, "target": OwnerTarget.FIXED_UNIT, "note": ""})
    unit = client.post(reverse("admin:enterprises_unit_change", args=[district.station_a.pk]), {
        "name": district.station_a.name, "short_name": "五马所", "kind": UnitKind.SECTION,
        "code": district.station_a.code, "phone": "", "sort_order": 0})

    assert street.context["adminform"].form.errors == {"unit": ["街道/镇只能划归市场监管所，药械科不是监管所"]}
    assert rule.context["adminform"].form.errors == {"unit": ["归属为“指定单位”时须选择指定单位"]}
    assert unit.context["adminform"].form.errors == {
        "kind": ["该单位辖有街道/镇，不能改为其他类型；请先将街道/镇划归其他监管所"]}
    assert not Subdistrict.objects.filter(name="新街道").exists()
    assert OwnershipRule.objects.filter(priority=1).count() == 0
    district.station_a.refresh_from_db()
    assert district.station_a.kind == UnitKind.STATION


def test_a_patch_answers_the_whole_record_even_without_a_unit(district, admin):
    """DRF drops a defaulted ``source="unit.name"`` field from a PATCH answer; the schema says it is always there."""
    rule = OwnershipRule.objects.create(priority=99, role=OwnerRuleRole.ANY, target=OwnerTarget.SUBDISTRICT_STATION)
    api = _api(admin)

    patched_rule = api.patch(f"/api/ownership-rules/{rule.pk}/", {"note": "兜底"}, format="json")
    patched_user = api.patch(f"/api/users/{admin.pk}/", {"unit": None}, format="json")

    assert (patched_rule.status_code, patched_user.status_code) == (200, 200)
    assert patched_rule.json()["unit_name"] == ""
    assert patched_user.json()["unit_name"] == ""
