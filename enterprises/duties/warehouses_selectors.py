"""Reads of the 委托生产 pairs and the 异地设库 warehouses, and the figures the cockpit and the plan targets use.

Coverage of the plan's "委托生产注册人及其受托生产企业100%" counts *pairs*: a pair is in a year's figure when it
was in force during the year (up to ``as_of``) and has at least one side in the district; it is covered when
every local side had a finalised inspection in the year (up to ``as_of``). A pair belongs to one unit, its *lead*
unit: the registrant's 监管单位 when the registrant is in the district, else the contract manufacturer's. So the
units' figures add up to the district's.

Inspections belong to a higher app: they are looked up through the app registry at call time (as
``enterprises.grading.credit`` does), so ``enterprises`` imports nothing of ``inspections``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Case, F, IntegerField, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import INSPECTION_FINALISED
from enterprises.models import ContractManufacturing, Enterprise, Unit, Warehouse, WarehouseExchange
from regsys.scoping import scoped

# The annual target (inspections.planning, AnnualTarget.code) whose figures are these pairs.
PAIR_TARGET_CODE = "entrusted"


# ---------------------------------------------------------------- lists


def pair_list(*, user) -> QuerySet[ContractManufacturing]:
    """The pairs ``user`` may see (either local side in its unit), with both sides' units."""
    qs = ContractManufacturing.objects.select_related(
        "registrant__owning_unit", "manufacturer__owning_unit", "created_by")
    return scoped(qs, user).annotate(lead_unit=_lead_unit_expression())


def pairs_of_enterprise(*, enterprise: Enterprise, user) -> list[ContractManufacturing]:
    """Pairs in which ``enterprise`` is the registrant or the contract manufacturer (as ``user`` sees them)."""
    return list(pair_list(user=user).filter(Q(registrant=enterprise) | Q(manufacturer=enterprise))
                .order_by("-is_active", "product"))


def warehouse_list(*, user) -> QuerySet[Warehouse]:
    """The 异地设库 warehouses ``user`` may see (its daily unit, or the registry entry's unit)."""
    qs = Warehouse.objects.select_related("enterprise__owning_unit", "home_enterprise", "subdistrict", "daily_unit")
    return scoped(qs, user)


def warehouses_of_enterprise(*, enterprise: Enterprise, user) -> list[Warehouse]:
    """The warehouse record of a 异地设库 entry, and the remote warehouses of a local home enterprise."""
    return list(warehouse_list(user=user).filter(Q(enterprise=enterprise) | Q(home_enterprise=enterprise)))


def exchanges_of(warehouse: Warehouse) -> QuerySet[WarehouseExchange]:
    return warehouse.exchanges.select_related("created_by").order_by("-on", "-id")


# ---------------------------------------------------------------- coverage


def _lead_unit_expression():
    return Case(When(registrant__isnull=False, then=F("registrant__owning_unit")),
                default=F("manufacturer__owning_unit"), output_field=IntegerField())


