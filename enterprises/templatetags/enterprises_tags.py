"""Template tags of the registry (the home-page card reads its counts through here)."""

from django import template

from enterprises.selectors import RegistrySummary
from enterprises.selectors import registry_summary as summary_for

register = template.Library()


@register.simple_tag(takes_context=True)
def registry_summary(context) -> RegistrySummary:
    """Counts for the home card, within the signed-in user's scope."""
    return summary_for(user=context["request"].user)
