"""事权划分: each default rule, an override with a reason, and a refused override without one."""

import pytest
from django.core.exceptions import ValidationError

from enterprises.choices import InstitutionType
from enterprises.models import Enterprise
from enterprises.services import enterprise_create, enterprise_update

from .factories import make_credit_code

pytestmark = pytest.mark.django_db


def _create(district, **roles):
    return enterprise_create(
        by=district.section_user, name="测试企业", credit_code=make_credit_code(9001),
        subdistrict=district.sub_a, **roles,
    )


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({"is_manufacturer": True}, "section"),
        ({"is_registrant": True}, "section"),
        ({"is_contract_manufacturer": True}, "section"),
        ({"is_user_unit": True, "institution_type": InstitutionType.HOSPITAL}, "section"),
        ({"is_remote_warehouse": True, "home_licence_info": "杭州 浙杭药监械经营许20200001号"}, "station_a"),
        ({"is_operator": True}, "station_a"),
        ({"is_user_unit": True, "institution_type": InstitutionType.CLINIC}, "station_a"),
        ({"is_online_seller": True}, "station_a"),
        ({"is_platform": True}, "section"),
        # A manufacturer that also sells: the first matching rule (manufacturer) decides.
        ({"is_manufacturer": True, "is_operator": True}, "section"),
        # A hospital that also sells online: hospital comes before online seller.
        ({"is_user_unit": True, "institution_type": InstitutionType.HOSPITAL, "is_online_seller": True},
         "section"),
    ],
)
def test_default_rules_decide_the_owning_unit(district, roles, expected):
    enterprise = _create(district, **roles)

    assert enterprise.owning_unit == getattr(district, expected)
    assert enterprise.owning_unit_override_reason == ""


def test_station_follows_the_subdistrict(district):
    enterprise = enterprise_create(
        by=district.section_user, name="藤桥药店", credit_code=make_credit_code(9002),
        subdistrict=district.sub_b, is_operator=True,
    )

    assert enterprise.owning_unit == district.station_b


def test_override_with_reason_keeps_the_chosen_unit(district):
    enterprise = enterprise_create(
        by=district.section_user, name="大型批发企业", credit_code=make_credit_code(9003),
        subdistrict=district.sub_a, is_operator=True, owning_unit=district.section,
        owning_unit_override_reason="第三类批发龙头企业，由药械科直接监管",
    )

    assert enterprise.owning_unit == district.section
    assert enterprise.owning_unit_override_reason == "第三类批发龙头企业，由药械科直接监管"


def test_override_without_reason_is_refused(district):
    with pytest.raises(ValidationError) as excinfo:
        enterprise_create(
            by=district.section_user, name="大型批发企业", credit_code=make_credit_code(9004),
            subdistrict=district.sub_a, is_operator=True, owning_unit=district.section,
        )

    assert "owning_unit_override_reason" in excinfo.value.message_dict
    assert Enterprise.objects.count() == 0


def test_reason_without_unit_is_refused(district):
    with pytest.raises(ValidationError) as excinfo:
        enterprise_create(
            by=district.section_user, name="大型批发企业", credit_code=make_credit_code(9005),
            subdistrict=district.sub_a, is_operator=True, owning_unit_override_reason="领导批示",
        )

    assert excinfo.value.message_dict["owning_unit"] == ["填写了调整理由时须选择监管单位"]
    assert Enterprise.objects.count() == 0


def test_role_change_moves_the_enterprise_by_the_rules(district):
    enterprise = _create(district, is_operator=True)

    enterprise_update(enterprise=enterprise, by=district.section_user, is_manufacturer=True)

    enterprise.refresh_from_db()
    assert enterprise.owning_unit == district.section


def test_override_survives_an_edit_and_clearing_it_returns_to_the_rules(district):
    enterprise = _create(district, is_operator=True, owning_unit=district.section,
                         owning_unit_override_reason="专案管理")

    enterprise_update(enterprise=enterprise, by=district.section_user, phone="0577-1")
    enterprise.refresh_from_db()
    assert enterprise.owning_unit == district.section

    enterprise_update(enterprise=enterprise, by=district.section_user, owning_unit_override_reason="")
    enterprise.refresh_from_db()
    assert enterprise.owning_unit == district.station_a
