"""A small form with computed, hand-entered and formula cells, and two units' records (issue 14's tests).

小表: rows 生产 (r1, manufacturers), 经营 (r2, operators) and 合计 (total: each cell ``{r1.} + {r2.}``);
columns 检查家次 (``computed``: enterprises_inspected), 宣传活动次数 (``manual``: integer, required, ≥ 0) and
合计 (``sum``: ``{.computed} + {.manual}``). Records up to the cut-off 2023-06-25:
五马所 inspected its manufacturer twice and its operator once; 大南所 its manufacturer once.
"""

import datetime as dt
from decimal import Decimal

from campaigns.models import CellKind, FormCell, FormColumn, FormRow, FormTemplate
from enterprises.choices import Link, Role
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory

from .factories import CampaignFactory, DueDateFactory, InspectionFactory

CUTOFF = dt.date(2023, 6, 25)


def small_template() -> FormTemplate:
    template = FormTemplate.objects.create(code="小表", year=2023, title_template="{year}年小表",
                                           footer_template="数据截至{year}年{month}月{day}日",
                                           header_label="项目", label_columns=1)
    rows = [FormRow.objects.create(template=template, order=order, key=key, path=[label], link=link,
                                   label_cells=[{"text": label, "col": 0}])
            for order, (key, label, link) in enumerate(
                [("r1", "生产", Link.MANUFACTURE), ("r2", "经营", Link.OPERATION), ("total", "合计", "")], start=1)]
    columns = [
        FormColumn.objects.create(template=template, order=1, key="computed", label="检查家次",
                                  kind=CellKind.COMPUTED, metric="enterprises_inspected"),
        FormColumn.objects.create(template=template, order=2, key="manual", label="宣传活动次数",
                                  kind=CellKind.MANUAL, required=True, min_value=Decimal(0)),
        FormColumn.objects.create(template=template, order=3, key="sum", label="合计",
                                  kind=CellKind.FORMULA, formula="{.computed} + {.manual}"),
    ]
    for column in columns:
        FormCell.objects.create(template=template, row=rows[2], column=column, kind=CellKind.FORMULA,
                                formula="{r1.} + {r2.}")
    return template


def build() -> dict:
    template = small_template()
    unit_a = UnitFactory(name="五马市场监管所", short_name="五马所", phone="0577-88001111")
    unit_b = UnitFactory(name="大南市场监管所", short_name="大南所", phone="0577-88002222")
    sub_a, sub_b = SubdistrictFactory(unit=unit_a), SubdistrictFactory(unit=unit_b)
    campaign = CampaignFactory(units=[unit_a, unit_b], forms=[template])
    due = DueDateFactory(campaign=campaign, due_on=CUTOFF)
    due.reopened = True  # the period stays open (today is after it)
    due.save()
    maker_a = EnterpriseFactory(name="甲生产", subdistrict=sub_a, is_manufacturer=True, is_operator=False)
    seller_a = EnterpriseFactory(name="甲经营", subdistrict=sub_a, is_operator=True)
    maker_b = EnterpriseFactory(name="乙生产", subdistrict=sub_b, is_manufacturer=True, is_operator=False)
    for enterprise, unit, day in ((maker_a, unit_a, dt.date(2023, 5, 10)), (maker_a, unit_a, dt.date(2023, 6, 1)),
                                  (seller_a, unit_a, dt.date(2023, 5, 20)), (maker_b, unit_b, dt.date(2023, 5, 5))):
        InspectionFactory(enterprise=enterprise, unit=unit, start_date=day, campaigns=[campaign])
    InspectionFactory(enterprise=maker_a, unit=unit_a, start_date=dt.date(2023, 7, 1), campaigns=[campaign])
    user_a = UserFactory(unit=unit_a, full_name="张所员", phone="13800000001")
    user_b = UserFactory(unit=unit_b, full_name="李所员")
    section_unit = UnitFactory(name="区局药械科", kind="section")
    section = UserFactory(unit=section_unit, role=Role.SECTION_STAFF, full_name="王科员", phone="0577-88990000")
    return {"template": template, "campaign": campaign, "unit_a": unit_a, "unit_b": unit_b, "user_a": user_a,
            "user_b": user_b, "section": section}
