"""Template helpers of the evaluation pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def ae_report_link(report):
    """The report's code, linked to its page (``monitoring:report_detail``) when that page exists."""
    try:
        url = reverse("monitoring:report_detail", args=[report.pk])
    except NoReverseMatch:  # the report pages are built in parallel; show the code until they exist
        return report.code
    return format_html('<a href="{}">{}</a>', url, report.code)
