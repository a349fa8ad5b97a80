"""Reads of sampling: tasks with their progress, samples scoped to the user's unit, the timeline, 待办."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from monitoring.choices import SampleStepKind
from monitoring.models import Sample, SampleStep, SamplingTask
from monitoring.services.sampling import AUTOMATIC_STEPS
from regsys.scoping import scope_for, scoped, visibility_q


def overdue_q(today: dt.date) -> Q:
    """A sample whose next step is past its due date (the one definition of 逾期 for sampling)."""
    return Q(next_due_on__lt=today) & ~Q(next_step="")


def steps_due(*, start: dt.date | None, end: dt.date) -> QuerySet[SampleStep]:
    """Steps an officer must do (not the automatic ones) whose due date lies from ``start`` (None: any) to ``end``:
    the denominator of 抽检环节按时完成率."""
    qs = SampleStep.objects.filter(due_on__lte=end).exclude(step__in=AUTOMATIC_STEPS)
    return qs.filter(due_on__gte=start) if start is not None else qs


def step_on_time_q() -> Q:
    """On ``SampleStep``: done on or before its due date (the one definition of 按时完成 of a step)."""
    return Q(done_on__isnull=False, done_on__lte=F("due_on"))


def step_timeliness_by_unit(*, start: dt.date | None, end: dt.date) -> dict[int, tuple[int, int]]:
    """Sampling unit id → (steps due from ``start`` to ``end``, of them done on time). One grouped query."""
    rows = (steps_due(start=start, end=end).values("sample__unit_id")
            .annotate(due=Count("id"), on_time=Count("id", filter=step_on_time_q())).order_by())
    return {r["sample__unit_id"]: (r["due"], r["on_time"]) for r in rows}


def samples_with_late_steps(qs: QuerySet[Sample], *, start: dt.date | None, end: dt.date) -> QuerySet[Sample]:
    """Samples of ``qs`` with a step due from ``start`` to ``end`` not done on time."""
    late = steps_due(start=start, end=end).exclude(step_on_time_q()).values("sample_id")
    return qs.filter(pk__in=late)


def tasks_for(user) -> QuerySet[SamplingTask]:
    """Every task (a plan's tasks are district reference), with the samples taken: all, and the user's own."""
    mine = visibility_q(user, Sample, paths=("unit",))
    own = Q(samples__in=Sample.objects.filter(mine)) if mine else Q(samples__isnull=False)
    return SamplingTask.objects.select_related("unit").annotate(
        taken=Count("samples", distinct=True), taken_mine=Count("samples", filter=own, distinct=True),
        failed=Count("samples", filter=Q(samples__conclusion="failed"), distinct=True),
    ).order_by("-year", "level", "name", "pk")


def task_choices(user) -> QuerySet[SamplingTask]:
    """The tasks ``user`` may file a sample under: district-wide ones and those of the user's unit."""
    scope = scope_for(user)
    qs = SamplingTask.objects.select_related("unit")
    if scope.district_wide:
        return qs
    return qs.filter(Q(unit__isnull=True) | Q(unit_id=scope.unit_id))


def samples_for(user) -> QuerySet[Sample]:
    return scoped(Sample.objects.select_related("task", "enterprise", "unit"), user)


def sample_get(*, user, pk: int) -> Sample:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(samples_for(user).prefetch_related("officers"), pk=pk)


def samples_waiting(*, user, unit_id: int | None, due_by: dt.date | None) -> QuerySet[Sample]:
    """Samples with an open step, of ``unit_id`` (None: all the user sees), due by ``due_by`` (None: any)."""
    qs = samples_for(user).exclude(next_step="").exclude(next_due_on=None)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if due_by is not None:
        qs = qs.filter(next_due_on__lte=due_by)
    return qs.order_by("next_due_on", "pk")


@dataclass(frozen=True)
class TimelineStep:
    step: str
    label: str
    due_on: dt.date | None
    done_on: dt.date | None
    done_by: str
    note: str
    file_id: int | None  # the step row's id when it holds a file
    overdue: bool
    automatic: bool
    current: bool


def sample_timeline(sample: Sample, *, today: dt.date) -> list[TimelineStep]:
    """Every step of the sample in order, recorded or not; an open step past its due date is overdue."""
    rows = {r.step: r for r in SampleStep.objects.filter(sample=sample).select_related("done_by")}
    timeline = []
    for step, label in SampleStepKind.choices:
        row = rows.get(step)
        automatic = step in AUTOMATIC_STEPS
        due = row.due_on if row else None
        done = row.done_on if row else None
        timeline.append(TimelineStep(
            step=step, label=str(label), due_on=due, done_on=done,
            done_by=row.done_by.display_name if row and row.done_by_id else "", note=row.note if row else "",
            file_id=row.pk if row and row.file else None,
            overdue=bool(not automatic and due and not done and due < today), automatic=automatic,
            current=step == sample.next_step,
        ))
    return timeline
