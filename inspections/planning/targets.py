"""Annual target arithmetic: numerator, denominator, percentage, on-track, missing enterprises.

Each target is defined once as data (``AnnualTarget``): the denominator selects enterprises with
``enterprises.links.link_q`` and tag codes; the numerator is those with a finalised inspection of
the counted kinds in the year. All targets' figures, for the district and every unit, come from one
grouped query over the enterprises (grouped by unit and by a flag per distinct condition, so each year's
inspections are read once), and the missing enterprises of all coverage targets from one more: the query
count does not grow with the number of targets.

One exception: the 委托生产 target (``PAIR_TARGET_CODE``) counts registrant ↔ contract manufacturer *pairs*, not
enterprises; its figures and missing list come from ``enterprises.duties.warehouses_selectors``.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber

from enterprises.choices import ACTIVE_STATUSES
from enterprises.duties.warehouses_selectors import (
    PAIR_TARGET_CODE,
    contract_coverage_by_unit,
    contract_uninspected,
)
from enterprises.links import link_q
from enterprises.models import Enterprise, Unit
from inspections.choices import InspectionStatus
from inspections.models import AnnualTarget, Inspection
from inspections.planning.choices import TargetKind
from regsys.pg import roomy


def year_elapsed(year: int, today: datetime.date) -> Decimal:
    """Share of ``year`` elapsed on ``today`` (0 before it starts, 1 after it ends)."""
    if today.year < year:
        return Decimal(0)
    if today.year > year:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


def _links_q(target: AnnualTarget) -> Q:
    links = Q()
    for link in target.link_list:
        links |= link_q(link)
    return links


def _inspected_q(target: AnnualTarget, as_of: datetime.date | None = None) -> Q:
    """Enterprises with a counted inspection (an uncorrelated ``IN``: PostgreSQL hashes it once)."""
    return Q(id__in=counted_inspections(target, as_of=as_of).values("enterprise_id"))


def _denominator_q(target: AnnualTarget) -> Q:
    """The enterprises a coverage target is about (active, in any of its links, with any of its tags)."""
    q = Q(status__in=ACTIVE_STATUSES) & _links_q(target)
    if target.tag_list:
        q &= Q(id__in=Enterprise.tags.through.objects.filter(tag__code__in=target.tag_list)
               .values("enterprise_id"))
    return q


def denominator(target: AnnualTarget, unit: Unit | None = None) -> QuerySet:
    """The enterprises a coverage target is about, in the district or one unit."""
    qs = Enterprise.objects.filter(_denominator_q(target))
    if unit is not None:
        qs = qs.filter(owning_unit=unit)
    return qs


def counted_inspections(target: AnnualTarget, *, as_of: datetime.date | None = None) -> QuerySet:
    """Finalised inspections of the target's year and kinds (held from 1 January up to ``as_of`` when given)."""
    qs = Inspection.objects.filter(status=InspectionStatus.FINALISED, start_date__year=target.year)
    if as_of is not None:
        qs = qs.filter(start_date__lte=as_of)
    if target.kind_list:
        qs = qs.filter(kind__in=target.kind_list)
    return qs


@dataclass
class TargetProgress:
    """One target's figures for the district or one unit."""

    target: AnnualTarget
    numerator: int
    denominator: int | None  # None for a count target
    required: int | None  # None when the target is assessed district-wide only
    expected_by_now: int | None
    missing: list = field(default_factory=list)
    missing_count: int = 0

    @property
    def percentage(self) -> Decimal | None:
        base = self.denominator if self.target.kind == TargetKind.COVERAGE else self.required
        if not base:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(base)).quantize(Decimal("0.1"))

    @property
    def on_track(self) -> bool | None:
        if self.required is None:
            return None
        return self.numerator >= self.expected_by_now

    @property
    def met(self) -> bool | None:
        if self.required is None:
            return None
        return self.numerator >= self.required


