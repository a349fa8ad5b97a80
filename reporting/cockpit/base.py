"""The cockpit's building blocks: period, figure, indicator, registry, status and trend rules.

A figure is cumulative from the year's start to the period's as-of day unless its indicator says
otherwise (``Indicator.flow``: counted within the quarter alone, e.g. risks closed in the quarter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The modules that hold indicators, in the order their sections appear on the cockpit.
INDICATOR_MODULES = (
    "reporting.cockpit.ind_inspections",
    "reporting.cockpit.ind_monitoring",
    "reporting.cockpit.ind_duties",
    "reporting.cockpit.ind_returns",
)

QUARTER_LABELS = {1: _("第一季度"), 2: _("第二季度"), 3: _("第三季度"), 4: _("第四季度")}


def quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


@dataclass(frozen=True)
class Period:
    """A cockpit period: the year up to a quarter's end (``quarter`` 1–4) or up to today (``quarter`` None).

    ``as_of`` is the last day counted: the quarter's end, or today when the quarter (or 截至今日) has not ended.
    ``start`` is the year's first day; ``quarter_start`` the first day of the quarter (a flow indicator
    counts from there).
    """

    year: int
    quarter: int | None
    today: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The nominal last day: the quarter's end, or the year's end for 截至今日."""
        return quarter_end(self.year, self.quarter or 4)

    @property
    def as_of(self) -> dt.date:
        if self.quarter is None:
            return min(self.today, self.end)
        return min(self.end, max(self.today, self.period_start))

    @property
    def period_start(self) -> dt.date:
        """Where a flow indicator starts counting: the quarter's first day (the year's for 截至今日)."""
        return quarter_start(self.year, self.quarter) if self.quarter else self.start

    @property
    def ended(self) -> bool:
        return self.quarter is not None and self.today > self.end

    @property
    def label(self) -> str:
        if self.quarter is None:
            return str(_("%(year)s年截至%(day)s") % {"year": self.year, "day": f"{self.as_of:%m月%d日}"})
        return f"{self.year}年{QUARTER_LABELS[self.quarter]}"

    @property
    def share_elapsed(self) -> Decimal:
        """Share of the year up to ``as_of`` (for pro-rata expectations): 0 … 1."""
        days = (dt.date(self.year + 1, 1, 1) - self.start).days
        return Decimal((self.as_of - self.start).days + 1) / Decimal(days)

    def previous(self) -> Period | None:
        """The quarter before (Q1 has none in the same year; 截至今日 compares with the last ended quarter)."""
        if self.quarter is None:
            q = (self.as_of.month - 1) // 3  # quarters fully ended before as_of
            return Period(self.year, q, self.today) if q >= 1 else None
        return Period(self.year, self.quarter - 1, self.today) if self.quarter > 1 else None

    def last_year(self) -> Period:
        """The same quarter a year earlier (截至今日: the same day a year earlier, as Q of that day)."""
        if self.quarter is None:
            return Period(self.year - 1, (self.as_of.month - 1) // 3 + 1, self.today)
        return Period(self.year - 1, self.quarter, self.today)


_DECIMAL_KEYS = frozenset(("actual", "target", "expected"))


@dataclass
class Figure:
    """One indicator's figure for the district or one unit in a period.

    ``actual`` None with ``configured`` False: the data this figure needs is not set up ("未配置", with
    ``note`` saying what is missing); never a made-up number. ``target`` None: no target (shown for
    information, no colour). ``expected``: the pro-rata share of the target due by the period's as-of day.
    ``url``: the list of the records behind the figure (filtered to the unit and period).
    """

    actual: Decimal | int | None
    target: Decimal | int | None = None
    expected: Decimal | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    url: str = ""
    note: str = ""
    configured: bool = True

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("actual", "target", "expected"):
            if isinstance(data[key], Decimal):
                data[key] = str(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict) -> Figure:
        fields = cls.__dataclass_fields__
        values = {k: Decimal(v) if k in _DECIMAL_KEYS and isinstance(v, str) else v
                  for k, v in data.items() if k in fields}
        return cls(**values)


HUNDRED = Decimal(100)


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in per cent to one decimal, halves rounded up (as the returns round)."""
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part: int, whole: int, *, url: str, expected=None, target: Decimal | int | None = HUNDRED,
          note: str = "", empty_note: str = "") -> Figure:
    """A rate figure; with nothing to count (``whole`` 0) it has no value and says why (暂无应办)."""
    if not whole:
        return Figure(actual=None, target=target, numerator=0, denominator=0, url=url, note=empty_note)
    return Figure(actual=percent(part, whole), target=target, expected=expected, numerator=part, denominator=whole,
                  url=url, note=note)


def list_url(name: str, **params) -> str:
    """The URL of the list page ``name`` filtered by ``params`` (empty values left out): a figure's records."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def not_configured(note: str, url: str = "") -> Figure:
    return Figure(actual=None, configured=False, note=note, url=url)


# unit id → figure; the key None is the district.
Figures = dict[int | None, Figure]


@dataclass(frozen=True)
class Indicator:
    """One row of the cockpit's targets table.

    ``compute(period, units)`` returns the figures of the district (key None) and of each unit in
    ``units`` (key: the unit's id) in a bounded number of queries. ``per_unit`` False: assessed for the
    district only (the league table leaves it out). ``higher_is_better`` False for counts of problems
    (late entries, open risks): a figure at or below its target is met.
    """

    code: str
    section: str
    name: str
    unit_label: str
    compute: Callable[[Period, list], Figures]
    higher_is_better: bool = True
    per_unit: bool = True
    flow: bool = False
    description: str = ""


# Reads several indicators of one computation share (the AE quota figures feed three indicators): kept for
# the duration of one ``computing()`` block only, so a later computation always reads the data afresh.
_shared: ContextVar[dict | None] = ContextVar("cockpit_shared", default=None)


@contextmanager
def computing() -> Iterator[None]:
    """One cockpit computation: inside it ``shared`` computes each key once."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: tuple, compute: Callable[[], object]):
    """``compute()`` once per ``key`` within the current ``computing()`` block (every time outside one)."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def all_indicators(year: int | None = None) -> list[Indicator]:
    """Every indicator, in the order of ``INDICATOR_MODULES`` and of each module's ``INDICATORS``.

    A module whose indicators depend on the year's data (the inspection targets are rows of
    ``AnnualTarget``) also defines ``indicators_for(year) -> list[Indicator]``; they come before its
    ``INDICATORS`` when a year is given.
    """
    found: list[Indicator] = []
    for path in INDICATOR_MODULES:
        module = import_module(path)
        if year is not None and hasattr(module, "indicators_for"):
            found.extend(module.indicators_for(year))
        found.extend(module.INDICATORS)
    return found


def indicator_by_code(code: str, year: int | None = None) -> Indicator | None:
    return next((i for i in all_indicators(year) if i.code == code), None)


# ------------------------------------------------------------------ status (colour) and trend, once each

class Status:
    MET = "met"  # 已达标
    ON_TRACK = "on_track"  # 进度正常
    SLIGHTLY_BEHIND = "slightly_behind"  # 略滞后
    BEHIND = "behind"  # 滞后
    INFO = "info"  # 无指标
    NOTHING_DUE = "nothing_due"  # 暂无应办：configured, but nothing fell due yet (no denominator)
    NOT_CONFIGURED = "not_configured"  # 未配置


STATUS_LABELS = {
    Status.MET: _("已达标"), Status.ON_TRACK: _("进度正常"), Status.SLIGHTLY_BEHIND: _("略滞后"),
    Status.BEHIND: _("滞后"), Status.INFO: _("无考核指标"), Status.NOTHING_DUE: _("暂无应办"),
    Status.NOT_CONFIGURED: _("未配置"),
}
# Bootstrap colour names of each status (badge, cell background)
STATUS_COLOURS = {
    Status.MET: "success", Status.ON_TRACK: "primary", Status.SLIGHTLY_BEHIND: "warning",
    Status.BEHIND: "danger", Status.INFO: "secondary", Status.NOTHING_DUE: "secondary",
    Status.NOT_CONFIGURED: "light",
}
# Behind the pro-rata expectation by less than this share of it: 略滞后 (amber), else 滞后 (red).
SLIGHTLY_BEHIND_SHARE = Decimal("0.9")


def figure_status(indicator: Indicator, figure: Figure) -> str:
    """The one colour rule of the cockpit."""
    if not figure.configured:
        return Status.NOT_CONFIGURED
    if figure.actual is None:  # set up, but nothing to count yet (no filing owed, no step due …)
        return Status.NOTHING_DUE
    if figure.target is None:
        return Status.INFO
    actual, target = Decimal(figure.actual), Decimal(figure.target)
    expected = Decimal(figure.expected) if figure.expected is not None else target
    if not indicator.higher_is_better:
        if actual <= target:
            return Status.MET
        return Status.BEHIND
    if actual >= target:
        return Status.MET
    if actual >= expected:
        return Status.ON_TRACK
    if actual >= expected * SLIGHTLY_BEHIND_SHARE:
        return Status.SLIGHTLY_BEHIND
    return Status.BEHIND


@dataclass
class Trend:
    """The change of a figure against an earlier period (None: no figure to compare with)."""

    previous: Decimal | int | None
    delta: Decimal | int | None
    direction: str = ""  # up / down / flat / ""
    better: bool | None = None


def figure_trend(indicator: Indicator, now: Figure | None, before: Figure | None) -> Trend:
    if now is None or before is None or now.actual is None or before.actual is None:
        return Trend(previous=before.actual if before else None, delta=None)
    delta = now.actual - before.actual
    direction = "up" if delta > 0 else "down" if delta < 0 else "flat"
    better = None if delta == 0 else (delta > 0) == indicator.higher_is_better
    return Trend(previous=before.actual, delta=delta, direction=direction, better=better)


def pro_rata(target: Decimal | int | None, period: Period, *, integer: bool = False) -> Decimal | int | None:
    """The share of an annual target due by the period's as-of day."""
    if target is None:
        return None
    value = Decimal(target) * period.share_elapsed
    if integer:
        return int(value)  # floor: a count is due once the whole unit of work is due
    return value.quantize(Decimal("0.1"))


def by_deadline(target: Decimal | int | None, period: Period, deadline: dt.date) -> Decimal | int | None:
    """A target due in full by a day of the year (自查报告, 分级 by 3月31日): nothing expected before it."""
    if target is None:
        return None
    return target if period.as_of >= deadline else (0 if isinstance(target, int) else Decimal(0))


@dataclass
class IndicatorFigures:
    indicator: Indicator
    figures: Figures = field(default_factory=dict)
