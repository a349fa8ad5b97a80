"""``{% cockpit_summary_panel %}``: the 季度工作总结 panel of the cockpit (form + the user's last builds)."""

from __future__ import annotations

from django import template

from reporting.cockpit.summary_views import PANEL_TEMPLATE, CockpitSummaryForm, panel_context, summary_allowed

register = template.Library()


@register.inclusion_tag(PANEL_TEMPLATE, takes_context=True)
def cockpit_summary_panel(context) -> dict:
    """The panel for the page's ``period`` and ``user``; empty for a user who may not build a summary."""
    user = context.get("user")
    if user is None or not summary_allowed(user):
        return {"summary_hidden": True}
    form = CockpitSummaryForm(initial=CockpitSummaryForm.initial_for(context.get("period")))
    return {**panel_context(user=user, form=form), "request": context.get("request"),
            "csrf_token": context.get("csrf_token"), "user_scope": context.get("user_scope")}
