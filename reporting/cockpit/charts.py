"""Charts of the quarterly work summary as PNG images (matplotlib, Agg; data in, bytes out, no ORM).

Each chart is drawn on its own ``matplotlib.figure.Figure`` (never pyplot's global state), so builds in
parallel workers do not share a figure. Labels are Chinese: the first installed CJK font of
``CJK_FONTS`` is used; without one the chart still renders (the labels as boxes) and a warning is logged.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

# matplotlib is imported where a chart is drawn, not with this module: the URLconf imports it through the
# summary views, and importing matplotlib (seconds) would slow every worker's first request.

logger = logging.getLogger(__name__)

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
DPI = 150
WIDTH_IN = 6.3  # the text width of an A4 page with 2.6/2.4 cm margins
# Colours of the statuses (Bootstrap's, as on the cockpit page) and of the series
STATUS_HEX = {"success": "#198754", "primary": "#0d6efd", "warning": "#ffc107", "danger": "#dc3545",
              "secondary": "#6c757d", "light": "#ced4da"}
ACTUAL_HEX, EXPECTED_HEX = "#0d6efd", "#212529"
SERIES_HEX = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#d63384", "#6c757d")
COMPLETION_CAP = 150  # a bar beyond 150 % of its target is drawn at 150 % (the label keeps the true value)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of the first installed CJK font, None when there is none."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    logger.warning("no CJK font found for the summary charts (looked for %s); labels will not render",
                   ", ".join(CJK_FONTS))
    return None


def _figure(height_in: float) -> MplFigure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    figure = MplFigure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _font_kwargs(size: float) -> dict:
    name = cjk_font()
    return {"fontfamily": name, "fontsize": size} if name else {"fontsize": size}


def _png(figure: MplFigure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style_axes(axes, size: float = 8) -> None:
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        name = cjk_font()
        if name:
            label.set_fontfamily(name)
        label.set_fontsize(size)
    axes.spines[["top", "right"]].set_visible(False)


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class CompletionBar:
    """One indicator on the completion chart: actual and pro-rata expected, as % of its target."""

    label: str
    actual_pct: Decimal
    expected_pct: Decimal | None
    colour: str  # a key of STATUS_HEX


def completion_chart(bars: list[CompletionBar], *, title: str) -> bytes:
    """Horizontal bars of each indicator's completion (% of target), a tick where the pro-rata share is due."""
    height = max(2.2, 0.42 * len(bars) + 1.2)
    figure = _figure(height)
    axes = figure.add_subplot()
    labels = [_short(b.label) for b in bars][::-1]
    values = [min(float(b.actual_pct), COMPLETION_CAP) for b in bars][::-1]
    colours = [STATUS_HEX.get(b.colour, ACTUAL_HEX) for b in bars][::-1]
    positions = range(len(bars))
    axes.barh(positions, values, color=colours, height=0.6)
    for y, bar in zip(positions, bars[::-1], strict=True):
        shown = min(float(bar.actual_pct), COMPLETION_CAP)
        axes.text(shown + 2, y, f"{bar.actual_pct:.0f}%", va="center", **_font_kwargs(7))  # the true value
        if bar.expected_pct is not None:
            axes.plot([float(bar.expected_pct)] * 2, [y - 0.38, y + 0.38], color=EXPECTED_HEX, linewidth=1.6)
    axes.plot([], [], color=EXPECTED_HEX, linewidth=1.6, label=_("按进度应达"))
    axes.axvline(100, color="#adb5bd", linewidth=0.8, linestyle="--")
    axes.set_yticks(list(positions), labels)
    axes.set_xlim(0, COMPLETION_CAP + 15)
    axes.set_xlabel(_("占全年目标的百分比（%）"), **_font_kwargs(8))
    axes.set_title(title, **_font_kwargs(10))
    legend = axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22 if len(bars) < 6 else -0.1), frameon=False)
    for text in legend.get_texts():
        text.set_fontfamily(cjk_font() or text.get_fontfamily())
        text.set_fontsize(7)
    _style_axes(axes)
    return _png(figure)


def status_chart(counts: list[tuple[str, int, str]], *, title: str) -> bytes:
    """Vertical bars: how many indicators are in each status (label, count, colour key)."""
    figure = _figure(2.6)
    axes = figure.add_subplot()
    positions = range(len(counts))
    values = [count for _label, count, _colour in counts]
    axes.bar(positions, values, color=[STATUS_HEX.get(colour, ACTUAL_HEX) for _label, _count, colour in counts],
             width=0.6, edgecolor="#adb5bd", linewidth=0.5)
    for x, count in zip(positions, values, strict=True):
        axes.text(x, count + 0.1, str(count), ha="center", va="bottom", **_font_kwargs(8))
    axes.set_xticks(list(positions), [label for label, _count, _colour in counts])
    axes.set_ylabel(_("指标数（项）"), **_font_kwargs(8))
    axes.set_ylim(0, max([*values, 1]) * 1.25)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(title, **_font_kwargs(10))
    _style_axes(axes)
    return _png(figure)


def unit_completion_chart(units: list[str], series: list[tuple[str, list[Decimal | None]]], *, title: str) -> bytes:
    """Grouped horizontal bars: for each 所, the completion (% of its target) of each indicator in ``series``
    (name, one value per unit; None: not configured, no bar)."""
    count = max(len(series), 1)
    height = max(2.6, 0.22 * len(units) * count + 1.4)
    figure = _figure(height)
    axes = figure.add_subplot()
    bar = 0.8 / count
    rows = list(range(len(units)))[::-1]
    for index, (name, values) in enumerate(series):
        offsets = [y + 0.4 - bar * (index + 0.5) for y in rows]
        shown = [min(float(v), COMPLETION_CAP) if v is not None else 0 for v in values]
        axes.barh(offsets, shown, height=bar * 0.9, color=SERIES_HEX[index % len(SERIES_HEX)], label=_short(name, 18))
    axes.axvline(100, color="#adb5bd", linewidth=0.8, linestyle="--")
    axes.set_yticks(rows, [_short(u, 10) for u in units])
    axes.set_xlim(0, COMPLETION_CAP + 5)
    axes.set_xlabel(_("占本所目标的百分比（%）"), **_font_kwargs(8))
    axes.set_title(title, **_font_kwargs(10))
    legend = axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(units) < 6 else -0.08),
                         ncol=min(count, 3), frameon=False)
    for text in legend.get_texts():
        text.set_fontfamily(cjk_font() or text.get_fontfamily())
        text.set_fontsize(7)
    _style_axes(axes)
    return _png(figure)
