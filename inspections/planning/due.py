"""Next-due dates (下次应检日期) from a grade's frequency and the last qualifying inspection.

The last qualifying inspection is stored on the grade (``EnterpriseGrade.last_inspected_on``, kept by the
grading and inspection services: ``enterprises.grading.last_inspected``), so the list filters and sorts on it.
The due date is ``last qualifying inspection + interval`` (calendar months, clamped to month end);
an enterprise never inspected is due by the end of the grade year. Sampled levels have no due date:
the 双随机 draw covers them. Status thresholds come from the year's ``GradingScheme``.
"""

from __future__ import annotations

import calendar
import datetime

from django.db.models import F, Q, QuerySet

from enterprises.grading.choices import DUE_STATUS_COLOURS, DueStatus
from enterprises.grading.last_inspected import last_inspected
from enterprises.models import EnterpriseGrade, GradeLevel, GradingScheme

ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; 31 Jan + 1 month = 28/29 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(last: datetime.date | None, level: GradeLevel, year: int) -> datetime.date | None:
    """When the next inspection is due; None for sampled levels."""
    if level.interval_months is None:
        return None
    if last is None:
        return datetime.date(year, 12, 31)
    return add_months(last, level.interval_months)


def due_status(due: datetime.date | None, today: datetime.date, scheme: GradingScheme) -> str:
    if due is None:
        return DueStatus.SAMPLED
    if today > due + datetime.timedelta(days=scheme.tolerance_days):
        return DueStatus.OVERDUE
    if today >= due:
        return DueStatus.DUE
    if today >= due - datetime.timedelta(days=scheme.due_soon_days):
        return DueStatus.DUE_SOON
    return DueStatus.NOT_DUE


def with_last_inspected(grades: QuerySet, scheme: GradingScheme, before: datetime.date | None = None) -> QuerySet:
    """Annotate grades with ``last_inspected``: the latest qualifying inspection of the enterprise
    (only inspections dated before ``before`` when given, e.g. the day a plan is generated).

    Without ``before`` this is the stored ``last_inspected_on`` (kept by the grading and inspection services);
    with it, computed from the inspections.
    """
    if before is None:
        return grades.annotate(last_inspected=F("last_inspected_on"))
    return grades.annotate(last_inspected=last_inspected(scheme, before=before))


def _first_last_reaching(target: datetime.date, months: int) -> datetime.date:
    """The earliest inspection date whose due date is on or after ``target``."""
    guess = add_months(target, -months)
    while add_months(guess - ONE_DAY, months) >= target:
        guess -= ONE_DAY
    while add_months(guess, months) < target:
        guess += ONE_DAY
    return guess


def due_status_q(status: str, scheme: GradingScheme, today: datetime.date) -> Q:
    """Filter for grades (annotated by ``with_last_inspected``) in due ``status`` — exact, in the DB."""
    if status == DueStatus.SAMPLED:
        return Q(level__interval_months__isnull=True)
    soon = datetime.timedelta(days=scheme.due_soon_days)
    tolerance = datetime.timedelta(days=scheme.tolerance_days)
    # due dates are in [low, high) for each status
    bounds = {
        DueStatus.OVERDUE: (None, today - tolerance),
        DueStatus.DUE: (today - tolerance, today + ONE_DAY),
        DueStatus.DUE_SOON: (today + ONE_DAY, today + soon + ONE_DAY),
        DueStatus.NOT_DUE: (today + soon + ONE_DAY, None),
    }
    low, high = bounds[DueStatus(status)]
    never_due = datetime.date(scheme.year, 12, 31)
    q = Q(pk__in=[])
    for level in scheme.levels.exclude(interval_months__isnull=True):
        months = level.interval_months
        part = Q(level=level, last_inspected__isnull=False)
        if low is not None:
            part &= Q(last_inspected__gte=_first_last_reaching(low, months))
        if high is not None:
            part &= Q(last_inspected__lt=_first_last_reaching(high, months))
        q |= part
        if (low is None or never_due >= low) and (high is None or never_due < high):
            q |= Q(level=level, last_inspected__isnull=True)
    return q


def decorate(grades, scheme: GradingScheme, today: datetime.date) -> list[EnterpriseGrade]:
    """Set ``due_date``, ``due_status``, ``due_status_label`` and ``due_colour`` on each grade."""
    rows = list(grades)
    for grade in rows:
        grade.due_date = due_date(grade.last_inspected, grade.level, grade.year)
        grade.due_status = due_status(grade.due_date, today, scheme)
        grade.due_status_label = DueStatus(grade.due_status).label
        grade.due_colour = DUE_STATUS_COLOURS[grade.due_status]
    return rows
