"""Inspection pages: quick entry, full form, detail, checklist, attachments, lock and amendment."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.duties.expiry import annotate_expired_licence
from enterprises.models import Enterprise
from inspections import services
from inspections.choices import AnswerResult
from inspections.filters import InspectionFilterSet
from inspections.forms import (
    AmendForm,
    AttachmentForm,
    FindingForm,
    InspectionForm,
    OfficerFormSet,
    ProvincialEntryForm,
    QuickInspectionForm,
    checklist_rows,
    officer_users,
)
from inspections.models import Attachment, ChecklistTemplate, Finding, Inspection, PlanItem
from inspections.reference import default_template_code
from inspections.rules import checklist_tally
from inspections.selectors import inspection_detail_qs, inspection_history, inspection_qs, units_for
from regsys.exports import export_start
from regsys.scoping import can_edit, require_approver, require_edit, require_write, scope_for, scoped
from regsys.versioning import EditConflict

from .common import apply_errors, campaign_messages, list_page


def _inspection(request, pk: int) -> Inspection:
    return get_object_or_404(inspection_detail_qs(request.user), pk=pk)


@login_required
def inspection_list(request):
    return list_page(
        request, queryset=inspection_qs(request.user), filterset_class=InspectionFilterSet,
        template="inspections/inspection_list.html", context={"units": units_for(request.user)},
    )


@login_required
def inspection_export(request):
    return export_start(request, "inspections")


@login_required
def enterprise_search(request):
    """htmx: enterprises matching the typed name or credit code, within the user's scope."""
    term = (request.GET.get("term") or "").strip()
    results = []
    if len(term) >= 1:
        results = annotate_expired_licence(scoped(Enterprise.objects.all(), request.user)).filter(
            Q(name__icontains=term) | Q(credit_code__icontains=term)
        ).select_related("owning_unit").order_by("name")[:15]
    return render(request, "inspections/_enterprise_results.html", {"results": results, "term": term})


@login_required
def quick_create(request):
    """快速录入 on a phone: the common case in one screen, the checklist and camera photos included."""
    require_write(request.user)
    form = QuickInspectionForm(request.POST or None, request.FILES or None, user=request.user)
    others = _other_officers(request)
    if request.method == "POST" and form.is_valid() and others.is_valid():
        data = form.cleaned_data
        try:
            inspection = _quick_save(request, form, others=_officer_inputs(others))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if data["finalise"]:
                messages.success(request, _("检查记录已完成并锁定"))
            else:
                messages.success(request, _("检查记录已保存为草稿"))
            campaign_messages(request, inspection)
            return redirect("inspections:detail", pk=inspection.pk)
    enterprise = form.cleaned_data.get("enterprise") if form.is_bound else None
    template = form.cleaned_data.get("checklist") if form.is_bound else None
    return render(request, "inspections/quick_form.html", {
        "form": form, "others": others, "enterprise": enterprise,
        **_quick_checklist_context(template, form.data if form.is_bound else None),
    })


def _other_officers(request):
    """Colleagues of other units (联合检查) and staff without an account: no rows until one is added."""
    users = officer_users(request.user)
    if request.user.unit_id:
        users = users.exclude(unit=request.user.unit)
    kwargs = {"prefix": "others", "form_kwargs": {"users": users, "user": request.user}}
    return OfficerFormSet(request.POST, **kwargs) if request.method == "POST" else OfficerFormSet(**kwargs)


def _quick_save(request, form, *, others: list[services.OfficerInput]) -> Inspection:
    data = form.cleaned_data
    with transaction.atomic():
        inspection = services.inspection_create(
            enterprise=data["enterprise"], kind=data["kind"], start_date=data["start_date"],
            officers=data["officer_inputs"] + others, conclusion=data["conclusion"], summary=data["summary"],
            checklist=data["checklist"], campaigns=form.campaigns_arg(), by=request.user,
        )
        if data["answers"]:
            saved = services.checklist_answers_save(inspection=inspection, answers=data["answers"],
                                                    template=data["checklist"], by=request.user)
            for answer in saved:
                if data["item_photos"].get(answer.item_id):
                    services.attachments_add(inspection=inspection, files=data["item_photos"][answer.item_id],
                                             kind=Attachment.Kind.PHOTO, answer=answer, by=request.user)
            services.checklist_findings_create(inspection=inspection, by=request.user)
        if data["photos"]:
            services.attachments_add(inspection=inspection, files=data["photos"], kind=Attachment.Kind.PHOTO,
                                     by=request.user)
        if data["finding_severity"]:
            services.finding_create(inspection=inspection, severity=data["finding_severity"],
                                    text=data["finding_text"], by=request.user)
        if data["order_rectification"]:
            services.rectification_order(
                inspection=inspection, ordered_on=data["start_date"], deadline=data["rectification_deadline"],
                requirements=data["rectification_requirements"], by=request.user,
            )
        if data["finalise"]:
            services.inspection_finalise(inspection=inspection, by=request.user)
    return inspection


