"""Pages of complaints and public opinion (投诉举报与舆情): list, export, create, detail with history, edit,
delete. Parse → service/selector → render; scoping through ``regsys.scoping`` and the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.filters import filtered
from inspections.views.common import apply_errors, list_page
from monitoring.complaint_filters import ComplaintFilterSet
from monitoring.complaint_forms import ComplaintForm
from monitoring.complaint_selectors import complaint_counts, complaint_list
from monitoring.models import Complaint
from monitoring.registry_selectors import record_history
from monitoring.services import complaints as services
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, require_unit, require_write, scope_for
from regsys.versioning import EditConflict

COLUMNS = [
    ("类别", lambda c: c.get_kind_display(), 10),
    ("受理/发现日期", lambda c: f"{c.received_on:%Y-%m-%d}", 13),
    ("来源渠道", lambda c: c.source, 16),
    ("编号", lambda c: c.reference, 18),
    ("涉及企业", lambda c: c.enterprise.name if c.enterprise_id else "", 30),
    ("统一社会信用代码", lambda c: c.enterprise.credit_code if c.enterprise_id else "", 22),
    ("涉及单位名称", lambda c: c.subject_name, 30),
    ("涉及产品", lambda c: c.product, 20),
    ("内容摘要", lambda c: c.summary, 50),
    ("承办单位", lambda c: c.unit.display_name, 14),
    ("处理情况", lambda c: c.handling, 50),
    ("核查结论", lambda c: {True: "属实", False: "不属实"}.get(c.substantiated, "未核查"), 10),
    ("办结日期", lambda c: f"{c.handled_on:%Y-%m-%d}" if c.handled_on else "办理中", 12),
]


@login_required
def complaint_list_page(request):
    queryset = complaint_list(user=request.user)
    _f, shown = filtered(request, queryset=queryset, filterset_class=ComplaintFilterSet)
    return list_page(request, queryset=queryset, filterset_class=ComplaintFilterSet,
                     template="monitoring/complaints/list.html", context={"counts": complaint_counts(shown)})


@login_required
def complaint_export(request):
    return export_start(request, "complaints")


def _complaint(request, pk: int) -> Complaint:
    return get_object_or_404(complaint_list(user=request.user), pk=pk)


@login_required
def complaint_detail(request, pk: int):
    complaint = _complaint(request, pk)
    return render(request, "monitoring/complaints/detail.html", {
        "complaint": complaint, "editable": can_edit(request.user, complaint),
        "in_register": services.complaint_in_register(complaint), "history": record_history(complaint),
    })


def _form_page(request, form, complaint):
    if form.is_bound:
        enterprise = getattr(form, "cleaned_data", {}).get("enterprise")
    else:
        enterprise = complaint.enterprise if complaint is not None else None
    return render(request, "monitoring/complaints/form.html", {
        "form": form, "complaint": complaint, "enterprise": enterprise,
        "unit": complaint.unit if complaint else request.user.unit,
    })


@login_required
def complaint_create(request):
    require_write(request.user)
    district = scope_for(request.user).district_wide
    if not district:
        require_unit(request.user, request.user.unit_id)
    initial = {"received_on": timezone.localdate(), "kind": request.GET.get("kind") or "complaint"}
    form = ComplaintForm(request.POST or None, user=request.user, district=district, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_create(data=form.to_input(), unit=form.cleaned_data.get("unit"),
                                                  by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记%(kind)s") % {"kind": complaint.get_kind_display()})
            return redirect("monitoring:complaint_detail", pk=complaint.pk)
    return _form_page(request, form, None)


@login_required
def complaint_edit(request, pk: int):
    complaint = _complaint(request, pk)
    require_edit(request.user, complaint)
    district = scope_for(request.user).district_wide
    initial = {name: getattr(complaint, name) for name in services.EDITABLE_FIELDS}
    initial["unit"] = complaint.unit
    initial["substantiated"] = {True: "true", False: "false"}.get(complaint.substantiated, "")
    form = ComplaintForm(request.POST or None, user=request.user, district=district, versioned=complaint,
                         initial=initial, kept_enterprise_id=complaint.enterprise_id)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            saved = services.complaint_update(complaint=complaint, data=form.to_input(),
                                              unit=form.cleaned_data.get("unit"), by=request.user, version=version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("monitoring:complaint_detail", pk=saved.pk)
    return _form_page(request, form, complaint)


@login_required
@require_POST
def complaint_delete(request, pk: int):
    complaint = _complaint(request, pk)
    try:
        services.complaint_delete(complaint=complaint, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("monitoring:complaint_detail", pk=pk)
    messages.success(request, _("已删除该记录"))
    return redirect("monitoring:complaint_list")
