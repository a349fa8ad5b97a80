"""Demo grades: last year's approved grades and this year's, for the whole demo district.

This year's follow ``ctx.today``: after 28 March they are approved (proposed on 1 March); before it
they were proposed in early January and wait for approval, due 31 March.

Runs after the enterprise and inspection seeders, so last year's demo cases and rectifications
escalate grades exactly as the rules say. Bulk operations only (also at ``ctx.scale``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from enterprises.choices import ACTIVE_STATUSES, Role
from enterprises.grading.choices import CreditKind, GradeStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import CreditRecord, Enterprise, EnterpriseGrade, GradeLevel, User

CHANGES = 3  # grades changed by staff (with a reason) before approval, to show the workflow
# bad-credit facts recorded last year (cases and rectifications escalate grades on their own). 风险会商点名
# records are not typed here: they arise from the risk register (monitoring.demo_risks, 列入重点监管).
CREDIT_RECORDS = [
    (CreditKind.BAD_CREDIT, 5, 12, "未按规定报送年度自查报告，经催告仍未报送"),
    (CreditKind.BAD_CREDIT, 8, 3, "提供虚假资料办理第二类医疗器械经营备案"),
    (CreditKind.SERIOUS_DISHONEST, 10, 8, "列入严重违法失信名单（市场监管部门）"),
]


def _credit_records(ctx, recorder) -> int:
    """A few bad-credit facts of last year on operating enterprises (deterministic)."""
    ids = list(Enterprise.objects.filter(is_operator=True, status__in=ACTIVE_STATUSES).order_by("id")
               .values_list("id", flat=True)[:400])
    if not ids:
        return 0
    picked = ctx.rng("grading-credit").sample(ids, min(len(CREDIT_RECORDS), len(ids)))
    records = [
        CreditRecord(enterprise_id=enterprise_id, kind=kind, recorded_on=datetime.date(ctx.year - 1, month, day),
                     valid_until=datetime.date(ctx.year, 12, 31), reason=reason, created_by=recorder)
        for enterprise_id, (kind, month, day, reason) in zip(picked, CREDIT_RECORDS, strict=False)
    ]
    bulk_create_with_history(records, CreditRecord, default_user=recorder)
    return len(records)


def seed(ctx) -> str:
    approver = User.objects.filter(role=Role.LEADER).order_by("username").first()
    staff = User.objects.filter(role=Role.SECTION_STAFF).order_by("username").first()
    parts = []
    credit = _credit_records(ctx, staff)
    approve_on = datetime.date(ctx.year, 3, 28)
    if ctx.today > approve_on:  # this year's grades were proposed on 1 March and approved before 31 March
        this_year = (datetime.date(ctx.year, 3, 1), approve_on)
    else:  # still under way (due 31 March): proposed early in January, not yet approved
        this_year = (min(ctx.today, datetime.date(ctx.year, 1, 6)), None)
    for year, as_of, approved_on in (
        (ctx.year - 1, datetime.date(ctx.year - 1, 3, 1), datetime.date(ctx.year - 1, 3, 25)),
        (ctx.year, *this_year),
    ):
        scheme_ensure(year=year)
        result = grades_propose(year=year, unit=None, by=None, as_of=as_of)
        # the proposals were made on ``as_of`` (not today): date them and their history rows so
        # the timeline reads proposal → change → approval
        proposed_at = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(9, 0)))
        EnterpriseGrade.objects.filter(year=year).update(proposed_at=proposed_at)
        EnterpriseGrade.history.filter(year=year).update(history_date=proposed_at)
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
                grade._change_reason = grade.change_reason
                grade._history_user = staff
                changed_on = min(as_of + datetime.timedelta(days=10), ctx.today)
                grade._history_date = timezone.make_aware(datetime.datetime.combine(changed_on, datetime.time(15, 0)))
                grade.save()
        if approved_on is None:
            waiting = EnterpriseGrade.objects.filter(year=year).exclude(status=GradeStatus.APPROVED).count()
            parts.append(f"{year}年 {waiting} 条待审批（{result.created} 条建议，{year}年3月31日前完成）")
            continue
        approved_at = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(10, 0)))
        pending = list(EnterpriseGrade.objects.filter(year=year).exclude(status=GradeStatus.APPROVED))
        for grade in pending:
            grade.status = GradeStatus.APPROVED
            grade.approved_by = approver
            grade.approved_at = approved_at
        bulk_update_with_history(pending, EnterpriseGrade, ["status", "approved_by", "approved_at"],
                                 batch_size=2000, default_user=approver, default_date=approved_at)
        count = len(pending)
        key = EnterpriseGrade.objects.filter(year=year, is_key=True).count()
        parts.append(f"{year}年 {count} 条（{result.created} 条建议，重点监管 {key} 条）")
    return "分级：" + "；".join(parts) + f"；信用记录 {credit} 条"
