"""Demo of licence expiry and 复产 (runs after the inspections demo, see ``regsys.bootstrap.DEMO_SEEDERS``):

- a 所's class-3 operator whose licence expired six weeks ago and is still 在营 (flagged everywhere);
- three licences in their renewal window (90–30 working days before expiry);
- a manufacturer that restarts after 14 months: 停产 (the 所 of its 街道 supervises meanwhile), 复产 with the
  written report five days ago, no inspection since → 复产后跟踪检查 proposed in the 药械科's 待办.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef, Q

from enterprises.choices import EnterpriseStatus, LicenceKind, LicenceStatus, Role, UnitKind
from enterprises.duties.expiry import RENEWAL_KINDS, expiry_settings
from enterprises.models import Enterprise, Licence, SuspensionKind, User
from enterprises.suspensions import production_resume, suspension_start
from enterprises.workdays import add_working_days

RESUME_REPORT = """鹿城区市场监督管理局：
我公司因厂房搬迁于{start}起停止生产，现新厂房洁净车间已通过第三方检测，生产设备完成安装确认和运行确认，
质量管理体系已按《医疗器械生产质量管理规范》自查整改完毕，拟于{end}恢复生产，特此报告。
"""


def _section_user() -> User | None:
    return User.objects.filter(role=Role.SECTION_STAFF, is_active=True).order_by("pk").first()


def _expired_operator(ctx) -> str:
    licence = (Licence.objects.filter(kind=LicenceKind.OPERATION_LICENCE, status=LicenceStatus.VALID,
                                      enterprise__status=EnterpriseStatus.ACTIVE, enterprise__is_manufacturer=False,
                                      enterprise__owning_unit__kind=UnitKind.STATION)
               .select_related("enterprise").order_by("pk").first())
    if licence is None:
        return "没有可用的第三类经营企业"
    licence.expires_on = ctx.today - dt.timedelta(days=42)
    licence.save(update_fields=["expires_on", "updated_at", "version"])
    return f"证照过期仍在营：{licence.enterprise.name}"


def _renewal_window(ctx) -> int:
    settings = expiry_settings(ctx.year)
    offsets = (settings.window_end + 5, (settings.window_start + settings.window_end) // 2, settings.window_start - 3)
    licences = list(Licence.objects.filter(kind__in=RENEWAL_KINDS, status=LicenceStatus.VALID,
                                           enterprise__status=EnterpriseStatus.ACTIVE,
                                           expires_on__gt=ctx.today + dt.timedelta(days=400))
                    .order_by("kind", "pk")[:len(offsets)])
    for licence, offset in zip(licences, offsets, strict=False):
        licence.expires_on = add_working_days(ctx.today, offset)
        licence.save(update_fields=["expires_on", "updated_at", "version"])
    return len(licences)


def _restart_after_fourteen_months(ctx, by: User) -> str:
    inspection = apps.get_model("inspections", "Inspection")
    resumed_on = ctx.today - dt.timedelta(days=5)
    started_on = resumed_on - dt.timedelta(days=426)  # 14 months
    recent = inspection.objects.filter(enterprise_id=OuterRef("pk"), start_date__gte=started_on)
    maker = (Enterprise.objects.filter(is_manufacturer=True, status=EnterpriseStatus.ACTIVE, subdistrict__isnull=False)
             .filter(Q(status_since__isnull=True) | Q(status_since__lte=started_on))
             .exclude(Exists(recent)).exclude(suspensions__isnull=False).order_by("pk").first())
    if maker is None:
        return "没有可用的生产企业"
    suspension = suspension_start(enterprise=maker, kind=SuspensionKind.VOLUNTARY, started_on=started_on,
                                  reason="厂房整体搬迁，生产线停产", by=by)
    maker.refresh_from_db()
    station = maker.owning_unit.display_name
    report = ContentFile(RESUME_REPORT.format(start=started_on, end=resumed_on).encode(), name="复产报告.txt")
    production_resume(suspension=suspension, resumed_on=resumed_on, by=by, resume_report=report,
                      note="新厂房通过自查，恢复生产")
    return f"停产14个月后复产：{maker.name}（停产期间由{station}监管，待复产后跟踪检查）"


def seed(ctx) -> str:
    by = _section_user()
    if by is None:
        return "没有药械科人员（先运行企业演示数据）"
    parts = [_expired_operator(ctx), f"续证提醒期内 {_renewal_window(ctx)} 张", _restart_after_fourteen_months(ctx, by)]
    return "；".join(parts)
