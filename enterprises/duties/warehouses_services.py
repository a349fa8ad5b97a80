"""Writes of the 委托生产 pairs and the 异地设库 warehouses (with their log of exchanges with the other bureau).

Rules held here, once:
- a pair names each side by its registry entry when it is in the district, else by name (either may be outside,
  not both); an entry's name is taken from the registry;
- a pair is edited by the unit of its lead side (the registrant when local, else the contract manufacturer);
- a warehouse's daily supervision belongs to the 所 of its 街道/镇, always (never chosen);
- only the 药械科 (and leaders, administrators) records the acceptance inspection;
- a log entry is added by anyone who may edit the warehouse or who supervises it daily.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import Role, UnitKind
from enterprises.duties.choices import ExchangeKind
from enterprises.models import (
    ContractManufacturing,
    Enterprise,
    Subdistrict,
    User,
    Warehouse,
    WarehouseExchange,
)
from regsys.scoping import require_edit, require_unit, require_write, scope_for
from regsys.uploads import MB, OFFICE_FILES, validate_upload
from regsys.versioning import version_lock

MAX_FILE_BYTES = 10 * MB
ACCEPTANCE_ROLES = {Role.ADMIN, Role.LEADER, Role.SECTION_STAFF}


def _save(obj: Model, *, by: User | None, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()


def _not_future(value: datetime.date | None, field: str, label: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


# ---------------------------------------------------------------- 委托生产


@dataclass
class PairInput:
    """What a pair is made of (the form's and the API's cleaned data)."""

    registrant: Enterprise | None
    registrant_name: str
    manufacturer: Enterprise | None
    manufacturer_name: str
    product: str
    registration_number: str = ""
    agreement_signed_on: datetime.date | None = None
    agreement_expires_on: datetime.date | None = None
    cross_region: bool = False
    other_region: str = ""
    is_active: bool = True
    ended_on: datetime.date | None = None
    note: str = ""


def _clean_pair(data: PairInput) -> PairInput:
    errors: dict[str, list[str]] = {}
    data.registrant_name = data.registrant.name if data.registrant else (data.registrant_name or "").strip()
    data.manufacturer_name = data.manufacturer.name if data.manufacturer else (data.manufacturer_name or "").strip()
    data.product = (data.product or "").strip()
    data.other_region = (data.other_region or "").strip()
    data.registration_number = (data.registration_number or "").strip()
    data.note = (data.note or "").strip()
    if not data.registrant_name:
        errors.setdefault("registrant", []).append(_("请选择本区的注册人/备案人，或填写区外注册人/备案人名称"))
    if not data.manufacturer_name:
        errors.setdefault("manufacturer", []).append(_("请选择本区的受托生产企业，或填写区外受托生产企业名称"))
    if data.registrant_name and data.manufacturer_name and data.registrant is None and data.manufacturer is None:
        errors.setdefault("registrant", []).append(_("委托双方至少有一方是本区登记的企业"))
    if _same(data.registrant, data.manufacturer):
        errors.setdefault("manufacturer", []).append(_("受托生产企业不能与注册人/备案人相同"))
    if not data.product:
        errors.setdefault("product", []).append(_("请填写产品名称"))
    if data.cross_region and not data.other_region:
        errors.setdefault("other_region", []).append(_("跨区域委托请填写对方所在地"))
    if not data.cross_region and (data.registrant is None or data.manufacturer is None):
        errors.setdefault("cross_region", []).append(_("一方不在本区登记，属于跨区域委托，请勾选并填写对方所在地"))
    if not data.cross_region:
        data.other_region = ""
    signed, expires = data.agreement_signed_on, data.agreement_expires_on
    if signed and signed > timezone.localdate():
        errors.setdefault("agreement_signed_on", []).append(_("委托协议签订日期不能晚于今天"))
    if signed and expires and expires < signed:
        errors.setdefault("agreement_expires_on", []).append(_("委托协议到期日期不能早于签订日期"))
    if data.is_active:
        data.ended_on = None
    elif data.ended_on is None:
        errors.setdefault("ended_on", []).append(_("委托关系已终止，请填写终止日期"))
    else:
        if data.ended_on > timezone.localdate():
            errors.setdefault("ended_on", []).append(_("终止日期不能晚于今天"))
        if signed and data.ended_on < signed:
            errors.setdefault("ended_on", []).append(_("终止日期不能早于委托协议签订日期"))
    if errors:
        raise ValidationError(errors)
    return data


def _same(a: Enterprise | None, b: Enterprise | None) -> bool:
    return a is not None and b is not None and a.pk == b.pk


def pair_require_edit(user, pair: ContractManufacturing) -> None:
    """Refuse a change by anyone but the lead side's unit (the registrant's, or the manufacturer's when the
    registrant is outside the district) and the district."""
    if pair.registrant_id is not None:
        require_edit(user, pair)
    elif pair.manufacturer is not None:
        require_edit(user, pair.manufacturer)
    else:
        require_write(user)


def can_edit_pair(user, pair: ContractManufacturing) -> bool:
    try:
        pair_require_edit(user, pair)
    except PermissionDenied:
        return False
    return True


_PAIR_FIELDS = ("registrant", "registrant_name", "manufacturer", "manufacturer_name", "product",
                "registration_number", "agreement_signed_on", "agreement_expires_on", "cross_region", "other_region",
                "is_active", "ended_on", "note")


@transaction.atomic
def pair_create(*, data: PairInput, by: User) -> ContractManufacturing:
    """Record a registrant ↔ contract manufacturer pair; a 所 records pairs whose lead side it supervises."""
    require_write(by)
    data = _clean_pair(data)
    pair = ContractManufacturing(created_by=by, **{name: getattr(data, name) for name in _PAIR_FIELDS})
    pair_require_edit(by, pair)
    _save(pair, by=by)
    return pair


@transaction.atomic
def pair_update(*, pair: ContractManufacturing, data: PairInput, by: User,
                version: int | None = None) -> ContractManufacturing:
    """Change a pair (its sides, product, agreement, or end it); the new lead side must be the user's too."""
    pair_require_edit(by, pair)
    data = _clean_pair(data)
    pair = version_lock(pair, version=version, submitted={name: getattr(data, name) for name in _PAIR_FIELDS})
    for name in _PAIR_FIELDS:
        setattr(pair, name, getattr(data, name))
    pair_require_edit(by, pair)
    _save(pair, by=by)
    return pair


