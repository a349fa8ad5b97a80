"""Pages of online-sales leads: list and export, detail with the disposal form, the 药械科's queue and
assignment, the import with its preview, and the counts by platform, outcome and unit."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspections.exports import Column
from inspections.filters import filtered
from inspections.views.common import apply_errors, list_page
from monitoring import leads_import, leads_selectors
from monitoring.access import is_ae_manager
from monitoring.leads_filters import OnlineLeadFilterSet
from monitoring.leads_forms import LeadAssignForm, LeadDisposeForm, LeadImportForm
from monitoring.services import leads as services
from monitoring.views import _imports
from regsys.exports import export_start
from regsys.scoping import can_edit, scope_for
from regsys.versioning import EditConflict


def _d(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


LEAD_COLUMNS: list[Column] = [
    ("线索编号", lambda x: x.code, 20),
    ("平台名称", lambda x: x.platform, 10),
    ("店铺名称", lambda x: x.shop_name, 24),
    ("经营主体名称", lambda x: x.operator_name, 28),
    ("经营主体统一社会信用代码", lambda x: x.operator_credit_code, 22),
    ("链接", lambda x: x.link, 30),
    ("涉及产品", lambda x: x.product, 20),
    ("涉嫌问题", lambda x: x.problem, 40),
    ("推送日期", lambda x: _d(x.pushed_on), 12),
    ("处置期限", lambda x: _d(x.deadline), 12),
    ("对应企业", lambda x: x.enterprise.name if x.enterprise_id else "", 28),
    ("匹配方式", lambda x: x.get_match_display(), 16),
    ("承办单位", lambda x: x.unit.display_name if x.unit_id else "待分派", 14),
    ("状态", lambda x: x.get_status_display(), 10),
    ("核查结果", lambda x: x.get_result_display(), 10),
    ("核查日期", lambda x: _d(x.checked_on), 12),
    ("责令改正", lambda x: f"{_d(x.correction_ordered_on)} {x.correction_note}".strip(), 30),
    ("立案", lambda x: x.case.number if x.case_id else "", 22),
    ("移交通信管理部门", lambda x: _d(x.referral.referred_on) if x.referral_id else "", 14),
    ("反馈日期", lambda x: _d(x.feedback_on), 12),
    ("逾期未反馈", lambda x: "是" if x.is_overdue_on(timezone.localdate()) else "", 10),
]


@login_required
def lead_list(request):
    return list_page(request, queryset=leads_selectors.lead_list(user=request.user),
                     filterset_class=OnlineLeadFilterSet, template="monitoring/leads/list.html",
                     context={"district_writer": is_ae_manager(request.user),
                              "district": scope_for(request.user).district_wide})


@login_required
def lead_export(request):
    return export_start(request, "online_leads")


@login_required
@require_http_methods(["GET", "POST"])
def lead_detail(request, pk: int):
    """The lead, and (for its unit) the disposal form: 核查结果, measures, feedback."""
    lead = leads_selectors.lead_get(user=request.user, pk=pk)
    editable = can_edit(request.user, lead) and lead.unit_id is not None
    cases = leads_selectors.lead_cases(user=request.user, lead=lead)
    initial = {"result": lead.result, "checked_on": lead.checked_on, "check_note": lead.check_note,
               "correction_ordered_on": lead.correction_ordered_on, "correction_note": lead.correction_note,
               "case": lead.case_id, "feedback_on": lead.feedback_on}
    form = LeadDisposeForm(request.POST if request.method == "POST" else None, initial=initial, versioned=lead,
                           user=request.user, cases=cases, referred=lead.referral_id is not None)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("无权处置该线索"))
            return redirect("monitoring:lead_detail", pk=lead.pk)
        if form.is_valid():
            version = form.pop_version()
            try:
                lead = services.lead_dispose(lead=lead, by=request.user, version=version, **form.cleaned_data)
            except EditConflict as exc:
                form.show_conflict(exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存线索 %(c)s 的处置情况") % {"c": lead.code})
                return redirect("monitoring:lead_detail", pk=lead.pk)
    today = timezone.localdate()
    return render(request, "monitoring/leads/detail.html", {
        "lead": lead, "form": form, "editable": editable, "overdue": lead.is_overdue_on(today),
        "can_assign": is_ae_manager(request.user) and lead.status != "done",
        "history": leads_selectors.lead_history(lead=lead), "today": today,
    })


@login_required
def lead_queue(request):
    """The 药械科's queue: leads matched to no registry enterprise, waiting for an enterprise or a unit."""
    leads = leads_selectors.lead_queue(user=request.user)
    return render(request, "monitoring/leads/queue.html", {
        "leads": leads, "can_assign": is_ae_manager(request.user), "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def lead_assign(request, pk: int):
    services.require_district(request.user)
    lead = leads_selectors.lead_get(user=request.user, pk=pk)
    form = LeadAssignForm(request.POST or None, versioned=lead, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            lead = services.lead_assign(lead=lead, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("线索 %(c)s 已分派给%(u)s") % {"c": lead.code, "u": lead.unit.display_name})
            return redirect("monitoring:lead_queue")
    return render(request, "monitoring/leads/assign.html", {"lead": lead, "form": form})


@login_required
def lead_counts(request):
    """Counts for a year/quarter (the list's filters): by platform × 核查结果, by unit, overdue."""
    if "year" not in request.GET:  # the counts are read per year: this year unless another (or all) is asked
        request.GET = request.GET.copy()
        request.GET["year"] = str(timezone.localdate().year)
    filterset, qs = filtered(request, queryset=leads_selectors.lead_list(user=request.user),
                             filterset_class=OnlineLeadFilterSet)
    counts = leads_selectors.lead_counts(queryset=qs, today=timezone.localdate())
    return render(request, "monitoring/leads/counts.html", {"filter": filterset, **counts,
                                                             "querystring": request.GET.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def lead_import(request):
    services.require_district(request.user)
    form = LeadImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = leads_import.lead_import_job_create(file=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.info(request, _("文件已上传，正在后台检查；检查完成后请核对预览再确认导入"))
            return redirect("monitoring:lead_import_job", pk=job.pk)
    return render(request, "monitoring/leads/import.html", {
        "form": form, "recent": leads_selectors.lead_import_jobs_of(request.user)[:5],
        "profile": leads_import.default_lead_profile(),
        "max_rows": settings.REGSYS_IMPORT_MAX_ROWS, "max_bytes": settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES,
    })


@login_required
def lead_import_job(request, pk: int):
    """An import's progress, then its preview (to confirm), its result, or every row-level error."""
    job = get_object_or_404(leads_selectors.lead_import_jobs_of(request.user), pk=pk)
    return render(request, "monitoring/leads/import_job.html", _imports.preview_context(request, job))


@login_required
def lead_import_job_row(request, pk: int):
    job = get_object_or_404(leads_selectors.lead_import_jobs_of(request.user), pk=pk)
    return _imports.status_row(request, job, "monitoring/leads/_import_job_row.html")


@login_required
@require_POST
def lead_import_confirm(request, pk: int):
    job = get_object_or_404(leads_selectors.lead_import_jobs_of(request.user), pk=pk)
    return _imports.confirm(request, job, confirm_job=leads_import.lead_import_job_confirm, url_name="monitoring:lead_import_job")
