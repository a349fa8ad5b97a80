"""The rules of production suspensions (停产/复产), read by the status service and the suspension services.

- An ordered suspension (责令停产整改) cannot end until the cause and the rectification are recorded
  (鹿城计划 二(二)1: 不合格产品的生产企业 … 查明原因、整改到位前不得复产).
- A suspension of a year or more needs a written 复产报告 before production resumes (生产办法第43条).
- Only one suspension of an enterprise is open at a time; a plain status change from 停产 to 在营 goes
  through the same checks.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import EnterpriseStatus
from enterprises.duties.settings import duty_settings_for_year
from enterprises.models import Enterprise, ProductionSuspension, SuspensionKind

# A suspension this long or longer needs a written 复产报告 (生产办法第43条: 连续停产一年以上).
LONG_SUSPENSION_DAYS = 365  # the default; a year's duty settings (长期停产天数) may change it


def long_suspension_days(on: datetime.date) -> int:
    """Days of suspension from which a written 复产报告 is required, by the settings of the year of ``on``."""
    return duty_settings_for_year(on.year).long_suspension_days or LONG_SUSPENSION_DAYS


def open_suspension(enterprise: Enterprise) -> ProductionSuspension | None:
    return enterprise.suspensions.filter(resumed_on__isnull=True).order_by("-started_on").first()


def resume_problems(suspension: ProductionSuspension, *, resumed_on: datetime.date, has_report: bool) -> list[str]:
    """Why ``suspension`` may not end on ``resumed_on`` (empty: it may)."""
    problems = []
    if suspension.kind == SuspensionKind.ORDERED and not suspension.rectification_recorded:
        problems.append(_("责令停产整改尚未记录原因分析和整改情况，不能复产"))
    if (resumed_on - suspension.started_on).days >= long_suspension_days(resumed_on) and not has_report:
        problems.append(_("连续停产一年以上，复产前须上传书面复产报告"))
    if resumed_on < suspension.started_on:
        problems.append(_("复产日期不能早于停产日期"))
    if resumed_on > timezone.localdate():
        problems.append(_("复产日期不能晚于今天"))
    return problems


def status_change_problems(enterprise: Enterprise, *, to_status: str, effective_on: datetime.date) -> list[str]:
    """What blocks a plain status change 停产 → 在营 while a suspension is open (read by the status service)."""
    if enterprise.status != EnterpriseStatus.PRODUCTION_STOPPED or to_status != EnterpriseStatus.ACTIVE:
        return []
    suspension = open_suspension(enterprise)
    if suspension is None:
        return []
    return resume_problems(suspension, resumed_on=effective_on, has_report=bool(suspension.resume_report))
