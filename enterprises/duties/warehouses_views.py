"""Pages of the 委托生产 pairs and the 异地设库 warehouses: parse → service/selector → render.

Reads go through ``warehouses_selectors`` (scoped); writes through ``warehouses_services`` (which check the unit).
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprises.duties import warehouses_selectors as selectors
from enterprises.duties import warehouses_services as services
from enterprises.duties.choices import ExchangeKind
from enterprises.duties.warehouses_filters import PairFilterSet, WarehouseFilterSet, filtered
from enterprises.duties.warehouses_forms import (
    AcceptanceForm,
    ExchangeForm,
    PairForm,
    WarehouseForm,
    enterprise_option,
)
from enterprises.models import Enterprise, Unit, WarehouseExchange
from regsys.exports import export_start
from regsys.scoping import can_edit, referable, require_edit, require_write, scope_for, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 25


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _list_context(request, *, queryset, filterset_class) -> dict:
    filterset, qs = filtered(request, queryset=queryset, filterset_class=filterset_class)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"filter": filterset, "page": page, "objects": page.object_list, "querystring": params.urlencode(),
            "total": page.paginator.count, "today": timezone.localdate()}


def _figure_unit(user) -> Unit | None:
    """The unit whose figures a page shows: the user's 所, or None (the district) for district users."""
    scope = scope_for(user)
    return None if scope.district_wide else user.unit


# ---------------------------------------------------------------- 委托生产


@login_required
def contract_list(request):
    """Registrant ↔ contract manufacturer pairs, with this year's full-coverage figure."""
    year = timezone.localdate().year
    context = _list_context(request, queryset=selectors.pair_list(user=request.user).order_by(
        "-is_active", "registrant_name", "product", "pk"), filterset_class=PairFilterSet)
    unit = _figure_unit(request.user)
    rows = {r.pk: r for r in selectors.pair_rows(year, unit=None)}
    for pair in context["objects"]:
        row = rows.get(pair.pk)
        pair.year_state = None if row is None else row.covered
    context.update(year=year, coverage=selectors.contract_coverage(year, unit=unit), figure_unit=unit,
                   can_write=scope_for(request.user).can_write)
    return render(request, "enterprises/duties/warehouses/contract_list.html", context)


@login_required
def contract_export(request):
    return export_start(request, "contract_pairs")


@login_required
def contract_detail(request, pk: int):
    pair = get_object_or_404(selectors.pair_list(user=request.user), pk=pk)
    year = timezone.localdate().year
    return render(request, "enterprises/duties/warehouses/contract_detail.html", {
        "pair": pair, "editable": services.can_edit_pair(request.user, pair),
        "coverage": selectors.pair_coverage_of(pair, year), "history": selectors.record_history(pair),
    })


def _options(user, q: Q) -> list[str]:
    return [enterprise_option(e) for e in referable(
        Enterprise.objects.filter(q).only("name", "credit_code").order_by("name"), user)]


