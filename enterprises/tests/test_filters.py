"""Every filter of EnterpriseFilterSet and LicenceFilterSet (the same classes serve pages, API, export)."""

import datetime
import re

import pytest

from enterprises.choices import EnterpriseStatus, InstitutionType, LicenceKind, LicenceStatus
from enterprises.filters import EnterpriseFilterSet, LicenceFilterSet
from enterprises.models import Enterprise, Licence

from .factories import EnterpriseFactory, LicenceFactory, TagFactory

pytestmark = pytest.mark.django_db


def names(params: dict) -> list[str]:
    filterset = EnterpriseFilterSet(params, queryset=Enterprise.objects.order_by("name"))
    assert filterset.is_valid(), filterset.errors
    return [e.name for e in filterset.qs]


def test_q_matches_name_credit_code_and_licence_number(district):
    a = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    b = EnterpriseFactory(name="蝉街诊所", subdistrict=district.sub_a, is_operator=False, is_user_unit=True,
                          institution_type=InstitutionType.CLINIC)
    LicenceFactory(enterprise=b, number="浙温药监械经营备20241234号")

    assert names({"q": "大药房"}) == ["五马大药房"]
    assert names({"q": a.credit_code[-6:].lower()}) == ["五马大药房"]
    assert names({"q": "20241234"}) == ["蝉街诊所"]
    assert names({"q": "不存在"}) == []


def test_unit_and_subdistrict(district):
    EnterpriseFactory(name="A", subdistrict=district.sub_a)
    EnterpriseFactory(name="B", subdistrict=district.sub_b)
    EnterpriseFactory(name="C", subdistrict=district.sub_a, owning_unit=district.section)

    assert names({"unit": district.station_a.pk}) == ["A"]
    assert names({"unit": district.section.pk}) == ["C"]
    assert names({"subdistrict": district.sub_a.pk}) == ["A", "C"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manufacturer", ["厂"]),
        ("registrant", ["注册人"]),
        ("entrusts_production", ["注册人"]),
        ("contract_manufacturer", ["受托厂"]),
        ("operator", ["批发", "药房"]),
        ("operates_class3", ["批发"]),
        ("operates_class2", ["药房"]),
        ("logistics", ["批发"]),
        ("vbp_distributor", ["批发"]),
        ("user_unit", ["医院", "诊所"]),
        ("hospital", ["医院"]),
        ("non_hospital", ["诊所"]),
        ("online_seller", ["药房"]),
        ("platform", ["平台"]),
        ("remote_warehouse", ["仓库"]),
    ],
)
def test_role(district, role, expected):
    base = {"subdistrict": district.sub_a, "is_operator": False}
    EnterpriseFactory(name="厂", is_manufacturer=True, **base)
    EnterpriseFactory(name="注册人", is_registrant=True, entrusts_production=True, **base)
    EnterpriseFactory(name="受托厂", is_contract_manufacturer=True, **base)
    EnterpriseFactory(name="批发", subdistrict=district.sub_a, is_operator=True, operates_class3=True,
                      provides_logistics=True, is_vbp_distributor=True)
    EnterpriseFactory(name="药房", subdistrict=district.sub_a, is_operator=True, operates_class2=True,
                      is_online_seller=True)
    EnterpriseFactory(name="医院", is_user_unit=True, institution_type=InstitutionType.HOSPITAL, **base)
    EnterpriseFactory(name="诊所", is_user_unit=True, institution_type=InstitutionType.CLINIC, **base)
    EnterpriseFactory(name="平台", is_platform=True, **base)
    EnterpriseFactory(name="仓库", is_remote_warehouse=True, **base)

    assert sorted(names({"role": role})) == sorted(expected)


def test_link_uses_the_shared_link_definitions(district):
    EnterpriseFactory(name="配送", subdistrict=district.sub_a, is_vbp_distributor=True)
    EnterpriseFactory(name="普通", subdistrict=district.sub_a)

    assert names({"link": "delivery"}) == ["配送"]
    assert names({"link": "operation"}) == ["普通", "配送"]