def _required(target: AnnualTarget, denominator_count: int) -> int:
    if target.kind == TargetKind.COUNT:
        return target.min_count or 0
    return math.ceil(Decimal(denominator_count) * (target.min_ratio or Decimal(0)))


Counts = dict[int, dict[int | None, tuple[int, int]]]  # target id → owning unit id → (denominator, numerator)


class _Flags:
    """One boolean column per distinct condition of the targets, each computed once per enterprise.

    ``base``: the target's enterprises (a coverage target's denominator; a count target's links).
    ``inspected``: a counted inspection in the year (targets of the same year and kinds share it, so the
    year's inspections are read once, not once per target).
    """

    def __init__(self, targets: list[AnnualTarget], as_of: datetime.date | None = None):
        self.expressions: dict[str, ExpressionWrapper] = {}
        self.base: dict[int, str | None] = {}
        self.inspected: dict[int, str] = {}
        keys: dict[tuple, str] = {}
        for t in targets:
            if t.kind == TargetKind.COUNT:
                base = _links_q(t)
                base_key = ("links", tuple(t.link_list))
            else:
                base = _denominator_q(t)
                base_key = ("denominator", tuple(t.link_list), tuple(t.tag_list))
            self.base[t.pk] = self._flag(keys, base_key, base) if base else None
            self.inspected[t.pk] = self._flag(keys, ("inspected", t.year, tuple(t.kind_list)), _inspected_q(t, as_of))

    def _flag(self, keys: dict[tuple, str], key: tuple, q: Q) -> str:
        if key not in keys:
            keys[key] = f"flag_{len(keys)}"
            self.expressions[keys[key]] = ExpressionWrapper(q, output_field=BooleanField())
        return keys[key]

    def in_base(self, row, target: AnnualTarget) -> bool:
        alias = self.base[target.pk]
        return alias is None or bool(_get(row, alias))


def _get(row, alias: str):
    return row[alias] if isinstance(row, dict) else getattr(row, alias)


def _grouped_counts(targets: list[AnnualTarget], unit: Unit | None, as_of: datetime.date | None = None) -> Counts:
    """Every target's denominator and numerator per owning unit, in one query: enterprises grouped by
    unit and by their flags (a few dozen groups), summed per target here. ``as_of``: count only inspections
    held up to that day (the cockpit's past quarters); None counts the whole year."""
    counts: Counts = {t.pk: {} for t in targets}
    for t in [t for t in targets if t.code == PAIR_TARGET_CODE]:  # 委托生产 counts pairs, not enterprises
        counts[t.pk] = contract_coverage_by_unit(t.year, unit=unit, as_of=as_of, kinds=t.kind_list)
    targets = [t for t in targets if t.code != PAIR_TARGET_CODE]
    if not targets:
        return counts
    flags = _Flags(targets, as_of)
    qs = Enterprise.objects.order_by()
    if unit is not None:
        qs = qs.filter(owning_unit=unit)
    rows = qs.annotate(**flags.expressions).values("owning_unit", *flags.expressions).annotate(n=Count("pk"))
    with roomy():  # the year's inspected enterprises are hashed once (regsys.pg)
        rows = list(rows)
    for row in rows:
        for t in targets:
            if flags.in_base(row, t):
                total, done = counts[t.pk].get(row["owning_unit"], (0, 0))
                done += row["n"] if row[flags.inspected[t.pk]] else 0
                counts[t.pk][row["owning_unit"]] = (total + row["n"], done)
    return counts


