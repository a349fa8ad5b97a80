"""Who owes which yearly filing (年度自查报告, 质量安全责任书): the one module that holds the rule.

年度自查报告 (生产办法 art.45, 经营办法 art.44; domain §2.3): the report filed in year *Y* covers *Y*-1 and is due
by the year's ``self_report_due`` (默认3月31日, ``enterprises.duties.settings``).

- 生产: registrants, filers (注册人/备案人, incl. those that entrust production), contract manufacturers and
  manufacturers submit it to the bureau.
- 经营: every operating enterprise submits it (a 异地设库 warehouse registered here files with its home bureau,
  so it owes nothing here).
- 使用: a use unit self-inspects and keeps the written report on file (留存备查): owed but not submitted to the
  bureau, so never counted as missing.

质量安全责任书 (plan 三.(一): “督促生产经营企业和使用单位……通过签订年度质量安全责任书等形式”): one letter a year per
active manufacturer, operator and use unit, due by ``responsibility_due``; it is filed under the enterprise's
first sector (生产, else 经营, else 使用).

Only enterprises that were there during the covered period owe: for a self-report, registered by 12月31日 of
the covered year; for a letter, by its due date; and in both cases still under supervision on the due date
(在营、停产、停业、异常/失联 — an enterprise 注销/吊销 by then owes nothing). The status on a day is read from
the status-change log (:func:`status_on`).

After the due date, a missing 自查报告 (not a letter, not a use unit's) may be proposed for 责令改正 and a credit
record (经营办法 art.68, 条例 art.89) — :data:`ORDER_KINDS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.choices import ACTIVE_STATUSES
from enterprises.duties.choices import FilingKind, Sector
from enterprises.duties.settings import duty_settings_for_year


class FilingStatus(models.TextChoices):
    """Where an owed filing stands (computed, never stored)."""

    SUBMITTED = "submitted", _("已提交")
    LATE = "late", _("逾期提交")
    MISSING = "missing", _("未提交")
    ON_FILE = "on_file", _("留存备查")


# Enterprise flags → the sectors whose self-report they owe.
SECTOR_ROLES: dict[str, tuple[str, ...]] = {
    Sector.PRODUCTION: ("is_manufacturer", "is_registrant", "entrusts_production", "is_contract_manufacturer"),
    Sector.OPERATION: ("is_operator",),
    Sector.USE: ("is_user_unit",),
}
# Sectors whose self-report is kept on file by the enterprise (留存备查), not submitted to the bureau.
ON_FILE_SECTORS = {Sector.USE}
# Kinds whose missing filing after the due date proposes 责令改正 and a credit record.
ORDER_KINDS = {FilingKind.SELF_REPORT}
# Statuses in which an enterprise owes its filings (still under supervision).
OWING_STATUSES = tuple(str(s) for s in ACTIVE_STATUSES)


def due_date(year: int, kind: str) -> datetime.date:
    """The due date of ``kind`` filed in ``year`` (the year's 年度义务设置)."""
    settings = duty_settings_for_year(year)
    return settings.self_report_due if kind == FilingKind.SELF_REPORT else settings.responsibility_due


def existed_by(year: int, kind: str) -> datetime.date:
    """The day by which an enterprise must have been registered to owe ``kind`` of ``year``."""
    if kind == FilingKind.SELF_REPORT:
        return datetime.date(year - 1, 12, 31)
    return due_date(year, kind)


def sector_q(sector: str) -> Q:
    """Enterprises that hold a role of ``sector`` (any of them)."""
    q = Q()
    for flag in SECTOR_ROLES[sector]:
        q |= Q(**{flag: True})
    if sector == Sector.OPERATION:
        q &= Q(is_remote_warehouse=False)
    return q


def any_sector_q() -> Q:
    q = Q()
    for sector in SECTOR_ROLES:
        q |= sector_q(sector)
    return q


def enterprise_sectors(enterprise) -> list[str]:
    """The sectors of ``enterprise`` (an Enterprise or a dict of its flags), in 生产, 经营, 使用 order."""
    def flag(name: str) -> bool:
        return bool(enterprise[name] if isinstance(enterprise, dict) else getattr(enterprise, name))

    sectors = []
    for sector, flags in SECTOR_ROLES.items():
        if any(flag(name) for name in flags):
            if sector == Sector.OPERATION and flag("is_remote_warehouse"):
                continue
            sectors.append(sector)
    return sectors


def owed_sectors(enterprise, kind: str) -> list[str]:
    """The sectors in which ``enterprise`` owes ``kind`` (a letter: one, the first sector)."""
    sectors = enterprise_sectors(enterprise)
    if kind == FilingKind.RESPONSIBILITY:
        return sectors[:1]
    return sectors


def status_on(*, current: str, changes: Iterable[tuple[datetime.date, str, str]], day: datetime.date) -> str:
    """An enterprise's status on ``day``: ``changes`` are its (effective_on, from_status, to_status).

    The status before the first change effective after ``day`` is that change's ``from_status``; with no later
    change, the current status. Of changes on the same day, the first listed is taken (callers list them in the
    order they were recorded).
    """
    later = sorted((c for c in changes if c[0] > day), key=lambda c: c[0])
    return later[0][1] if later else current


def owes_on(*, established_on: datetime.date | None, status_then: str, year: int, kind: str) -> bool:
    """Whether an enterprise registered on ``established_on`` and in ``status_then`` on the due date owes."""
    if established_on is not None and established_on > existed_by(year, kind):
        return False
    return status_then in OWING_STATUSES


def filing_status(*, kind: str, sector: str, submitted_on: datetime.date | None, due: datetime.date,
                  as_of: datetime.date) -> str:
    """已提交 / 逾期提交 / 未提交 (留存备查 for a use unit's self-report not submitted) as of ``as_of``."""
    if submitted_on is not None and submitted_on <= as_of:
        return FilingStatus.SUBMITTED if submitted_on <= due else FilingStatus.LATE
    if not counts_as_owed(kind=kind, sector=sector):
        return FilingStatus.ON_FILE
    return FilingStatus.MISSING


def counts_as_owed(*, kind: str, sector: str) -> bool:
    """Whether the filing counts in progress figures (a use unit's self-report is kept on file: no)."""
    return not (kind == FilingKind.SELF_REPORT and sector in ON_FILE_SECTORS)


# ------------------------------------------------------------------ the same rules in SQL terms
# For grouped counts (``filing_selectors.filing_counts``): each mirrors the Python rule above it names, so a
# count in the database and a row built in Python agree (a test compares them). The status on a day is the
# registry's annotation ``enterprises.selectors.status_on`` (the SQL form of :func:`status_on`).

def owed_sector_q(kind: str, sector: str) -> Q:
    """Enterprises that owe ``kind`` in ``sector`` (:func:`owed_sectors`: a letter only in the first sector)."""
    q = sector_q(sector)
    if kind == FilingKind.RESPONSIBILITY:
        for earlier in SECTOR_ROLES:
            if earlier == sector:
                break
            q &= ~sector_q(earlier)
    return q


def owes_q(year: int, kind: str, status_then: str = "status_then") -> Q:
    """:func:`owes_on` over ``Enterprise`` annotated with its status on the due date (``status_then``)."""
    registered = Q(established_on__isnull=True) | Q(established_on__lte=existed_by(year, kind))
    return registered & Q(**{f"{status_then}__in": OWING_STATUSES})
