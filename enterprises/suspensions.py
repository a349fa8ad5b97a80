"""Production suspensions and resumption (停产/复产): the services (rules in ``enterprises.suspension_rules``).

- An ordered suspension (责令停产整改) cannot end until the cause and the rectification are recorded
  (鹿城计划 二(二)1: 不合格产品的生产企业 … 查明原因、整改到位前不得复产).
- A suspension of a year or more needs a written 复产报告 before production resumes (生产办法第43条).
- Only one suspension of an enterprise is open at a time; the enterprise's status follows it (停产 while
  open, 在营 after 复产), and a plain status change from 停产 to 在营 goes through the same checks.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import EnterpriseStatus
from enterprises.models import Enterprise, ProductionSuspension, SuspensionKind, User
from enterprises.services import enterprise_change_status
from enterprises.suspension_rules import open_suspension, resume_problems
from regsys.scoping import require_edit
from regsys.versioning import version_lock


@transaction.atomic
def suspension_start(
    *,
    enterprise: Enterprise,
    kind: str,
    started_on: datetime.date,
    reason: str,
    by: User,
    source=None,
    source_label: str = "",
) -> ProductionSuspension:
    """Record a suspension and set the enterprise to 停产 (with a status-history row)."""
    require_edit(by, enterprise)
    errors: dict[str, list[str]] = {}
    if kind not in SuspensionKind.values:
        errors["kind"] = [_("未知的停产类型")]
    if not (reason or "").strip():
        errors["reason"] = [_("请填写停产原因")]
    if started_on > timezone.localdate():
        errors["started_on"] = [_("停产日期不能晚于今天")]
    if open_suspension(enterprise) is not None:
        errors["__all__"] = [_("该企业已有未复产的停产记录，请先登记复产")]
    if errors:
        raise ValidationError(errors)
    suspension = ProductionSuspension(
        enterprise=enterprise, kind=kind, started_on=started_on, reason=reason.strip(),
        source_label=source_label, created_by=by,
    )
    if source is not None:
        suspension.source = source
    suspension._history_user = by
    suspension.save()
    if enterprise.status != EnterpriseStatus.PRODUCTION_STOPPED:
        enterprise_change_status(
            enterprise=enterprise, to_status=EnterpriseStatus.PRODUCTION_STOPPED,
            reason=f"{suspension.get_kind_display()}：{suspension.reason}", by=by, effective_on=started_on,
        )
    return suspension


@transaction.atomic
def suspension_record_rectification(
    *,
    suspension: ProductionSuspension,
    cause: str,
    rectification: str,
    by: User,
    recorded_on: datetime.date | None = None,
    version: int | None = None,
) -> ProductionSuspension:
    """Record the cause found and the rectification done (both required)."""
    require_edit(by, suspension)
    suspension = version_lock(suspension, version=version)
    errors = {}
    if not (cause or "").strip():
        errors["cause"] = [_("请填写原因分析")]
    if not (rectification or "").strip():
        errors["rectification"] = [_("请填写整改情况")]
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        errors["rectification_recorded_on"] = [_("记录日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)
    suspension.cause = cause.strip()
    suspension.rectification = rectification.strip()
    suspension.rectification_recorded_on = recorded_on
    suspension._history_user = by
    suspension.save()
    return suspension


@transaction.atomic
def production_resume(
    *,
    suspension: ProductionSuspension,
    resumed_on: datetime.date,
    by: User,
    resume_report=None,
    note: str = "",
    version: int | None = None,
) -> ProductionSuspension:
    """End ``suspension`` (复产) when the rules allow it, and set the enterprise back to 在营."""
    require_edit(by, suspension)
    suspension = version_lock(suspension, version=version)
    if not suspension.is_open:
        raise ValidationError({"__all__": [_("该停产记录已登记复产")]})
    has_report = bool(resume_report) or bool(suspension.resume_report)
    problems = resume_problems(suspension, resumed_on=resumed_on, has_report=has_report)
    if problems:
        raise ValidationError({"resumed_on": problems})
    if resume_report is not None:
        suspension.resume_report = resume_report
    suspension.resumed_on = resumed_on
    suspension.resume_note = (note or "").strip()
    suspension.resumed_by = by
    suspension._history_user = by
    suspension.save()
    enterprise = suspension.enterprise
    if enterprise.status == EnterpriseStatus.PRODUCTION_STOPPED:
        enterprise_change_status(
            enterprise=enterprise, to_status=EnterpriseStatus.ACTIVE,
            reason=_("复产：%(n)s") % {"n": suspension.resume_note or suspension.reason}, by=by,
            effective_on=resumed_on,
        )
    return suspension
