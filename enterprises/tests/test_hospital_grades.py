"""Hospital grades with 甲/乙 through the registry: filter (二级以上), list, export, import, API."""


import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import HospitalGrade, InstitutionType
from enterprises.filters import EnterpriseFilterSet
from enterprises.importers import enterprises_import
from enterprises.models import Enterprise

from .factories import EnterpriseFactory
from .test_import import row, xlsx

pytestmark = pytest.mark.django_db


def _hospital(district, name: str, grade: str, **kwargs) -> Enterprise:
    return EnterpriseFactory(name=name, subdistrict=district.sub_a, owning_unit=district.station_a,
                             is_operator=False, is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
                             hospital_grade=grade, **kwargs)


def _hospitals(district) -> None:
    _hospital(district, "市一医院", HospitalGrade.GRADE_3A)
    _hospital(district, "区人民医院", HospitalGrade.GRADE_2B)
    _hospital(district, "区中医院", HospitalGrade.GRADE_2)
    _hospital(district, "社区医院", HospitalGrade.GRADE_1)
    _hospital(district, "新设医院", HospitalGrade.UNGRADED)
    EnterpriseFactory(name="五马药店", subdistrict=district.sub_a)


def _names(params: dict) -> list[str]:
    filterset = EnterpriseFilterSet(params, queryset=Enterprise.objects.order_by("name"))
    assert filterset.is_valid(), filterset.errors
    return [e.name for e in filterset.qs]


def test_grade_filter_offers_two_plus_and_each_grade(district):
    _hospitals(district)

    assert _names({"hospital_grade": "2plus"}) == ["区中医院", "区人民医院", "市一医院"]
    assert _names({"hospital_grade": HospitalGrade.GRADE_2B}) == ["区人民医院"]
    assert _names({"hospital_grade": HospitalGrade.UNGRADED}) == ["新设医院"]
    choices = dict(EnterpriseFilterSet().form.fields["hospital_grade"].choices)
    assert choices["2plus"] == "二级以上"
    assert choices["2a"] == "二级甲等"


def test_list_export_and_api_carry_the_grade(client, district, export_file):
    _hospitals(district)
    client.force_login(district.section_user)
    api = APIClient()
    api.force_authenticate(district.section_user)

    page = client.get(reverse("enterprises:list"), {"hospital_grade": "2plus"})
    export = export_file(client, reverse("enterprises:export"), {"hospital_grade": "2plus"})
    rows = list(export.active.iter_rows(values_only=True))
    listed = api.get("/api/enterprises/", {"hospital_grade": "2plus"}).json()["results"]

    assert "二级乙等" in page.content.decode()
    assert rows[0][-1] == "医院等级"
    assert sorted((r[1], r[-1]) for r in rows[1:]) == [
        ("区中医院", "二级（未分等）"), ("区人民医院", "二级乙等"), ("市一医院", "三级甲等")]
    assert sorted((e["name"], e["hospital_grade"]) for e in listed) == [
        ("区中医院", "2"), ("区人民医院", "2b"), ("市一医院", "3a")]


@pytest.mark.parametrize(("written", "stored"), [
    ("二级甲等", HospitalGrade.GRADE_2A), ("三乙", HospitalGrade.GRADE_3B), ("三级", HospitalGrade.GRADE_3),
    ("二级", HospitalGrade.GRADE_2),
])
def test_import_reads_the_new_grades_and_the_old_words(district, written, stored):
    file = xlsx([row(1, **{"企业类别": "使用单位", "经营方式": "", "机构类型": "医院", "医院等级": written})])

    result = enterprises_import(file=file, by=district.section_user)

    assert result.errors == []
    assert Enterprise.objects.get().hospital_grade == stored


def test_import_refuses_an_unknown_grade(district):
    file = xlsx([row(1, **{"企业类别": "使用单位", "经营方式": "", "机构类型": "医院", "医院等级": "四级"})])

    result = enterprises_import(file=file, by=district.section_user)

    assert [e.column for e in result.errors] == ["医院等级"]
    assert not Enterprise.objects.exists()