# ---------------------------------------------------------------- 异地设库


def can_accept(user) -> bool:
    """The 药械科 records acceptance inspections (also leaders and administrators; never an auditor)."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    if not (scope.district_wide and scope.can_write):
        return False
    unit = getattr(user, "unit", None)
    return bool(user.is_superuser or user.role in ACCEPTANCE_ROLES
                or (unit is not None and unit.kind == UnitKind.SECTION))


def require_accept(user) -> None:
    if not can_accept(user):
        raise PermissionDenied(_("验收检查由药械科记录，监管所不能设置验收日期"))


@dataclass
class WarehouseInput:
    enterprise: Enterprise
    home_enterprise: Enterprise | None
    home_name: str
    home_licence_no: str
    home_bureau: str
    address: str
    subdistrict: Subdistrict
    area_sqm: int | None = None
    remote_monitoring: bool = False
    is_active: bool = True


_WAREHOUSE_FIELDS = ("enterprise", "home_enterprise", "home_name", "home_licence_no", "home_bureau", "address",
                     "subdistrict", "area_sqm", "remote_monitoring", "is_active")


def _clean_warehouse(data: WarehouseInput, *, current: Warehouse | None) -> WarehouseInput:
    errors: dict[str, list[str]] = {}
    data.home_name = data.home_enterprise.name if data.home_enterprise else (data.home_name or "").strip()
    data.home_licence_no = (data.home_licence_no or "").strip()
    data.home_bureau = (data.home_bureau or "").strip()
    data.address = (data.address or "").strip()
    if data.enterprise is not None and not data.enterprise.is_remote_warehouse:
        errors.setdefault("enterprise", []).append(_("库房登记企业须在企业名录中标注为“异地设库”"))
    if data.enterprise is not None:
        taken = Warehouse.objects.filter(enterprise=data.enterprise)
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            errors.setdefault("enterprise", []).append(_("该库房登记企业已有异地设库记录"))
    if _same(data.enterprise, data.home_enterprise):
        errors.setdefault("home_enterprise", []).append(_("设库企业不能是库房登记企业本身"))
    if not data.home_name:
        errors.setdefault("home_name", []).append(_("请填写设库企业名称，或选择本区的设库企业"))
    if not data.home_bureau:
        errors.setdefault("home_bureau", []).append(_("请填写设库企业的许可/备案部门"))
    if not data.address:
        errors.setdefault("address", []).append(_("请填写库房地址"))
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def warehouse_create(*, data: WarehouseInput, by: User) -> Warehouse:
    """Register a 异地设库 warehouse; its daily unit is the 所 of its 街道/镇 (a 所 registers its own only)."""
    data = _clean_warehouse(data, current=None)
    require_unit(by, data.subdistrict.unit_id)
    warehouse = Warehouse(created_by=by, daily_unit=data.subdistrict.unit,
                          **{name: getattr(data, name) for name in _WAREHOUSE_FIELDS})
    _save(warehouse, by=by)
    return warehouse


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, data: WarehouseInput, by: User, version: int | None = None) -> Warehouse:
    """Change a warehouse; moving it to another 街道/镇 moves its daily supervision to that 所."""
    require_edit(by, warehouse)
    data = _clean_warehouse(data, current=warehouse)
    require_unit(by, data.subdistrict.unit_id)
    submitted = {name: getattr(data, name) for name in _WAREHOUSE_FIELDS}
    warehouse = version_lock(warehouse, version=version, submitted=submitted)
    moved = warehouse.subdistrict_id != data.subdistrict.pk
    for name, value in submitted.items():
        setattr(warehouse, name, value)
    warehouse.daily_unit = data.subdistrict.unit
    _save(warehouse, by=by, reason=_("库房所在街道/镇变更，日常监管单位随之调整") if moved else "")
    return warehouse


@transaction.atomic
def warehouse_accept(*, warehouse: Warehouse, accepted_on: datetime.date | None, by: User,
                     version: int | None = None) -> Warehouse:
    """Record (or clear, with ``None``) the 药械科's acceptance inspection date."""
    require_accept(by)
    require_edit(by, warehouse)
    _not_future(accepted_on, "accepted_on", _("验收检查日期"))
    warehouse = version_lock(warehouse, version=version, submitted={"accepted_on": accepted_on})
    warehouse.accepted_on = accepted_on
    _save(warehouse, by=by, reason=_("药械科验收检查") if accepted_on else _("撤销验收日期"))
    return warehouse


