"""The metrics a form cell can be computed by: one registry over two kinds.

- **Row metrics** (``reporting.metrics.METRICS``): count the records of the row's enterprises (tags and
  link), e.g. 检查企业家次; one aggregate query per record source for the whole form.
- **Scalar metrics** (this module): one number per unit and for the district, whatever the row; they
  come from the plan's other work — adverse events, sampling, the registry's yearly duties (self-reports,
  grading), UDI, the inspection targets — and are read from the cockpit's indicators
  (``reporting.cockpit``), which already define each figure once. An indicator gives up to three metrics:
  its value (``ind:<code>``), and for a rate its numerator (``ind:<code>:num``) and denominator
  (``ind:<code>:den``). Figures are the year's up to the return's cut-off (the cockpit's 截至 period).

Keys are stable: a template stores them; ``metric_exists`` tells the designer whether a key is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.metrics import METRICS

PARTS = {"": "actual", "num": "numerator", "den": "denominator"}


@dataclass(frozen=True)
class ScalarContext:
    """What a scalar metric is computed for: the year up to ``cutoff``, the district and these units."""

    year: int
    cutoff: dt.date
    unit_ids: tuple[int, ...]


@dataclass(frozen=True)
class ScalarMetric:
    key: str
    label: str
    group: str
    definition: str
    decimals: int
    compute: Callable[[ScalarContext], dict[int | None, Decimal | int | None]]


def _indicator_metrics(year: int) -> list[ScalarMetric]:
    from reporting.cockpit.base import Period as CockpitPeriod
    from reporting.cockpit.base import all_indicators, computing

    def reader(indicator, part: str):
        def compute(ctx: ScalarContext) -> dict[int | None, Decimal | int | None]:
            from enterprises.models import Unit

            units = list(Unit.objects.filter(pk__in=ctx.unit_ids))
            with computing():
                figures = indicator.compute(CockpitPeriod(ctx.year, None, ctx.cutoff), units)
            out: dict[int | None, Decimal | int | None] = {}
            for key in (None, *ctx.unit_ids):
                figure = figures.get(key)
                out[key] = None if figure is None else getattr(figure, PARTS[part])
            return out
        return compute

    found: list[ScalarMetric] = []
    for indicator in all_indicators(year):
        is_rate = indicator.unit_label == "%"
        name = str(indicator.name)
        definition = str(indicator.description or "")
        found.append(ScalarMetric(
            key=f"ind:{indicator.code}", label=f"{name}（{indicator.unit_label}）" if indicator.unit_label else name,
            group=str(indicator.section), definition=definition, decimals=1 if is_rate else 0,
            compute=reader(indicator, ""),
        ))
        if is_rate:
            found.append(ScalarMetric(
                key=f"ind:{indicator.code}:num", label=_("%(name)s：已完成数（分子）") % {"name": name},
                group=str(indicator.section), definition=definition, decimals=0, compute=reader(indicator, "num"),
            ))
            found.append(ScalarMetric(
                key=f"ind:{indicator.code}:den", label=_("%(name)s：应完成数（分母）") % {"name": name},
                group=str(indicator.section), definition=definition, decimals=0, compute=reader(indicator, "den"),
            ))
    return found


def scalar_metrics(year: int) -> dict[str, ScalarMetric]:
    """Every scalar metric of ``year`` (the inspection targets are the year's ``AnnualTarget`` rows)."""
    return {m.key: m for m in _indicator_metrics(year)}


def is_row_metric(key: str) -> bool:
    return key in METRICS


def metric_exists(key: str, year: int) -> bool:
    return is_row_metric(key) or key in scalar_metrics(year)


def metric_label(key: str, year: int) -> str:
    if key in METRICS:
        return str(METRICS[key].label)
    metric = scalar_metrics(year).get(key)
    return metric.label if metric else key


def metric_definition(key: str, year: int) -> str:
    if key in METRICS:
        return str(METRICS[key].definition)
    metric = scalar_metrics(year).get(key)
    return metric.definition if metric else ""


def metric_choices(year: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: the row metrics first, then the scalar ones by cockpit section."""
    groups: list[tuple[str, list[tuple[str, str]]]] = [
        (_("按行所列企业统计（检查、约谈、案件、移送）"), [(m.key, str(m.label)) for m in METRICS.values()]),
    ]
    by_group: dict[str, list[tuple[str, str]]] = {}
    for metric in scalar_metrics(year).values():
        by_group.setdefault(metric.group, []).append((metric.key, metric.label))
    groups += [(_("全单位指标：%(group)s") % {"group": group}, items) for group, items in by_group.items()]
    return groups


def compute_scalars(keys: set[str], ctx: ScalarContext) -> dict[str, dict[int | None, Decimal | int | None]]:
    """``{metric key: {None: district value, unit id: value}}`` for the scalar metrics among ``keys``."""
    registry = scalar_metrics(ctx.year)
    return {key: registry[key].compute(ctx) for key in sorted(keys) if key in registry}
