"""Demo campaigns for ``manage.py seed_demo`` (after the enterprises and inspections seeders).

Creates the 2023 Yongding-style campaign (统计表一/二, due 6-25, 9-25, 12-25) and a campaign of the
current year (the forms copied to that year), links the existing inspections, interviews, cases and
referrals of enterprises in the forms' rows within each campaign's dates (one INSERT … SELECT per kind
of record, whatever the scale), and tops up enterprises and records so that every row of both forms
has non-zero numbers somewhere in the district.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Q

from campaigns.models import Campaign, CampaignDueDate, FormRow, FormTemplate
from campaigns.rows import TagIndex, row_q
from campaigns.services import copy_template
from enterprises.choices import ACTIVE_STATUSES, EnterpriseStatus, InstitutionType, Link, UnitKind
from enterprises.models import Enterprise, Subdistrict, Tag, Unit, User
from enterprises.ownership import resolve_owning_unit
from enterprises.validators import credit_code_check_char
from inspections.choices import (
    CaseProcedure,
    CertKind,
    Conclusion,
    InspectionKind,
    InspectionStatus,
    ReferralTarget,
)
from inspections.models import Case, Inspection, InspectionOfficer, Interview, Rectification, Referral

LINK_FLAGS: dict[str, dict] = {
    Link.MANUFACTURE: {"is_manufacturer": True, "is_registrant": True},
    Link.OPERATION: {"is_operator": True, "operates_class2": True},
    Link.DELIVERY: {"is_operator": True, "operates_class3": True, "is_vbp_distributor": True},
    Link.USE: {"is_user_unit": True, "institution_type": InstitutionType.HOSPITAL},
    Link.REGISTRANT: {"is_registrant": True, "entrusts_production": True},
    Link.CONTRACT_MANUFACTURER: {"is_manufacturer": True, "is_contract_manufacturer": True},
    Link.ONLINE_SALES: {"is_operator": True, "is_online_seller": True},
    Link.PLATFORM: {"is_platform": True},
    "": {"is_manufacturer": True, "is_registrant": True},
}
NAME_BY_LINK = {
    Link.MANUFACTURE: "温州{n}医疗器械制造有限公司", Link.OPERATION: "温州{n}医疗器械经营部",
    Link.DELIVERY: "温州{n}医药配送有限公司", Link.USE: "温州{n}医院", Link.REGISTRANT: "浙江{n}医疗科技有限公司",
    Link.CONTRACT_MANUFACTURER: "温州{n}精工医疗器械有限公司", Link.ONLINE_SALES: "温州{n}健康电子商务有限公司",
    Link.PLATFORM: "温州{n}网络交易平台有限公司", "": "温州{n}创新医疗器械有限公司",
}
TRADE = ["瑞安", "晨光", "远航", "新瓯", "嘉禾", "华美", "博瑞", "康达", "明德", "永康", "安和", "仁济"]


def _link_records(campaign: Campaign, rows: list[FormRow], tags: TagIndex, last_day: dt.date) -> dict[str, int]:
    """Link every record of the campaign's dates whose enterprise sits in one of the rows."""
    counts = {}
    specs = [
        (Inspection, "start_date", {"status": InspectionStatus.FINALISED}),
        (Interview, "held_on", {}),
        (Case, "filed_on", {}),
        (Referral, "referred_on", {}),
    ]
    for model, date_field, extra in specs:
        in_rows = reduce(or_, [row_q(row, tags, "enterprise__") for row in rows])
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