def test_tag_includes_child_tags(district):
    aesthetic = TagFactory(code="aesthetic", name="医疗美容")
    gel = TagFactory(code="aesthetic-ha-gel", name="注射用透明质酸钠凝胶", parent=aesthetic)
    sterile = TagFactory(code="sterile", name="无菌")
    EnterpriseFactory(name="医美总", subdistrict=district.sub_a, tags=[aesthetic])
    EnterpriseFactory(name="玻尿酸", subdistrict=district.sub_a, tags=[gel])
    EnterpriseFactory(name="无菌", subdistrict=district.sub_a, tags=[sterile, gel])

    assert names({"tag": aesthetic.pk}) == ["医美总", "无菌", "玻尿酸"]
    assert names({"tag": gel.pk}) == ["无菌", "玻尿酸"]
    assert names({"tag": sterile.pk}) == ["无菌"]


def test_status(district):
    EnterpriseFactory(name="在营", subdistrict=district.sub_a)
    EnterpriseFactory(name="注销", subdistrict=district.sub_a, status=EnterpriseStatus.CANCELLED)

    assert names({"status": "cancelled"}) == ["注销"]


def test_ordering(district):
    EnterpriseFactory(name="B", subdistrict=district.sub_b)
    EnterpriseFactory(name="A", subdistrict=district.sub_a)
    EnterpriseFactory(name="C", subdistrict=district.sub_a)

    assert names({"ordering": "-name"}) == ["C", "B", "A"]
    assert names({"ordering": "subdistrict,name"})[:2] == ["A", "C"]


def test_invalid_choice_is_reported_not_ignored(district):
    filterset = EnterpriseFilterSet({"role": "nonsense"}, queryset=Enterprise.objects.all())

    assert not filterset.is_valid()
    assert "role" in filterset.errors


def licence_numbers(params: dict) -> list[str]:
    filterset = LicenceFilterSet(params, queryset=Licence.objects.order_by("number"))
    assert filterset.is_valid(), filterset.errors
    return [lic.number for lic in filterset.qs]


@pytest.fixture
def licences(district):
    a = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    b = EnterpriseFactory(name="藤桥器械厂", subdistrict=district.sub_b)
    LicenceFactory(enterprise=a, number="L1", kind=LicenceKind.OPERATION_FILING,
                   expires_on=datetime.date(2025, 1, 10))
    LicenceFactory(enterprise=a, number="L2", kind=LicenceKind.OPERATION_LICENCE,
                   expires_on=datetime.date(2025, 3, 1), status=LicenceStatus.CANCELLED)
    LicenceFactory(enterprise=b, number="L3", kind=LicenceKind.PRODUCTION_LICENCE,
                   expires_on=datetime.date(2025, 6, 30))
    return a, b


def test_licence_filters(district, licences):
    a, b = licences

    assert licence_numbers({"q": "藤桥"}) == ["L3"]
    assert licence_numbers({"q": "l2"}) == ["L2"]
    assert licence_numbers({"q": b.credit_code}) == ["L3"]
    assert licence_numbers({"kind": LicenceKind.OPERATION_LICENCE}) == ["L2"]
    assert licence_numbers({"status": LicenceStatus.CANCELLED}) == ["L2"]
    assert licence_numbers({"unit": district.station_b.pk}) == ["L3"]
    assert licence_numbers({"enterprise": a.pk}) == ["L1", "L2"]
    assert licence_numbers({"expires_after": "2025-02-01"}) == ["L2", "L3"]
    assert licence_numbers({"expires_before": "2025-03-01"}) == ["L1", "L2"]
    assert licence_numbers({"ordering": "-expires_on"}) == ["L3", "L2", "L1"]


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r">([^<]+)</option>", select)


def test_station_user_is_offered_only_own_unit_and_its_subdistricts(client, district):
    client.force_login(district.inspector_a)

    html = client.get("/enterprises/").content.decode()
    expiring = client.get("/enterprises/licences/expiring/").content.decode()

    assert _options(html, "unit") == ["全部单位", str(district.station_a)]
    assert _options(html, "subdistrict") == ["全部街道/镇", district.sub_a.name]
    assert _options(expiring, "unit") == ["全部单位", str(district.station_a)]


def test_section_user_is_offered_every_unit(client, district):
    client.force_login(district.section_user)

    html = client.get("/enterprises/").content.decode()

    assert len(_options(html, "unit")) == 1 + 4
    assert _options(html, "subdistrict") == ["全部街道/镇", district.sub_a.name, district.sub_b.name]
