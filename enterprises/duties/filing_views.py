"""Pages of the yearly filings (年度自查报告, 质量安全责任书): list, progress toward the due date, recording a
submission, the bulk import, the 责令改正 proposals and the year's settings. Parse → service/selector → render.
"""

from __future__ import annotations

import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.duties import filing_rules as rules
from enterprises.duties import filing_selectors as selectors
from enterprises.duties import filing_services as services
from enterprises.duties.choices import FilingKind, Sector
from enterprises.duties.filing_filters import filtered_rows
from enterprises.duties.filing_forms import DutyYearForm, FilingForm, FilingImportForm
from enterprises.duties.filing_import import filing_import_job_create, template_xlsx
from enterprises.duties.settings import SETTINGS_FIELDS, duty_settings_for_year
from enterprises.models import AnnualFiling, Enterprise, FilingImportJob
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, require_write, scope_for, scoped
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import EditConflict

PAGE_SIZE = 25
# The 处理情况 filter of the 责令改正 list: query value → (FilingRow.order_state, label).
ORDER_STATES = {"none": ("", gettext_lazy("未处理")), "proposed": ("proposed", gettext_lazy("待科长确认")),
                "confirmed": ("confirmed", gettext_lazy("已确认"))}
ORDER_SORT = {"proposed": 0, "": 1, "confirmed": 2}


def _year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _kind(request) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    return kind if kind in FilingKind.values else FilingKind.SELF_REPORT


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def filing_list(request):
    """Every owed filing of the year and kind with its status, filtered; 留存备查 rows shown but not missing."""
    filterset, params, rows = filtered_rows(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = {status: sum(1 for r in rows if r.status == status) for status in rules.FilingStatus.values}
    return render(request, "enterprises/duties/filings/list.html", {
        "filter": filterset, "page": page, "objects": page.object_list, "total": len(rows),
        "querystring": query.urlencode(), "params": params, "counts": counts,
        "due": rules.due_date(params["year"], params["kind"]), "kind_label": FilingKind(params["kind"]).label,
    })


@login_required
def filing_export(request):
    return export_start(request, "annual_filings")


@login_required
def filing_progress(request):
    """Progress per 所 toward the due date (owed, on time, late, missing, 提交率)."""
    year, kind = _year(request), _kind(request)
    table = selectors.filing_progress(year, kind, user=request.user)
    return render(request, "enterprises/duties/filings/progress.html", {
        "table": table, "year": year, "kind": kind, "years": selectors.filing_years(), "kinds": FilingKind.choices,
        "list_url": reverse("enterprises:filing_list"),
    })


@login_required
def filing_record(request, pk: int):
    """Record (or correct) an enterprise's submission for a year, kind and sector."""
    enterprise = get_object_or_404(scoped(Enterprise.objects.select_related("owning_unit"), request.user), pk=pk)
    year, kind = _year(request), _kind(request)
    sectors = rules.owed_sectors(enterprise, kind)
    if not sectors:
        raise Http404(_("该企业不承担此项报送义务"))
    require_write(request.user)
    require_edit(request.user, enterprise)
    sector = request.POST.get("sector") or request.GET.get("sector") or sectors[0]
    sector = sector if sector in sectors else sectors[0]
    filing = AnnualFiling.objects.filter(enterprise=enterprise, year=year, kind=kind, sector=sector).first()
    initial = {"sector": sector, "submitted_on": filing.submitted_on if filing else None,
               "note": filing.note if filing else ""}
    form = FilingForm(request.POST or None, request.FILES or None, initial=initial, user=request.user,
                      sectors=sectors, versioned=filing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.filing_record(
                enterprise=enterprise, year=year, kind=kind, sector=data["sector"], submitted_on=data["submitted_on"],
                file=data.get("file") or None, note=data.get("note") or "", by=request.user,
                version=form.pop_version() if filing else None)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记“%(name)s”%(year)s年%(kind)s") % {
                "name": enterprise.name, "year": year, "kind": FilingKind(kind).label})
            return redirect(f"{reverse('enterprises:filing_list')}?{urlencode({'year': year, 'kind': kind})}")
    return render(request, "enterprises/duties/filings/record.html", {
        "enterprise": enterprise, "year": year, "kind": kind, "kind_label": FilingKind(kind).label, "form": form,
        "filing": filing, "due": rules.due_date(year, kind), "history": selectors.record_history(filing),
        "on_file": not rules.counts_as_owed(kind=kind, sector=sector),
    })


