"""Reads of the 药械科's evaluations: scoped querysets, the work list, timelines.

A 监管所 sees the evaluations that involve one of the reports it can see (any report of a cluster, not
only the first), read-only; district users see all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _

from monitoring.choices import EvaluationStatus
from monitoring.models import AdverseEventReport, Evaluation
from regsys.scoping import scope_for, scoped


def evaluations_for(user) -> QuerySet[Evaluation]:
    """The evaluations ``user`` may see, with what the list and detail pages show."""
    qs = Evaluation.objects.select_related("primary_report", "unit", "interview", "inspection")
    if scope_for(user).district_wide:
        return qs
    visible = scoped(AdverseEventReport.objects.filter(evaluations=OuterRef("pk")), user)
    return qs.filter(Exists(visible))


def evaluations_ordered(qs: QuerySet[Evaluation], *, today: datetime.date) -> QuerySet[Evaluation]:
    """Overdue first, then open, evaluated and closed; by due date within each."""
    rank = Case(
        When(status=EvaluationStatus.OPEN, due_on__lt=today, then=Value(0)),
        When(status=EvaluationStatus.OPEN, then=Value(1)),
        When(status=EvaluationStatus.EVALUATED, then=Value(2)),
        default=Value(3), output_field=IntegerField(),
    )
    return qs.annotate(rank=rank).order_by("rank", "due_on", "-pk")


def evaluation_reports(evaluation: Evaluation, user) -> QuerySet[AdverseEventReport]:
    """The reports of an evaluation the user may see (a 所 sees only its own reports of a cluster)."""
    return scoped(evaluation.reports.select_related("reporter", "registrant", "unit"), user).order_by(
        "reported_on", "pk")


def evaluations_waiting(*, user, unit_id: int | None, due_by: datetime.date | None) -> QuerySet[Evaluation]:
    """Open evaluations (not yet evaluated) of ``unit_id`` (None: all) due by ``due_by`` (None: any date)."""
    qs = evaluations_for(user).filter(status=EvaluationStatus.OPEN)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if due_by is not None:
        qs = qs.filter(due_on__lte=due_by)
    return qs.order_by("due_on", "pk")


@dataclass(frozen=True)
class Step:
    day: datetime.date
    title: str
    detail: str = ""


def evaluation_steps(evaluation: Evaluation, reports: QuerySet[AdverseEventReport]) -> list[Step]:
    """The evaluation's timeline: the (visible) reports, opening, evaluation, measures, closure, oldest first."""
    steps = [Step(r.reported_on, _("报告 %(code)s") % {"code": r.code},
                  f"{r.get_outcome_display()} · {r.reporter_name or '—'}")
             for r in reports]
    steps.append(Step(evaluation.opened_on, _("立项评价"), _("%(t)s，期限 %(d)s") % {
        "t": evaluation.get_trigger_display(), "d": f"{evaluation.due_on:%Y-%m-%d}"}))
    if evaluation.evaluated_on:
        steps.append(Step(evaluation.evaluated_on, _("评价"), _("关联性：%(c)s") % {
            "c": evaluation.get_causality_display() or "—"}))
    if evaluation.interview_id:
        steps.append(Step(evaluation.interview.held_on, _("约谈"), str(evaluation.interview.enterprise)))
    if evaluation.inspection_id:
        steps.append(Step(evaluation.inspection.start_date, _("有因检查"),
                          f"{evaluation.inspection.enterprise} · {evaluation.inspection.get_status_display()}"))
    if evaluation.closed_on:
        steps.append(Step(evaluation.closed_on, _("关闭"), evaluation.closure_note))
    return sorted(steps, key=lambda s: s.day)
