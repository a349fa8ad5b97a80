"""Small helpers shared by the inspections views: filtered lists, service errors on forms, and the
messages about a saved record's campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import services
from inspections.filters import filtered
from regsys.paging import list_paginator

PAGE_SIZE = 25


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def list_page(request, *, queryset, filterset_class, template: str, context: dict | None = None):
    """A list page: the FilterSet, sorting (``o``), pagination; ``export_url`` keeps the filters.

    The total is exact up to ``regsys.paging.LIST_COUNT_CAP`` (``?count=exact`` counts all rows).
    """
    filterset, qs = filtered(request, queryset=queryset, filterset_class=filterset_class)
    page = list_paginator(request, qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {"filter": filterset, "page": page, "objects": page.object_list, "querystring": params.urlencode(),
           "total": page.paginator.count, "today": timezone.localdate()}
    ctx.update(context or {})
    return render(request, template, ctx)


def campaign_messages(request, record) -> None:
    """After a save: which campaigns the record counts in, and why a link will not count."""
    names = "、".join(c.name for c in record.campaigns.all())
    if names:
        messages.info(request, _("已关联专项整治：%(names)s") % {"names": names})
    for warning in services.record_warnings(record):
        messages.warning(request, warning)