def _missing(targets: list[AnnualTarget], unit: Unit | None, limit: int | None) -> dict[int, list[Enterprise]]:
    """Each coverage target's enterprises without a counted inspection, by name, up to ``limit`` each.

    One query: the flags, and per target a row number within (in the denominator, inspected).
    """
    missing: dict[int, list[Enterprise]] = {t.pk: [] for t in targets}
    for t in [t for t in targets if t.code == PAIR_TARGET_CODE] if limit != 0 else []:
        missing[t.pk] = contract_uninspected(t.year, unit=unit, kinds=t.kind_list)[:limit]
    coverage = [t for t in targets if t.kind == TargetKind.COVERAGE and t.code != PAIR_TARGET_CODE]
    if not coverage or limit == 0:
        return missing
    flags = _Flags(coverage)
    qs = Enterprise.objects.select_related("owning_unit")
    if unit is not None:
        qs = qs.filter(owning_unit=unit)
    in_any = Q()
    for t in coverage:
        in_any |= _denominator_q(t)
    qs = qs.filter(in_any).annotate(**flags.expressions)
    wanted = Q()
    for t in coverage:
        base, inspected = flags.base[t.pk], flags.inspected[t.pk]
        if limit is None:
            wanted |= Q(**{base: True, inspected: False})
        else:
            qs = qs.annotate(**{f"rank_{t.pk}": Window(RowNumber(), partition_by=[F(base), F(inspected)],
                                                        order_by=[F("name").asc(), F("pk").asc()])})
            wanted |= Q(**{base: True, inspected: False, f"rank_{t.pk}__lte": limit})
    with roomy():
        enterprises = list(qs.filter(wanted).order_by("name", "pk"))
    for enterprise in enterprises:
        for t in coverage:
            if (flags.in_base(enterprise, t) and not _get(enterprise, flags.inspected[t.pk])
                    and (limit is None or _get(enterprise, f"rank_{t.pk}") <= limit)):
                missing[t.pk].append(enterprise)
    return missing


def _progress(target: AnnualTarget, per_unit: dict[int | None, tuple[int, int]], *, unit: Unit | None,
              elapsed: Decimal, missing: list[Enterprise]) -> TargetProgress:
    if unit is None:
        total = sum(t for t, _done in per_unit.values())
        numerator = sum(done for _t, done in per_unit.values())
    else:
        total, numerator = per_unit.get(unit.pk, (0, 0))
    required = None if (unit is not None and target.district_only) else _required(target, total)
    expected = None if required is None else math.floor(required * elapsed)
    if target.kind == TargetKind.COUNT:
        return TargetProgress(target, numerator, None, required, expected)
    return TargetProgress(target, numerator, total, required, expected, missing, total - numerator)


def _counts_key(targets: list[AnnualTarget], unit: Unit | None) -> str:
    """The cache key of the grouped counts: every condition they depend on (not the required ratio or count,
    which apply after counting)."""
    definitions = repr([(t.pk, t.year, t.kind, t.code, t.link_list, t.tag_list, t.kind_list) for t in targets])
    digest = hashlib.sha1(definitions.encode()).hexdigest()[:16]
    return f"target-counts:v1:{unit.pk if unit is not None else ''}:{digest}"


def _cached_counts(targets: list[AnnualTarget], unit: Unit | None, *, fresh: bool = False) -> Counts:
    """``_grouped_counts`` kept in the shared cache for ``REGSYS_COCKPIT_CACHE_SECONDS`` (the whole year's
    inspections are read to count them; ``fresh`` counts now)."""
    seconds = settings.REGSYS_COCKPIT_CACHE_SECONDS
    key = _counts_key(targets, unit)
    if seconds and not fresh:
        counts = cache.get(key)
        if counts is not None:
            return counts
    counts = _grouped_counts(targets, unit)
    if seconds:
        cache.set(key, counts, seconds)
    return counts


def progress_of(
    targets: list[AnnualTarget], *, unit: Unit | None, today: datetime.date, missing_limit: int | None = 50,
    cached: bool = False, fresh: bool = False,
) -> list[TargetProgress]:
    """Figures of ``targets`` for ``unit`` (None = district): two queries however many targets there are
    (one when ``missing_limit`` is 0), with up to ``missing_limit`` missing enterprises each (None = all).
    ``cached``: the counts may come from the shared cache (see ``_cached_counts``)."""
    counts = _cached_counts(targets, unit, fresh=fresh) if cached else _grouped_counts(targets, unit)
    missing = _missing(targets, unit, missing_limit)
    return [_progress(t, counts[t.pk], unit=unit, elapsed=year_elapsed(t.year, today), missing=missing[t.pk])
            for t in targets]


