"""Writes of the enterprise registry: enterprises, their status, licences.

Every function checks the caller's scope (``regsys.scoping``) and validates the whole record before
anything is saved; a refused change raises ``ValidationError`` or ``PermissionDenied`` and leaves
the database untouched.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import EnterpriseStatus, InstitutionType
from enterprises.models import Enterprise, EnterpriseStatusChange, Licence, Tag, User
from enterprises.ownership import owning_unit_follow_status, resolve_owning_unit
from enterprises.suspension_rules import open_suspension, status_change_problems
from regsys.deletion import delete_or_refuse
from regsys.scoping import require_administrator, require_edit, require_unit
from regsys.versioning import version_lock

# Fields a user may set on an enterprise (status and owning unit have their own rules).
ENTERPRISE_FIELDS: tuple[str, ...] = (
    "name", "credit_code", "legal_representative", "person_in_charge", "quality_manager", "phone",
    "registered_address", "business_address", "warehouse_address", "subdistrict", "established_on",
    "is_manufacturer", "is_registrant", "entrusts_production", "is_contract_manufacturer",
    "max_device_class", "is_operator", "operation_mode", "operates_class2", "operates_class3",
    "provides_logistics", "is_vbp_distributor", "is_user_unit", "institution_type", "hospital_grade",
    "is_online_seller", "is_platform", "is_remote_warehouse", "home_licence_info",
)
OWNERSHIP_FIELDS: tuple[str, ...] = ("owning_unit", "owning_unit_override_reason")
ROLE_FLAGS: tuple[str, ...] = (
    "is_manufacturer", "is_registrant", "is_contract_manufacturer", "is_operator", "is_user_unit",
    "is_online_seller", "is_platform", "is_remote_warehouse",
)
LICENCE_FIELDS: tuple[str, ...] = ("kind", "number", "issuer", "issued_on", "expires_on", "scope", "status")

# domain.md §2.2: province char + optional city/district chars + (食)?药监械(生产|经营)(许|备)
# + 8 alphanumerics + optional 号. Lenient: a mismatch is a warning, never a refusal.
LICENCE_NUMBER_PATTERN = re.compile(r"^[\u4e00-\u9fff]{1,3}食?药监械(生产|经营)(许|备)[0-9A-Za-z]{8}号?$")


def licence_number_warning(number: str) -> str:
    """A Chinese warning when ``number`` does not look like a licence/filing number, else ""."""
    if not number or LICENCE_NUMBER_PATTERN.match(number.strip()):
        return ""
    return _(
        "证照编号“%(n)s”与常见格式（如“浙温药监械经营备20240001号”）不符，请核对；已按原样保存。"
    ) % {"n": number}


def _check_unknown(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")


def _clean_enterprise(enterprise: Enterprise, *, requested_unit, reason: str) -> None:
    """Normalise, apply the 事权划分 rules and validate ``enterprise`` (not yet saved)."""
    enterprise.credit_code = (enterprise.credit_code or "").strip().upper()
    enterprise.name = (enterprise.name or "").strip()
    enterprise.owning_unit_override_reason = reason.strip()
    errors: dict[str, list[str]] = {}

    if not any(getattr(enterprise, flag) for flag in ROLE_FLAGS):
        errors.setdefault("is_operator", []).append(_("请至少选择一种企业类别（生产、经营、使用、网络销售等）"))
    if enterprise.is_user_unit and not enterprise.institution_type:
        errors.setdefault("institution_type", []).append(_("使用单位须选择机构类型"))
    if not enterprise.is_user_unit and enterprise.institution_type:
        errors.setdefault("institution_type", []).append(_("只有使用单位才填写机构类型"))
    if enterprise.hospital_grade and enterprise.institution_type != InstitutionType.HOSPITAL:
        errors.setdefault("hospital_grade", []).append(_("只有医院才填写医院等级"))
    if enterprise.operation_mode and not enterprise.is_operator:
        errors.setdefault("operation_mode", []).append(_("只有经营企业才填写经营方式"))
    if enterprise.is_remote_warehouse and not enterprise.home_licence_info.strip():
        errors.setdefault("home_licence_info", []).append(_("异地设库企业须填写企业许可所在地及许可证号"))

    if enterprise.subdistrict_id is not None:
        if enterprise.owning_unit_override_reason:
            if requested_unit is None:
                errors.setdefault("owning_unit", []).append(_("填写了调整理由时须选择监管单位"))
            else:
                enterprise.owning_unit = requested_unit
        else:
            try:
                rule_unit, _rule = resolve_owning_unit(enterprise)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else
                                      {"owning_unit": exc.messages}) from exc
            if requested_unit is not None and requested_unit != rule_unit:
                errors.setdefault("owning_unit_override_reason", []).append(
                    _("按事权划分规则该企业应由%(rule)s监管；改为%(unit)s须填写调整理由")
                    % {"rule": rule_unit, "unit": requested_unit}
                )
            enterprise.owning_unit = rule_unit

    try:
        enterprise.full_clean(exclude=set(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _tags_differ(enterprise: Enterprise, tags: Iterable[Tag] | None) -> bool:
    if tags is None or enterprise.pk is None:
        return False
    return {tag.pk for tag in tags} != set(enterprise.tags.values_list("pk", flat=True))


def _set_tags(enterprise: Enterprise, tags: Iterable[Tag] | None) -> None:
    if tags is None:
        return
    wanted = {tag.pk for tag in tags}
    current = set(enterprise.tags.values_list("pk", flat=True))
    if wanted != current:
        enterprise.tags.set(wanted)


@transaction.atomic
def enterprise_create(*, by: User, tags: Iterable[Tag] | None = None, **fields: Any) -> Enterprise:
    """Register a new enterprise; its owning unit follows the 事权划分 rules unless overridden.

    ``fields`` are ``ENTERPRISE_FIELDS`` plus optionally ``owning_unit`` and
    ``owning_unit_override_reason`` (an override needs a reason).
    """
    _check_unknown(fields, ENTERPRISE_FIELDS + OWNERSHIP_FIELDS)
    requested_unit = fields.pop("owning_unit", None)
    reason = fields.pop("owning_unit_override_reason", "") or ""
    enterprise = Enterprise(**fields)
    enterprise.status = EnterpriseStatus.ACTIVE
    _clean_enterprise(enterprise, requested_unit=requested_unit, reason=reason)
    require_unit(by, enterprise.owning_unit_id)
    enterprise._history_user = by
    enterprise.save()
    _set_tags(enterprise, tags)
    return enterprise


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, by: User, tags: Iterable[Tag] | None = None, version: int | None = None,
    **fields: Any,
) -> Enterprise:
    """Change an enterprise's data; the owning unit is re-derived unless overridden with a reason.

    Omitted fields keep their value. Passing ``owning_unit_override_reason=""`` returns the
    enterprise to the rules. ``version`` is the version the edit started from: if someone saved
    since, ``EditConflict`` is raised and nothing is written (regsys.versioning).
    """
    _check_unknown(fields, ENTERPRISE_FIELDS + OWNERSHIP_FIELDS)
    require_edit(by, enterprise)
    enterprise = version_lock(enterprise, version=version, submitted=fields)
    requested_unit = fields.pop("owning_unit", None)
    reason = fields.pop("owning_unit_override_reason", enterprise.owning_unit_override_reason) or ""
    if reason.strip() and requested_unit is None:
        requested_unit = enterprise.owning_unit
    before = _snapshot(enterprise)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    _clean_enterprise(enterprise, requested_unit=requested_unit, reason=reason)
    require_unit(by, enterprise.owning_unit_id)
    enterprise._history_user = by
    if _snapshot(enterprise) != before or _tags_differ(enterprise, tags):
        enterprise.save()
    _set_tags(enterprise, tags)
    return enterprise


def _snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """The saved-field values of ``enterprise``; an unchanged record is not saved again (no empty history)."""
    return {f.attname: getattr(enterprise, f.attname) for f in Enterprise._meta.concrete_fields
            if f.name not in ("updated_at",)}


@transaction.atomic
def enterprise_change_status(
    *,
    enterprise: Enterprise,
    to_status: str,
    reason: str,
    by: User,
    effective_on: datetime.date | None = None,
) -> EnterpriseStatusChange:
    """Set an enterprise's status (停产, 注销 …) with a dated, reasoned history row."""
    require_edit(by, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    effective_on = effective_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if to_status not in EnterpriseStatus.values:
        errors["to_status"] = [_("未知的经营状态")]
    elif to_status == enterprise.status:
        errors["to_status"] = [_("企业当前已是“%(s)s”状态") % {"s": enterprise.get_status_display()}]
    if not (reason or "").strip():
        errors["reason"] = [_("变更经营状态须填写原因")]
    if effective_on > timezone.localdate():
        errors["effective_on"] = [_("生效日期不能晚于今天")]
    if enterprise.status_since and effective_on < enterprise.status_since:
        errors.setdefault("effective_on", []).append(
            _("生效日期不能早于当前状态的起始日期 %(d)s") % {"d": enterprise.status_since.isoformat()}
        )
    if not errors:
        blocked = status_change_problems(enterprise, to_status=to_status, effective_on=effective_on)
        if blocked:
            errors["to_status"] = blocked
    if errors:
        raise ValidationError(errors)
    if enterprise.status == EnterpriseStatus.PRODUCTION_STOPPED and to_status == EnterpriseStatus.ACTIVE:
        # A plain 复产 ends the open suspension, which passed the same checks just above.
        suspension = open_suspension(enterprise)
        if suspension is not None:
            suspension.resumed_on = effective_on
            suspension.resume_note = reason.strip()[:300]
            suspension.resumed_by = by
            suspension._history_user = by
            suspension.save()
    change = EnterpriseStatusChange.objects.create(
        enterprise=enterprise,
        from_status=enterprise.status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason.strip(),
        changed_by=by,
    )
    enterprise.status = to_status
    enterprise.status_since = effective_on
    enterprise._history_user = by
    fields = ["status", "status_since", "updated_at", "version"]
    stopping_or_resuming = EnterpriseStatus.PRODUCTION_STOPPED in (change.from_status, to_status)
    if stopping_or_resuming and owning_unit_follow_status(enterprise, previous_status=change.from_status):
        fields.append("owning_unit")
    enterprise.save(update_fields=fields)
    return change


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise, by: User) -> None:
    """Delete an enterprise entered by mistake (administrators only).

    One with licences, grades, credit records, status history, inspections, cases … cannot be
    deleted (those are PROTECTed): it is 注销 instead.
    """
    require_administrator(by)
    require_edit(by, enterprise)
    enterprise._history_user = by
    delete_or_refuse(enterprise, message=_(
        "该企业已有%(records)s等关联记录，不能删除；如已停止经营请将经营状态改为“注销”。"))


