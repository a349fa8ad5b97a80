"""Registry test fixtures: a small district with the default 事权划分 rules."""

from dataclasses import dataclass

import pytest

from enterprises.choices import OwnerRuleRole, OwnerTarget, Role, UnitKind
from enterprises.models import OwnershipRule, Subdistrict, Unit, User

from .factories import SubdistrictFactory, UnitFactory, UserFactory


@dataclass
class District:
    bureau: Unit
    section: Unit
    station_a: Unit
    station_b: Unit
    sub_a: Subdistrict
    sub_b: Subdistrict
    inspector_a: User
    inspector_b: User
    section_user: User
    auditor: User


# (role, target, fixed to 药械科?) in priority order, as the Lucheng plan 三(一) splits duties.
DEFAULT_RULES = [
    (OwnerRuleRole.MANUFACTURER, OwnerTarget.FIXED_UNIT),
    (OwnerRuleRole.HOSPITAL, OwnerTarget.FIXED_UNIT),
    (OwnerRuleRole.REMOTE_WAREHOUSE, OwnerTarget.SUBDISTRICT_STATION),
    (OwnerRuleRole.OPERATOR, OwnerTarget.SUBDISTRICT_STATION),
    (OwnerRuleRole.NON_HOSPITAL_INSTITUTION, OwnerTarget.SUBDISTRICT_STATION),
    (OwnerRuleRole.ONLINE_SELLER, OwnerTarget.SUBDISTRICT_STATION),
    (OwnerRuleRole.PLATFORM, OwnerTarget.FIXED_UNIT),
    (OwnerRuleRole.ANY, OwnerTarget.SUBDISTRICT_STATION),
]


@pytest.fixture
def district(db) -> District:
    bureau = UnitFactory(name="测试区市场监督管理局", short_name="区局", kind=UnitKind.BUREAU)
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION, parent=bureau)
    station_a = UnitFactory(name="五马市场监管所", short_name="五马所", parent=bureau)
    station_b = UnitFactory(name="藤桥市场监管所", short_name="藤桥所", parent=bureau)
    sub_a = SubdistrictFactory(name="五马街道", unit=station_a)
    sub_b = SubdistrictFactory(name="藤桥镇", unit=station_b)
    for priority, (role, target) in enumerate(DEFAULT_RULES, start=1):
        OwnershipRule.objects.create(
            priority=priority * 10, role=role, target=target,
            unit=section if target == OwnerTarget.FIXED_UNIT else None,
        )
    return District(
        bureau=bureau, section=section, station_a=station_a, station_b=station_b, sub_a=sub_a, sub_b=sub_b,
        inspector_a=UserFactory(username="wuma", full_name="五马检查员", unit=station_a),
        inspector_b=UserFactory(username="tengqiao", full_name="藤桥检查员", unit=station_b),
        section_user=UserFactory(username="yaoxie", full_name="药械科员", unit=section, role=Role.SECTION_STAFF),
        auditor=UserFactory(username="audit", full_name="审计员", unit=bureau, role=Role.AUDITOR),
    )
