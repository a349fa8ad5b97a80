"""事权划分: which unit supervises an enterprise, decided by the editable ``OwnershipRule`` rows.

Defaults (Lucheng plan 三(一)): manufacturers and hospital-type institutions → 药械科; operating
enterprises, non-hospital institutions, online sellers and out-of-district warehouses → the 所 of the
enterprise's 街道/镇. An enterprise with ``owning_unit_override_reason`` keeps its unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprises.choices import EnterpriseStatus, InstitutionType, OwnerRuleRole, OwnerTarget
from enterprises.models import Enterprise, OwnershipRule, Unit


def enterprise_matches_role(enterprise: Enterprise, role: str) -> bool:
    """Whether ``enterprise`` holds the role a rule is written for."""
    manufacturer = enterprise.is_manufacturer or enterprise.is_registrant or enterprise.is_contract_manufacturer
    checks = {
        # 停产期间的检查由所在街道/镇的监管所负责 (duty split); back to the manufacturer rule on 复产.
        OwnerRuleRole.STOPPED_MANUFACTURER: manufacturer
        and enterprise.status == EnterpriseStatus.PRODUCTION_STOPPED,
        OwnerRuleRole.MANUFACTURER: manufacturer,
        OwnerRuleRole.HOSPITAL: enterprise.is_user_unit
        and enterprise.institution_type == InstitutionType.HOSPITAL,
        OwnerRuleRole.REMOTE_WAREHOUSE: enterprise.is_remote_warehouse,
        OwnerRuleRole.OPERATOR: enterprise.is_operator,
        OwnerRuleRole.NON_HOSPITAL_INSTITUTION: enterprise.is_user_unit
        and enterprise.institution_type != InstitutionType.HOSPITAL,
        OwnerRuleRole.ONLINE_SELLER: enterprise.is_online_seller,
        OwnerRuleRole.PLATFORM: enterprise.is_platform,
        OwnerRuleRole.ANY: True,
    }
    return bool(checks[OwnerRuleRole(role)])


def resolve_owning_unit(
    enterprise: Enterprise, rules: Iterable[OwnershipRule] | None = None
) -> tuple[Unit, OwnershipRule]:
    """The unit that the first matching rule assigns, and that rule.

    ``rules`` may be passed pre-loaded (bulk imports and the demo); otherwise they are read.
    """
    if rules is None:
        rules = OwnershipRule.objects.select_related("unit").order_by("priority")
    for rule in rules:
        if not enterprise_matches_role(enterprise, rule.role):
            continue
        if rule.target == OwnerTarget.FIXED_UNIT:
            if rule.unit is None:
                raise ValidationError(_("事权划分规则 %(rule)s 未指定单位") % {"rule": rule.priority})
            return rule.unit, rule
        if enterprise.subdistrict_id is None:
            raise ValidationError({"subdistrict": _("请先选择企业所在街道/镇")})
        return enterprise.subdistrict.unit, rule
    raise ValidationError(_("没有适用的事权划分规则，请联系系统管理员补充“其他（兜底）”规则"))


def owning_unit_follow_status(enterprise: Enterprise, *, previous_status: str) -> bool:
    """After a status change (``enterprise.status`` is the new one): when the 停产生产企业 rule placed the
    enterprise before or places it now, move it to the unit the rules give now (停产 → the 所 of its 街道,
    复产 → back to the manufacturer rule's unit). Other rules are not re-applied by a status change.

    Leaves the unit alone for an override, or when the rules cannot place the enterprise (no 街道/镇).
    Returns whether the unit changed.
    """
    if enterprise.owning_unit_override_reason.strip():
        return False
    rules = list(OwnershipRule.objects.select_related("unit").order_by("priority"))
    try:
        unit, rule = resolve_owning_unit(enterprise, rules)
        new_status = enterprise.status
        enterprise.status = previous_status
        try:
            _before, before_rule = resolve_owning_unit(enterprise, rules)
        finally:
            enterprise.status = new_status
    except ValidationError:
        return False
    stopped_rule = OwnerRuleRole.STOPPED_MANUFACTURER
    if stopped_rule not in (rule.role, before_rule.role) or unit.pk == enterprise.owning_unit_id:
        return False
    enterprise.owning_unit = unit
    return True


def apply_owning_unit(enterprise: Enterprise, rules: Iterable[OwnershipRule] | None = None) -> None:
    """Set ``enterprise.owning_unit`` from the rules unless an override reason is recorded."""
    if enterprise.owning_unit_override_reason.strip():
        return
    enterprise.owning_unit, _rule = resolve_owning_unit(enterprise, rules)
