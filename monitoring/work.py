"""The evaluations' entry in the work lists (我的待办, 本单位待办与逾期) of the inspections app.

Registered in ``MonitoringConfig.ready()`` through ``inspections.work_sources`` so that inspections
never imports monitoring. An evaluation waits on its unit (the 药械科) until it is evaluated; 我的待办
of a member of that unit lists those due within the week or overdue, the unit list every open one.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.work_sources import WorkItem, WorkSection
from monitoring.evaluation_selectors import evaluations_waiting


def evaluation_work(user, *, unit, personal: bool, due_by: date | None, today: date) -> WorkSection | None:
    if personal and unit is None:
        return None
    evaluations = evaluations_waiting(user=user, unit_id=unit.pk if unit is not None else None, due_by=due_by)
    items = [
        WorkItem(
            title=f"{e.get_trigger_display()} · {e.primary_report.product_name}",
            url=reverse("monitoring:evaluation_detail", args=[e.pk]), due_on=e.due_on, overdue=e.due_on < today,
            detail=_("报告编码 %(code)s") % {"code": e.primary_report.code},
        )
        for e in evaluations.select_related("primary_report")[:50]
    ]
    if not items:
        return None
    return WorkSection(key="ae-evaluations", title=_("不良事件待评价"), items=items)