def _period(year: int, as_of: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if as_of is not None and as_of < end:
        end = as_of
    return start, end


def pairs_in_year(year: int, *, as_of: datetime.date | None = None) -> QuerySet[ContractManufacturing]:
    """Pairs in force during ``year`` (up to ``as_of``) with at least one side in the district.

    In force: signed by the period's end (or no date recorded) and not ended before the year began; a pair
    marked ended without an end date is not counted.
    """
    start, end = _period(year, as_of)
    return (ContractManufacturing.objects
            .filter(Q(registrant__isnull=False) | Q(manufacturer__isnull=False))
            .filter(Q(agreement_signed_on__isnull=True) | Q(agreement_signed_on__lte=end))
            .filter(Q(is_active=True, ended_on__isnull=True) | Q(ended_on__gte=start))
            .annotate(lead_unit=_lead_unit_expression()))


def inspected_enterprises(ids: set[int], year: int, *, as_of: datetime.date | None = None,
                          kinds: list[str] | None = None) -> set[int]:
    """Those of ``ids`` with a finalised inspection (of ``kinds``, all when empty) in ``year`` up to ``as_of``."""
    if not ids:
        return set()
    start, end = _period(year, as_of)
    inspection = apps.get_model("inspections", "Inspection")
    qs = inspection.objects.filter(enterprise_id__in=ids, status=INSPECTION_FINALISED, start_date__gte=start,
                                   start_date__lte=end)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return set(qs.values_list("enterprise_id", flat=True).distinct())


@dataclass(frozen=True)
class PairRow:
    """One pair's coverage: its lead unit, its local sides and which of them were inspected."""

    pk: int
    lead_unit: int | None
    local: tuple[int, ...]
    inspected: frozenset[int]

    @property
    def covered(self) -> bool:
        return all(e in self.inspected for e in self.local)


def pair_rows(year: int, *, unit: Unit | None = None, as_of: datetime.date | None = None,
              kinds: list[str] | None = None) -> list[PairRow]:
    """Every counted pair of ``year`` (of ``unit``'s lead, or all) with its coverage. Two queries."""
    qs = pairs_in_year(year, as_of=as_of)
    if unit is not None:
        qs = qs.filter(lead_unit=unit.pk)
    raw = list(qs.values_list("pk", "lead_unit", "registrant_id", "manufacturer_id"))
    ids = {e for _pk, _u, r, m in raw for e in (r, m) if e is not None}
    inspected = frozenset(inspected_enterprises(ids, year, as_of=as_of, kinds=kinds))
    return [PairRow(pk, lead, tuple(e for e in (r, m) if e is not None), inspected & {r, m})
            for pk, lead, r, m in raw]


@dataclass(frozen=True)
class Coverage:
    pairs: int
    covered: int

    @property
    def percent(self) -> Decimal | None:
        if not self.pairs:
            return None
        return (Decimal(self.covered) * 100 / Decimal(self.pairs)).quantize(Decimal("0.1"))

    @property
    def uncovered(self) -> int:
        return self.pairs - self.covered


def contract_coverage(year: int, unit: Unit | None = None, as_of: datetime.date | None = None) -> Coverage:
    """(year, unit=None, as_of=None) -> Coverage(pairs, covered, percent): the 委托生产 full-coverage figure.

    Pairs in force in ``year`` with a local side (of ``unit``'s lead, or the district); covered when every local
    side was inspected (finalised) in the year up to ``as_of``.
    """
    rows = pair_rows(year, unit=unit, as_of=as_of)
    return Coverage(pairs=len(rows), covered=sum(1 for r in rows if r.covered))


def contract_coverage_by_unit(year: int, unit: Unit | None = None, as_of: datetime.date | None = None,
                              kinds: list[str] | None = None) -> dict[int | None, tuple[int, int]]:
    """(year, unit=None, as_of=None) -> {lead unit id: (pairs, covered)}: the figure per unit (sums to the district)."""
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in pair_rows(year, unit=unit, as_of=as_of, kinds=kinds):
        counts[row.lead_unit][0] += 1
        counts[row.lead_unit][1] += 1 if row.covered else 0
    return {u: (n, c) for u, (n, c) in counts.items()}


def contract_uninspected(year: int, unit: Unit | None = None, as_of: datetime.date | None = None,
                         kinds: list[str] | None = None) -> list[Enterprise]:
    """(year, unit=None, as_of=None) -> the local sides of uncovered pairs not yet inspected, by name."""
    ids = {e for row in pair_rows(year, unit=unit, as_of=as_of, kinds=kinds) if not row.covered
           for e in row.local if e not in row.inspected}
    return list(Enterprise.objects.filter(pk__in=ids).select_related("owning_unit").order_by("name", "pk"))


def pair_coverage_of(pair: ContractManufacturing, year: int, as_of: datetime.date | None = None) -> dict:
    """One pair in ``year``: whether it counts, and for each local side whether it was inspected."""
    counted = pairs_in_year(year, as_of=as_of).filter(pk=pair.pk).exists()
    sides = [(label, e) for label, e in ((_("注册人/备案人"), pair.registrant), (_("受托生产企业"), pair.manufacturer))
             if e is not None]
    inspected = inspected_enterprises({e.pk for _label, e in sides}, year, as_of=as_of)
    rows = [{"label": label, "enterprise": e, "inspected": e.pk in inspected} for label, e in sides]
    return {"year": year, "counted": counted, "sides": rows,
            "covered": counted and all(r["inspected"] for r in rows)}


# ---------------------------------------------------------------- warehouse figures


@dataclass(frozen=True)
class WarehouseTally:
    total: int
    accepted: int
    monitored: int
    exchanges: int


def warehouse_tally(year: int, unit: Unit | None = None, as_of: datetime.date | None = None) -> WarehouseTally:
    """(year, unit=None, as_of=None) -> WarehouseTally: warehouses in use (of ``unit``'s daily supervision), how many
    the 药械科 accepted, how many have 计算机远程监控, and log entries (通报、联合检查…) dated in the year up to ``as_of``.
    """
    as_of = as_of or timezone.localdate()
    start, end = _period(year, as_of)
    qs = Warehouse.objects.filter(is_active=True)
    if unit is not None:
        qs = qs.filter(daily_unit=unit)
    exchanges = WarehouseExchange.objects.filter(warehouse__in=qs, on__gte=start, on__lte=end).count()
    return WarehouseTally(total=qs.count(), accepted=qs.filter(accepted_on__isnull=False, accepted_on__lte=end).count(),
                          monitored=qs.filter(remote_monitoring=True).count(), exchanges=exchanges)


# ---------------------------------------------------------------- history


@dataclass
class HistoryRow:
    when: object
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]


HIDDEN_HISTORY_FIELDS = ["version", "created_by", "id", "file"]


def _shown(model, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    field = model._meta.get_field(name)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_history(record) -> list[HistoryRow]:
    """Who changed ``record`` (a model with ``history``), when and what, newest first."""
    if record is None or record.pk is None:
        return []
    actions = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
    model = type(record)
    rows = []
    for item in record.history.select_related("history_user").order_by("-history_date", "-history_id"):
        changes = []
        previous = item.prev_record
        if item.history_type == "~" and previous is not None:
            for change in item.diff_against(previous, excluded_fields=HIDDEN_HISTORY_FIELDS).changes:
                changes.append((str(model._meta.get_field(change.field).verbose_name),
                                _shown(model, change.field, change.old), _shown(model, change.field, change.new)))
        if item.history_type == "~" and not changes and not item.history_change_reason:
            continue
        who = (getattr(item.history_user, "display_name", "") or str(item.history_user)) if item.history_user \
            else _("系统")
        rows.append(HistoryRow(when=item.history_date, who=who, action=actions.get(item.history_type, ""),
                               reason=item.history_change_reason or "", changes=changes))
    return rows
