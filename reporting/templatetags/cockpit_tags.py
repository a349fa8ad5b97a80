"""Display of cockpit figures: numbers without trailing zeros, signed differences."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    """12 → "12"; Decimal("15.30") → "15.3"; None → "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01")).normalize()
        text = format(value, "f")
        return text
    return str(value)


@register.filter
def signed(value) -> str:
    """A difference with its sign: +3, −1.5, 0."""
    if value is None:
        return "—"
    text = num(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text
