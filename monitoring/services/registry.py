"""Writes of the AE quotas' registry-side inputs: registrant registrations, population figures, the year's
settings and training courses. Every change writes its history row (who, why) in the same transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import ACTIVE_STATUSES
from enterprises.models import Enterprise, Subdistrict, Unit, User
from inspections.services.attachments import validate_upload
from monitoring.access import require_ae_manager
from monitoring.models import (
    MonitoringSettings,
    PopulationFigure,
    RegistrantRegistration,
    TrainingAttendance,
    TrainingCourse,
)
from monitoring.registry_selectors import SETTINGS_FIELDS, settings_for_year
from regsys.scoping import referable, require_edit, require_unit
from regsys.validators import MAX_STAFF_COUNT, MAX_YEAR, MIN_YEAR
from regsys.versioning import version_lock

# A 街道/镇 of more than twenty million people is a typing error, not a figure.
MAX_POPULATION = 20_000_000


def _save(obj: Model, *, by: User | None, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("年度须在%(a)s–%(b)s之间") % {"a": MIN_YEAR, "b": MAX_YEAR}})


# ---------------------------------------------------------------- registrant registration


@transaction.atomic
def registration_ensure(*, enterprise: Enterprise) -> RegistrantRegistration:
    """The registration record of a 注册人/备案人, created (未注册) when it has none yet."""
    if not enterprise.is_registrant:
        raise ValidationError(_("“%(name)s”不是注册人/备案人") % {"name": enterprise.name})
    record = RegistrantRegistration.objects.filter(enterprise=enterprise).first()
    if record is None:
        record = RegistrantRegistration(enterprise=enterprise)
        try:
            with transaction.atomic():
                _save(record, by=None, reason=_("注册人/备案人首次列入"))
        except IntegrityError:  # created by a concurrent request
            record = RegistrantRegistration.objects.get(enterprise=enterprise)
    return record


@transaction.atomic
def registration_update(
    *, enterprise: Enterprise, registered: bool, registered_on: date | None, note: str = "", by: User,
    evidence: UploadedFile | None = None, clear_evidence: bool = False, version: int | None = None,
) -> RegistrantRegistration:
    """Record whether a registrant holds an account in the national AE monitoring system.

    Registered needs its date (not in the future); 未注册 takes no date. ``evidence`` (JPG, PNG or PDF,
    checked as inspection attachments are) replaces the stored file; ``clear_evidence`` removes it.
    """
    require_edit(by, enterprise)
    if enterprise.status not in ACTIVE_STATUSES:
        raise ValidationError(_("该企业已注销或吊销，不再统计注册情况"))
    record = registration_ensure(enterprise=enterprise)
    record = version_lock(record, version=version, submitted={
        "registered": registered, "registered_on": registered_on, "note": note})
    errors: dict[str, list[str]] = {}
    if registered and registered_on is None:
        errors["registered_on"] = [_("已注册的须填写注册日期")]
    if not registered and registered_on is not None:
        errors["registered_on"] = [_("未注册的不填写注册日期")]
    if registered_on is not None and registered_on > timezone.localdate():
        errors["registered_on"] = [_("注册日期不能晚于今天")]
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = [_("备注不能超过200字")]
    if evidence is not None:
        try:
            validate_upload(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors:
        raise ValidationError(errors)
    old_file = record.evidence.name if record.evidence else ""
    record.registered, record.registered_on, record.note, record.updated_by = registered, registered_on, note, by
    reason = ""
    if evidence is not None:
        ext = os.path.splitext(evidence.name or "")[1].lower()
        record.evidence_name = os.path.basename(evidence.name or "")[:200]
        record.evidence.save(f"evidence{ext}", evidence, save=False)
        reason = _("上传佐证材料：%(name)s") % {"name": record.evidence_name}
    elif clear_evidence and old_file:
        record.evidence, record.evidence_name = "", ""
        reason = _("删除佐证材料")
    _save(record, by=by, reason=reason)
    if old_file and old_file != (record.evidence.name or ""):
        storage = record.evidence.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return record


# ---------------------------------------------------------------- population


@dataclass(frozen=True)
class PopulationRow:
    """One 街道/镇's figure as entered; ``population`` None with an empty source means "not entered"."""

    subdistrict: Subdistrict
    population: int | None
    source: str = ""
    version: int | None = None


