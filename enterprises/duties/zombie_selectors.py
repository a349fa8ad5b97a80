"""Reads of the 僵尸企业 clean-up: candidates, cases and the tallies (every figure here, for pages and the cockpit)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from enterprises.choices import UnitKind
from enterprises.duties.choices import ZombieStage
from enterprises.duties.zombie_rules import Candidate, candidates
from enterprises.models import Enterprise, Unit, ZombieCase
from regsys.scoping import scope_for, scoped


def visible_units(user) -> QuerySet:
    """Units a user may pick in the filters: every 监管所 and the 药械科 for district users, else their own."""
    if scope_for(user).district_wide:
        return Unit.objects.filter(kind__in=(UnitKind.STATION, UnitKind.SECTION))
    return Unit.objects.filter(pk=scope_for(user).unit_id)


def zombie_cases_for(user) -> QuerySet:
    """The clean-up cases ``user`` may see, with what lists and the detail page show."""
    qs = ZombieCase.objects.select_related("enterprise", "enterprise__owning_unit", "unit", "verified_by",
                                           "created_by")
    return scoped(qs, user)


def zombie_candidates_for(user, year: int, *, unit: Unit | None = None,
                          as_of: datetime.date | None = None) -> list[tuple[Candidate, ZombieCase | None]]:
    """The candidates ``user`` may see (optionally one unit's), each with its case of the year if one exists."""
    as_of = as_of or timezone.localdate()
    enterprises = scoped(Enterprise.objects.select_related("owning_unit"), user)
    if unit is not None:
        enterprises = enterprises.filter(owning_unit=unit)
    found = candidates(year, queryset=enterprises, as_of=as_of)
    cases = {case.enterprise_id: case for case in ZombieCase.objects.filter(
        year=year, enterprise_id__in=[c.enterprise.pk for c in found])}
    return [(candidate, cases.get(candidate.enterprise.pk)) for candidate in found]


@dataclass
class ZombieTally:
    """One unit's figures of a year (or the district's, ``unit`` None)."""

    unit: Unit | None
    candidates_open: int = 0  # candidates on ``as_of`` whose 核查 has not started this year
    in_progress: int = 0  # 核查中 + 已告知/公告
    cleared: int = 0  # 清理一批: 已注销/取消备案
    regularised: int = 0  # 规范一批
    upgraded: int = 0  # 提升一批
    not_zombie: int = 0  # 经核查正常经营

    @property
    def closed(self) -> int:
        return self.cleared + self.regularised + self.upgraded + self.not_zombie


def zombie_tallies(year: int, unit: Unit | None = None, as_of: datetime.date | None = None) -> list[ZombieTally]:
    """(year, unit=None, as_of=None) -> one ``ZombieTally`` per 监管所/药械科 and a last district total row.

    清理一批 / 规范一批 / 提升一批 count the cases of ``year`` closed so by ``as_of`` (decision date); a case
    is 办理中 until then. 待核查候选 counts the candidates on ``as_of`` with no case of the year. With
    ``unit``, only that unit's row (no total row).
    """
    as_of = as_of or timezone.localdate()
    units = list(Unit.objects.filter(pk=unit.pk) if unit is not None
                 else Unit.objects.filter(kind__in=(UnitKind.STATION, UnitKind.SECTION)).order_by("sort_order", "code"))
    closed_by = Q(decision_on__lte=as_of)
    cases = ZombieCase.objects.filter(year=year, created_at__date__lte=as_of)
    if unit is not None:
        cases = cases.filter(unit=unit)
    rows = cases.values("unit_id").annotate(
        cleared=Count("pk", filter=Q(stage=ZombieStage.CLEARED) & closed_by),
        regularised=Count("pk", filter=Q(stage=ZombieStage.REGULARISED) & closed_by),
        upgraded=Count("pk", filter=Q(stage=ZombieStage.UPGRADED) & closed_by),
        not_zombie=Count("pk", filter=Q(stage=ZombieStage.NOT_ZOMBIE) & closed_by),
        total=Count("pk"),
    ).order_by()
    tallies = {u.pk: ZombieTally(unit=u) for u in units}
    for row in rows:
        tally = tallies.get(row["unit_id"])
        if tally is None:
            continue
        tally.cleared, tally.regularised = row["cleared"], row["regularised"]
        tally.upgraded, tally.not_zombie = row["upgraded"], row["not_zombie"]
        tally.in_progress = row["total"] - tally.closed
    enterprises = Enterprise.objects.all() if unit is None else Enterprise.objects.filter(owning_unit=unit)
    started = set(ZombieCase.objects.filter(year=year, created_at__date__lte=as_of).values_list("enterprise_id",
                                                                                              flat=True))
    for candidate in candidates(year, queryset=enterprises, as_of=as_of):
        tally = tallies.get(candidate.enterprise.owning_unit_id)
        if tally is not None and candidate.enterprise.pk not in started:
            tally.candidates_open += 1
    result = list(tallies.values())
    if unit is None:
        total = ZombieTally(unit=None)
        for tally in result:
            for name in ("candidates_open", "in_progress", "cleared", "regularised", "upgraded", "not_zombie"):
                setattr(total, name, getattr(total, name) + getattr(tally, name))
        result.append(total)
    return result


def zombie_tallies_for(user, year: int, as_of: datetime.date | None = None) -> list[ZombieTally]:
    """The tallies a user may see: the district's rows for district users, their own unit's for a 所."""
    scope = scope_for(user)
    if scope.district_wide:
        return zombie_tallies(year, as_of=as_of)
    unit = Unit.objects.filter(pk=scope.unit_id).first()
    return zombie_tallies(year, unit=unit, as_of=as_of) if unit is not None else []
