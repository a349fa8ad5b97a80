"""Reads of complaints and public opinion: the scoped list (page, API, export) and the counts above it."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from monitoring.choices import ComplaintKind
from monitoring.models import Complaint
from regsys.scoping import scoped


def complaint_list(*, user) -> QuerySet[Complaint]:
    """The records ``user`` may see: its unit's, and those about an enterprise it supervises."""
    return scoped(Complaint.objects.select_related("unit", "enterprise", "enterprise__owning_unit", "created_by"),
                  user).order_by("-received_on", "-id")


def complaint_counts(complaints: QuerySet[Complaint]) -> dict[str, int]:
    """Totals of the (filtered) list: by kind, substantiated, still open."""
    return complaints.aggregate(
        total=Count("pk"),
        complaints=Count("pk", filter=Q(kind=ComplaintKind.COMPLAINT)),
        opinions=Count("pk", filter=Q(kind=ComplaintKind.OPINION)),
        substantiated=Count("pk", filter=Q(substantiated=True)),
        open=Count("pk", filter=Q(handled_on__isnull=True)),
    )
