"""Writes of the organisation: supervising units, 街道/镇, 事权划分 rules and user accounts.

Only a system administrator sets these up. Each record has one ``*_check`` function holding its
rules; the services (used by the API) and the Django admin forms (``enterprises.admin``) both call
it, so a rule is written once. A refused change raises ``ValidationError`` (field → Chinese
messages) or ``PermissionDenied`` and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from enterprises.choices import OwnerTarget, Role, UnitKind
from enterprises.models import OwnershipRule, Subdistrict, Unit, User
from regsys.scoping import require_administrator
from regsys.security import tokens_revoke

UNIT_FIELDS: tuple[str, ...] = ("name", "short_name", "kind", "parent", "code", "phone", "sort_order")
SUBDISTRICT_FIELDS: tuple[str, ...] = ("name", "kind", "code", "unit", "population")
OWNERSHIP_RULE_FIELDS: tuple[str, ...] = ("priority", "role", "target", "unit", "note")
USER_FIELDS: tuple[str, ...] = (
    "username", "full_name", "email", "unit", "role", "phone", "enforcement_cert_no", "inspector_cert_no",
    "is_active",
)
# Roles that need no unit: an administrator looks after the whole system.
ROLES_WITHOUT_UNIT = {Role.ADMIN}


def _require_admin(by: User) -> None:
    require_administrator(by, message=_("只有系统管理员可以设置监管单位、街道/镇、事权划分规则和用户"))


def _assign(obj: Model, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {type(obj).__name__} fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _full_clean(obj: Model, errors: dict[str, list[str]], *, exclude: set[str] | None = None) -> None:
    """Add the model's own field checks (required, length, choices, uniqueness) to ``errors``."""
    try:
        obj.full_clean(exclude=set(errors) | (exclude or set()))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _strip(obj: Model, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name, None)
        if isinstance(value, str):
            setattr(obj, name, value.strip())


@transaction.atomic
def _write(model: type[Model], *, by: User, pk: int | None, allowed: tuple[str, ...], check, fields: dict) -> Model:
    """Create (``pk`` None) or change a record: administrators only, its ``*_check`` rules, then save."""
    _require_admin(by)
    obj = model() if pk is None else model.objects.select_for_update().get(pk=pk)
    _assign(obj, fields, allowed)
    check(obj)
    obj.save()
    return obj


# --- units --------------------------------------------------------------------------------------


def unit_check(unit: Unit) -> None:
    """The rules of a supervising unit (beyond the model's): a sound parent chain, and a 所 that
    holds 街道/镇 stays a 所."""
    _strip(unit, ("name", "short_name", "code", "phone"))
    errors: dict[str, list[str]] = {}
    parent = unit.parent
    seen = set()
    while parent is not None and unit.pk is not None:
        if parent.pk == unit.pk:
            errors["parent"] = [_("上级单位不能是本单位或其下级单位")]
            break
        if parent.pk in seen:
            break
        seen.add(parent.pk)
        parent = parent.parent
    if (unit.pk is not None and unit.kind != UnitKind.STATION
            and Subdistrict.objects.filter(unit_id=unit.pk).exists()):
        errors["kind"] = [_("该单位辖有街道/镇，不能改为其他类型；请先将街道/镇划归其他监管所")]
    _full_clean(unit, errors)
    if errors:
        raise ValidationError(errors)


def unit_create(*, by: User, **fields: Any) -> Unit:
    """Add a supervising unit (a 所, a 科, the 执法队 …)."""
    return _write(Unit, by=by, pk=None, allowed=UNIT_FIELDS,
                  check=unit_check, fields=fields)


def unit_update(*, unit: Unit, by: User, **fields: Any) -> Unit:
    """Change a unit's name, code, kind, parent …; omitted fields keep their value."""
    return _write(Unit, by=by, pk=unit.pk, allowed=UNIT_FIELDS,
                  check=unit_check, fields=fields)


# --- 街道/镇 --------------------------------------------------------------------------------------


def subdistrict_check(subdistrict: Subdistrict) -> None:
    """A 街道/镇 belongs to the jurisdiction of one 市场监管所."""
    _strip(subdistrict, ("name", "code"))
    errors: dict[str, list[str]] = {}
    if subdistrict.unit_id is not None and subdistrict.unit.kind != UnitKind.STATION:
        errors["unit"] = [_("街道/镇只能划归市场监管所，%(unit)s不是监管所") % {"unit": subdistrict.unit}]
    _full_clean(subdistrict, errors)
    if errors:
        raise ValidationError(errors)


