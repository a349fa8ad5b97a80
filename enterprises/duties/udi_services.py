"""Writes of the UDI rollout: a hospital's status in a year (with its evidence) and a manufacturer's coding
record per batch. Every change is checked against the user's unit and the version read, and kept in history.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from enterprises.duties.choices import UdiBatch, UdiCoding, UdiStatus
from enterprises.duties.udi_rules import udi_hospital_q, udi_manufacturer_q
from enterprises.models import Enterprise, HospitalUdi, ManufacturerUdi, User
from regsys.scoping import require_edit, require_write
from regsys.uploads import MB, SCANS, validate_upload
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import version_lock

MAX_EVIDENCE_BYTES = 10 * MB


def evidence_validate(upload: UploadedFile) -> str:
    """The lower-case extension of an acceptable evidence file (PDF, JPG, PNG ≤ 10 MB), else a Chinese error."""
    return validate_upload(upload, allowed=SCANS, max_bytes=MAX_EVIDENCE_BYTES,
                           accepted=_("佐证材料只能是 PDF 扫描件或 JPG、PNG 图片"))


def _save(record, *, by: User | None, reason: str = "") -> None:
    record.updated_by = by
    record.save()
    if reason:
        update_change_reason(record, reason)


# ---------------------------------------------------------------- hospitals


@transaction.atomic
def hospital_udi_record(
    *, enterprise: Enterprise, year: int, status: str, status_on: datetime.date | None, note: str = "",
    evidence: UploadedFile | None = None, clear_evidence: bool = False, by: User, version: int | None = None,
) -> HospitalUdi:
    """Record a 三甲 hospital's UDI application status in ``year`` (creates the year's row on first save).

    部署中 and 已应用 need their date (not in the future); 已应用 needs an evidence file (PDF/JPG/PNG) on the
    record. ``version`` is the one read (a hospital without a row reads version 1): a stale one is refused.
    """
    require_write(by)
    require_edit(by, enterprise)
    if not Enterprise.objects.filter(udi_hospital_q(), pk=enterprise.pk).exists():
        raise ValidationError(_("该单位不是在管的三级甲等医院，不统计UDI应用情况"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": [_("年度不正确")]})
    record = HospitalUdi.objects.filter(enterprise=enterprise, year=year).first()
    if record is None:
        if version not in (None, 1):
            raise ValidationError(_("该医院本年度的记录已不存在，请刷新后重新填写"))
        try:
            with transaction.atomic():
                record = HospitalUdi.objects.create(enterprise=enterprise, year=year, updated_by=by)
                update_change_reason(record, _("首次登记"))
        except IntegrityError:  # created by a concurrent request: the version check below decides
            record = HospitalUdi.objects.get(enterprise=enterprise, year=year)
    submitted = {"status": status, "status_on": status_on, "note": note}
    record = version_lock(record, version=version, submitted=submitted)
    errors: dict[str, list[str]] = {}
    if status not in UdiStatus.values:
        errors["status"] = [_("请选择UDI应用状态")]
    if status in (UdiStatus.DEPLOYING, UdiStatus.APPLIED) and status_on is None:
        errors["status_on"] = [_("部署中或已应用的须填写状态日期")]
    if status_on is not None and status_on > timezone.localdate():
        errors["status_on"] = [_("状态日期不能晚于今天")]
    if status_on is not None and status_on.year > year:
        errors["status_on"] = [_("状态日期不能晚于%(y)s年度") % {"y": year}]
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = [_("说明不能超过300字")]
    if evidence is not None:
        try:
            evidence_validate(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    keeps_file = bool(record.evidence) and not clear_evidence
    if status == UdiStatus.APPLIED and evidence is None and not keeps_file and "evidence" not in errors:
        errors["evidence"] = [_("已应用的须上传佐证材料（如UDI系统应用截图或验收文件）")]
    if errors:
        raise ValidationError(errors)
    old_file = record.evidence.name if record.evidence else ""
    record.status, record.status_on, record.note = status, status_on, note
    reason = ""
    if evidence is not None:
        ext = os.path.splitext(evidence.name or "")[1].lower()
        record.evidence.save(f"udi-evidence{ext}", evidence, save=False)
        reason = _("上传佐证材料：%(name)s") % {"name": os.path.basename(evidence.name or "")[:100]}
    elif clear_evidence and old_file:
        record.evidence = ""
        reason = _("删除佐证材料")
    _save(record, by=by, reason=reason)
    if old_file and old_file != (record.evidence.name or ""):
        storage = record.evidence.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return record


# ---------------------------------------------------------------- manufacturers


@dataclass(frozen=True)
class ManufacturerUdiInput:
    enterprise: Enterprise
    batch: str
    coding: str
    products: str = ""
    checked_on: datetime.date | None = None
    note: str = ""


def _manufacturer_errors(data: ManufacturerUdiInput, *, record: ManufacturerUdi | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not Enterprise.objects.filter(udi_manufacturer_q(), pk=data.enterprise.pk).exists():
        errors["enterprise"] = [_("请选择在管的生产企业或注册人/备案人")]
    if data.batch not in UdiBatch.values:
        errors["batch"] = [_("请选择实施批次")]
    if data.coding not in UdiCoding.values:
        errors["coding"] = [_("请选择赋码情况")]
    if data.checked_on is not None and data.checked_on > timezone.localdate():
        errors["checked_on"] = [_("核查日期不能晚于今天")]
    if len(data.products) > 300:
        errors["products"] = [_("涉及产品不能超过300字")]
    if len(data.note) > 300:
        errors["note"] = [_("说明不能超过300字")]
    clash = ManufacturerUdi.objects.filter(enterprise=data.enterprise, batch=data.batch)
    if record is not None:
        clash = clash.exclude(pk=record.pk)
    if "enterprise" not in errors and clash.exists():
        errors["batch"] = [_("该企业此批次已有记录，请修改原记录")]
    return errors


def _clean(data: ManufacturerUdiInput) -> ManufacturerUdiInput:
    return ManufacturerUdiInput(enterprise=data.enterprise, batch=data.batch, coding=data.coding,
                                products=(data.products or "").strip(), checked_on=data.checked_on,
                                note=(data.note or "").strip())


@transaction.atomic
def manufacturer_udi_create(*, data: ManufacturerUdiInput, by: User) -> ManufacturerUdi:
    """Record a manufacturer's UDI coding for one batch (one record per enterprise and batch)."""
    require_write(by)
    require_edit(by, data.enterprise)
    data = _clean(data)
    errors = _manufacturer_errors(data, record=None)
    if errors:
        raise ValidationError(errors)
    record = ManufacturerUdi(enterprise=data.enterprise, batch=data.batch, coding=data.coding,
                             products=data.products, checked_on=data.checked_on, note=data.note)
    try:
        with transaction.atomic():
            _save(record, by=by)
    except IntegrityError:
        raise ValidationError({"batch": [_("该企业此批次已有记录，请修改原记录")]}) from None
    return record


@transaction.atomic
def manufacturer_udi_update(*, record: ManufacturerUdi, data: ManufacturerUdiInput, by: User,
                            version: int | None) -> ManufacturerUdi:
    """Change a coding record (the enterprise stays; batch, coding, products, check date, note may change)."""
    require_write(by)
    require_edit(by, record)
    data = _clean(ManufacturerUdiInput(enterprise=record.enterprise, batch=data.batch, coding=data.coding,
                                       products=data.products, checked_on=data.checked_on, note=data.note))
    record = version_lock(record, version=version, submitted={
        "batch": data.batch, "coding": data.coding, "products": data.products, "checked_on": data.checked_on,
        "note": data.note})
    errors = _manufacturer_errors(data, record=record)
    if errors:
        raise ValidationError(errors)
    record.batch, record.coding, record.products = data.batch, data.coding, data.products
    record.checked_on, record.note = data.checked_on, data.note
    _save(record, by=by)
    return record
