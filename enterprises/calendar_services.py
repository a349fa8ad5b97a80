"""Writes of the working-day calendar (节假日与调休): only the 药械科 and administrators maintain it.

Everyone reads the calendar (``enterprises.workdays`` is its one reader); a change here moves every
working-day clock that runs over the changed day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.choices import Role, UnitKind
from enterprises.models import CalendarDay, CalendarDayKind, User
from regsys.scoping import scope_for
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import version_lock

EDITOR_ROLES = {Role.ADMIN, Role.LEADER, Role.SECTION_STAFF}


def can_edit_calendar(user) -> bool:
    """A 药械科 member, a leader or an administrator (never an auditor, never a 监管所)."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    if not (scope.district_wide and scope.can_write):
        return False
    unit = getattr(user, "unit", None)
    return bool(user.is_superuser or user.role in EDITOR_ROLES or (unit is not None and unit.kind == UnitKind.SECTION))


def require_calendar_editor(user) -> None:
    if not can_edit_calendar(user):
        raise PermissionDenied(_("只有药械科或系统管理员可以维护节假日与调休"))


def _check(*, date: dt.date, kind: str, name: str, exclude_pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        errors["date"] = _("日期须在%(a)s–%(b)s年之间") % {"a": MIN_YEAR, "b": MAX_YEAR}
    elif CalendarDay.objects.filter(date=date).exclude(pk=exclude_pk).exists():
        errors["date"] = _("%(d)s 已有记录，请修改原记录") % {"d": f"{date:%Y-%m-%d}"}
    if kind not in CalendarDayKind.values:
        errors["kind"] = _("请选择类型")
    elif kind == CalendarDayKind.WORKDAY and date.weekday() < 5:
        errors["kind"] = _("调休上班日应为周六或周日（周一至周五本来就是工作日）")
    if not (name or "").strip():
        errors["name"] = _("请填写名称")
    if errors:
        raise ValidationError(errors)


def _save(day: CalendarDay, *, by: User | None, reason: str = "") -> CalendarDay:
    day._history_user = by
    if reason:
        day._change_reason = reason
    day.save()
    return day


@transaction.atomic
def calendar_day_create(*, date: dt.date, kind: str, name: str, source: str = "", by: User) -> CalendarDay:
    """Add a holiday or a 调休 workday."""
    require_calendar_editor(by)
    _check(date=date, kind=kind, name=name)
    day = CalendarDay(date=date, kind=kind, name=name.strip(), source=(source or "").strip(), updated_by=by)
    return _save(day, by=by)


@transaction.atomic
def calendar_day_update(
    *, day: CalendarDay, date: dt.date, kind: str, name: str, source: str = "", by: User, version: int | None = None,
) -> CalendarDay:
    """Change a day; a default day edited by hand is no longer a default (a reload leaves it alone)."""
    require_calendar_editor(by)
    day = version_lock(day, version=version, submitted={"date": date, "kind": kind, "name": name, "source": source})
    _check(date=date, kind=kind, name=name, exclude_pk=day.pk)
    day.date, day.kind, day.name, day.source = date, kind, name.strip(), (source or "").strip()
    day.is_default = False
    day.updated_by = by
    return _save(day, by=by)


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, by: User) -> None:
    """Remove a day (it becomes an ordinary Monday–Friday day); a reload of the defaults does not restore it."""
    require_calendar_editor(by)
    day._history_user = by
    day.delete()


@dataclass(frozen=True)
class CalendarChange:
    when: dt.datetime
    who: str
    action: str
    day: dt.date
    text: str
    reason: str


def calendar_history(year: int, *, limit: int = 30) -> list[CalendarChange]:
    """Who added, changed or deleted which day of ``year``, newest first."""
    actions = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
    rows = CalendarDay.history.filter(date__year=year).select_related("history_user").order_by(
        "-history_date", "-history_id")[:limit]
    changes = []
    for row in rows:
        user = row.history_user
        kind = dict(CalendarDayKind.choices).get(row.kind, row.kind)
        changes.append(CalendarChange(
            when=row.history_date, who=(user.display_name if user else _("系统")),
            action=actions.get(row.history_type, ""), day=row.date, text=f"{row.name}（{kind}）",
            reason=row.history_change_reason or ""))
    return changes


def calendar_history_of(day: CalendarDay) -> list[CalendarChange]:
    """The changes of one calendar row, newest first (the edit page)."""
    actions = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
    kinds = dict(CalendarDayKind.choices)
    return [CalendarChange(
        when=row.history_date, who=(row.history_user.display_name if row.history_user else _("系统")),
        action=actions.get(row.history_type, ""), day=row.date, text=f"{row.name}（{kinds.get(row.kind, row.kind)}）",
        reason=row.history_change_reason or "")
        for row in day.history.select_related("history_user").order_by("-history_date", "-history_id")]