@transaction.atomic
def population_save(*, year: int, rows: list[PopulationRow], by: User) -> list[PopulationFigure]:
    """Write the year's 常住人口 of the given 街道/镇 (all rows or none).

    A row with a figure needs its 数据来源; a row left empty removes that year's figure of the 街道/镇.
    Each existing figure is checked against the version the editor read (``regsys.versioning``).
    """
    require_ae_manager(by)
    _check_year(year)
    errors: list[str] = []
    seen: set[int] = set()
    for row in rows:
        name = row.subdistrict.name
        if row.subdistrict.pk in seen:
            errors.append(_("%(name)s：重复填写") % {"name": name})
        seen.add(row.subdistrict.pk)
        source = (row.source or "").strip()
        if row.population is None:
            if source:
                errors.append(_("%(name)s：填写了数据来源，请同时填写常住人口") % {"name": name})
            continue
        if row.population < 0:
            errors.append(_("%(name)s：常住人口不能为负数") % {"name": name})
        elif row.population > MAX_POPULATION:
            errors.append(_("%(name)s：常住人口不能超过%(n)s") % {"name": name, "n": MAX_POPULATION})
        if not source:
            errors.append(_("%(name)s：请填写数据来源") % {"name": name})
        elif len(source) > 200:
            errors.append(_("%(name)s：数据来源不能超过200字") % {"name": name})
    if errors:
        raise ValidationError(errors)
    existing = {f.subdistrict_id: f for f in PopulationFigure.objects.filter(year=year, subdistrict__in=seen)}
    saved = []
    for row in rows:
        figure = existing.get(row.subdistrict.pk)
        source = (row.source or "").strip()
        if figure is not None:
            figure = version_lock(figure, version=row.version, submitted={
                "population": row.population, "source": source})
            if row.population is None:
                figure._history_user = by
                figure.delete()
                continue
            if (figure.population, figure.source) == (row.population, source):
                saved.append(figure)
                continue
            figure.population, figure.source, figure.updated_by = row.population, source, by
            _save(figure, by=by)
            saved.append(figure)
        elif row.population is not None:
            figure = PopulationFigure(year=year, subdistrict=row.subdistrict, population=row.population,
                                      source=source, updated_by=by)
            _save(figure, by=by)
            saved.append(figure)
    return saved


# ---------------------------------------------------------------- settings

@transaction.atomic
def settings_ensure(*, year: int) -> MonitoringSettings:
    """The year's settings, created on first use as a copy of the previous year's (else the defaults)."""
    _check_year(year)
    record = settings_for_year(year)
    if record.pk is None:
        try:
            with transaction.atomic():
                _save(record, by=None, reason=_("按上年设置或默认值创建"))
        except IntegrityError:  # created by a concurrent request
            record = MonitoringSettings.objects.get(year=year)
    return record


