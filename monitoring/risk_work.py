"""The risk register's entries in the work lists (我的待办, 本单位待办与逾期), registered in ``MonitoringConfig.ready()``.

* A risk under control waits on its owner unit: 我的待办 of a member lists those due within the horizon or
  overdue; the unit list every open one (the district list: all units').
* A 销号 request waits on the chief: 我的待办 of an approver (``regsys.scoping.APPROVER_ROLES``) lists them,
  and so does the district's unit list.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.work_sources import WorkItem, WorkSection
from monitoring.risk_selectors import closures_awaiting, risks_waiting
from regsys.scoping import DISTRICT_UNIT_KINDS, scope_for


def risk_work(user, *, unit, personal: bool, due_by: date | None, today: date) -> WorkSection | None:
    if personal and unit is None:
        return None
    risks = risks_waiting(user=user, unit_id=unit.pk if unit is not None else None, due_by=due_by)
    items = [
        WorkItem(
            title=f"{r.get_level_display()}风险 · {r.risk_point}", url=reverse("monitoring:risk_detail", args=[r.pk]),
            due_on=r.due_on, overdue=r.due_on < today,
            detail=_("%(m)s纳入，责任单位 %(u)s") % {"m": f"{r.meeting.year}年第{r.meeting.quarter}季度",
                                                 "u": r.owner_unit.display_name},
        )
        for r in risks[:50]
    ]
    if personal:
        waiting_on_me = scope_for(user).can_approve
    else:
        waiting_on_me = unit is None or unit.kind in DISTRICT_UNIT_KINDS
    if waiting_on_me:
        items += [
            WorkItem(
                title=_("销号待审批 · %(p)s") % {"p": r.risk_point},
                url=reverse("monitoring:risk_detail", args=[r.pk]), due_on=r.closure_requested_on, overdue=False,
                detail=_("%(u)s于%(d)s申请") % {"u": r.owner_unit.display_name,
                                              "d": f"{r.closure_requested_on:%Y-%m-%d}" if r.closure_requested_on
                                              else "—"},
            )
            for r in closures_awaiting(user)[:50]
        ]
    if not items:
        return None
    return WorkSection(key="risks", title=_("风险清单：管控与销号"), items=items)