@login_required
def filing_file(request, pk: int):
    filing = get_object_or_404(selectors.filing_visible(request.user), pk=pk)
    if not filing.file:
        raise Http404(_("没有上传文件"))
    name = os.path.basename(filing.file.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(filing.file.open("rb"), as_attachment=True, filename=name, content_type=content_type)


@login_required
def filing_import(request):
    """Upload a submission list; the worker checks it and records all rows or none."""
    form = FilingImportForm(request.POST or None, request.FILES or None, user=request.user,
                            initial={"year": _year(request), "kind": _kind(request)})
    if request.method == "POST":
        require_write(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = filing_import_job_create(file=data["file"], year=data["year"], kind=data["kind"], by=request.user)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("enterprises:filing_import_job", pk=job.pk)
    recent = FilingImportJob.objects.filter(created_by=request.user)[:5] if request.user.is_authenticated else []
    return render(request, "enterprises/duties/filings/import.html", {"form": form, "recent": recent})


@login_required
def filing_import_template(request):
    response = HttpResponse(template_xlsx(_kind(request)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%8F%90%E4%BA%A4%E5%90%8D%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx"
    return response


@login_required
def filing_import_job(request, pk: int):
    """The import's result: progress while the worker checks it, then success or the row errors."""
    job = get_object_or_404(FilingImportJob.objects.filter(created_by=request.user), pk=pk)
    template = "enterprises/duties/filings/_import_job.html" if request.headers.get("HX-Request") else \
        "enterprises/duties/filings/import_job.html"
    return render(request, template, {"job": job, "kind_label": FilingKind(job.kind).label})


@login_required
def filing_orders(request):
    """After the due date: the missing self-reports, to propose 责令改正 and a credit record; the chief confirms."""
    year = _year(request)
    all_rows = selectors.order_candidates(year, user=request.user)
    state = request.GET.get("state", "")
    state = state if state in ORDER_STATES else ""
    rows = [r for r in all_rows if not state or r.order_state == ORDER_STATES[state][0]]
    rows.sort(key=lambda r: ORDER_SORT[r.order_state])  # awaiting the chief first, then untreated, then done
    due = rules.due_date(year, FilingKind.SELF_REPORT)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enterprises/duties/filings/orders.html", {
        "year": year, "years": selectors.filing_years(), "due": due, "page": page, "objects": page.object_list,
        "total": len(rows), "before_due": timezone.localdate() <= due, "can_approve": scope_for(request.user).can_approve,
        "proposed": sum(1 for r in all_rows if r.order_state == "proposed"),
        "confirmed": sum(1 for r in all_rows if r.order_state == "confirmed"), "all_total": len(all_rows),
        "state": state, "states": [("", _("全部"))] + [(k, v[1]) for k, v in ORDER_STATES.items()],
        "querystring": urlencode({"year": year, "state": state}),
    })


def _back_to_orders(year: int, page: str | None = None, state: str | None = None):
    query = {"year": year} | ({"page": page} if page else {}) | ({"state": state} if state in ORDER_STATES else {})
    return redirect(f"{reverse('enterprises:filing_orders')}?{urlencode(query)}")


@login_required
@require_POST
def filing_order_propose(request, pk: int):
    enterprise = get_object_or_404(scoped(Enterprise.objects.all(), request.user), pk=pk)
    year = _year(request)
    sector = request.POST.get("sector", "")
    if sector not in Sector.values:
        raise Http404(_("环节无效"))
    try:
        services.order_propose(enterprise=enterprise, year=year, sector=sector, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已拟对“%(name)s”责令改正并记入信用记录，待科长确认") % {"name": enterprise.name})
    return _back_to_orders(year, request.POST.get("page"), request.POST.get("state"))


@login_required
@require_POST
def filing_order_confirm(request, pk: int):
    filing = get_object_or_404(selectors.filing_visible(request.user), pk=pk)
    if not can_edit(request.user, filing):
        raise PermissionDenied(_("无权修改其他单位的记录"))
    version = request.POST.get("version")
    try:
        services.order_confirm(filing=filing, by=request.user, version=int(version) if version and version.isdigit() else None)
    except EditConflict:
        messages.error(request, _("该记录已被他人修改，请核对后重新确认"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已确认对“%(name)s”责令改正，并写入不良信用记录") % {"name": filing.enterprise.name})
    return _back_to_orders(filing.year, request.POST.get("page"), request.POST.get("state"))


@login_required
def duty_settings(request):
    """The year's 年度义务设置 (due dates and thresholds); the 药械科 edits, everyone reads."""
    year = _year(request)
    record = duty_settings_for_year(year)
    editable = services.is_duty_manager(request.user)
    if request.method == "POST" and not editable:
        raise PermissionDenied(services.DUTY_MANAGER_MESSAGE)
    form = None
    if editable:
        initial = {name: getattr(record, name) for name in (*SETTINGS_FIELDS, "notes")}
        form = DutyYearForm(request.POST or None, initial=initial, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.duty_year_update(year=year, changes=form.changes(), by=request.user)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已保存%(y)s年度义务设置") % {"y": year})
                return redirect(f"{reverse('enterprises:duty_settings')}?year={year}")
    return render(request, "enterprises/duties/filings/settings.html", {
        "year": year, "years": selectors.filing_years(), "record": record, "form": form, "editable": editable,
        "history": selectors.record_history(record) if record.pk else [],
    })