def target_progress(
    target: AnnualTarget, *, unit: Unit | None, today: datetime.date, missing_limit: int | None = 50
) -> TargetProgress:
    """Figures of ``target`` for ``unit`` (None = district), with up to ``missing_limit`` missing enterprises
    (None = all of them, 0 = none: only ``missing_count``)."""
    return progress_of([target], unit=unit, today=today, missing_limit=missing_limit)[0]


def active_targets(year: int) -> list[AnnualTarget]:
    return list(AnnualTarget.objects.filter(year=year, is_active=True))


def targets_progress(
    year: int, *, unit: Unit | None, today: datetime.date, missing_limit: int | None = 50
) -> list[TargetProgress]:
    return progress_of(active_targets(year), unit=unit, today=today, missing_limit=missing_limit)


def _by_unit(targets: list[AnnualTarget], counts: Counts, units: list[Unit],
             today: datetime.date) -> dict[int, dict[int, TargetProgress]]:
    return {t.pk: {u.pk: _progress(t, counts[t.pk], unit=u, elapsed=year_elapsed(t.year, today), missing=[])
                   for u in units} for t in targets}


def targets_by_unit(year: int, units: list[Unit], today: datetime.date) -> dict[int, dict[int, TargetProgress]]:
    """target id → unit id → figures; one grouped query for all targets and units."""
    targets = active_targets(year)
    return _by_unit(targets, _grouped_counts(targets, None), units, today)


def district_and_units(
    year: int, units: list[Unit], *, today: datetime.date, missing_limit: int | None = 50
) -> tuple[list[TargetProgress], dict[int, dict[int, TargetProgress]]]:
    """The district figures and the per-unit breakdown (the dashboard shows both) from the same grouped
    counts: ``targets_progress(unit=None)`` and ``targets_by_unit`` without counting twice."""
    targets = active_targets(year)
    counts = _grouped_counts(targets, None)
    missing = _missing(targets, None, missing_limit)
    district = [_progress(t, counts[t.pk], unit=None, elapsed=year_elapsed(t.year, today), missing=missing[t.pk])
                for t in targets]
    return district, _by_unit(targets, counts, units, today)


# ------------------------------------------------------------------ the cockpit's reads (reporting.cockpit)


def counts_by_unit(targets: list[AnnualTarget], *, as_of: datetime.date | None = None) -> Counts:
    """target id → owning unit id → (denominator, numerator) for the whole district, inspections held up to
    ``as_of``: the grouped pass of the progress dashboard (one query, plus two for the 委托生产 pairs)."""
    return _grouped_counts(targets, None, as_of)


def required_of(target: AnnualTarget, denominator_count: int) -> int:
    """How many enterprises a target requires: its count, or its ratio of the denominator rounded up."""
    return _required(target, denominator_count)


def target_inspections(target: AnnualTarget, *, as_of: datetime.date | None = None) -> QuerySet:
    """The inspections behind a target's numerator: for each counted enterprise its first counted inspection
    of the year (held up to ``as_of``), so the list has exactly as many rows as the numerator counts.

    Not for the 委托生产 target (it counts pairs; see ``enterprises.duties.warehouses_selectors``).
    """
    base = _links_q(target) if target.kind == TargetKind.COUNT else _denominator_q(target)
    counted = counted_inspections(target, as_of=as_of)
    if base:
        counted = counted.filter(enterprise__in=Enterprise.objects.filter(base))
    first = counted.filter(enterprise_id=OuterRef("enterprise_id")).order_by("start_date", "pk").values("pk")[:1]
    return counted.filter(pk=Subquery(first))
