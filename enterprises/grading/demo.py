"""Demo grades: approved grades for last year and the current year for the whole demo district.

Runs after the enterprise and inspection seeders, so last year's demo cases and rectifications
escalate grades exactly as the rules say. Bulk operations only (also at ``ctx.scale``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from enterprises.choices import Role
from enterprises.grading.choices import GradeStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import EnterpriseGrade, GradeLevel, User

CHANGES = 3  # grades changed by staff (with a reason) before approval, to show the workflow


def seed(ctx) -> str:
    approver = User.objects.filter(role=Role.LEADER).order_by("username").first()
    staff = User.objects.filter(role=Role.SECTION_STAFF).order_by("username").first()
    parts = []
    for year, as_of, approved_on in (
        (ctx.year - 1, datetime.date(ctx.year - 1, 3, 1), datetime.date(ctx.year - 1, 3, 25)),
        (ctx.year, min(ctx.today, datetime.date(ctx.year, 3, 1)), datetime.date(ctx.year, 3, 28)),
    ):
        scheme_ensure(year=year)
        result = grades_propose(year=year, unit=None, by=None, as_of=as_of)
        if year == ctx.year:
            rng = ctx.rng("grading")
            ids = list(EnterpriseGrade.objects.filter(year=year, is_key=False, level__rank=1)
                       .order_by("id").values_list("id", flat=True)[:200])
            for grade in EnterpriseGrade.objects.filter(id__in=rng.sample(ids, min(CHANGES, len(ids)))):
                higher = GradeLevel.objects.filter(scheme__year=year, sector=grade.sector, rank=2).first()
                grade.level = higher
                grade.status = GradeStatus.CHANGED
                grade.change_reason = "上年度投诉举报较多，提高一级监管"
                grade.changed_by = staff
                grade.save()
        approved_at = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(10, 0)))
        count = EnterpriseGrade.objects.filter(year=year).exclude(status=GradeStatus.APPROVED).update(
            status=GradeStatus.APPROVED, approved_by=approver, approved_at=approved_at
        )
        key = EnterpriseGrade.objects.filter(year=year, is_key=True).count()
        parts.append(f"{year}年 {count} 条（{result.created} 条建议，重点监管 {key} 条）")
    return "分级：" + "；".join(parts)
