"""The two quarterly returns of the district's 2024 plan as campaigns (鹿城计划 三.(四)).

The plan asks for 附件1《年度医疗器械监督管理工作数据》 (an annual data return: every record of the year
counts) and 附件2 (the 2024 质量安全专项行动 tables), both due before the 15th of March, June, September
and November. ``ensure_plan_2024`` sets them up from the shipped templates (``fixtures/forms/2024_*``);
``ensure_plan_campaigns`` does the same for another year with that year's templates (the demo's current
year). Idempotent: what exists is kept as the administrator edited it, only what is missing is added.
Not reference data: called by the demo seeder (and by an administrator's set-up), never by load_reference.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from campaigns.models import Campaign, CampaignDueDate, CampaignKind, FormTemplate
from campaigns.reference import FORMS_DIR
from campaigns.services import copy_template, form_template_import
from enterprises.choices import UnitKind
from enterprises.models import Unit

PLAN_DUE_DAYS = ((3, 15), (6, 15), (9, 15), (11, 15))
ANNEX1_CODE = "附件1"
ANNEX2_CODES = ("附件2-统计表一", "附件2-统计表二")
PLAN_FILES = {ANNEX1_CODE: "2024_annex1.json", ANNEX2_CODES[0]: "2024_annex2_table1.json",
              ANNEX2_CODES[1]: "2024_annex2_table2.json"}
PLAN_YEAR = 2024


def annual_name(year: int) -> str:
    return f"{year}年度医疗器械监督管理工作数据"


def action_name(year: int) -> str:
    return f"{year}年医疗器械领域质量安全专项行动"


def plan_units() -> list[Unit]:
    """Who files the plan's returns: every 市场监管所 and the 药械科."""
    return list(Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.SECTION]).order_by("sort_order", "code"))


def plan_template(code: str, year: int = PLAN_YEAR) -> FormTemplate:
    """The first version of a plan form for ``year``: the shipped 2024 one (imported from its fixture when
    load_reference has not run), for another year a copy of it."""
    found = FormTemplate.objects.filter(code=code, year=year).order_by("version").first()
    if found is not None:
        return found
    if year == PLAN_YEAR:
        data = json.loads((FORMS_DIR / PLAN_FILES[code]).read_text(encoding="utf-8"))
        template, _created = form_template_import(data=data)
        return template
    return copy_template(template=plan_template(code, PLAN_YEAR), year=year)


def _ensure(*, name: str, kind: str, year: int, forms: list[FormTemplate], units: list[Unit],
            description: str) -> tuple[Campaign, bool]:
    campaign, created = Campaign.objects.get_or_create(
        name=name, year=year,
        defaults={"kind": kind, "start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31),
                  "description": description},
    )
    if created:
        campaign.units.set(units)
        campaign.forms.set(forms)
    for month, day in PLAN_DUE_DAYS:
        CampaignDueDate.objects.get_or_create(
            campaign=campaign, due_on=dt.date(year, month, day), defaults={"label": f"{month}月{day}日前"})
    return campaign, created


@transaction.atomic
def ensure_plan_campaigns(year: int) -> tuple[Campaign, Campaign]:
    """The annual data return (附件1) and the 专项行动 (附件2) of ``year``, with the 15th due dates."""
    units = plan_units()
    annual, _ = _ensure(
        name=annual_name(year), kind=CampaignKind.ANNUAL, year=year, forms=[plan_template(ANNEX1_CODE, year)],
        units=units,
        description="按年度医疗器械监管工作计划，于3月、6月、9月、11月15日前报送附件1《年度医疗器械监督管理工作数据》"
                    "（本年度1月1日至数据截止日的累计数）。",
    )
    action, _ = _ensure(
        name=action_name(year), kind=CampaignKind.CAMPAIGN, year=year,
        forms=[plan_template(code, year) for code in ANNEX2_CODES], units=units,
        description="按年度医疗器械监管工作计划，于3月、6月、9月、11月15日前报送附件2专项行动工作情况统计表一、表二。",
    )
    return annual, action


def ensure_plan_2024() -> tuple[Campaign, Campaign]:
    """The plan's own year: 2024 附件1 and 附件2 from the shipped templates."""
    return ensure_plan_campaigns(PLAN_YEAR)