def can_log(user, warehouse: Warehouse) -> bool:
    scope = scope_for(user)
    if not scope.can_write:
        return False
    return scope.district_wide or scope.unit_id == warehouse.daily_unit_id


def _check_file(upload) -> None:
    if upload is None:
        return
    try:
        validate_upload(upload, allowed=OFFICE_FILES, max_bytes=MAX_FILE_BYTES,
                        accepted=_("附件只能是 PDF、图片、Word 或 Excel 文件"))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


@transaction.atomic
def exchange_add(*, warehouse: Warehouse, kind: str, on: datetime.date, counterpart: str, content: str,
                 file=None, by: User) -> WarehouseExchange:
    """Log information shared with (or received from) the other bureau, a joint or an acceptance inspection."""
    if not can_log(by, warehouse):
        raise PermissionDenied(_("只有日常监管所或药械科可以登记库房的信息通报"))
    errors: dict[str, list[str]] = {}
    if kind not in ExchangeKind.values:
        errors["kind"] = [_("请选择类型")]
    if on is None:
        errors["on"] = [_("请填写日期")]
    elif on > timezone.localdate():
        errors["on"] = [_("日期不能晚于今天")]
    if not (counterpart or "").strip():
        errors["counterpart"] = [_("请填写对方单位")]
    if not (content or "").strip():
        errors["content"] = [_("请填写内容")]
    if kind == ExchangeKind.ACCEPTANCE and not can_accept(by):
        errors.setdefault("kind", []).append(_("验收检查由药械科记录"))
    if errors:
        raise ValidationError(errors)
    _check_file(file)
    entry = WarehouseExchange(warehouse=warehouse, kind=kind, on=on, counterpart=counterpart.strip(),
                              content=content.strip(), created_by=by)
    if file is not None:
        entry.file.save(os.path.basename(file.name), file, save=False)
    _save(entry, by=by)
    return entry
