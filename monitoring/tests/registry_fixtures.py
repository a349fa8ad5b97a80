"""A small district for the registry-side AE input tests: two 所 with a 街道/镇 each, the 药械科, an auditor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from enterprises.choices import OwnerRuleRole, OwnerTarget, Role, UnitKind
from enterprises.models import Enterprise, OwnershipRule, Subdistrict, Unit, User
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%test\n"


@dataclass
class Reg:
    section: Unit
    station_a: Unit
    station_b: Unit
    sub_a: Subdistrict
    sub_a2: Subdistrict
    sub_b: Subdistrict
    user_a: User
    user_b: User
    manager: User
    enforcement: User
    auditor: User
    registrant_a: Enterprise
    registrant_b: Enterprise


@pytest.fixture(name="reg")
def reg_fixture(db) -> Reg:
    bureau = UnitFactory(name="测试区市场监督管理局", short_name="区局", kind=UnitKind.BUREAU)
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION, parent=bureau)
    squad = UnitFactory(name="执法队", short_name="执法队", kind=UnitKind.ENFORCEMENT, parent=bureau)
    station_a = UnitFactory(name="五马市场监管所", short_name="五马所", parent=bureau)
    station_b = UnitFactory(name="藤桥市场监管所", short_name="藤桥所", parent=bureau)
    OwnershipRule.objects.create(priority=10, role=OwnerRuleRole.ANY, target=OwnerTarget.SUBDISTRICT_STATION)
    sub_a = SubdistrictFactory(name="五马街道", unit=station_a)
    sub_a2 = SubdistrictFactory(name="松台街道", unit=station_a)
    sub_b = SubdistrictFactory(name="藤桥镇", unit=station_b)
    return Reg(
        section=section, station_a=station_a, station_b=station_b, sub_a=sub_a, sub_a2=sub_a2, sub_b=sub_b,
        user_a=UserFactory(username="wuma", unit=station_a), user_b=UserFactory(username="tengqiao", unit=station_b),
        manager=UserFactory(username="yaoxie", unit=section, role=Role.SECTION_STAFF),
        enforcement=UserFactory(username="zhifa", unit=squad),
        auditor=UserFactory(username="audit", unit=bureau, role=Role.AUDITOR),
        registrant_a=EnterpriseFactory(name="五马医疗科技有限公司", subdistrict=sub_a, is_manufacturer=True,
                                       is_registrant=True),
        registrant_b=EnterpriseFactory(name="藤桥医疗器械有限公司", subdistrict=sub_b, is_manufacturer=True,
                                       is_registrant=True),
    )
