"""Template helpers for the inspections pages and the partials other pages include."""

from __future__ import annotations

from decimal import Decimal

from django import forms, template
from django.utils import timezone

from inspections.deadlines import DUE_SOON_DAYS, provincial_entry_late, rectification_overdue
from inspections.selectors import amendment_changes, enterprise_timeline, todo_counts

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class that fits it."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return field.as_widget()
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    return field.as_widget(attrs={"class": css})


@register.filter
def wan(amount) -> str:
    """元 → 万元 with 2 decimals (forms show 万元)."""
    if amount is None:
        return ""
    return f"{Decimal(amount) / Decimal(10000):.2f}"


@register.filter
def yuan(amount) -> str:
    if amount is None:
        return ""
    return f"{Decimal(amount):,.2f}"


@register.simple_tag
def rect_overdue(rectification, today=None) -> bool:
    if rectification is None:
        return False
    return rectification_overdue(deadline=rectification.deadline, completed_on=rectification.completed_on,
                                 today=today or timezone.localdate())


@register.simple_tag
def provincial_late(inspection, today=None) -> bool:
    if inspection.status != "finalised":
        return False
    return provincial_entry_late(due=inspection.provincial_due, entered_on=inspection.provincial_entry_date,
                                 today=today or timezone.localdate())


@register.simple_tag(takes_context=True)
def inspections_todo(context):
    """The 待办 counts of the signed-in user (for the home card)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return {**todo_counts(request.user, today=timezone.localdate()), "horizon": DUE_SOON_DAYS}


@register.simple_tag(takes_context=True)
def inspections_timeline(context, enterprise):
    request = context.get("request")
    if request is None or enterprise is None:
        return []
    return enterprise_timeline(enterprise=enterprise, user=request.user)


@register.simple_tag
def enterprise_link(enterprise_id, name):
    """A link to the registry's enterprise page (``enterprises:detail``)."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.html import format_html

    try:
        url = reverse("enterprises:detail", args=[enterprise_id])
    except NoReverseMatch:  # the registry page is built in parallel; show the name until it exists
        return name
    return format_html('<a href="{}">{}</a>', url, name)


@register.simple_tag
def amendment_rows(amendment) -> list[tuple[str, str, str]]:
    """(field label, old, new) of an amendment, in Chinese."""
    return amendment_changes(amendment)


@register.simple_tag(takes_context=True)
def may_edit(context, record) -> bool:
    """Whether the signed-in user may change ``record`` (``regsys.scoping.can_edit``: own unit, or the district)."""
    from regsys.scoping import can_edit

    return can_edit(context["request"].user, record)
