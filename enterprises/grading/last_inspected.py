"""上次检查日期 of a graded enterprise: its latest finalised inspection of a kind the year's scheme counts.

Stored on ``EnterpriseGrade.last_inspected_on`` so the due list can filter and sort on it from an index. It is
kept by the writes that can change it: grading (new grades), the scheme's qualifying kinds (admin), and the
inspection services (finalise, amend). ``grades_refresh_last_inspected`` is the one place that computes it;
the ``grades_refresh_last_inspected`` command checks or repairs it.

Inspections belong to a higher app: they are looked up through the app registry at call time (as
``enterprises.grading.credit`` does), so ``enterprises`` imports nothing of ``inspections``.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import DateField, OuterRef, QuerySet, Subquery

from enterprises.choices import INSPECTION_FINALISED
from enterprises.models import EnterpriseGrade, GradingScheme


def qualifying_inspections(scheme: GradingScheme) -> QuerySet:
    """Finalised inspections of the kinds that count towards the frequency."""
    inspection = apps.get_model("inspections", "Inspection")
    return inspection.objects.filter(status=INSPECTION_FINALISED, kind__in=scheme.qualifying_kind_list)


def last_inspected(scheme: GradingScheme, before: datetime.date | None = None) -> Subquery:
    """The date of the latest qualifying inspection of the grade's enterprise (``OuterRef("enterprise_id")``),
    only of inspections dated before ``before`` when given.

    Read as the first row of the enterprise's finalised inspections newest first (index-only on
    ``inspection_last_finalised_idx``).
    """
    inspections = qualifying_inspections(scheme)
    if before is not None:
        inspections = inspections.filter(start_date__lt=before)
    latest = inspections.filter(enterprise_id=OuterRef("enterprise_id")).order_by("-start_date").values("start_date")
    return Subquery(latest[:1], output_field=DateField())


def grades_refresh_last_inspected(grades: QuerySet | None = None) -> int:
    """Recompute ``last_inspected_on`` for ``grades`` (default: all), each by its year's scheme; returns how many."""
    grades = EnterpriseGrade.objects.all() if grades is None else grades
    changed = 0
    for year in grades.order_by().values_list("year", flat=True).distinct():
        scheme = GradingScheme.objects.filter(year=year).first()
        value = last_inspected(scheme) if scheme is not None else None
        changed += EnterpriseGrade.objects.filter(pk__in=grades.filter(year=year).values("pk")).update(
            last_inspected_on=value)
    return changed


def grades_stale_last_inspected(grades: QuerySet | None = None) -> list[int]:
    """Ids of ``grades`` whose stored date differs from the inspections (for the check command and tests)."""
    grades = EnterpriseGrade.objects.all() if grades is None else grades
    stale = []
    for year in grades.order_by().values_list("year", flat=True).distinct():
        scheme = GradingScheme.objects.filter(year=year).first()
        rows = grades.filter(year=year)
        if scheme is None:
            stale += list(rows.filter(last_inspected_on__isnull=False).values_list("pk", flat=True))
            continue
        for pk, stored, fresh in rows.annotate(fresh=last_inspected(scheme)).values_list(
            "pk", "last_inspected_on", "fresh"
        ):
            if stored != fresh:
                stale.append(pk)
    return stale
