"""Reads of licence expiry and 复产 follow-up, narrowed to a unit (the 待办 lists and the cockpit use them).

Each figure takes ``(year, unit=None, as_of=None)``-style arguments where a year makes sense; ``unit`` None
is the whole district. Callers that serve a user pass the user's scoped queryset through ``user``.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from enterprises.duties.expiry import expiry_settings, lapsed_licences, renewal_window_q
from enterprises.duties.settings import duty_settings_for_year
from enterprises.models import Licence, ProductionSuspension, Unit, User
from regsys.scoping import scoped


def long_suspension_days(year: int) -> int:
    """The year's 长期停产 threshold in days (the year's duty settings)."""
    return duty_settings_for_year(year).long_suspension_days

def _in_unit(qs: QuerySet, unit: Unit | None, user: User | None) -> QuerySet:
    if user is not None:
        qs = scoped(qs, user)
    if unit is not None:
        qs = qs.filter(enterprise__owning_unit=unit)
    return qs


def expired_while_operating(*, unit: Unit | None = None, as_of: datetime.date | None = None,
                            user: User | None = None) -> QuerySet[Licence]:
    """Lapsed licences of enterprises still 在营/停产 (the 证照已过期 flag), oldest expiry first."""
    qs = lapsed_licences(today=as_of or timezone.localdate()).select_related("enterprise")
    return _in_unit(qs, unit, user)


def renewal_due(*, unit: Unit | None = None, as_of: datetime.date | None = None,
                user: User | None = None) -> QuerySet[Licence]:
    """Valid 生产/第三类经营许可证 whose renewal window (90–30 working days before expiry) holds ``as_of``."""
    as_of = as_of or timezone.localdate()
    qs = Licence.objects.filter(renewal_window_q(as_of, expiry_settings(as_of.year))).select_related("enterprise")
    return _in_unit(qs, unit, user).order_by("expires_on", "pk")


def resumption_followups(*, unit: Unit | None = None, as_of: datetime.date | None = None,
                         user: User | None = None) -> list[ProductionSuspension]:
    """Long suspensions (≥ ``long_suspension_days``) that ended in 复产 with no inspection of the enterprise
    dated on or after the resumption: a 复产后跟踪检查 is proposed for each, oldest resumption first."""
    as_of = as_of or timezone.localdate()
    inspection = apps.get_model("inspections", "Inspection")  # a higher app: named, never imported
    later = inspection.objects.filter(enterprise_id=OuterRef("enterprise_id"), start_date__gte=OuterRef("resumed_on"))
    qs = (
        ProductionSuspension.objects.filter(resumed_on__isnull=False, resumed_on__lte=as_of)
        .exclude(Exists(later))
        .select_related("enterprise", "enterprise__owning_unit")
        .order_by("resumed_on", "pk")
    )
    qs = _in_unit(qs, unit, user)
    thresholds: dict[int, int] = {}
    due = []
    for suspension in qs:
        year = suspension.resumed_on.year
        if year not in thresholds:
            thresholds[year] = long_suspension_days(year)
        if (suspension.resumed_on - suspension.started_on).days >= thresholds[year]:
            due.append(suspension)
    return due
