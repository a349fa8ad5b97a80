"""Samples in the work lists (我的待办, 本单位待办与逾期) of the inspections app.

Registered in ``MonitoringConfig.ready()`` through ``inspections.work_sources``. A sample waits on its
unit while it has an open step: 我的待办 lists those due within the horizon or overdue, the unit's list
every open one (its overdue ones marked).
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.work_sources import WorkItem, WorkSection
from monitoring.sampling_selectors import samples_waiting


def sampling_work(user, *, unit, personal: bool, due_by: date | None, today: date) -> WorkSection | None:
    if personal and unit is None:
        return None
    samples = samples_waiting(user=user, unit_id=unit.pk if unit is not None else None, due_by=due_by)
    items = [
        WorkItem(
            title=f"{s.get_next_step_display()} · {s.product_name}",
            url=reverse("monitoring:sample_detail", args=[s.pk]), due_on=s.next_due_on,
            overdue=s.next_due_on < today,
            detail=_("抽样单号 %(no)s · %(ent)s") % {"no": s.sample_no, "ent": s.enterprise.name},
        )
        for s in samples[:50]
    ]
    if not items:
        return None
    return WorkSection(key="sampling", title=_("监督抽检环节"), items=items)
