"""Small helpers shared by the inspections views: filtered lists, exports, service errors on forms, and the
messages about a saved record's campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import services
from inspections.exports import xlsx_bytes

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}-{stamp}.xlsx"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def filtered(request, *, queryset, filterset_class):
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        qs = queryset.none()
    return filterset, qs


def list_page(request, *, queryset, filterset_class, template: str, context: dict | None = None):
    """A list page: the FilterSet, sorting (``o``), pagination; ``export_url`` keeps the filters."""
    filterset, qs = filtered(request, queryset=queryset, filterset_class=filterset_class)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {"filter": filterset, "page": page, "objects": page.object_list, "querystring": params.urlencode(),
           "total": page.paginator.count, "today": timezone.localdate()}
    ctx.update(context or {})
    return render(request, template, ctx)


def export_list(request, *, queryset, filterset_class, columns, title: str):
    """The same filtered list as the page, every row, as .xlsx."""
    _filterset, qs = filtered(request, queryset=queryset, filterset_class=filterset_class)
    content = xlsx_bytes(title=title, columns=columns, objects=qs.iterator(chunk_size=2000))
    return xlsx_response(content, title)


def campaign_messages(request, record) -> None:
    """After a save: which campaigns the record counts in, and why a link will not count."""
    names = "、".join(c.name for c in record.campaigns.all())
    if names:
        messages.info(request, _("已关联专项整治：%(names)s") % {"names": names})
    for warning in services.record_warnings(record):
        messages.warning(request, warning)
