"""Demo filings of the plan's quarterly returns (附件1 and 附件2, due the 15th of March, June, September and November).

Called by ``reporting.demo.seed`` after the special campaigns' returns. The campaigns themselves come from
``campaigns.demo.seed_plan`` (``campaigns.plan2024``).

- 2024: every 所 filed both tables for each due date a few days early, the 药械科 approved them, and
  compiled the district return of the last period.
- The demo's current year: the same for each due date already past except the last, which the chief
  reopened so that a 所 can still fill in and submit it in the demo.

The annual data return (附件1) is filed the same way; each 所 types its hand-entered cells (宣传周 activities,
trainings, signed 责任书 …) through ``reporting.return_cells`` before submitting, so the district return
compiles them.
"""

from __future__ import annotations

import datetime as dt

from campaigns.models import Campaign, CellKind
from campaigns.plan2024 import PLAN_YEAR, action_name, annual_name
from enterprises.choices import Role, UnitKind
from enterprises.models import User
from reporting.demo_filing import _backdate, _file, _Opened
from reporting.form_cells import template_cells
from reporting.return_cells import return_manual_save
from reporting.services import return_approve, return_submit, units_return_data


def seed(ctx) -> str:
    reviewer = (User.objects.filter(role=Role.SECTION_STAFF).order_by("pk").first()
                or User.objects.filter(role=Role.LEADER, unit__kind=UnitKind.SECTION).order_by("pk").first())
    if reviewer is None:
        return "专项行动报表：没有药械科账号，跳过"
    filed = district = 0
    for year in sorted({PLAN_YEAR, ctx.year}):
        for name in (annual_name(year), action_name(year)):
            campaign = Campaign.objects.filter(name=name, year=year).first()
            if campaign is None:
                continue
            dues = [d for d in campaign.due_dates.order_by("due_on") if d.due_on < ctx.today]
            if year == ctx.year and dues and dues[-1] == campaign.due_dates.order_by("due_on").last():
                dues = dues[:-1]  # the last period stays open for the demo's 所 users
            a, b = _file_periods(ctx, campaign, dues, reviewer)
            filed, district = filed + a, district + b
    return f"年度工作数据与专项行动报表（附件1、附件2）{filed} 份，全区汇总 {district} 份"


def _manual_values(rng, template) -> dict:
    """Plausible hand-entered figures of one 所 and quarter (activities no record holds)."""
    values: dict[str, dict[str, str]] = {}
    for spec in template_cells(template).of_kind(CellKind.MANUAL):
        high = 60 if "人次" in spec.label else 12 if "份" in spec.label else 3
        low = int(spec.min_value) if spec.min_value is not None else 0
        values.setdefault(spec.row, {})[spec.column] = str(max(low, rng.randint(1, high)))
    return values


def _file_periods(ctx, campaign: Campaign, dues: list, reviewer) -> tuple[int, int]:
    filers = [u for u in campaign.units.order_by("sort_order", "code") if u.kind == UnitKind.STATION]
    members = {u.pk: User.objects.filter(unit=u, role=Role.STATION_STAFF).order_by("pk").first() for u in filers}
    filers = [u for u in filers if members[u.pk] is not None][: 3 if ctx.scale else None]
    forms = list(campaign.forms.order_by("code"))
    rng = ctx.rng(f"annex:{campaign.year}")
    filed = district = 0
    for number, due in enumerate(dues):
        cutoff = due.due_on - dt.timedelta(days=5)
        with _Opened(due):
            numbers = {t.pk: units_return_data(campaign=campaign, template=t, units=filers, cutoff=cutoff)
                       for t in forms}
            for index, unit in enumerate(filers):
                user = members[unit.pk]
                day = due.due_on - dt.timedelta(days=rng.randint(0, 4))
                for template in forms:
                    ret = _file(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=user,
                                numbers=numbers[template.pk])
                    manual = _manual_values(rng, template)
                    if manual:
                        ret = return_manual_save(ret=ret, by=user, values=manual)
                    return_submit(ret=ret, by=user)
                    return_approve(ret=ret, by=reviewer, comment="")
                    reviewed = min(due.due_on + dt.timedelta(days=2), ctx.today)
                    _backdate(ret, ctx.at(day, 9 + index % 6), reviewed=ctx.at(reviewed, 16))
                    filed += 1
            if number == len(dues) - 1 and not ctx.scale:
                for template in forms:
                    ret = _file(campaign=campaign, template=template, unit=None, cutoff=cutoff, by=reviewer)
                    _backdate(ret, None, computed=ctx.at(min(due.due_on + dt.timedelta(days=5), ctx.today), 17))
                    district += 1
    return filed, district
