"""Work lists (我的待办, 本单位待办与逾期) fed by higher apps without this app importing them.

A higher app (monitoring …) registers a source in its ``AppConfig.ready()``; the work-list pages call
every registered source and show each non-empty section after the inspection sections. A source is a
callable ``source(user, *, unit, personal, due_by, today) -> WorkSection | None``:

* ``personal`` True for 我的待办 (what waits on this user), False for a unit's list;
* ``unit`` the unit of the unit list (None: the whole district), the user's unit for 我的待办;
* ``due_by`` the last due date to include (None: every open item).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    due_on: date | None = None
    overdue: bool = False
    detail: str = ""


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    items: list[WorkItem] = field(default_factory=list)


WorkSource = Callable[..., "WorkSection | None"]

_SOURCES: list[WorkSource] = []


def register_work_source(source: WorkSource) -> None:
    """Add ``source`` to the work lists (once, however often the app is readied)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def extra_work(user, *, unit, personal: bool, due_by: date | None, today: date) -> list[WorkSection]:
    """The sections of every registered source for this user and list."""
    sections = []
    for source in _SOURCES:
        section = source(user, unit=unit, personal=personal, due_by=due_by, today=today)
        if section is not None:
            sections.append(section)
    return sections


def only_overdue(sections: list[WorkSection]) -> list[WorkSection]:
    """The overdue items of each section (本单位逾期), whatever a source returned for its ``due_by``;
    sections left empty are dropped."""
    kept = []
    for section in sections:
        items = [item for item in section.items if item.overdue]
        if items:
            kept.append(replace(section, items=items))
    return kept
