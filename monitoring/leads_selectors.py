"""Reads of online-sales leads: always narrowed to what the user may see (a 所: its own leads; the queue of
unmatched leads is the district's), and the counts page's aggregates (one grouped query each)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from enterprises.models import User
from inspections.models import Case
from inspections.selectors import history_of
from monitoring.leads_choices import LeadResult, LeadStatus
from monitoring.models import LeadImportJob, OnlineLead
from monitoring.services.leads import overdue_q
from regsys.scoping import scope_for, scoped


def lead_list(*, user: User) -> QuerySet[OnlineLead]:
    """Leads ``user`` may see, with a list row's relations."""
    return scoped(OnlineLead.objects.select_related("unit", "enterprise", "case", "referral"), user)


def lead_get(*, user: User, pk: int) -> OnlineLead:
    return get_object_or_404(lead_list(user=user), pk=pk)


def lead_history(*, lead: OnlineLead, limit: int = 30) -> list:
    version = str(OnlineLead._meta.get_field("version").verbose_name)
    rows = history_of(lead, limit=limit)
    for row in rows:
        row.changes[:] = [c for c in row.changes if c[0] != version]
    return rows


def lead_queue(*, user: User) -> QuerySet[OnlineLead]:
    """Leads with no unit yet: the 药械科's queue (district users only)."""
    if not scope_for(user).district_wide:
        raise PermissionDenied(_("待分派线索只对区局药械科开放"))
    return OnlineLead.objects.filter(unit__isnull=True).select_related("enterprise").order_by("deadline", "pk")


def leads_waiting(*, user: User, unit_id: int | None, due_by: date | None) -> QuerySet[OnlineLead]:
    """Open leads of a unit (None: the district's queue) without feedback, due by ``due_by`` if given."""
    qs = scoped(OnlineLead.objects.filter(feedback_on__isnull=True), user)
    qs = qs.filter(unit_id=unit_id) if unit_id is not None else qs.filter(unit__isnull=True)
    if due_by is not None:
        qs = qs.filter(deadline__lte=due_by)
    return qs.order_by("deadline", "pk")


def lead_cases(*, user: User, lead: OnlineLead) -> QuerySet[Case]:
    """Cases the lead may be linked to: of its enterprise, visible to the user."""
    if lead.enterprise_id is None:
        return Case.objects.none()
    return scoped(Case.objects.filter(enterprise_id=lead.enterprise_id), user).order_by("-filed_on")


def lead_import_jobs_of(user: User) -> QuerySet[LeadImportJob]:
    return scoped(LeadImportJob.objects.filter(created_by=user), user).select_related("profile")


def _outcome_counts(today: date) -> dict:
    """Conditional aggregates of one group: total, each 核查结果, not yet checked, fed back, overdue."""
    counts = {"total": Count("pk")}
    for value in LeadResult.values:
        counts[f"r_{value}"] = Count("pk", filter=Q(result=value))
    counts["unchecked"] = Count("pk", filter=Q(result=""))
    counts["done"] = Count("pk", filter=Q(status=LeadStatus.DONE))
    counts["overdue"] = Count("pk", filter=overdue_q(today))
    counts["late_feedback"] = Count("pk", filter=Q(feedback_on__gt=F("deadline")))
    return counts


def lead_counts(*, queryset: QuerySet[OnlineLead], today: date) -> dict:
    """The counts page: by platform × outcome, by unit (the queue as one row), and the totals."""
    counts = _outcome_counts(today)
    by_platform = list(queryset.values("platform").annotate(**counts).order_by("-total", "platform"))
    by_unit = list(queryset.values("unit_id", "unit__name", "unit__short_name").annotate(**counts)
                   .order_by("unit__name"))
    totals = queryset.aggregate(**counts)
    return {"by_platform": by_platform, "by_unit": by_unit, "totals": totals,
            "results": [(value, label) for value, label in LeadResult.choices]}
