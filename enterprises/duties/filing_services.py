"""Writes of the yearly filings: recording a submission, proposing and confirming 责令改正 with its credit
record, and the year's 年度义务设置. Who owes what is :mod:`enterprises.duties.filing_rules`; every write
checks the unit boundary (``regsys.scoping``) and the record's version.
"""

from __future__ import annotations

import datetime
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.duties import filing_rules as rules
from enterprises.duties.choices import FilingKind, FilingSource, Sector
from enterprises.duties.settings import SETTINGS_FIELDS, duty_settings_for_year
from enterprises.grading.choices import CreditKind
from enterprises.models import AnnualFiling, CreditRecord, DutyYear, Enterprise, User
from regsys.scoping import require_approver, require_edit, require_write, scope_for
from regsys.uploads import DOCUMENTS, MB, validate_upload
from regsys.versioning import version_lock

MAX_FILE_BYTES = 20 * MB
DUTY_MANAGER_MESSAGE = _("只有药械科或系统管理员可以修改年度义务设置")


def validate_filing_file(upload: UploadedFile) -> None:
    """A PDF, JPG/PNG scan or Word document of at most 20 MB whose content matches its extension."""
    validate_upload(upload, allowed=DOCUMENTS, max_bytes=MAX_FILE_BYTES,
                    accepted=_("只能上传 PDF、Word 文档或 JPG、PNG 扫描件"))


def check_submission(*, enterprise: Enterprise, year: int, kind: str, sector: str,
                     submitted_on: datetime.date | None, today: datetime.date | None = None) -> dict[str, list[str]]:
    """The errors of a submission (field → messages); empty when it may be recorded. Shared by the page, the
    API and the import, so the three refuse the same things."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    owed = rules.owed_sectors(enterprise, kind)
    if sector not in owed:
        names = "、".join(str(Sector(s).label) for s in owed) or _("无")
        errors["sector"] = [_("该企业不承担“%(sector)s”环节的%(kind)s（应报环节：%(owed)s）") % {
            "sector": Sector(sector).label if sector in Sector.values else sector,
            "kind": FilingKind(kind).label, "owed": names}]
    if submitted_on is None:
        errors["submitted_on"] = [_("请填写提交日期")]
    elif submitted_on > today:
        errors["submitted_on"] = [_("提交日期不能晚于今天")]
    elif submitted_on < datetime.date(year - 1, 1, 1):
        errors["submitted_on"] = [_("提交日期早于%(y)s年，不属于%(year)s年度的报送") % {"y": year - 1, "year": year}]
    return errors


@transaction.atomic
def filing_record(*, enterprise: Enterprise, year: int, kind: str, sector: str, submitted_on: datetime.date,
                  by: User, file: UploadedFile | None = None, note: str = "", version: int | None = None,
                  source: str = FilingSource.MANUAL) -> AnnualFiling:
    """Record that ``enterprise`` filed ``kind`` for ``sector`` in ``year`` on ``submitted_on`` (with the file).

    The first record creates the filing row; a later one updates it (``version`` from the page or the API). A
    proposed 责令改正 stays on the row: the filing is then 逾期提交.
    """
    require_edit(by, enterprise)
    errors = check_submission(enterprise=enterprise, year=year, kind=kind, sector=sector, submitted_on=submitted_on)
    if file is not None:
        try:
            validate_filing_file(file)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    filing = AnnualFiling.objects.filter(enterprise=enterprise, year=year, kind=kind, sector=sector).first()
    if filing is None:
        filing = AnnualFiling(enterprise=enterprise, year=year, kind=kind, sector=sector, created_by=by)
    else:
        filing = version_lock(filing, version=version, submitted={"submitted_on": submitted_on, "note": note})
    filing.submitted_on = submitted_on
    filing.note = note
    filing.source = source
    if file is not None:
        filing.file.save(os.path.basename(file.name), file, save=False)
    filing._history_user = by
    filing.save()
    return filing


def _order_reason(filing: AnnualFiling) -> str:
    return _("未按期（%(due)s前）提交%(kind)s（%(year)s年，%(sector)s环节），责令改正") % {
        "due": f"{rules.due_date(filing.year, filing.kind):%Y年%m月%d日}", "year": filing.year,
        "kind": filing.get_kind_display(), "sector": filing.get_sector_display()}


def _require_missing(*, enterprise: Enterprise, year: int, kind: str, sector: str, today: datetime.date) -> None:
    if kind not in rules.ORDER_KINDS:
        raise ValidationError(_("%(kind)s未提交不拟责令改正") % {"kind": FilingKind(kind).label})
    if today <= rules.due_date(year, kind):
        raise ValidationError(_("截止日期（%(due)s）未过，不能拟责令改正") % {"due": f"{rules.due_date(year, kind):%Y-%m-%d}"})
    if not rules.counts_as_owed(kind=kind, sector=sector) or sector not in rules.owed_sectors(enterprise, kind):
        raise ValidationError(_("该企业不承担“%(sector)s”环节的报送义务") % {"sector": Sector(sector).label})


@transaction.atomic
def order_propose(*, enterprise: Enterprise, year: int, sector: str, by: User,
                  today: datetime.date | None = None) -> AnnualFiling:
    """After the due date, propose 责令改正 and a credit record for a missing self-report (a 所 or the 药械科);
    the chief confirms it (:func:`order_confirm`)."""
    today = today or timezone.localdate()
    kind = FilingKind.SELF_REPORT
    require_edit(by, enterprise)
    _require_missing(enterprise=enterprise, year=year, kind=kind, sector=sector, today=today)
    filing, _created = AnnualFiling.objects.get_or_create(
        enterprise=enterprise, year=year, kind=kind, sector=sector, defaults={"created_by": by})
    filing = version_lock(filing, version=None)
    if filing.submitted_on is not None:
        raise ValidationError(_("该企业已于%(d)s提交，无需责令改正") % {"d": f"{filing.submitted_on:%Y-%m-%d}"})
    if filing.order_proposed_on is not None:
        raise ValidationError(_("已于%(d)s拟责令改正") % {"d": f"{filing.order_proposed_on:%Y-%m-%d}"})
    filing.order_proposed_on = today
    filing._history_user = by
    filing.save()
    return filing


@transaction.atomic
def order_confirm(*, filing: AnnualFiling, by: User, version: int | None = None,
                  today: datetime.date | None = None) -> AnnualFiling:
    """The chief confirms a proposed 责令改正: a bad-credit record is written and the order stamped confirmed.

    Only leaders (科长/局领导) and administrators confirm; a filing submitted meanwhile needs no order.
    """
    today = today or timezone.localdate()
    require_approver(by)
    require_edit(by, filing.enterprise)
    filing = version_lock(filing, version=version)
    if filing.order_proposed_on is None:
        raise ValidationError(_("尚未拟责令改正，不能确认"))
    if filing.order_confirmed_on is not None:
        raise ValidationError(_("已于%(d)s确认") % {"d": f"{filing.order_confirmed_on:%Y-%m-%d}"})
    if filing.submitted_on is not None:
        raise ValidationError(_("该企业已于%(d)s提交，无需责令改正") % {"d": f"{filing.submitted_on:%Y-%m-%d}"})
    credit = CreditRecord(enterprise=filing.enterprise, kind=CreditKind.BAD_CREDIT, recorded_on=today,
                          reason=_order_reason(filing)[:300], created_by=by)
    credit._history_user = by
    credit.save()
    filing.order_confirmed_on = today
    filing.order_confirmed_by = by
    filing.credit_record = credit
    filing._history_user = by
    filing.save()
    return filing


def is_duty_manager(user) -> bool:
    """The 药械科 (and leaders, administrators) who may change the year's 年度义务设置; auditors never."""
    from enterprises.choices import Role, UnitKind

    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    if not (scope.district_wide and scope.can_write):
        return False
    unit = getattr(user, "unit", None)
    return bool(user.is_superuser or user.role in {Role.ADMIN, Role.LEADER, Role.SECTION_STAFF}
                or (unit is not None and unit.kind == UnitKind.SECTION))


