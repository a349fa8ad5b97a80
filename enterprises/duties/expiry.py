"""Licence expiry (证照到期): the one module that says which licence has lapsed and when renewal is due.

- A licence or filing has **lapsed** when its ``expires_on`` has passed while it is still on file as
  有效 or 过期 (not 注销/吊销/撤销). An enterprise that is 在营 or 停产 and holds a lapsed licence is
  flagged "证照已过期" everywhere it appears (registry, plan items, inspection entry, API).
- **Renewal window** (续证提醒期) for 生产许可证 and 第三类经营许可证: from ``renewal_window_start`` to
  ``renewal_window_end`` working days before expiry (default 90 → 30, ``DutyYear``; 生产办法/经营办法:
  有效期届满前90至30个工作日内提出延续申请).
- The figures are annotations (``Exists``/``Subquery``) so list pages keep a constant number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from enterprises.choices import EnterpriseStatus, LicenceKind, LicenceStatus
from enterprises.duties.settings import duty_settings_for_year
from enterprises.models import Enterprise, Licence
from enterprises.workdays import add_working_days, subtract_working_days_each

# Enterprises that still trade or produce: a lapsed licence matters for them.
FLAGGED_STATUSES = (EnterpriseStatus.ACTIVE, EnterpriseStatus.PRODUCTION_STOPPED)
# Licence states that still claim to be in force (an ended one — 注销/吊销/撤销 — is no warning).
LAPSING_STATUSES = (LicenceStatus.VALID, LicenceStatus.EXPIRED)
# Licences renewed by application within the working-day window before expiry.
RENEWAL_KINDS = (LicenceKind.PRODUCTION_LICENCE, LicenceKind.OPERATION_LICENCE)
# 即将到期: expiring within this many calendar days (the registry's existing reminder).
EXPIRING_DAYS = 90

WARNING_LABEL = "证照已过期"


@dataclass(frozen=True)
class ExpirySettings:
    """The renewal window in working days before expiry (start > end)."""

    window_start: int
    window_end: int


def expiry_settings(year: int) -> ExpirySettings:
    """The renewal window of ``year``, from the year's duty settings (the one reader)."""
    settings = duty_settings_for_year(year)
    return ExpirySettings(window_start=settings.renewal_window_start, window_end=settings.renewal_window_end)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def lapsed_q(today: datetime.date, prefix: str = "") -> Q:
    """Licences (``prefix`` leads from the row to the licence) that have lapsed by ``today``."""
    return Q(**{f"{prefix}status__in": LAPSING_STATUSES, f"{prefix}expires_on__lt": today})


def lapsed_licences(*, today: datetime.date | None = None) -> QuerySet[Licence]:
    """Lapsed licences of enterprises that are 在营 or 停产 (the ones to flag), oldest expiry first."""
    return Licence.objects.filter(lapsed_q(_today(today)), enterprise__status__in=FLAGGED_STATUSES).order_by(
        "expires_on", "pk"
    )


def _kind_label() -> Case:
    return Case(*[When(kind=value, then=Value(str(label))) for value, label in LicenceKind.choices],
                default=Value(""), output_field=CharField())


def annotate_expired_licence(qs: QuerySet, *, enterprise_field: str = "pk",
                             today: datetime.date | None = None) -> QuerySet:
    """Add ``expired_licence`` (e.g. "第三类医疗器械经营许可证 浙温…号", empty when none) and
    ``expired_licence_on`` (its expiry date) to each row; ``enterprise_field`` names the row's enterprise id."""
    first = lapsed_licences(today=today).filter(enterprise_id=OuterRef(enterprise_field))
    label = first.annotate(label=Concat(_kind_label(), Value(" "), "number", output_field=CharField()))
    return qs.annotate(
        expired_licence=Subquery(label.values("label")[:1], output_field=CharField()),
        expired_licence_on=Subquery(first.values("expires_on")[:1]),
    )