def _quick_checklist_context(template: ChecklistTemplate | None, data=None) -> dict:
    return {
        "checklist_template": template, "checklist_rows": checklist_rows(template, data) if template else [],
        "checklist_templates": ChecklistTemplate.objects.filter(is_active=True), "results": AnswerResult.choices,
    }


@login_required
def quick_checklist(request):
    """htmx: the quick-entry checklist of the chosen enterprise (its default template, or ``?checklist=``)."""
    template = None
    enterprise_id = request.GET.get("enterprise") or ""
    enterprise = None
    if enterprise_id.isdigit():
        enterprise = scoped(Enterprise.objects.all(), request.user).filter(pk=enterprise_id).first()
    if enterprise is not None:
        templates = ChecklistTemplate.objects.filter(is_active=True)
        chosen = request.GET.get("checklist") or ""
        template = templates.filter(pk=chosen).first() if chosen.isdigit() else None
        template = template or templates.filter(code=default_template_code(enterprise)).first()
    return render(request, "inspections/_quick_checklist.html", _quick_checklist_context(template))


def _officer_formset(request, inspection: Inspection | None):
    users = officer_users(request.user)
    if request.method == "POST":
        return OfficerFormSet(request.POST, prefix="officers", form_kwargs={"users": users, "user": request.user})
    initial = []
    if inspection is not None:
        initial = [{"user": o.user_id, "name": o.name, "cert_kind": o.cert_kind, "cert_no": o.cert_no}
                   for o in inspection.officers.all()]
    else:
        initial = [{"user": request.user.pk}]
    return OfficerFormSet(prefix="officers", initial=initial, form_kwargs={"users": users, "user": request.user})


def _officer_inputs(formset) -> list[services.OfficerInput]:
    rows = []
    for form in formset.forms:
        if form.cleaned_data.get("DELETE"):
            continue
        row = form.to_input()
        if row is not None:
            rows.append(row)
    return rows


@login_required
def inspection_create(request):
    """The full form: main fields and officers; checklist, findings and files follow on the edit page."""
    require_write(request.user)
    initial = {"start_date": timezone.localdate()}
    enterprise_id = request.GET.get("enterprise")
    enterprise = None
    plan_item = None
    plan_item_id = request.GET.get("plan_item") or request.POST.get("plan_item") or ""
    if plan_item_id.isdigit():
        plan_item = get_object_or_404(scoped(PlanItem.objects.select_related("enterprise"), request.user),
                                      pk=plan_item_id)
        enterprise_id = str(plan_item.enterprise_id)
        initial["kind"] = plan_item.kind
    if enterprise_id and enterprise_id.isdigit():
        enterprise = scoped(Enterprise.objects.all(), request.user).filter(pk=enterprise_id).first()
        if enterprise:
            initial["enterprise"] = enterprise.pk
            template = ChecklistTemplate.objects.filter(code=default_template_code(enterprise)).first()
            initial["checklist"] = template.pk if template else None
    form = InspectionForm(request.POST or None, user=request.user, initial=initial)
    if enterprise is not None and not form.is_bound:
        form.preselect_campaigns(services.campaigns_default(enterprise=enterprise, on_date=initial["start_date"],
                                                            by=request.user))
    officers = _officer_formset(request, None)
    if request.method == "POST" and form.is_valid() and officers.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                enterprise=data["enterprise"], kind=data["kind"], start_date=data["start_date"],
                end_date=data["end_date"], announced=data["announced"], staff_count=data["staff_count"],
                conclusion=data["conclusion"], summary=data["summary"], campaigns=form.campaigns_arg(),
                checklist=data["checklist"], officers=_officer_inputs(officers), plan_item=plan_item,
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("检查草稿已保存，请继续填写检查表、缺陷和附件"))
            campaign_messages(request, inspection)
            return redirect("inspections:edit", pk=inspection.pk)
    if form.is_bound:
        enterprise = form.cleaned_data.get("enterprise")
    return render(request, "inspections/inspection_form.html", {
        "form": form, "officers": officers, "enterprise": enterprise, "inspection": None, "plan_item": plan_item,
    })


