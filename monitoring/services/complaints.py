"""Writes of complaints and public opinion (投诉举报、舆情): light records that can become risk sources.

A 监管所 records for its own unit; the 药械科 (district) for any unit. A record already taken into the
risk register is not deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Unit, User
from monitoring.choices import ComplaintKind
from monitoring.models import Complaint, Risk
from regsys.scoping import referable, require_edit, require_unit, scope_for
from regsys.validators import MIN_YEAR
from regsys.versioning import version_lock

EDITABLE_FIELDS = ("kind", "received_on", "source", "reference", "enterprise", "subject_name", "product", "summary",
                   "handling", "substantiated", "handled_on")


@dataclass
class ComplaintInput:
    """What a page or the API submits for one record."""

    kind: str
    received_on: dt.date
    source: str
    summary: str
    reference: str = ""
    enterprise: Enterprise | None = None
    subject_name: str = ""
    product: str = ""
    handling: str = ""
    substantiated: bool | None = None
    handled_on: dt.date | None = None


def _clean(data: ComplaintInput, *, by: User, kept_enterprise_id: int | None = None) -> ComplaintInput:
    """Trim and check the input; ``kept_enterprise_id`` (the record's own enterprise) stays a valid choice."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    for name in ("source", "reference", "subject_name", "product", "summary", "handling"):
        setattr(data, name, (getattr(data, name) or "").strip())
    if data.kind not in ComplaintKind.values:
        errors["kind"] = _("请选择类别")
    if data.received_on.year < MIN_YEAR:
        errors["received_on"] = _("受理/发现日期不能早于%(y)s年") % {"y": MIN_YEAR}
    elif data.received_on > today:
        errors["received_on"] = _("受理/发现日期不能晚于今天")
    if not data.source:
        errors["source"] = _("请填写来源渠道")
    if not data.summary:
        errors["summary"] = _("请填写内容摘要")
    if data.enterprise is not None:
        if data.enterprise.pk != kept_enterprise_id and not referable(
                Enterprise.objects.filter(pk=data.enterprise.pk), by).exists():
            errors["enterprise"] = _("该企业不在你的监管范围内")
        elif not data.subject_name:
            data.subject_name = data.enterprise.name
    if data.enterprise is None and not data.subject_name and not data.product:
        errors["subject_name"] = _("请选择涉及企业，或填写涉及单位名称或涉及产品")
    if data.handled_on is not None:
        if data.handled_on > today:
            errors["handled_on"] = _("办结日期不能晚于今天")
        elif data.handled_on < data.received_on:
            errors["handled_on"] = _("办结日期不能早于受理/发现日期")
        elif not data.handling:
            errors["handling"] = _("办结时请填写处理情况")
    if data.substantiated is not None and not data.handling:
        errors.setdefault("handling", _("填写核查结论时请同时填写处理情况"))
    if errors:
        raise ValidationError(errors)
    return data


def _save(complaint: Complaint, *, by: User | None, reason: str = "") -> Complaint:
    complaint._history_user = by
    if reason:
        complaint._change_reason = reason
    complaint.save()
    return complaint


def _apply(complaint: Complaint, data: ComplaintInput) -> None:
    for name in EDITABLE_FIELDS:
        setattr(complaint, name, getattr(data, name))


@transaction.atomic
def complaint_create(*, data: ComplaintInput, unit: Unit | None = None, by: User) -> Complaint:
    """Record a complaint or a piece of public opinion for ``unit`` (default: the enterprise's 所, else the user's)."""
    data = _clean(data, by=by)
    if unit is None:
        district = scope_for(by).district_wide
        if district and data.enterprise is not None and data.enterprise.owning_unit_id:
            unit = data.enterprise.owning_unit
        else:
            unit = by.unit
    if unit is None:
        raise ValidationError({"unit": _("请选择承办单位")})
    require_unit(by, unit.pk)
    complaint = Complaint(unit=unit, created_by=by)
    _apply(complaint, data)
    return _save(complaint, by=by)


@transaction.atomic
def complaint_update(*, complaint: Complaint, data: ComplaintInput, unit: Unit | None = None, by: User,
                     version: int | None = None) -> Complaint:
    """Change a record (its handling above all); the 药械科 may hand it to another unit."""
    require_edit(by, complaint)
    submitted = {name: getattr(data, name) for name in EDITABLE_FIELDS}
    if unit is not None:
        submitted["unit"] = unit
    complaint = version_lock(complaint, version=version, submitted=submitted)
    if unit is not None and unit.pk != complaint.unit_id:
        require_unit(by, unit.pk)
        complaint.unit = unit
    # The enterprise already on the record stays a valid choice (a district user may have named another 所's).
    data = _clean(data, by=by, kept_enterprise_id=complaint.enterprise_id)
    _apply(complaint, data)
    return _save(complaint, by=by)


def complaint_in_register(complaint: Complaint) -> bool:
    """Whether a risk of the register was taken from this record."""
    return Risk.objects.filter(source_type=ContentType.objects.get_for_model(Complaint),
                               source_id=complaint.pk).exists()


@transaction.atomic
def complaint_delete(*, complaint: Complaint, by: User) -> None:
    """Delete a record entered by mistake; one taken into the risk register stays."""
    require_edit(by, complaint)
    if complaint_in_register(complaint):
        raise ValidationError(_("该记录已纳入风险清单，不能删除"))
    complaint._history_user = by
    complaint.delete()
