"""Template filters of the register pages: the selectors' rules for one risk (never restated in a template)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from monitoring import risk_selectors

register = template.Library()


@register.filter
def risk_overdue(risk) -> bool:
    return risk_selectors.risk_is_overdue(risk, today=timezone.localdate())


@register.filter
def risk_carried(risk) -> bool:
    return risk_selectors.risk_is_carried(risk, today=timezone.localdate())


@register.simple_tag
def level_class(level: str) -> str:
    return {"high": "danger", "medium": "warning text-dark", "low": "secondary"}.get(level, "secondary")


@register.filter
def level_label(level: str) -> str:
    from monitoring.choices import RiskLevel

    return str(RiskLevel(level).label) if level in RiskLevel.values else ""
