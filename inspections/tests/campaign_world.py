"""A running campaign with a one-row form (经营企业), its 所 and inspectors, for the campaign-link tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from campaigns.models import Campaign, CampaignDueDate, FormColumn, FormRow, FormTemplate
from enterprises.choices import Link
from enterprises.models import Enterprise, Unit, User
from enterprises.tests.factories import EnterpriseFactory

from .factories import station_with_staff

ROW_KEY = "operation"


@dataclass
class CampaignWorld:
    today: dt.date
    unit: Unit
    inspector: User
    colleague: User
    operator: Enterprise  # in the form's row (经营)
    manufacturer: Enterprise  # not in it (生产 only)
    template: FormTemplate
    campaign: Campaign  # running, window around today
    past: Campaign  # active, but its window ended before today


def one_row_template(code: str = "测试统计表") -> FormTemplate:
    template = FormTemplate.objects.create(code=code, year=2020, title_template="{year}年测试统计表",
                                           footer_template="截至{year}年{month}月{day}日")
    FormRow.objects.create(template=template, order=1, key=ROW_KEY, path=["经营企业"], link=Link.OPERATION,
                           label_cells=[{"text": "经营企业", "col": 0, "colspan": 2, "rowspan": 1}])
    FormColumn.objects.create(template=template, order=1, metric="enterprises_inspected", label="检查企业家次")
    return template


def campaign_world(name: str = "医疗器械质量安全专项整治") -> CampaignWorld:
    today = timezone.localdate()
    unit, operator, (inspector, colleague) = station_with_staff()
    manufacturer = EnterpriseFactory(subdistrict=operator.subdistrict, is_operator=False, is_manufacturer=True,
                                     name="温州测试生产企业")
    template = one_row_template()
    campaign = Campaign.objects.create(name=name, year=today.year, start_date=today - dt.timedelta(days=60),
                                       end_date=today + dt.timedelta(days=200))
    campaign.units.set([unit])
    campaign.forms.set([template])
    CampaignDueDate.objects.create(campaign=campaign, due_on=today + dt.timedelta(days=10))
    past = Campaign.objects.create(name="上一轮专项行动", year=today.year - 1,
                                   start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=300))
    past.units.set([unit])
    past.forms.set([template])
    return CampaignWorld(today=today, unit=unit, inspector=inspector, colleague=colleague, operator=operator,
                         manufacturer=manufacturer, template=template, campaign=campaign, past=past)