def has_expired_licence(*, today: datetime.date | None = None, enterprise_field: str = "pk") -> Exists:
    """A boolean annotation/filter: the row's enterprise holds a lapsed licence."""
    return Exists(lapsed_licences(today=today).filter(enterprise_id=OuterRef(enterprise_field)))


def enterprise_expired_licence(enterprise: Enterprise | None, *, today: datetime.date | None = None) -> dict | None:
    """The flag of one enterprise as ``{"label", "expires_on"}`` (None when it has none).

    Reads the annotation when the enterprise came from an annotated queryset, otherwise one query.
    """
    if enterprise is None or enterprise.pk is None:
        return None
    if hasattr(enterprise, "expired_licence"):
        if not enterprise.expired_licence:
            return None
        return {"label": enterprise.expired_licence, "expires_on": enterprise.expired_licence_on}
    row = annotate_expired_licence(Enterprise.objects.filter(pk=enterprise.pk), today=today).values(
        "expired_licence", "expired_licence_on"
    ).first()
    if not row or not row["expired_licence"]:
        return None
    return {"label": row["expired_licence"], "expires_on": row["expired_licence_on"]}


# --- the expiry list: 已过期 / 即将到期 / 续证提醒期内 ----------------------------------------------------

class ExpiryState:
    EXPIRED = "expired"
    EXPIRING = "expiring"
    RENEWAL = "renewal"

    choices = [(EXPIRED, "已过期"), (EXPIRING, "即将到期"), (RENEWAL, "续证提醒期内")]


def renewal_window_q(today: datetime.date, settings: ExpirySettings) -> Q:
    """Licences whose renewal window contains ``today``.

    ``today`` ≥ the day *n* working days before expiry ⇔ ``expires_on`` ≤ ``add_working_days(today, n)``;
    so the window [start, end] holds ``today`` ⇔ add(today − 1, end) < expires_on ≤ add(today, start).
    """
    latest = add_working_days(today, settings.window_start)
    earliest_excluded = add_working_days(today - datetime.timedelta(days=1), settings.window_end)
    return Q(kind__in=RENEWAL_KINDS, status=LicenceStatus.VALID, expires_on__gt=earliest_excluded,
             expires_on__lte=latest)


def expiry_list_q(today: datetime.date, settings: ExpirySettings, state: str | None = None) -> Q:
    """The licences of the expiry list: lapsed (enterprise 在营/停产), expiring within 90 days, or in the
    renewal window; ``state`` narrows to one of them."""
    parts = {
        ExpiryState.EXPIRED: lambda: lapsed_q(today) & Q(enterprise__status__in=FLAGGED_STATUSES),
        ExpiryState.EXPIRING: lambda: Q(status=LicenceStatus.VALID, expires_on__gte=today,
                                        expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS)),
        ExpiryState.RENEWAL: lambda: renewal_window_q(today, settings),
    }
    if state in parts:
        return parts[state]()
    combined = Q()
    for part in parts.values():
        combined |= part()
    return combined


def annotate_rows(licences, *, today: datetime.date, settings: ExpirySettings) -> None:
    """Set ``days_left``, ``state_label`` and the renewal window (``window_from``, ``window_to``) on the
    licences of one page (one read of the calendar for all of them)."""
    licences = list(licences)
    renewable = [lic.expires_on for lic in licences if lic.kind in RENEWAL_KINDS and lic.expires_on]
    starts = subtract_working_days_each(renewable, settings.window_start)
    ends = subtract_working_days_each(renewable, settings.window_end)
    for lic in licences:
        lic.days_left = (lic.expires_on - today).days
        lic.days_overdue = max(-lic.days_left, 0)
        lic.window_from = starts.get(lic.expires_on) if lic.kind in RENEWAL_KINDS else None
        lic.window_to = ends.get(lic.expires_on) if lic.kind in RENEWAL_KINDS else None
        if lic.days_left < 0:
            lic.state_label = "已过期"
        elif lic.window_from and lic.window_from <= today <= lic.window_to:
            lic.state_label = "续证提醒期内"
        elif lic.days_left <= EXPIRING_DAYS:
            lic.state_label = "即将到期"
        else:
            lic.state_label = ""