class TopUp:
    """Adds what a row lacks: an active enterprise of the row and a finalised campaign inspection."""

    def __init__(self, ctx, tags: TagIndex) -> None:
        self.rng = ctx.rng("campaigns")
        self.tags = tags
        self.subdistricts = list(Subdistrict.objects.select_related("unit").order_by("code"))
        self.serial = 0
        self.created_enterprises = 0
        self.created_inspections = 0

    def enterprise_for(self, row: FormRow, units: list[Unit], campaign: Campaign) -> Enterprise | None:
        """An enterprise of the row active throughout the campaign (established before, status unchanged)."""
        found = (
            Enterprise.objects.filter(row_q(row, self.tags), status__in=list(ACTIVE_STATUSES), owning_unit__in=units)
            .filter(Q(established_on__isnull=True) | Q(established_on__lte=campaign.start_date))
            .exclude(status_changes__effective_on__gte=campaign.start_date)
            .order_by("pk").first()
        )
        if found or not self.subdistricts:
            return found
        self.serial += 1
        body = f"91330302MA{self.serial + 9_000_000:07d}"[:17]
        name = NAME_BY_LINK.get(row.link, NAME_BY_LINK[""]).format(n=self.rng.choice(TRADE) + str(self.serial))
        enterprise = Enterprise(
            name=name, credit_code=body + credit_code_check_char(body), subdistrict=self.rng.choice(self.subdistricts),
            status=EnterpriseStatus.ACTIVE, established_on=dt.date(2020, 1, 1), legal_representative="演示",
            **LINK_FLAGS.get(row.link, LINK_FLAGS[""]),
        )
        enterprise.owning_unit = enterprise.subdistrict.unit
        enterprise.owning_unit, _rule = resolve_owning_unit(enterprise)
        enterprise.save()
        chosen = list(Tag.objects.filter(code__in=row.tag_codes[:1]))
        for tag in list(chosen):
            while tag.parent_id:  # the demo registry tags parents too (医疗美容 + 透明质酸钠)
                tag = tag.parent
                chosen.append(tag)
        enterprise.tags.set(chosen)
        self.created_enterprises += 1
        return enterprise

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
        self.created_inspections += 1


def _campaign(*, name: str, doc: str, year: int, start: dt.date, end: dt.date, forms, units, description: str,
              today: dt.date):
    campaign = Campaign.objects.create(name=name, doc_number=doc, year=year, start_date=start, end_date=end,
                                       description=description, is_active=end >= today)
    campaign.units.set(units)
    campaign.forms.set(forms)
    for month, day in ((6, 25), (9, 25), (12, 25)):
        CampaignDueDate.objects.create(campaign=campaign, due_on=dt.date(year, month, day), label=f"{month}月{day}日")
    return campaign


@transaction.atomic
def seed(ctx) -> str:
    base = {t.code: t for t in FormTemplate.objects.filter(year=2023, version=1)}
    if not base:
        return "没有报表模板（先运行 load_reference）"
    units = list(Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.SECTION, UnitKind.ENFORCEMENT])
                 .order_by("sort_order", "code"))
    c2023 = _campaign(
        name="2023年医疗器械质量安全专项整治", doc="永市场监管药械〔2023〕3号", year=2023,
        start=dt.date(2023, 4, 1), end=dt.date(2023, 12, 31), forms=base.values(), units=units,
        description="每季度末汇总本辖区推进专项整治行动情况，填报统计表一、表二，于6月25日、9月25日、12月25日前上报。",
        today=ctx.today,
    )
    campaigns = [c2023]
    if ctx.year != 2023:
        current_forms = [copy_template(template=t, year=ctx.year) for t in base.values()]
        campaigns.append(_campaign(
            name=f"{ctx.year}年医疗器械质量安全专项整治", doc=f"鹿市监药械〔{ctx.year}〕5号", year=ctx.year,
            start=dt.date(ctx.year, 3, 1), end=dt.date(ctx.year, 12, 31), forms=current_forms, units=units,
            description="按季度累计填报统计表一、表二（演示）。", today=ctx.today,
        ))
    tags = TagIndex()
    topup = TopUp(ctx, tags)
    linked = {}
    for campaign in campaigns:
        rows = list(FormRow.objects.filter(template__in=campaign.forms.all()).order_by("template", "order"))
        last_day = min(campaign.end_date, ctx.today)
        for key, count in _link_records(campaign, rows, tags, last_day).items():
            linked[key] = linked.get(key, 0) + count
        for row in rows:
            enterprise = topup.enterprise_for(row, units, campaign)
            if enterprise is not None:
                topup.inspection_for(campaign, row, enterprise, last_day)
    return (
        f"{len(campaigns)} 个专项整治；关联检查 {linked.get('inspection', 0)}、约谈 {linked.get('interview', 0)}、"
        f"案件 {linked.get('case', 0)}、移送 {linked.get('referral', 0)} 条；补充企业 {topup.created_enterprises} 家、"
        f"专项检查 {topup.created_inspections} 次"
    )
