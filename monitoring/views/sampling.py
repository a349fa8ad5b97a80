"""Pages of supervisory sampling: tasks, samples with their step timeline, the step-duration settings."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.filters import filtered
from inspections.selectors import history_of
from inspections.views.common import apply_errors
from monitoring.access import is_ae_manager, require_ae_manager
from monitoring.choices import RetestStatus, SampleConclusion, SampleStepKind
from monitoring.filters_sampling import SampleFilterSet, SamplingTaskFilterSet
from monitoring.forms_sampling import (
    RetestRequestForm,
    RetestResultForm,
    SampleForm,
    SamplingTaskForm,
    StepForm,
    StepRuleFormSet,
)
from monitoring.models import SampleStep, SamplingStepRule, SamplingTask
from monitoring.sampling_selectors import overdue_q, sample_get, sample_timeline, samples_for, tasks_for
from monitoring.services import sampling as services
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, require_write, scope_for, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 25
SAMPLE_INPUTS = [f for f in services.SAMPLE_FIELDS if f != "registrant"]


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


# ----------------------------------------------------------------- tasks


@login_required
def sampling_task_list(request):
    """抽检任务: quota against the samples taken, by year and level."""
    filterset, qs = filtered(request, queryset=tasks_for(request.user), filterset_class=SamplingTaskFilterSet)
    page, querystring = _page(request, qs)
    return render(request, "monitoring/sampling/task_list.html", {
        "filter": filterset, "page": page, "objects": page.object_list, "querystring": querystring,
        "total": page.paginator.count, "can_manage": is_ae_manager(request.user),
        "district_wide": scope_for(request.user).district_wide,
    })


def _task_form_page(request, *, task: SamplingTask | None):
    require_ae_manager(request.user)
    initial = {f: getattr(task, f) for f in services.TASK_FIELDS} if task else {"year": timezone.localdate().year}
    form = SamplingTaskForm(request.POST or None, user=request.user, versioned=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            if task is None:
                services.sampling_task_create(by=request.user, **form.cleaned_data)
            else:
                services.sampling_task_update(task=task, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("抽检任务已保存"))
            return redirect("monitoring:sampling_task_list")
    return render(request, "inspections/_simple_form.html", {
        "form": form, "title": _("编辑抽检任务") if task else _("新建抽检任务"),
        "back_url": reverse("monitoring:sampling_task_list"),
    })


@login_required
def sampling_task_create(request):
    return _task_form_page(request, task=None)


@login_required
def sampling_task_edit(request, pk: int):
    return _task_form_page(request, task=get_object_or_404(SamplingTask, pk=pk))


# ----------------------------------------------------------------- samples


@login_required
def sample_list(request):
    """抽检样品: filters, overdue first within the filter's order, pagination, export."""
    today = timezone.localdate()
    filterset, qs = filtered(request, queryset=samples_for(request.user), filterset_class=SampleFilterSet)
    qs = qs.annotate(late=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))
    page, querystring = _page(request, qs.order_by("-sampled_on", "-pk"))
    return render(request, "monitoring/sampling/sample_list.html", {
        "filter": filterset, "page": page, "objects": page.object_list, "querystring": querystring,
        "total": page.paginator.count, "today": today, "export_url": reverse("monitoring:sampling_export"),
        "can_create": scope_for(request.user).can_write,
    })


@login_required
def sampling_export(request):
    """The filtered sample list as a download-centre job (same FilterSet and scope as the page)."""
    return export_start(request, "sampling_samples")