@login_required
def inspection_edit(request, pk: int):
    inspection = _inspection(request, pk)
    if not can_edit(request.user, inspection):
        raise Http404
    if inspection.is_locked:
        messages.info(request, _("检查记录已锁定；如需更正请由科长/局领导办理更正"))
        return redirect("inspections:detail", pk=pk)
    initial = {
        "enterprise": inspection.enterprise_id, "kind": inspection.kind, "start_date": inspection.start_date,
        "end_date": inspection.end_date, "announced": inspection.announced, "staff_count": inspection.staff_count,
        "conclusion": inspection.conclusion, "summary": inspection.summary, "checklist": inspection.checklist_id,
    }
    linked = list(inspection.campaigns.all())
    form = InspectionForm(request.POST or None, user=request.user, initial=initial, versioned=inspection,
                          linked_campaigns=linked)
    form.preselect_campaigns(linked)
    officers = _officer_formset(request, inspection)
    if request.method == "POST" and form.is_valid() and officers.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                updated = services.inspection_update(
                    inspection=inspection, by=request.user, version=form.pop_version(),
                    enterprise=data["enterprise"], kind=data["kind"],
                    start_date=data["start_date"], end_date=data["end_date"], announced=data["announced"],
                    conclusion=data["conclusion"], summary=data["summary"],
                    checklist=data["checklist"], campaigns=list(data["campaigns"]),
                )
                services.inspection_set_officers(inspection=updated, officers=_officer_inputs(officers),
                                                 staff_count=data["staff_count"], by=request.user,
                                                 version=updated.version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
            inspection.refresh_from_db()
        else:
            messages.success(request, _("已保存"))
            campaign_messages(request, updated)
            return redirect("inspections:edit", pk=pk)
    return render(request, "inspections/inspection_form.html", {
        "form": form, "officers": officers, "inspection": inspection, "enterprise": inspection.enterprise,
        "finding_form": FindingForm(template=inspection.checklist, user=request.user), "attachment_form": AttachmentForm(),
        "problems": services.finalise_problems(inspection),
    })


@login_required
def inspection_detail(request, pk: int):
    inspection = _inspection(request, pk)
    today = timezone.localdate()
    rectification = getattr(inspection, "rectification", None)
    follow_up_of = getattr(inspection, "follow_up_of", None)
    if follow_up_of is not None and not scoped(Inspection.objects.filter(pk=follow_up_of.inspection_id),
                                                request.user).exists():
        follow_up_of = None
    scope = scope_for(request.user)
    answers = list(inspection.answers.select_related("item").prefetch_related("attachments")
                   .order_by("item__sort_order"))
    tally = checklist_tally(items=inspection.checklist.items.all(), answers=answers) if answers else None
    return render(request, "inspections/inspection_detail.html", {
        "inspection": inspection, "rectification": rectification, "follow_up_of": follow_up_of,
        "can_edit": can_edit(request.user, inspection),
        "can_amend": inspection.is_locked and scope.can_approve and can_edit(request.user, inspection),
        "problems": [] if inspection.is_locked else services.finalise_problems(inspection),
        "history": inspection_history(inspection), "answers": answers, "tally": tally, "today": today,
        "rect_overdue": rectification.is_overdue_on(today) if rectification else False,
        "provincial_form": ProvincialEntryForm(initial={"entered_on": today}),
        "attachment_form": AttachmentForm(locked=inspection.is_locked),
    })


@login_required
def checklist(request, pk: int):
    inspection = _inspection(request, pk)
    if not can_edit(request.user, inspection) or inspection.is_locked:
        return redirect("inspections:detail", pk=pk)
    templates = ChecklistTemplate.objects.filter(is_active=True)
    template = inspection.checklist
    chosen = request.GET.get("template") or request.POST.get("template")
    if chosen and chosen.isdigit():
        template = templates.filter(pk=chosen).first() or template
    if template is None:
        template = templates.filter(code=default_template_code(inspection.enterprise)).first()
    items = list(template.items.all()) if template else []
    existing = {a.item_id: a for a in inspection.answers.all()}
    errors: list[str] = []
    if request.method == "POST" and template is not None:
        answers = {
            item.pk: (request.POST.get(f"result_{item.pk}", ""), request.POST.get(f"note_{item.pk}", ""))
            for item in items
        }
        try:
            with transaction.atomic():
                saved = services.checklist_answers_save(inspection=inspection, answers=answers,
                                                        template=template, by=request.user)
                for answer in saved:
                    photos = request.FILES.getlist(f"photos_{answer.item_id}")
                    if photos:
                        services.attachments_add(inspection=inspection, files=photos,
                                                 kind=Attachment.Kind.PHOTO, answer=answer, by=request.user)
                created = services.checklist_findings_create(inspection=inspection, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
            existing = {}
            posted = answers
        else:
            if created:
                messages.success(request, _("检查表已保存，不符合项已记为缺陷 %(n)d 条") % {"n": len(created)})
            else:
                messages.success(request, _("检查表已保存"))
            unmatched = services.checklist_findings_unmatched(inspection)
            if unmatched:
                messages.warning(request, _("以下缺陷对应的检查项目已不再判为不符合，请核对或删除：%(codes)s")
                                 % {"codes": "、".join(f.checklist_item.code for f in unmatched)})
            return redirect("inspections:edit", pk=pk)
    else:
        posted = {item.pk: (existing[item.pk].result, existing[item.pk].note) if item.pk in existing else ("", "")
                  for item in items}
    rows = [{"item": item, "result": posted[item.pk][0], "note": posted[item.pk][1]} for item in items]
    return render(request, "inspections/checklist_form.html", {
        "inspection": inspection, "template": template, "templates": templates, "rows": rows,
        "results": AnswerResult.choices, "errors": errors,
    })


@login_required
@require_POST
def finding_add(request, pk: int):
    inspection = _inspection(request, pk)
    form = FindingForm(request.POST, template=inspection.checklist, user=request.user)
    if form.is_valid():
        try:
            services.finding_create(inspection=inspection, by=request.user, severity=form.cleaned_data["severity"],
                                    text=form.cleaned_data["text"],
                                    checklist_item=form.cleaned_data.get("checklist_item"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已添加缺陷"))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:edit", pk=pk)


@login_required
@require_POST
def finding_delete(request, pk: int, finding_pk: int):
    inspection = _inspection(request, pk)
    finding = get_object_or_404(Finding, pk=finding_pk, inspection=inspection)
    try:
        services.finding_delete(finding=finding, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("inspections:edit", pk=pk)


@login_required
@require_POST
def attachments_upload(request, pk: int):
    inspection = _inspection(request, pk)
    form = AttachmentForm(request.POST, request.FILES, locked=inspection.is_locked)
    if form.is_valid():
        try:
            created = services.attachments_add(inspection=inspection, files=form.cleaned_data["files"],
                                               kind=form.cleaned_data["kind"], by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已上传 %(n)d 个文件") % {"n": len(created)})
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:edit" if not inspection.is_locked else "inspections:detail", pk=pk)


@login_required
def attachment_download(request, pk: int):
    """Serve a file only to users who may see its inspection (never through a public media URL)."""
    attachment = get_object_or_404(scoped(Attachment.objects.select_related("inspection"), request.user), pk=pk)
    content_type = mimetypes.guess_type(attachment.original_name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(attachment.file.open("rb"), content_type=content_type,
                            as_attachment=not inline, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(scoped(Attachment.objects.select_related("inspection"), request.user), pk=pk)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("inspections:edit", pk=attachment.inspection_id)


@login_required
@require_POST
def finalise(request, pk: int):
    inspection = _inspection(request, pk)
    try:
        services.inspection_finalise(inspection=inspection, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("inspections:edit", pk=pk)
    messages.success(request, _("检查记录已完成并锁定"))
    return redirect("inspections:detail", pk=pk)


@login_required
def amend(request, pk: int):
    inspection = _inspection(request, pk)
    require_approver(request.user)
    require_edit(request.user, inspection)
    if not inspection.is_locked:
        return redirect("inspections:edit", pk=pk)
    initial = {name: getattr(inspection, name) for name in services.AMENDABLE_FIELDS}
    form = AmendForm(request.POST or None, initial=initial, versioned=inspection)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            services.inspection_amend(inspection=inspection, changes=form.changes(),
                                      reason=form.cleaned_data["reason"], by=request.user, version=version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已更正，更正记录保存在历史中"))
            return redirect("inspections:detail", pk=pk)
    return render(request, "inspections/amend_form.html", {
        "form": form, "inspection": inspection, "title": _("更正检查记录"),
        "back_url": reverse("inspections:detail", args=[pk]),
    })


@login_required
@require_POST
def provincial_entry(request, pk: int):
    inspection = _inspection(request, pk)
    form = ProvincialEntryForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_record_provincial_entry(
                inspection=inspection, entered_on=form.cleaned_data["entered_on"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已登记录入省局系统日期"))
    else:
        messages.error(request, _("请填写正确的录入日期"))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("inspections:detail", pk=pk)
