"""Reads of AE reports and their imports, always narrowed to what the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from enterprises.models import User
from inspections.selectors import history_of
from monitoring.choices import ReporterMatch
from monitoring.models import AdverseEventReport, AEImportJob
from monitoring.services.reports import NO_MATCH_KINDS
from regsys.scoping import scope_for, scoped


def report_list(*, user: User) -> QuerySet[AdverseEventReport]:
    """Reports ``user`` may see (a 所: of its jurisdiction or of its enterprises), with a list row's relations."""
    qs = AdverseEventReport.objects.select_related("unit", "reporter", "registrant", "subdistrict")
    return scoped(qs, user)


def report_get(*, user: User, pk: int) -> AdverseEventReport:
    """One report ``user`` may see (404 otherwise)."""
    return get_object_or_404(report_list(user=user).select_related("reporter__owning_unit"), pk=pk)


def report_history(*, report: AdverseEventReport, limit: int = 30) -> list:
    """Who changed what and when (import file or manual edit), newest first; the edit counter left out."""
    version = str(AdverseEventReport._meta.get_field("version").verbose_name)
    rows = history_of(report, limit=limit)
    for row in rows:
        row.changes[:] = [c for c in row.changes if c[0] != version]
    return rows


def unmatched_reports(*, user: User) -> QuerySet[AdverseEventReport]:
    """Reports whose reporting unit is not tied to the registry: the 药械科's queue (district users only;
    the district's auditors read it too)."""
    if not scope_for(user).district_wide:
        raise PermissionDenied(_("待匹配报告单位清单只对区局药械科开放"))
    return (AdverseEventReport.objects.filter(reporter_match=ReporterMatch.UNMATCHED)
            .exclude(reporter_kind__in=NO_MATCH_KINDS).select_related("unit", "subdistrict"))


def unmatched_groups(*, user: User) -> list[dict]:
    """The queue by reporting-unit name: how many reports, their dates and the report to resolve from."""
    rows = (unmatched_reports(user=user).values("reporter_name", "reporter_credit_code")
            .annotate(count=Count("pk"), first=Min("reported_on"), last=Max("reported_on"), report_id=Min("pk"))
            .order_by("-count", "reporter_name"))
    return list(rows)


def import_jobs_of(user: User) -> QuerySet[AEImportJob]:
    """The user's own AE imports (their files, previews and row errors are seen by nobody else)."""
    return scoped(AEImportJob.objects.filter(created_by=user), user).select_related("profile")