def _sample_form_page(request, *, sample=None):
    require_write(request.user)
    if sample is not None:
        require_edit(request.user, sample)
    initial = {}
    if sample is not None:
        initial = {f: getattr(sample, f) for f in SAMPLE_INPUTS}
        initial.update(unit=sample.unit, officers=list(sample.officers.all()))
    form = SampleForm(request.POST or None, user=request.user, versioned=sample, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        data = dict(form.cleaned_data)
        officers = list(data.pop("officers"))
        unit = data.pop("unit", None)
        try:
            if sample is None:
                saved = services.sample_create(by=request.user, officers=officers, unit=unit, **data)
            else:
                saved = services.sample_update(sample=sample, by=request.user, version=version, officers=officers,
                                               unit=unit, **data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("样品已保存"))
            return redirect("monitoring:sample_detail", pk=saved.pk)
    enterprise = None
    if form.is_bound:
        enterprise = form.cleaned_data.get("enterprise") if hasattr(form, "cleaned_data") else None
    elif sample is not None:
        enterprise = sample.enterprise
    return render(request, "monitoring/sampling/sample_form.html", {
        "form": form, "sample": sample, "enterprise": enterprise,
        "title": _("编辑样品") if sample else _("录入抽检样品"),
        "back_url": reverse("monitoring:sample_detail", args=[sample.pk]) if sample
        else reverse("monitoring:sample_list"),
    })


@login_required
def sample_create(request):
    return _sample_form_page(request)


@login_required
def sample_edit(request, pk: int):
    return _sample_form_page(request, sample=sample_get(user=request.user, pk=pk))


def _detail_context(request, sample, *, step_form=None, retest_form=None, result_form=None) -> dict:
    today = timezone.localdate()
    editable = can_edit(request.user, sample)
    next_step = sample.next_step
    if editable and next_step and step_form is None:
        step_form = StepForm(user=request.user, versioned=sample, step=next_step)
    window_last = services.retest_last_day(sample)
    retest_open = (editable and sample.conclusion == SampleConclusion.FAILED and sample.retest == RetestStatus.NONE
                   and window_last is not None and next_step != "")
    if retest_open and retest_form is None:
        retest_form = RetestRequestForm(user=request.user, versioned=sample)
    if editable and sample.retest == RetestStatus.REQUESTED and result_form is None:
        result_form = RetestResultForm(user=request.user, versioned=sample)
    return {
        "sample": sample, "timeline": sample_timeline(sample, today=today), "today": today,
        "can_edit": editable, "next_label": SampleStepKind(next_step).label if next_step else "",
        "step_form": step_form if editable and next_step else None,
        "retest_form": retest_form if retest_open else None,
        "result_form": result_form if editable and sample.retest == RetestStatus.REQUESTED else None,
        "window_last": window_last, "window_ended": window_last is not None and window_last < today,
        "overdue": bool(sample.next_due_on and next_step and sample.next_due_on < today),
        "history": history_of(sample), "window_rule": _window_rule(),
    }


def _window_rule() -> str:
    """The 复检 window's length in words (from its rule): “7个工作日”."""
    rule = SamplingStepRule.objects.filter(step=SampleStepKind.RETEST_WINDOW).first()
    if rule is None:
        return ""
    return f"{rule.days}{_('个工作日') if rule.working_days else _('日')}"


@login_required
def sample_detail(request, pk: int):
    sample = sample_get(user=request.user, pk=pk)
    return render(request, "monitoring/sampling/sample_detail.html", _detail_context(request, sample))


def _action(request, pk: int, *, form_class, key: str, run, done: str, **form_kwargs):
    sample = sample_get(user=request.user, pk=pk)
    require_edit(request.user, sample)
    form = form_class(request.POST, request.FILES, user=request.user, versioned=sample, **form_kwargs)
    if form.is_valid():
        version = form.pop_version()
        try:
            run(sample, version, form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("monitoring:sample_detail", pk=pk)
    sample = sample_get(user=request.user, pk=pk)
    return render(request, "monitoring/sampling/sample_detail.html",
                  _detail_context(request, sample, **{key: form}), status=400)


@login_required
@require_POST
def sample_step(request, pk: int):
    """Record the sample's next step (the inline form of the detail page)."""

    def run(sample, version, data):
        data = dict(data)
        step = data.pop("step")
        services.sample_step_record(sample=sample, step=step, by=request.user, version=version, **data)

    step = request.POST.get("step") or ""
    if step not in SampleStepKind.values:
        step = sample_get(user=request.user, pk=pk).next_step or SampleStepKind.CONCLUDED
    return _action(request, pk, form_class=StepForm, key="step_form", run=run, step=step,
                   done=_("已记录：%(s)s") % {"s": SampleStepKind(step).label})


@login_required
@require_POST
def sample_retest(request, pk: int):
    def run(sample, version, data):
        services.sample_retest_request(sample=sample, by=request.user, version=version, **data)

    return _action(request, pk, form_class=RetestRequestForm, key="retest_form", run=run, done=_("已登记复检申请"))


@login_required
@require_POST
def sample_retest_result(request, pk: int):
    def run(sample, version, data):
        services.sample_retest_result(sample=sample, by=request.user, version=version, **data)

    return _action(request, pk, form_class=RetestResultForm, key="result_form", run=run, done=_("已记录复检结论"))


@login_required
def sample_step_file(request, pk: int):
    """A step's file (the 送达回执), served only to users who may see the sample."""
    row = get_object_or_404(scoped(SampleStep.objects.select_related("sample"), request.user), pk=pk)
    if not row.file:
        raise Http404
    name = row.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(row.file.open("rb"), content_type=content_type, as_attachment=not inline, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ----------------------------------------------------------------- settings


@login_required
def sampling_rules(request):
    """抽检环节时限: the durations between steps (药械科 edits; everyone reads), with their history."""
    rules = list(SamplingStepRule.objects.all())
    editable = is_ae_manager(request.user)
    initial = [{"step": r.step, "days": r.days, "working_days": r.working_days, "basis": r.basis} for r in rules]
    formset = StepRuleFormSet(request.POST if request.method == "POST" else None, initial=initial,
                              form_kwargs={"user": request.user})
    if request.method == "POST":
        require_ae_manager(request.user)
        if formset.is_valid():
            try:
                changed = services.step_rules_update(rows=[f.cleaned_data for f in formset.forms], by=request.user)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已保存，修改 %(n)d 项；未完成环节的期限已按新时限重新计算") % {
                    "n": len(changed)})
                return redirect("monitoring:sampling_rules")
    labels = {r.step: r.get_step_display() for r in rules}
    bases = {s: SampleStepKind(services.step_base(s)).label for s in labels}
    changes = SamplingStepRule.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "monitoring/sampling/rules.html", {
        "rows": [(form, labels.get(form.initial.get("step") or form["step"].value(), ""),
                  bases.get(form.initial.get("step") or form["step"].value(), "")) for form in formset.forms],
        "formset": formset, "can_edit": editable, "changes": changes,
    })
