"""A small form with computed, hand-entered and formula cells, and returns of it filled without the engine
(``data["computed"]`` set by hand, then ``return_cells.return_refill``), for the return page and API tests."""

import datetime as dt

from django.utils import timezone

from campaigns.models import CellKind, FormCell, FormColumn, FormRow, FormTemplate
from enterprises.choices import Role
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting import return_cells
from reporting.models import Return

from .factories import CampaignFactory, DueDateFactory

CUTOFF = dt.date(2024, 2, 29)


def build_template() -> FormTemplate:
    """Rows 宣传周 / 培训; columns 检查家次 (computed), 活动场次 (hand-entered, integer ≥ 0, required) and
    合计 (formula); the cell 培训 × 检查家次 does not apply (—)."""
    template = FormTemplate.objects.create(
        code="测试附件1", year=2024, title_template="{year}年测试工作数据", header_label="项目", label_columns=1,
        footer_template="截至{year}年{month}月{day}日")
    publicity = FormRow.objects.create(template=template, order=1, key="publicity", path=["宣传周"],
                                       label_cells=[{"text": "宣传周", "col": 0}])
    training = FormRow.objects.create(template=template, order=2, key="training", path=["培训"],
                                      label_cells=[{"text": "培训", "col": 0}])
    inspected = FormColumn.objects.create(template=template, order=1, key="inspected", label="检查家次",
                                          kind=CellKind.COMPUTED, metric="enterprises_inspected")
    FormColumn.objects.create(template=template, order=2, key="events", label="活动场次", kind=CellKind.MANUAL,
                              min_value=0, required=True)
    FormColumn.objects.create(template=template, order=3, key="total", label="合计", kind=CellKind.FORMULA,
                              formula="{.inspected} + {.events}")
    FormCell.objects.create(template=template, row=training, column=inspected, kind=CellKind.NONE)
    assert publicity.pk
    return template


def build_world() -> dict:
    template = build_template()
    unit_a = UnitFactory(name="五马市场监管所", short_name="五马所")
    unit_b = UnitFactory(name="大南市场监管所", short_name="大南所")
    campaign = CampaignFactory(name="2024年度医疗器械监督管理工作数据", year=2024, start_date=dt.date(2024, 1, 1),
                               end_date=dt.date(2024, 12, 31), units=[unit_a, unit_b], forms=[template])
    due = DueDateFactory(campaign=campaign, due_on=dt.date(2024, 3, 15), reopened=True)
    district_unit = UnitFactory(name="区局药械科", kind="section")
    world = {
        "template": template, "campaign": campaign, "due": due, "unit_a": unit_a, "unit_b": unit_b,
        "user_a": UserFactory(unit=unit_a, full_name="张所员"), "user_b": UserFactory(unit=unit_b, full_name="李所员"),
        "section": UserFactory(unit=district_unit, role=Role.SECTION_STAFF, full_name="王科员"),
        "chief": UserFactory(unit=district_unit, role=Role.LEADER, full_name="赵科长"),
        "auditor": UserFactory(unit=district_unit, role=Role.AUDITOR, full_name="钱审计"),
    }
    world["ret_a"] = make_return(world, unit=unit_a, inspected=3)
    world["ret_b"] = make_return(world, unit=unit_b, inspected=4)
    return world


def make_return(world: dict, *, unit, inspected: int, units: dict | None = None) -> Return:
    """A return of the world's form with 宣传周 × 检查家次 = ``inspected`` as computed; ``units`` (district):
    ``{unit: inspected}`` of each member."""
    def grid(value):
        return {"publicity": {"inspected": value, "events": None, "total": None},
                "training": {"inspected": None, "events": None, "total": None}}

    data = {"computed": grid(inspected)}
    if units is not None:
        data["computed_units"] = {str(u.pk): grid(v) for u, v in units.items()}
    ret = Return.objects.create(campaign=world["campaign"], template=world["template"], unit=unit, cutoff=CUTOFF,
                                due_date=world["due"], data=data, computed_at=timezone.now(),
                                created_by=world["section"])
    return return_cells.return_refill(ret, rebuild_files=False)
