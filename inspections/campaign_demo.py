"""Demo campaign records for ``manage.py seed_demo`` (after campaigns.demo and inspections.demo).

Links the existing inspections, interviews, cases and referrals of enterprises in the forms' rows
within each campaign's dates (one INSERT … SELECT per kind of record, whatever the scale), and adds a
finalised campaign inspection — with its 责令改正, 约谈, case and 移交 — to every row that has none
before the first due date, so that every row of both forms has non-zero numbers in the district.
It lives in the inspections app because an inspection knows its campaign, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db import connection, transaction

from campaigns.demo import campaign_rows, row_enterprise
from campaigns.models import Campaign, FormRow
from campaigns.rows import TagIndex, row_q
from enterprises.models import Enterprise, User
from inspections.choices import (
    CaseProcedure,
    CertKind,
    Conclusion,
    InspectionKind,
    InspectionStatus,
    ReferralTarget,
)
from inspections.models import Case, Inspection, InspectionOfficer, Interview, Rectification, Referral


def _link_records(campaign: Campaign, rows: list[FormRow], tags: TagIndex, last_day: dt.date) -> dict[str, int]:
    """Link every record of the campaign's dates whose enterprise sits in one of the rows."""
    counts = {}
    specs = [
        (Inspection, "start_date", {"status": InspectionStatus.FINALISED}),
        (Interview, "held_on", {}),
        (Case, "filed_on", {}),
        (Referral, "referred_on", {}),
    ]
    in_rows = reduce(or_, [row_q(row, tags, "enterprise__") for row in rows])
    for model, date_field, extra in specs:
        queryset = model.objects.filter(in_rows, **{f"{date_field}__gte": campaign.start_date,
                                                     f"{date_field}__lte": last_day}, **extra)
        queryset = queryset.exclude(campaigns=campaign).values("pk").order_by()
        through = model.campaigns.through
        own = f"{model._meta.model_name}_id"
        sql, params = queryset.query.sql_with_params()
        table = connection.ops.quote_name(through._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({own}, campaign_id) SELECT sub.*, %s FROM ({sql}) sub",
                [campaign.pk, *params],
            )
            counts[model._meta.model_name] = cursor.rowcount
    return counts


class RowRecords:
    """Adds a finalised campaign inspection (and what followed it) to a row that has none."""

    def __init__(self, ctx, tags: TagIndex) -> None:
        self.rng = ctx.rng("campaign-records")
        self.tags = tags
        self.created = 0

    def inspection_for(self, campaign: Campaign, row: FormRow, enterprise: Enterprise, last_day: dt.date) -> None:
        """A finalised campaign inspection of the row before the first due date (so every return has one)."""
        first_due = campaign.due_dates.order_by("due_on").values_list("due_on", flat=True).first() or last_day
        last_day = min(last_day, first_due - dt.timedelta(days=6))
        has = Inspection.objects.filter(
            row_q(row, self.tags, "enterprise__"), unit__in=campaign.units.all(), campaigns=campaign,
            status=InspectionStatus.FINALISED, start_date__gte=campaign.start_date, start_date__lte=last_day,
        ).exists()
        if has or last_day < campaign.start_date:
            return
        unit = enterprise.owning_unit
        span = max((last_day - campaign.start_date).days, 1)
        day = campaign.start_date + dt.timedelta(days=self.rng.randrange(span))
        people = list(User.objects.filter(unit=unit).order_by("pk")[:2])
        inspection = Inspection.objects.create(
            enterprise=enterprise, unit=unit, kind=InspectionKind.SPECIAL, start_date=day, staff_count=2,
            conclusion=Conclusion.BASICALLY, summary="专项整治检查（演示数据）", status=InspectionStatus.FINALISED,
            finalised_by=people[0] if people else None,
        )
        inspection.campaigns.add(campaign)
        for index in range(2):
            person = people[index] if index < len(people) else None
            InspectionOfficer.objects.create(
                inspection=inspection, user=person, name=person.display_name if person else f"执法人员{index + 1}",
                cert_kind=CertKind.ENFORCEMENT, cert_no=(person.cert_no if person else "") or f"演示{index + 1}",
            )
        done = day + dt.timedelta(days=15)
        Rectification.objects.create(
            inspection=inspection, ordered_on=day, deadline=day + dt.timedelta(days=30),
            requirements="限期整改进货查验记录", completed_on=done if done <= last_day else None,
        )
        interview = Interview.objects.create(enterprise=enterprise, unit=unit, inspection=inspection, held_on=day,
                                             persons="企业负责人、质量负责人", record="约谈（演示数据）")
        interview.campaigns.add(campaign)
        case = Case.objects.create(
            number=f"演示案〔{campaign.year}〕{campaign.pk}-{row.pk}", enterprise=enterprise, unit=unit,
            source_inspection=inspection, filed_on=day, procedure=CaseProcedure.ORDINARY,
            violation="经营未经注册的医疗器械（演示数据）", fine_amount=20000, confiscation_amount=1500,
        )
        case.campaigns.add(campaign)
        referral = Referral.objects.create(enterprise=enterprise, unit=unit, case=case, target=ReferralTarget.HEALTH,
                                           referred_on=day, note="移交卫生健康部门（演示数据）")
        referral.campaigns.add(campaign)
        self.created += 1


@transaction.atomic
def seed(ctx) -> str:
    tags = TagIndex()
    records = RowRecords(ctx, tags)
    linked: dict[str, int] = {}
    campaigns = list(Campaign.objects.filter(start_date__lte=ctx.today).order_by("start_date", "pk"))
    for campaign in campaigns:
        rows = campaign_rows(campaign)
        if not rows:
            continue
        last_day = min(campaign.end_date, ctx.today)
        for key, count in _link_records(campaign, rows, tags, last_day).items():
            linked[key] = linked.get(key, 0) + count
        for row in rows:
            enterprise = row_enterprise(row, tags, campaign)
            if enterprise is not None:
                records.inspection_for(campaign, row, enterprise, last_day)
    return (
        f"{len(campaigns)} 个专项整治：关联检查 {linked.get('inspection', 0)}、约谈 {linked.get('interview', 0)}、"
        f"案件 {linked.get('case', 0)}、移送 {linked.get('referral', 0)} 条；补充专项检查 {records.created} 次"
    )