def _check_settings(values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if values["per_million_target"] is not None and not (
            Decimal(0) < Decimal(values["per_million_target"]) <= Decimal(100000)):
        bad("per_million_target", _("每百万人口报告数目标须大于0且不超过100000"))
    for name in ("registration_target", "coverage_target"):
        if not Decimal(0) <= Decimal(values[name]) <= Decimal(100):
            bad(name, _("百分比须在0–100之间"))
    for name in ("death_limit_days", "serious_limit_days", "evaluation_due_days", "cluster_window_days"):
        if not 1 <= int(values[name]) <= 366:
            bad(name, _("天数须在1–366之间"))
    if not 2 <= int(values["cluster_min_reports"]) <= 1000:
        bad("cluster_min_reports", _("聚集性信号的报告数须在2–1000之间"))
    if int(values["death_limit_days"]) > int(values["serious_limit_days"]):
        bad("death_limit_days", _("死亡事件的报告时限不应长于严重伤害事件"))
    return errors


@transaction.atomic
def settings_update(*, record: MonitoringSettings, changes: dict, by: User,
                    version: int | None = None) -> MonitoringSettings:
    """Change the year's targets and rules (药械科 or administrator only)."""
    require_ae_manager(by)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings fields: {sorted(unknown)}")
    record = version_lock(record, version=version, submitted=changes)
    values = {name: changes.get(name, getattr(record, name)) for name in SETTINGS_FIELDS}
    errors = _check_settings(values)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(record, name, value)
    record.updated_by = by
    try:
        record.full_clean(exclude=["year", "updated_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    _save(record, by=by)
    return record


# ---------------------------------------------------------------- training


@dataclass(frozen=True)
class AttendanceInput:
    enterprise: Enterprise
    people: int
    names: str = ""


def _names(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", " ", "\u3000"):
        text = text.replace(sep, "、")
    return [part for part in (p.strip() for p in text.split("、")) if part]


def _check_course(*, held_on: date, topic: str, attendances: list[AttendanceInput], by: User,
                  already: set[int] = frozenset()) -> None:
    """``already``: enterprises the course lists now (a district user may have added another unit's)."""
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("请填写培训日期")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("培训日期不能晚于今天")]
    if not (topic or "").strip():
        errors["topic"] = [_("请填写培训主题")]
    rows: list[str] = []
    if not attendances:
        rows.append(_("请至少填写一家参训企业"))
    allowed = set(referable(Enterprise.objects.filter(pk__in=[a.enterprise.pk for a in attendances]), by)
                  .values_list("pk", flat=True)) | set(already)
    seen: set[int] = set()
    for row in attendances:
        name = row.enterprise.name
        if row.enterprise.pk not in allowed:
            rows.append(_("%(name)s：不在你的监管范围内") % {"name": name})
        if row.enterprise.pk in seen:
            rows.append(_("%(name)s：重复填写") % {"name": name})
        seen.add(row.enterprise.pk)
        if row.people is None or not 1 <= row.people <= MAX_STAFF_COUNT:
            rows.append(_("%(name)s：参训人数须在1–%(n)s之间") % {"name": name, "n": MAX_STAFF_COUNT})
        elif len(_names(row.names or "")) > row.people:
            rows.append(_("%(name)s：填写的参训人员多于参训人数") % {"name": name})
        if len(row.names or "") > 300:
            rows.append(_("%(name)s：参训人员不能超过300字") % {"name": name})
    if rows:
        errors["attendances"] = rows
    if errors:
        raise ValidationError(errors)


def _set_attendances(course: TrainingCourse, attendances: list[AttendanceInput]) -> None:
    course.attendances.all().delete()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(course=course, enterprise=a.enterprise, people=a.people, names="、".join(_names(a.names)))
        for a in attendances
    )


def _attendance_reason(attendances: list[AttendanceInput]) -> str:
    listed = "、".join(f"{a.enterprise.name}{a.people}人" for a in attendances)
    return (_("参训企业：%(list)s") % {"list": listed})[:100]


@transaction.atomic
def training_create(
    *, held_on: date, topic: str, unit: Unit | None = None, location: str = "", note: str = "",
    attendances: list[AttendanceInput], by: User,
) -> TrainingCourse:
    """Record a course held for enterprises; a 监管所 records its own unit's courses."""
    unit = unit or by.unit
    if unit is None:
        raise ValidationError({"unit": _("请选择组织单位")})
    require_unit(by, unit.pk)
    _check_course(held_on=held_on, topic=topic, attendances=attendances, by=by)
    course = TrainingCourse(held_on=held_on, topic=topic.strip(), unit=unit, location=(location or "").strip(),
                            note=(note or "").strip())
    _save(course, by=by, reason=_attendance_reason(attendances))
    _set_attendances(course, attendances)
    return course


@transaction.atomic
def training_update(
    *, course: TrainingCourse, held_on: date, topic: str, location: str = "", note: str = "",
    attendances: list[AttendanceInput], by: User, version: int | None = None,
) -> TrainingCourse:
    """Change a course and replace its list of attending enterprises."""
    require_edit(by, course)
    course = version_lock(course, version=version, submitted={
        "held_on": held_on, "topic": topic, "location": location, "note": note})
    _check_course(held_on=held_on, topic=topic, attendances=attendances, by=by,
                  already=set(course.attendances.values_list("enterprise_id", flat=True)))
    course.held_on, course.topic = held_on, topic.strip()
    course.location, course.note = (location or "").strip(), (note or "").strip()
    _save(course, by=by, reason=_attendance_reason(attendances))
    _set_attendances(course, attendances)
    return course
