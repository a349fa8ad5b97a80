"""The start page by role: what each kind of user needs first, gathered from every app.

局领导/科长 (and 系统管理员): the district's red and amber cockpit indicators and 等待我处理; 药械科: their
待办 counts, 等待我处理 and the district's progress; 监管所 inspectors: today's plan items, drafts, orders and
follow-ups coming due, returns sent back, and the 所's progress against its share of the targets; 执法队:
their cases and 待办; the auditor: the district's progress, read only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from enterprises.choices import Role, UnitKind
from inspections.deadlines import DUE_SOON_DAYS
from inspections.selectors import plan_items_due, todo_counts, todo_for, work_list_capped
from regsys.scoping import scope_for
from reporting.choices import ReturnStatus
from reporting.cockpit.base import Period, Status
from reporting.cockpit.service import Cell, cockpit_table
from reporting.models import Return
from reporting.selectors import returns_visible
from reporting.waiting import waiting_for

ALERT_STATUSES = (Status.BEHIND, Status.SLIGHTLY_BEHIND)


@dataclass
class ProgressLine:
    """One indicator as a landing page shows it: its name and the district's or a unit's cell."""

    name: str
    section: str
    unit_label: str
    cell: Cell


def landing_kind(user) -> str:
    """Which landing ``user`` gets: chief, section, station, enforcement, auditor, or none (no unit)."""
    scope = scope_for(user)
    unit = getattr(user, "unit", None)
    if user.is_superuser or user.role in (Role.ADMIN, Role.LEADER):
        return "chief"
    if user.role == Role.AUDITOR:
        return "auditor"
    if unit is not None and unit.kind == UnitKind.ENFORCEMENT:
        return "enforcement"
    if scope.district_wide:
        return "section"
    if unit is not None:
        return "station"
    return "none"


def returns_sent_back(user) -> QuerySet[Return]:
    """The current versions of the user's unit's returns that a reviewer sent back, with the comment."""
    unit_id = scope_for(user).unit_id
    if unit_id is None:
        return Return.objects.none()
    return (returns_visible(user).filter(status=ReturnStatus.RETURNED, is_current=True, unit_id=unit_id)
            .select_related("template", "campaign", "unit", "reviewed_by").order_by("-reviewed_at", "-pk"))


def district_progress(user, *, today: dt.date) -> list[ProgressLine]:
    """The district's cell of every indicator of the year to date (for district-wide users)."""
    table = cockpit_table(period=Period(today.year, None, today), user=user, trends=False)
    if not table.district_visible:
        return []
    return [ProgressLine(str(r.indicator.name), str(r.indicator.section), str(r.indicator.unit_label), r.district)
            for r in table.rows if r.district is not None]


def unit_progress(user, *, today: dt.date) -> list[ProgressLine]:
    """The user's unit's cell of every per-unit indicator of the year to date (本所进度)."""
    unit_id = scope_for(user).unit_id
    table = cockpit_table(period=Period(today.year, None, today), user=user, trends=False)
    return [ProgressLine(str(r.indicator.name), str(r.indicator.section), str(r.indicator.unit_label),
                         r.units[unit_id]) for r in table.rows if unit_id in r.units]


HOME_WORK_ROWS = 5  # per list on a 所 inspector's 我的待办 card
HOME_CASE_ROWS = 10  # on an enforcement officer's 我承办的案件 card


def landing_for(user, *, today: dt.date) -> dict:
    """The context of the start page for ``user``."""
    kind = landing_kind(user)
    context: dict = {"landing": kind, "today": today, "horizon": DUE_SOON_DAYS}
    if kind == "chief":
        progress = district_progress(user, today=today)
        context["alerts"] = [line for line in progress if line.cell.status in ALERT_STATUSES]
        context["progress_count"] = len(progress)
        context["waiting"] = waiting_for(user, limit=5)
    elif kind == "section":
        context["counts"] = todo_counts(user, today=today)
        context["waiting"] = waiting_for(user, limit=5)
        context["progress"] = district_progress(user, today=today)
    elif kind == "station":
        context["plan_due"] = plan_items_due(user, unit=user.unit, today=today)
        # the card shows five of each (the most urgent) and links to the whole 待办
        context["work"] = work_list_capped(todo_for(user, today=today), limit=HOME_WORK_ROWS,
                                           sections=("drafts", "rectifications", "follow_ups"))
        context["sent_back"] = list(returns_sent_back(user)[:10])
        context["progress"] = unit_progress(user, today=today)
    elif kind == "enforcement":
        context["counts"] = todo_counts(user, today=today)
        context["work"] = work_list_capped(todo_for(user, today=today), limit=HOME_CASE_ROWS, sections=("cases",))
    elif kind == "auditor":
        context["progress"] = district_progress(user, today=today)
    return context
