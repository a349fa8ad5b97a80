"""The grading rules — the one module that decides a proposed supervision level.

Which criteria exist, which level each sets and the frequencies are data (``GradingScheme``);
this module only knows how to *test* a criterion's ``rule`` against an enterprise's facts and how
matched criteria combine:

1. every matched "set" criterion proposes its level; the highest wins (several applicable levels →
   the highest, domain.md §8.2); none matched → the sector's lowest level;
2. any matched "raise" criterion (委托生产, 仅受托生产, 异地设库) raises the result one level;
3. any matched "key" criterion (credit: last year's penalty, unfinished rectification, bad credit)
   puts the enterprise on the year's 重点监管 list at the sector's highest level (鹿城计划二（四）3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from enterprises.choices import Link, OperationMode
from enterprises.grading.choices import CriterionEffect, RuleKind, Sector
from enterprises.links import link_q

# The enterprise fields the rules read (loaded in bulk with ``values()``).
FACT_FIELDS = (
    "id", "max_device_class", "is_registrant", "entrusts_production", "is_contract_manufacturer",
    "operation_mode", "operates_class3", "provides_logistics", "is_vbp_distributor",
    "institution_type", "hospital_grade", "is_remote_warehouse",
)

# Which supply-chain links make an enterprise part of a sector (links are defined once in
# enterprises.links).
SECTOR_LINKS: dict[str, tuple[str, ...]] = {
    Sector.PRODUCTION: (Link.MANUFACTURE, Link.REGISTRANT, Link.CONTRACT_MANUFACTURER),
    Sector.OPERATION: (Link.OPERATION,),
    Sector.USE: (Link.USE,),
}


def sector_q(sector: str, prefix: str = "") -> Q:
    """Enterprises that belong to ``sector``."""
    q = Q()
    for link in SECTOR_LINKS[Sector(sector)]:
        q |= link_q(link, prefix)
    return q


@dataclass(frozen=True)
class Facts:
    """What the rules know about one enterprise."""

    values: dict
    tags: frozenset[str] = frozenset()
    credit: frozenset[str] = frozenset()  # RuleKind values of the credit rules that hold

    def __getattr__(self, name: str):
        try:
            return self.values[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _params(param: str) -> set[str]:
    return {p.strip() for p in param.split(",") if p.strip()}


RULE_TESTS: dict[str, Callable[[Facts, str], bool]] = {
    RuleKind.DEVICE_CLASS: lambda f, p: (f.max_device_class or "1") in _params(p),
    RuleKind.PRODUCT_TAGS: lambda f, p: bool(f.tags & _params(p)),
    RuleKind.ENTRUSTS_PRODUCTION: lambda f, p: f.is_registrant and f.entrusts_production,
    RuleKind.CONTRACT_ONLY: lambda f, p: f.is_contract_manufacturer and not f.is_registrant,
    RuleKind.REMOTE_WAREHOUSE: lambda f, p: f.is_remote_warehouse,
    RuleKind.LOGISTICS: lambda f, p: f.provides_logistics,
    RuleKind.VBP_DISTRIBUTOR: lambda f, p: f.is_vbp_distributor,
    RuleKind.WHOLESALE_CLASS3: lambda f, p: f.operates_class3
    and f.operation_mode in (OperationMode.WHOLESALE, OperationMode.BOTH),
    RuleKind.HOSPITAL_GRADE: lambda f, p: f.institution_type == "hospital"
    and (f.hospital_grade or "") in _params(p),
    RuleKind.PENALTY_LAST_YEAR: lambda f, p: RuleKind.PENALTY_LAST_YEAR in f.credit,
    RuleKind.UNFINISHED_RECTIFICATION: lambda f, p: RuleKind.UNFINISHED_RECTIFICATION in f.credit,
    RuleKind.BAD_CREDIT: lambda f, p: RuleKind.BAD_CREDIT in f.credit,
}

CREDIT_RULES = (RuleKind.PENALTY_LAST_YEAR, RuleKind.UNFINISHED_RECTIFICATION, RuleKind.BAD_CREDIT)


@dataclass
class Proposal:
    """The proposed level of one enterprise in one sector and the criteria behind it."""

    sector: str
    level: object  # GradeLevel
    is_key: bool
    reasons: list[dict] = field(default_factory=list)


def _reason(criterion, decisive: bool, note: str = "") -> dict:
    return {
        "code": criterion.code,
        "name": criterion.name,
        "effect": criterion.effect,
        "confidence": criterion.confidence,
        "decisive": decisive,
        "note": note,
    }


def propose(facts: Facts, sector: str, criteria: Iterable, levels: list) -> Proposal:
    """Propose ``facts``' level in ``sector``.

    ``criteria``: the scheme's active criteria (any sector; those of other sectors are skipped);
    ``levels``: the sector's ``GradeLevel`` rows. Pure function: no queries.
    """
    ladder = sorted(levels, key=lambda lv: lv.rank)
    by_rank = {lv.rank: lv for lv in ladder}
    by_id = {lv.id: lv for lv in ladder}
    matched = [
        c for c in criteria
        if c.is_active and c.sector in ("", sector) and RULE_TESTS[c.rule](facts, c.param)
    ]
    set_matches = [c for c in matched if c.effect == CriterionEffect.SET and c.level_id in by_id]
    raise_matches = [c for c in matched if c.effect == CriterionEffect.RAISE]
    key_matches = [c for c in matched if c.effect == CriterionEffect.KEY]

    rank = max((by_id[c.level_id].rank for c in set_matches), default=ladder[0].rank)
    reasons = [_reason(c, by_id[c.level_id].rank == rank, str(by_id[c.level_id].name)) for c in set_matches]
    if not set_matches:
        reasons.append({
            "code": "", "name": _("未命中定级标准"), "effect": CriterionEffect.SET, "confidence": "",
            "decisive": True, "note": str(ladder[0].name),
        })
    if raise_matches:
        raised = min(rank + 1, ladder[-1].rank)
        for c in raise_matches:
            reasons.append(_reason(c, raised != rank, _("上调一级")))
        rank = raised
    is_key = by_rank[rank].is_key
    if key_matches:
        top = ladder[-1].rank
        for c in key_matches:
            reasons.append(_reason(c, True, _("列入年度重点监管")))
        rank, is_key = top, True
    return Proposal(sector=sector, level=by_rank[rank], is_key=is_key, reasons=reasons)
