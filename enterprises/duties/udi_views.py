"""Pages of the UDI rollout: the 三甲 hospitals with their status and the coverage, a hospital's edit page
(药械科 or the owning unit) with history, the manufacturers' coding records per batch.

Parse → service/selector → render; reads through ``udi_selectors`` (scoped), writes through ``udi_services``.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enterprises.duties import udi_selectors as selectors
from enterprises.duties import udi_services as services
from enterprises.duties.udi_filters import HospitalUdiFilterSet, ManufacturerUdiFilterSet, filtered, year_of
from enterprises.duties.udi_forms import HospitalUdiForm, ManufacturerUdiForm
from enterprises.duties.udi_rules import BATCHES, HOSPITAL_SCOPE_NOTE
from enterprises.grading.selectors import visible_units
from enterprises.models import HospitalUdi
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, require_write, scope_for, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 25


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _list_context(request, *, queryset, filterset_class) -> dict:
    filterset, rows = filtered(request, queryset=queryset, filterset_class=filterset_class)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"filter": filterset, "page": page, "objects": page.object_list, "querystring": params.urlencode(),
            "total": page.paginator.count}


def _figure_unit(user):
    """The unit whose figures a page shows: the user's 所, or None (the district) for district users."""
    return None if scope_for(user).district_wide else user.unit


# ---------------------------------------------------------------- hospitals


@login_required
def hospital_list(request):
    """The year's 三甲 hospitals with their UDI status, the coverage toward the target on top."""
    year = year_of(request.GET)
    context = _list_context(request, queryset=selectors.hospital_udi_list(user=request.user, year=year),
                            filterset_class=HospitalUdiFilterSet)
    unit = _figure_unit(request.user)
    by_unit = selectors.udi_coverage_by_unit(year, visible_units(request.user)) if unit is None else []
    for hospital in context["objects"]:
        hospital.editable = can_edit(request.user, hospital)
    context.update(year=year, coverage=selectors.udi_coverage(year, unit=unit), figure_unit=unit, by_unit=by_unit,
                   scope_note=HOSPITAL_SCOPE_NOTE)
    return render(request, "enterprises/duties/udi/hospital_list.html", context)


@login_required
def hospital_export(request):
    return export_start(request, "udi_hospitals")


@login_required
@require_http_methods(["GET", "POST"])
def hospital_edit(request, pk: int):
    """Record a hospital's UDI status for the year (``?year=``, this year by default)."""
    year = year_of(request.GET)
    hospital = get_object_or_404(selectors.hospital_udi_list(user=request.user, year=year), pk=pk)
    require_write(request.user)
    require_edit(request.user, hospital)
    record = selectors.hospital_udi_record(enterprise=hospital, year=year)
    initial = {"status": hospital.udi_status, "status_on": record.status_on if record else None,
               "note": record.note if record else ""}
    # A hospital without a row yet edits the row it will get (version 1), so two first edits conflict.
    form = HospitalUdiForm(request.POST or None, request.FILES or None, initial=initial, user=request.user,
                           versioned=record or HospitalUdi(enterprise=hospital, year=year))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hospital_udi_record(
                enterprise=hospital, year=year, status=data["status"], status_on=data.get("status_on"),
                note=data.get("note") or "", evidence=data.get("evidence") or None,
                clear_evidence=data.get("clear_evidence", False), by=request.user, version=form.pop_version())
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”%(y)s年度的UDI应用情况") % {"name": hospital.name, "y": year})
            return redirect(f"{reverse('enterprises:udi_hospitals')}?year={year}")
    return render(request, "enterprises/duties/udi/hospital_form.html", {
        "form": form, "hospital": hospital, "record": record, "year": year,
        "history": selectors.record_history(record), "scope_note": HOSPITAL_SCOPE_NOTE,
    })


@login_required
def hospital_evidence(request, pk: int):
    """The evidence file, served only to users who may see the hospital (never through a media URL)."""
    record = get_object_or_404(scoped(HospitalUdi.objects.select_related("enterprise"), request.user), pk=pk)
    if not record.evidence:
        raise Http404
    name = record.evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(record.evidence.open("rb"), content_type=content_type, as_attachment=not inline,
                            filename=f"{record.enterprise.name}-{record.year}-UDI佐证{name[name.rfind('.'):]}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- manufacturers


@login_required
def manufacturer_list(request):
    """Manufacturers' coding records per batch, the batch dates and the tallies."""
    context = _list_context(request, queryset=selectors.manufacturer_udi_list(user=request.user),
                            filterset_class=ManufacturerUdiFilterSet)
    unit = _figure_unit(request.user)
    counts = selectors.manufacturer_udi_counts(unit=unit)
    by_batch = {c.batch: c for c in counts.batches}
    context.update(counts=counts, figure_unit=unit, today=timezone.localdate(),
                   batches=[(b, by_batch[b.batch]) for b in BATCHES],
                   can_write=scope_for(request.user).can_write)
    return render(request, "enterprises/duties/udi/manufacturer_list.html", context)


@login_required
def manufacturer_export(request):
    return export_start(request, "udi_manufacturers")


def _manufacturer_page(request, form, record, status=200):
    return render(request, "enterprises/duties/udi/manufacturer_form.html", {
        "form": form, "record": record, "batches": BATCHES,
        "history": selectors.record_history(record),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def manufacturer_create(request):
    require_write(request.user)
    form = ManufacturerUdiForm(request.POST or None, user=request.user,
                               enterprises=selectors.udi_manufacturers(user=request.user),
                               initial={"enterprise": request.GET.get("enterprise")})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.manufacturer_udi_create(data=form.to_input(), by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记：%(r)s") % {"r": record})
            return redirect("enterprises:udi_manufacturers")
    return _manufacturer_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def manufacturer_edit(request, pk: int):
    record = get_object_or_404(selectors.manufacturer_udi_list(user=request.user), pk=pk)
    require_write(request.user)
    require_edit(request.user, record)
    initial = {name: getattr(record, name) for name in ("batch", "coding", "products", "checked_on", "note")}
    form = ManufacturerUdiForm(request.POST or None, user=request.user, initial=initial, versioned=record,
                               fixed_enterprise=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.manufacturer_udi_update(record=record, data=form.to_input(record.enterprise), by=request.user,
                                             version=form.pop_version())
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(e)s”的赋码记录") % {"e": record.enterprise.name})
            return redirect("enterprises:udi_manufacturers")
    return _manufacturer_page(request, form, record)