def _pair_page(request, form, pair):
    return render(request, "enterprises/duties/warehouses/contract_form.html", {
        "form": form, "pair": pair,
        "registrant_options": _options(request.user, Q(is_registrant=True) | Q(entrusts_production=True)),
        "manufacturer_options": _options(request.user, Q(is_manufacturer=True) | Q(is_contract_manufacturer=True)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    require_write(request.user)
    form = PairForm(request.POST or None, user=request.user, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_create(data=form.to_input(), by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记委托生产关系：%(p)s") % {"p": pair})
            return redirect("enterprises:contract_detail", pk=pair.pk)
    return _pair_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    pair = get_object_or_404(selectors.pair_list(user=request.user), pk=pk)
    services.pair_require_edit(request.user, pair)
    initial = {name: getattr(pair, name) for name in (
        "registrant_name", "manufacturer_name", "product", "registration_number", "agreement_signed_on",
        "agreement_expires_on", "cross_region", "other_region", "is_active", "ended_on", "note")}
    initial.update(registrant=pair.registrant, manufacturer=pair.manufacturer)
    if pair.registrant_id:
        initial["registrant_name"] = ""
    if pair.manufacturer_id:
        initial["manufacturer_name"] = ""
    form = PairForm(request.POST or None, user=request.user, initial=initial, versioned=pair)
    if pair.registrant_id or pair.manufacturer_id:  # the sides already on the pair stay valid choices
        form.scope_choices()
        for name in ("registrant", "manufacturer"):
            form.fields[name].queryset = form.fields[name].queryset | Enterprise.objects.filter(
                pk__in=[pk for pk in (pair.registrant_id, pair.manufacturer_id) if pk])
        form.scope_choices = lambda: None
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_update(pair=pair, data=form.to_input(), by=request.user, version=form.pop_version())
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存委托生产关系：%(p)s") % {"p": pair})
            return redirect("enterprises:contract_detail", pk=pair.pk)
    return _pair_page(request, form, pair)


# ---------------------------------------------------------------- 异地设库


@login_required
def warehouse_list(request):
    year = timezone.localdate().year
    context = _list_context(request, queryset=selectors.warehouse_list(user=request.user),
                            filterset_class=WarehouseFilterSet)
    unit = _figure_unit(request.user)
    context.update(year=year, tally=selectors.warehouse_tally(year, unit=unit), figure_unit=unit,
                   can_write=scope_for(request.user).can_write)
    return render(request, "enterprises/duties/warehouses/warehouse_list.html", context)


@login_required
def warehouse_export(request):
    return export_start(request, "warehouses")


def _exchange_kinds(user) -> list[str]:
    return [k for k in ExchangeKind.values if k != ExchangeKind.ACCEPTANCE or services.can_accept(user)]


def _warehouse_detail(request, warehouse, *, exchange_form=None, acceptance_form=None, status=200):
    user = request.user
    can_log = services.can_log(user, warehouse)
    if can_log and exchange_form is None:
        exchange_form = ExchangeForm(user=user, kinds=_exchange_kinds(user))
    accept = services.can_accept(user) and can_edit(user, warehouse)
    if accept and acceptance_form is None:
        acceptance_form = AcceptanceForm(user=user, versioned=warehouse,
                                         initial={"accepted_on": warehouse.accepted_on or timezone.localdate()})
    return render(request, "enterprises/duties/warehouses/warehouse_detail.html", {
        "warehouse": warehouse, "editable": can_edit(user, warehouse), "exchanges": selectors.exchanges_of(warehouse),
        "exchange_form": exchange_form if can_log else None, "acceptance_form": acceptance_form if accept else None,
        "history": selectors.record_history(warehouse),
    }, status=status)


@login_required
def warehouse_detail(request, pk: int):
    warehouse = get_object_or_404(selectors.warehouse_list(user=request.user), pk=pk)
    return _warehouse_detail(request, warehouse)


def _warehouse_page(request, form, warehouse):
    return render(request, "enterprises/duties/warehouses/warehouse_form.html", {
        "form": form, "warehouse": warehouse,
        "warehouse_options": _options(request.user, Q(is_remote_warehouse=True)),
        "home_options": _options(request.user, Q(is_operator=True) | Q(is_manufacturer=True)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def warehouse_create(request):
    require_write(request.user)
    form = WarehouseForm(request.POST or None, user=request.user, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_create(data=form.to_input(), by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记异地设库：%(w)s，日常监管单位：%(u)s") % {
                "w": warehouse, "u": warehouse.daily_unit})
            return redirect("enterprises:warehouse_detail", pk=warehouse.pk)
    return _warehouse_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def warehouse_edit(request, pk: int):
    warehouse = get_object_or_404(selectors.warehouse_list(user=request.user), pk=pk)
    require_edit(request.user, warehouse)
    initial = {name: getattr(warehouse, name) for name in (
        "enterprise", "home_enterprise", "home_name", "home_licence_no", "home_bureau", "address", "subdistrict",
        "area_sqm", "remote_monitoring", "is_active")}
    if warehouse.home_enterprise_id:
        initial["home_name"] = ""
    form = WarehouseForm(request.POST or None, user=request.user, initial=initial, versioned=warehouse)
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_update(warehouse=warehouse, data=form.to_input(), by=request.user,
                                                  version=form.pop_version())
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存异地设库：%(w)s") % {"w": warehouse})
            return redirect("enterprises:warehouse_detail", pk=warehouse.pk)
    return _warehouse_page(request, form, warehouse)


@login_required
@require_POST
def warehouse_accept(request, pk: int):
    """The 药械科 records (or clears) the acceptance inspection date."""
    warehouse = get_object_or_404(selectors.warehouse_list(user=request.user), pk=pk)
    services.require_accept(request.user)
    require_edit(request.user, warehouse)
    form = AcceptanceForm(request.POST, user=request.user, versioned=warehouse)
    if form.is_valid():
        try:
            services.warehouse_accept(warehouse=warehouse, accepted_on=form.cleaned_data.get("accepted_on"),
                                      by=request.user, version=form.pop_version())
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存验收检查日期"))
            return redirect("enterprises:warehouse_detail", pk=warehouse.pk)
    return _warehouse_detail(request, warehouse, acceptance_form=form, status=400)


@login_required
@require_POST
def exchange_add(request, pk: int):
    """Add an entry to the warehouse's log (通报/告知、收到对方信息、联合检查、验收检查)."""
    warehouse = get_object_or_404(selectors.warehouse_list(user=request.user), pk=pk)
    require_write(request.user)
    if not services.can_log(request.user, warehouse):
        raise PermissionDenied(_("只有日常监管所或药械科可以登记库房的信息通报"))
    form = ExchangeForm(request.POST, request.FILES, user=request.user, kinds=_exchange_kinds(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.exchange_add(warehouse=warehouse, kind=data["kind"], on=data["on"],
                                  counterpart=data["counterpart"], content=data["content"],
                                  file=data.get("file") or None, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记信息通报记录"))
            return redirect(f"{warehouse_detail_url(warehouse)}#exchanges")
    return _warehouse_detail(request, warehouse, exchange_form=form, status=400)


def warehouse_detail_url(warehouse) -> str:
    return reverse("enterprises:warehouse_detail", kwargs={"pk": warehouse.pk})


@login_required
def exchange_file(request, pk: int):
    """A log entry's attachment, served only to users who may see the warehouse (never through a media URL)."""
    entry = get_object_or_404(scoped(WarehouseExchange.objects.select_related("warehouse"), request.user), pk=pk)
    if not entry.file:
        raise Http404
    name = entry.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(entry.file.open("rb"), content_type=content_type, as_attachment=not inline, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
