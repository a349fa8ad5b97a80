"""Pages of the enterprise registry: parse → service/selector → render."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from enterprises import importers, selectors, services
from enterprises.duties import expiry
from enterprises.filters import EnterpriseFilterSet, LicenceFilterSet
from enterprises.forms import EnterpriseForm, ImportForm, LicenceForm, StatusChangeForm, add_service_errors
from regsys.exports import export_start
from regsys.paging import EXACT_COUNT_PARAM, list_paginator
from regsys.scoping import can_edit, require_edit, require_write, scope_for
from regsys.versioning import EditConflict

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _query_without(request, *keys: str) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


@login_required
def enterprise_list(request):
    filterset = EnterpriseFilterSet(request.GET, queryset=selectors.enterprise_list(user=request.user),
                                    request=request)
    page = list_paginator(request, filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": _query_without(request, "page"),
        "sort_query": _query_without(request, "page", "ordering"),
        "filters_active": any(v for k, v in request.GET.items() if k not in ("q", "page", EXACT_COUNT_PARAM)),
        "can_write": scope_for(request.user).can_write,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "enterprises/_list_table.html" if partial else "enterprises/list.html"
    return render(request, template, context)


@login_required
def enterprise_export(request):
    """The filtered list (exactly what the page shows, all pages) as .xlsx, built in the download centre."""
    return export_start(request, "enterprises")


@login_required
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    context = {
        "enterprise": enterprise,
        "can_edit": can_edit(request.user, enterprise),
        "history": selectors.enterprise_change_history(enterprise=enterprise),
        "today": timezone.localdate(),
        "expiry_horizon": timezone.localdate() + datetime.timedelta(days=selectors.EXPIRY_WINDOW_DAYS),
    }
    return render(request, "enterprises/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    require_write(request.user)
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记企业“{enterprise.name}”，监管单位：{enterprise.owning_unit}")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": None})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require_edit(request.user, enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            enterprise = services.enterprise_update(
                enterprise=enterprise, by=request.user, version=version, **form.service_kwargs()
            )
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存“{enterprise.name}”的修改")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_status(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require_edit(request.user, enterprise)
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.enterprise_change_status(
                enterprise=enterprise, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"经营状态已改为“{change.get_to_status_display()}”")
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/status_form.html", {"form": form, "enterprise": enterprise})


@login_required
@require_http_methods(["GET", "POST"])
def licence_create(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require_edit(request.user, enterprise)
    form = LicenceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            licence = services.licence_create(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _licence_saved_messages(request, licence)
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/licence_form.html",
                  {"form": form, "enterprise": enterprise, "licence": None})


@login_required
@require_http_methods(["GET", "POST"])
def licence_edit(request, pk: int):
    licence = selectors.licence_get(user=request.user, pk=pk)
    require_edit(request.user, licence)
    form = LicenceForm(request.POST or None, instance=licence, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            licence = services.licence_update(licence=licence, by=request.user, version=version,
                                              **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _licence_saved_messages(request, licence)
            return redirect("enterprises:detail", pk=licence.enterprise_id)
    return render(request, "enterprises/licence_form.html",
                  {"form": form, "enterprise": licence.enterprise, "licence": licence})


def _licence_saved_messages(request, licence) -> None:
    messages.success(request, f"已保存{licence.get_kind_display()} {licence.number}")
    warning = services.licence_number_warning(licence.number)
    if warning:
        messages.warning(request, warning)


@login_required
def licences_expiring(request):
    """证照到期提醒: lapsed licences still 在营/停产, those expiring within 90 days and those in the renewal
    window (``enterprises.duties.expiry``), filterable and exportable."""
    today = timezone.localdate()
    state = request.GET.get("state") or None
    settings = expiry.expiry_settings(today.year)
    queryset = selectors.licences_expiring(user=request.user, today=today, state=state)
    filterset = LicenceFilterSet(request.GET, queryset=queryset, request=request)
    if request.GET.get("export") == "xlsx":
        query = request.GET.copy()
        query.pop("export")
        request.GET = query
        return export_start(request, "licences_expiring")
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    expiry.annotate_rows(page.object_list, today=today, settings=settings)
    context = {
        "filter": filterset,
        "page": page,
        "query": _query_without(request, "page", "export"),
        "today": today,
        "window": selectors.EXPIRY_WINDOW_DAYS,
        "settings": settings,
        "states": expiry.ExpiryState.choices,
        "state": state or "",
    }
    return render(request, "enterprises/licences_expiring.html", context)


@login_required
def import_template(request):
    return _xlsx_response(importers.template_xlsx(), "企业导入模板.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    require_write(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = importers.import_job_create(file=form.cleaned_data["file"], by=request.user)
        messages.info(request, "文件已上传，正在后台检查并导入；可在本页或下载中心查看进度和结果")
        return redirect("enterprises:import_job", pk=job.pk)
    recent = selectors.import_jobs_of(request.user)[:5]
    return render(request, "enterprises/import.html", {
        "form": form, "recent": recent, "max_rows": settings.REGSYS_IMPORT_MAX_ROWS,
        "max_bytes": settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES,
    })


@login_required
def import_job(request, pk: int):
    """An import's progress, then its result: counts, or every row-level error (nothing imported)."""
    job = get_object_or_404(selectors.import_jobs_of(request.user), pk=pk)
    return render(request, "enterprises/import_job.html", {"job": job})


@login_required
def import_job_row(request, pk: int):
    """The import's status row (htmx polls it while the job runs; the page reloads once it is done)."""
    job = get_object_or_404(selectors.import_jobs_of(request.user), pk=pk)
    refresh = request.GET.get("refresh") == "1"
    response = render(request, "enterprises/_import_job_row.html", {"job": job, "refresh": refresh})
    if refresh and job.is_finished:
        response["HX-Refresh"] = "true"
    return response
