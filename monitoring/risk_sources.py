"""Risk candidates for a quarter's consultation (风险会商), proposed from every source.

Each source module registers a provider in ``MonitoringConfig.ready()`` (or its own app's); the
consultation page calls ``candidates_for`` and shows what is not yet in the register. A provider is a
callable ``provider(*, start, end, today) -> Iterable[Candidate]`` over the quarter ``start``–``end``;
it proposes district-wide (the consultation is the 药械科's), and the page scopes nothing further.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Model

from monitoring.choices import RiskLevel, RiskSource


@dataclass(frozen=True)
class Candidate:
    """One proposed risk: what it is, where it came from, and a suggested level."""

    source_kind: str  # a RiskSource value
    source: Model | None  # the record it came from (None for a computed signal without one record)
    title: str  # the proposed 风险点
    occurred_on: date
    url: str = ""  # the source record's page
    enterprise_id: int | None = None
    unit_id: int | None = None  # the suggested owner unit
    product: str = ""
    detail: str = ""
    suggested_level: str = RiskLevel.MEDIUM
    key: str = ""  # stable identity when ``source`` is None (e.g. "cluster:<product>:<batch>")

    @property
    def identity(self) -> str:
        """Stable identity of the candidate, to tell whether the register already holds it."""
        if self.source is not None:
            return f"{self.source._meta.label_lower}:{self.source.pk}"
        return self.key


RiskProvider = Callable[..., Iterable[Candidate]]

_PROVIDERS: dict[str, list[RiskProvider]] = {}


def register_risk_source(kind: str, provider: RiskProvider) -> None:
    """Add ``provider`` for the source ``kind`` (a ``RiskSource`` value), once."""
    if kind not in RiskSource.values:
        raise ValueError(f"unknown risk source {kind!r}")
    providers = _PROVIDERS.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)


def registered_kinds() -> list[str]:
    return [kind for kind in RiskSource.values if _PROVIDERS.get(kind)]


def candidates_for(*, start: date, end: date, today: date) -> list[Candidate]:
    """Every registered provider's candidates for the period, in source order then date."""
    found: list[Candidate] = []
    for kind in RiskSource.values:
        for provider in _PROVIDERS.get(kind, []):
            found.extend(provider(start=start, end=end, today=today))
    order = {kind: i for i, kind in enumerate(RiskSource.values)}
    return sorted(found, key=lambda c: (order[c.source_kind], c.occurred_on, c.identity))