@transaction.atomic
def duty_year_update(*, year: int, changes: dict, by: User) -> DutyYear:
    """Save the year's 年度义务设置 (created from the previous year's on its first save)."""
    require_write(by)
    if not is_duty_manager(by):
        raise PermissionDenied(DUTY_MANAGER_MESSAGE)
    record = duty_settings_for_year(year)
    unknown = set(changes) - set(SETTINGS_FIELDS) - {"notes"}
    if unknown:
        raise ValidationError(_("不能修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    if record.pk is not None:
        record = version_lock(record, version=None)
    merged = {name: getattr(record, name) for name in (*SETTINGS_FIELDS, "notes")} | changes
    errors: dict[str, list[str]] = {}
    for name in ("self_report_due", "responsibility_due"):
        day = merged.get(name)
        if day is None:
            errors[name] = [_("请填写截止日期")]
        elif day.year != year:
            errors[name] = [_("截止日期应在%(y)s年内") % {"y": year}]
    if merged["renewal_window_start"] <= merged["renewal_window_end"]:
        errors["renewal_window_start"] = [_("提醒起应早于提醒止（到期前工作日数更大）")]
    if merged.get("long_suspension_days") in (None, 0):
        errors["long_suspension_days"] = [_("请填写天数")]
    if errors:
        raise ValidationError(errors)
    for name, value in merged.items():
        setattr(record, name, value)
    record.updated_by = by
    record._history_user = by
    record.save()
    return record