def subdistrict_create(*, by: User, **fields: Any) -> Subdistrict:
    """Add a 街道/镇 under the 所 whose jurisdiction it is."""
    return _write(Subdistrict, by=by, pk=None, allowed=SUBDISTRICT_FIELDS,
                  check=subdistrict_check, fields=fields)


def subdistrict_update(*, subdistrict: Subdistrict, by: User, **fields: Any) -> Subdistrict:
    """Change a 街道/镇 (moving it to another 所 applies to enterprises registered or edited from now on)."""
    return _write(Subdistrict, by=by, pk=subdistrict.pk, allowed=SUBDISTRICT_FIELDS,
                  check=subdistrict_check, fields=fields)


# --- 事权划分 rules -------------------------------------------------------------------------------


def ownership_rule_check(rule: OwnershipRule) -> None:
    """A rule for a fixed unit names that unit; a rule for the 街道/镇's 所 names none."""
    _strip(rule, ("note",))
    errors: dict[str, list[str]] = {}
    if rule.target == OwnerTarget.FIXED_UNIT and rule.unit_id is None:
        errors["unit"] = [_("归属为“指定单位”时须选择指定单位")]
    elif rule.target == OwnerTarget.SUBDISTRICT_STATION and rule.unit_id is not None:
        errors["unit"] = [_("归属为“所在街道/镇的监管所”时不填写指定单位")]
    _full_clean(rule, errors)
    if errors:
        raise ValidationError(errors)


def ownership_rule_create(*, by: User, **fields: Any) -> OwnershipRule:
    """Add a 事权划分 rule (tried in priority order; applies to enterprises registered or edited from now on)."""
    return _write(OwnershipRule, by=by, pk=None, allowed=OWNERSHIP_RULE_FIELDS,
                  check=ownership_rule_check, fields=fields)


def ownership_rule_update(*, rule: OwnershipRule, by: User, **fields: Any) -> OwnershipRule:
    return _write(OwnershipRule, by=by, pk=rule.pk, allowed=OWNERSHIP_RULE_FIELDS,
                  check=ownership_rule_check, fields=fields)


# --- users --------------------------------------------------------------------------------------

CERT_FIELDS = ("enforcement_cert_no", "inspector_cert_no")


def user_check(user: User, *, password: str | None = None) -> None:
    """A user's account rules: a unit (except administrators), certificate numbers held by nobody
    else, and, when one is set, a password Django's validators accept (``AUTH_PASSWORD_VALIDATORS``)."""
    _strip(user, ("username", "full_name", "email", "phone", *CERT_FIELDS))
    user.username = User.normalize_username(user.username or "")
    errors: dict[str, list[str]] = {}
    if user.unit_id is None and user.role not in ROLES_WITHOUT_UNIT:
        errors["unit"] = [_("请选择所在单位（只有系统管理员可以不属于任何单位）")]
    for name in CERT_FIELDS:
        number = getattr(user, name)
        if not number:
            continue
        holder = User.objects.exclude(pk=user.pk).filter(**{name: number}).first()
        if holder is not None:
            errors[name] = [_("证号 %(no)s 已登记在用户 %(who)s 名下") % {"no": number, "who": holder.display_name}]
    _full_clean(user, errors, exclude={"password", "last_login", "date_joined"})
    if password is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def _refuse_self_lockout(user: User, by: User) -> None:
    if user.pk != by.pk:
        return
    errors = {}
    if not user.is_active:
        errors["is_active"] = [_("不能停用自己的账号")]
    if user.role != Role.ADMIN and not user.is_superuser:
        errors["role"] = [_("不能取消自己的系统管理员角色，请由其他系统管理员修改")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(*, by: User, password: str | None = None, **fields: Any) -> User:
    """Open an account: unit, role, certificate numbers and a first password the user signs in with."""
    _require_admin(by)
    user = User()
    _assign(user, fields, USER_FIELDS)
    given = bool((password or "").strip())
    try:
        user_check(user, password=password if given else None)
    except ValidationError as exc:
        if given:
            raise
        raise ValidationError({**exc.message_dict, "password": [_("请设置初始密码")]}) from exc
    if not given:
        raise ValidationError({"password": [_("请设置初始密码")]})
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, by: User, password: str | None = None, **fields: Any) -> User:
    """Change an account (unit, role, certificates, active); a given ``password`` replaces the old one.

    A deactivated user can no longer sign in; their records keep naming them. A new password or a
    deactivation also ends the user's API tokens (their page sessions end with the password change).
    """
    _require_admin(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    _assign(user, fields, USER_FIELDS)
    _refuse_self_lockout(user, by)
    user_check(user, password=password or None)
    if password:
        user.set_password(password)
    user.save()
    if password or not user.is_active:
        tokens_revoke(user=user)
    return user
