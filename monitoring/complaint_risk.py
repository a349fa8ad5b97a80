"""Risk candidates from complaints and public opinion (sources ``complaint`` and ``opinion``).

A quarter's candidates: every complaint received in the quarter that was found substantiated (经核查属实),
and every piece of public opinion (舆情) received in the quarter, whatever its verification (an
unverified 舆情 is itself a signal for the consultation). Suggested owner: the record's unit.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from monitoring.choices import ComplaintKind, RiskLevel, RiskSource
from monitoring.models import Complaint
from monitoring.risk_sources import Candidate, register_risk_source


def _candidates(queryset, kind: str) -> list[Candidate]:
    found = []
    for c in queryset.select_related("enterprise").order_by("received_on", "pk"):
        subject = c.enterprise.name if c.enterprise_id else c.subject_name
        what = "、".join(part for part in (subject, c.product) if part) or "—"
        label = "投诉举报属实" if kind == RiskSource.COMPLAINT else "舆情"
        found.append(Candidate(
            source_kind=kind, source=c, title=f"{label}：{what}", occurred_on=c.received_on,
            url=reverse("monitoring:complaint_detail", args=[c.pk]), enterprise_id=c.enterprise_id,
            unit_id=c.unit_id, product=c.product, detail=c.summary[:200],
            suggested_level=RiskLevel.MEDIUM if kind == RiskSource.COMPLAINT or c.substantiated else RiskLevel.LOW,
        ))
    return found


def complaint_candidates(*, start: date, end: date, today: date) -> list[Candidate]:
    """Substantiated complaints received in ``start``–``end``."""
    qs = Complaint.objects.filter(kind=ComplaintKind.COMPLAINT, substantiated=True,
                                  received_on__gte=start, received_on__lte=end)
    return _candidates(qs, RiskSource.COMPLAINT)


def opinion_candidates(*, start: date, end: date, today: date) -> list[Candidate]:
    """Public opinion received in ``start``–``end`` (except what was checked and found untrue)."""
    qs = Complaint.objects.filter(kind=ComplaintKind.OPINION, received_on__gte=start, received_on__lte=end).exclude(
        substantiated=False)
    return _candidates(qs, RiskSource.OPINION)


def register_complaint_sources() -> None:
    register_risk_source(RiskSource.COMPLAINT, complaint_candidates)
    register_risk_source(RiskSource.OPINION, opinion_candidates)
