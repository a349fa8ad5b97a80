"""The disposal page of a failed sample (不合格处置): controls, inspection draft, 停产整改, case, 从严查处.

Every action posts to ``sample_disposal_action`` (one service call each); a refused action shows the page
again with the form's Chinese errors and nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises import suspension_views
from enterprises.forms import add_service_errors
from enterprises.models import Enterprise
from enterprises.suspension_forms import RectificationForm, ResumeForm
from monitoring.disposal_forms import (
    CaseLinkForm,
    CaseOpenForm,
    ControlForm,
    DisposalNoteForm,
    InspectionDraftForm,
    SuspensionStartForm,
)
from monitoring.models import Sample, SampleControl
from monitoring.services import disposal as services
from regsys.scoping import can_edit, scoped


def samples_for(user):
    return scoped(Sample.objects.select_related(
        "enterprise", "enterprise__owning_unit", "registrant", "unit", "task", "follow_up_inspection",
        "suspension", "case", "credit_record"), user)


def _sample(request, pk: int) -> Sample:
    return get_object_or_404(samples_for(request.user), pk=pk)


def case_parties(sample: Sample) -> list:
    parties = [sample.enterprise]
    parties += [e for e in services.local_manufacturers(sample) if e.pk != sample.enterprise_id]
    return parties


def disposal_context(request, sample: Sample, forms: dict | None = None) -> dict:
    """What ``_disposal_panel.html`` shows (also used by the sample detail page's include)."""
    today = timezone.localdate()
    user = request.user
    failed = sample.conclusion == "failed"
    editable = failed and can_edit(user, sample)
    manufacturers = services.local_manufacturers(sample)
    suspension = sample.suspension
    forms = dict(forms or {})
    context = {
        "sample": sample, "failed": failed, "can_dispose": editable, "manufacturers": manufacturers,
        "controls": scoped(SampleControl.objects.filter(sample=sample), user, paths=("sample__unit",
                           "sample__enterprise__owning_unit")).select_related("enterprise", "created_by"),
        "earlier_failures": services.earlier_failures(sample) if failed else [],
        "repeat_rule": {"years": services.REPEAT_FAILURE_YEARS, "count": services.REPEAT_FAILURE_COUNT},
        "repeat_pending": failed and not sample.strict and services.is_repeat_failure(sample),
        "suspension": suspension, "today": today,
    }
    if not editable:
        return context
    cases = services.linkable_cases(sample, user)
    defaults = {
        "control_form": lambda: ControlForm(user=user, initial={"done_on": today}),
        "inspection_form": lambda: InspectionDraftForm(user=user, manufacturers=manufacturers, prefix="inspection",
                                                       initial={"start_date": today}),
        "suspension_form": lambda: SuspensionStartForm(user=user, manufacturers=manufacturers, prefix="suspension",
                                                       initial={"started_on": today}),
        "case_link_form": lambda: CaseLinkForm(user=user, cases=cases, prefix="case_link"),
        "case_open_form": lambda: CaseOpenForm(user=user, manufacturers=case_parties(sample), prefix="case_open",
                                               initial={"filed_on": today}),
        "note_form": lambda: DisposalNoteForm(user=user, prefix="note", initial={"note": sample.disposal_note}),
    }
    if suspension is not None and suspension.is_open and can_edit(user, suspension):
        defaults["rectify_form"] = lambda: RectificationForm(user=user, versioned=suspension, prefix="rectify", initial={
            "cause": suspension.cause, "rectification": suspension.rectification,
            "recorded_on": suspension.rectification_recorded_on or today})
        defaults["resume_form"] = lambda: ResumeForm(user=user, versioned=suspension, prefix="resume", initial={"resumed_on": today})
        context["rectify_action"] = reverse("monitoring:sample_disposal_action", args=[sample.pk, "rectify"])
        context["resume_action"] = reverse("monitoring:sample_disposal_action", args=[sample.pk, "resume"])
    for name, build in defaults.items():
        context[name] = forms.get(name) or build()
    context["has_cases"] = cases.exists()
    chosen = str(context["control_form"]["enterprise"].value() or "")
    context["chosen_enterprise"] = (
        scoped(Enterprise.objects.filter(pk=int(chosen)), user).first() if chosen.isdigit() else None)
    return context


def _page(request, sample: Sample, forms: dict | None = None):
    return render(request, "monitoring/disposal/page.html", disposal_context(request, sample, forms))


@login_required
def sample_disposal(request, pk: int):
    return _page(request, _sample(request, pk))


def _run(request, sample, form, call, message: str, form_name: str):
    """Validate ``form``, call the service; on success redirect with ``message``, else the page with errors."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(reverse("monitoring:sample_disposal", args=[sample.pk]) + f"#{form_name}")
    return _page(request, sample, {form_name: form})


@login_required
@require_POST
def sample_disposal_action(request, pk: int, action: str):
    sample = _sample(request, pk)
    if not can_edit(request.user, sample):
        raise PermissionDenied(_("无权修改其他单位的记录"))
    try:
        services.require_failed(sample)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("monitoring:sample_disposal", pk=sample.pk)
    user, post = request.user, request.POST
    manufacturers = services.local_manufacturers(sample)
    if action == "control":
        form = ControlForm(post, user=user)
        return _run(request, sample, form, lambda d: services.control_add(sample=sample, by=user, **d),
                    _("已添加控制措施"), "control_form")
    if action == "inspection":
        form = InspectionDraftForm(post, user=user, manufacturers=manufacturers, prefix="inspection")
        return _run(request, sample, form, lambda d: services.disposal_inspection_create(sample=sample, by=user, **d),
                    _("已建立检查草稿并关联到本样品"), "inspection_form")
    if action == "suspension":
        form = SuspensionStartForm(post, user=user, manufacturers=manufacturers, prefix="suspension")
        return _run(request, sample, form, lambda d: services.disposal_suspension_start(sample=sample, by=user, **d),
                    _("已责令停产整改，企业经营状态已改为停产"), "suspension_form")
    if action == "case_link":
        form = CaseLinkForm(post, user=user, cases=services.linkable_cases(sample, user), prefix="case_link")
        return _run(request, sample, form, lambda d: services.disposal_case_link(sample=sample, by=user, **d),
                    _("已关联案件"), "case_link_form")
    if action == "case_open":
        form = CaseOpenForm(post, user=user, manufacturers=case_parties(sample), prefix="case_open")
        return _run(request, sample, form, lambda d: services.disposal_case_open(sample=sample, by=user, **d),
                    _("已立案并关联到本样品"), "case_open_form")
    if action == "note":
        form = DisposalNoteForm(post, user=user, prefix="note")
        return _run(request, sample, form, lambda d: services.disposal_note_save(sample=sample, by=user, **d),
                    _("处置情况已保存"), "note_form")
    if action == "strict":
        try:
            sample = services.disposal_strict_check(sample=sample, by=user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if sample.strict:
                messages.success(request, _("已标记从严查处并记入信用记录"))
            else:
                messages.info(request, _("该企业两年内没有其他抽检不合格记录，不需从严查处"))
        return redirect("monitoring:sample_disposal", pk=sample.pk)
    if action in ("rectify", "resume"):
        suspension = sample.suspension
        if suspension is None or not suspension.is_open:
            messages.error(request, _("本样品没有未复产的停产整改"))
            return redirect("monitoring:sample_disposal", pk=sample.pk)
        if not can_edit(user, suspension):
            raise PermissionDenied(_("无权修改其他单位的记录"))
        handle = suspension_views.rectify if action == "rectify" else suspension_views.resume
        form = handle(request, suspension, prefix=action)
        if form is None:
            return redirect(reverse("monitoring:sample_disposal", args=[sample.pk]) + "#disposal-suspension")
        sample.refresh_from_db()
        return _page(request, sample, {f"{action}_form": form})
    raise Http404(action)


@login_required
@require_POST
def sample_control_delete(request, pk: int):
    control = get_object_or_404(scoped(SampleControl.objects.select_related("sample"), request.user), pk=pk)
    try:
        services.control_delete(control=control, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除控制措施"))
    return redirect("monitoring:sample_disposal", pk=control.sample_id)
