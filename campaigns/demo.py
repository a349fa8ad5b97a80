"""Demo campaigns for ``manage.py seed_demo`` (after the enterprises seeder, before the inspections).

Creates the 2023 Yongding-style campaign (统计表一/二, due 6-25, 9-25, 12-25) and the campaign of the
demo's current year (``ctx.year``, the forms copied to that year, the same due dates), and adds an
enterprise to every row of the forms that has none in the taking-part units, so that every row can
have numbers. Linking inspections, interviews, cases and referrals to the campaigns is the
inspections app's part (``inspections.campaign_demo``): a campaign knows nothing of inspections.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from campaigns.models import Campaign, CampaignDueDate, FormRow, FormTemplate
from campaigns.plan2024 import PLAN_YEAR, ensure_plan_campaigns
from campaigns.rows import TagIndex, row_q
from campaigns.services import campaign_due_date_reopen, copy_template
from enterprises.choices import ACTIVE_STATUSES, EnterpriseStatus, InstitutionType, Link, Role, UnitKind
from enterprises.models import Enterprise, Subdistrict, Tag, Unit, User
from enterprises.ownership import resolve_owning_unit
from enterprises.validators import credit_code_check_char

HISTORY_DOC = "永市场监管药械〔2023〕3号"
DUE_DAYS = ((6, 25), (9, 25), (12, 25))
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


def campaign_rows(campaign: Campaign) -> list[FormRow]:
    """The rows of every form of a campaign, in form order."""
    return list(FormRow.objects.filter(template__in=campaign.forms.all()).order_by("template", "order"))


def row_enterprise(row: FormRow, tags: TagIndex, campaign: Campaign) -> Enterprise | None:
    """The first enterprise of a row in the campaign's units, active throughout the campaign
    (established before it started, no status change since)."""
    return (
        Enterprise.objects.filter(row_q(row, tags), status__in=list(ACTIVE_STATUSES),
                                  owning_unit__in=campaign.units.all())
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=campaign.start_date))
        .exclude(status_changes__effective_on__gte=campaign.start_date)
        .order_by("pk").first()
    )


class RowEnterprises:
    """Adds an enterprise to each row that has none (a row of a rare kind, e.g. 网络交易平台)."""

    def __init__(self, ctx, tags: TagIndex) -> None:
        self.rng = ctx.rng("campaigns")
        self.tags = tags
        self.subdistricts = list(Subdistrict.objects.select_related("unit").order_by("code"))
        self.serial = 0
        self.created = 0

    def ensure(self, row: FormRow, campaign: Campaign) -> None:
        if not self.subdistricts or row_enterprise(row, self.tags, campaign) is not None:
            return
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
        self.created += 1


def _campaign(*, name: str, doc: str, year: int, start: dt.date, end: dt.date, forms, units, description: str,
              today: dt.date) -> Campaign:
    campaign = Campaign.objects.create(name=name, doc_number=doc, year=year, start_date=start, end_date=end,
                                       description=description, is_active=end >= today)
    campaign.units.set(units)
    campaign.forms.set(forms)
    for month, day in DUE_DAYS:
        CampaignDueDate.objects.create(campaign=campaign, due_on=dt.date(year, month, day), label=f"{month}月{day}日")
    return campaign


def current_campaign(ctx) -> Campaign | None:
    """The campaign of the demo's current year (None when that year is the historical 2023)."""
    return Campaign.objects.filter(year=ctx.year).exclude(doc_number=HISTORY_DOC).order_by("pk").first()


@transaction.atomic
def seed(ctx) -> str:
    base = {t.code: t for t in FormTemplate.objects.filter(year=2023, version=1)}
    if not base:
        return "没有报表模板（先运行 load_reference）"
    units = list(Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.SECTION, UnitKind.ENFORCEMENT])
                 .order_by("sort_order", "code"))
    campaigns = [_campaign(
        name="2023年医疗器械质量安全专项整治", doc=HISTORY_DOC, year=2023,
        start=dt.date(2023, 4, 1), end=dt.date(2023, 12, 31), forms=base.values(), units=units,
        description="每季度末汇总本辖区推进专项整治行动情况，填报统计表一、表二，于6月25日、9月25日、12月25日前上报。",
        today=ctx.today,
    )]
    if ctx.year != 2023:
        current_forms = [copy_template(template=t, year=ctx.year) for t in base.values()]
        campaigns.append(_campaign(
            name=f"{ctx.year}年医疗器械质量安全专项整治", doc=f"鹿市监药械〔{ctx.year}〕5号", year=ctx.year,
            start=dt.date(ctx.year, 1, 1), end=dt.date(ctx.year, 12, 31), forms=current_forms, units=units,
            description="全年开展专项整治，按季度累计填报统计表一、表二，于6月25日、9月25日、12月25日前上报。",
            today=ctx.today,
        ))
    tags = TagIndex()
    rows = RowEnterprises(ctx, tags)
    for campaign in campaigns:
        for row in campaign_rows(campaign):
            rows.ensure(row, campaign)
    plan = seed_plan(ctx)
    return (f"{len(campaigns)} 个专项整治（{'、'.join(str(c.year) for c in campaigns)}年）；补充企业 {rows.created} 家；"
            f"{plan}")


def seed_plan(ctx) -> str:
    """The plan's quarterly returns (附件1 年度数据, 附件2 专项行动; due the 15th of March, June, September and
    November) for 2024 and for the demo's current year, whose last period (11-15) is reopened so that a 所
    can still fill in and submit its returns whatever the date."""
    years = sorted({PLAN_YEAR, ctx.year})
    chief = User.objects.filter(role=Role.LEADER, unit__kind=UnitKind.SECTION).order_by("pk").first()
    for year in years:
        pair = ensure_plan_campaigns(year)
        if year == ctx.year and chief is not None:
            for campaign in pair:
                last = campaign.due_dates.order_by("-due_on").first()
                if last.due_on < ctx.today:
                    campaign_due_date_reopen(due=last, by=chief)
    return f"计划报送（附件1、附件2）{'、'.join(str(y) for y in years)} 年各 2 项"