def _clean_licence(licence: Licence) -> None:
    licence.number = (licence.number or "").strip()
    errors: dict[str, list[str]] = {}
    if licence.issued_on and licence.expires_on and licence.expires_on < licence.issued_on:
        errors["expires_on"] = [_("有效期至不能早于发证日期")]
    try:
        licence.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def licence_create(*, enterprise: Enterprise, by: User, **fields: Any) -> Licence:
    """Record a licence or filing of ``enterprise``. An unusual number is saved (see the warning)."""
    _check_unknown(fields, LICENCE_FIELDS)
    require_edit(by, enterprise)
    licence = Licence(enterprise=enterprise, **fields)
    _clean_licence(licence)
    licence._history_user = by
    licence.save()
    return licence


@transaction.atomic
def licence_update(*, licence: Licence, by: User, version: int | None = None, **fields: Any) -> Licence:
    """Change a licence's number, dates, scope or status (``version``: see ``enterprise_update``)."""
    _check_unknown(fields, LICENCE_FIELDS)
    require_edit(by, licence)
    licence = version_lock(licence, version=version, submitted=fields)
    for name, value in fields.items():
        setattr(licence, name, value)
    _clean_licence(licence)
    licence._history_user = by
    licence.save()
    return licence


@transaction.atomic
def licence_delete(*, licence: Licence, by: User) -> None:
    """Remove a licence entered by mistake (an expired or cancelled one keeps its status instead).

    A licence a case revoked is evidence of that case and cannot be deleted.
    """
    require_edit(by, licence)
    licence._history_user = by
    delete_or_refuse(licence, message=_("该证照已被%(records)s引用（如案件吊销），不能删除；可修改其状态。"))
