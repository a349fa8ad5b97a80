"""Pages of the 药械科's evaluation work: list, detail (reports, timeline, history), evaluate, measures, close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.selectors import history_of
from inspections.views.common import apply_errors
from monitoring.evaluation_filters import EvaluationFilterSet
from monitoring.evaluation_forms import CloseForm, EvaluateForm, InspectionMeasureForm, InterviewMeasureForm
from monitoring.evaluation_selectors import (
    evaluation_reports,
    evaluation_steps,
    evaluations_for,
    evaluations_ordered,
)
from monitoring.models import Evaluation
from monitoring.services import evaluations as services
from regsys.scoping import can_edit, require_edit, scope_for
from regsys.versioning import EditConflict

PAGE_SIZE = 25


def _evaluation(request, pk: int) -> Evaluation:
    return get_object_or_404(evaluations_for(request.user), pk=pk)


def _form_page(request, context: dict):
    context["back_url"] = reverse("monitoring:evaluation_detail", args=[context["evaluation"].pk])
    return render(request, "monitoring/evaluation_form.html", context)


@login_required
def evaluation_list(request):
    """不良事件评价: overdue and open first; filters by status, trigger, causality, dates, text."""
    today = timezone.localdate()
    queryset = evaluations_ordered(evaluations_for(request.user), today=today)
    filterset = EvaluationFilterSet(request.GET or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        qs = queryset.none()
    page = Paginator(qs.prefetch_related("reports"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    scope = scope_for(request.user)
    return render(request, "monitoring/evaluation_list.html", {
        "filter": filterset, "page": page, "objects": page.object_list, "querystring": params.urlencode(),
        "total": page.paginator.count, "today": today, "can_scan": scope.district_wide and scope.can_write,
    })


@login_required
@require_POST
def evaluation_scan(request):
    """重新扫描: open the evaluations that the reports call for (the daily task does the same)."""
    try:
        changed = services.evaluations_scan(by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if changed:
            messages.success(request, _("扫描完成：新建或更新评价 %(n)d 项") % {"n": len(changed)})
        else:
            messages.info(request, _("扫描完成：没有需要新建的评价"))
    return redirect("monitoring:evaluation_list")


@login_required
def evaluation_detail(request, pk: int):
    evaluation = _evaluation(request, pk)
    today = timezone.localdate()
    editable = can_edit(request.user, evaluation)
    reports = evaluation_reports(evaluation, request.user)
    return render(request, "monitoring/evaluation_detail.html", {
        "evaluation": evaluation, "reports": reports,
        "steps": evaluation_steps(evaluation, reports), "history": history_of(evaluation),
        "can_edit": editable and evaluation.status != "closed",
        "overdue": services.evaluation_overdue(evaluation, today), "today": today,
        "close_form": CloseForm(user=request.user, versioned=evaluation, initial={"closed_on": today})
        if editable and evaluation.opinion and evaluation.status != "closed" else None,
    })


@login_required
def evaluation_edit(request, pk: int):
    """评价: opinion, causality, date and measures text."""
    evaluation = _evaluation(request, pk)
    require_edit(request.user, evaluation)
    initial = {"opinion": evaluation.opinion, "causality": evaluation.causality,
               "evaluated_on": evaluation.evaluated_on or timezone.localdate(), "measures": evaluation.measures}
    form = EvaluateForm(request.POST or None, user=request.user, versioned=evaluation, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        data = form.cleaned_data
        try:
            services.evaluation_evaluate(evaluation=evaluation, by=request.user, version=version, **data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("评价已保存"))
            return redirect("monitoring:evaluation_detail", pk=pk)
    return _form_page(request, {
        "form": form, "evaluation": evaluation, "title": _("评价"),
    })


@login_required
def evaluation_interview(request, pk: int):
    """措施：约谈 (recorded through the inspections services)."""
    evaluation = _evaluation(request, pk)
    require_edit(request.user, evaluation)
    enterprises = services.evaluation_enterprises(evaluation)
    form = InterviewMeasureForm(request.POST or None, user=request.user, enterprises=enterprises,
                                initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_interview_create(evaluation=evaluation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录约谈并关联到本评价"))
            return redirect("monitoring:evaluation_detail", pk=pk)
    return _form_page(request, {
        "form": form, "evaluation": evaluation, "title": _("约谈"), "no_enterprise": not enterprises.exists(),
    })


@login_required
def evaluation_inspection(request, pk: int):
    """措施：有因检查 (a draft created through the inspections services)."""
    evaluation = _evaluation(request, pk)
    require_edit(request.user, evaluation)
    enterprises = services.evaluation_enterprises(evaluation)
    form = InspectionMeasureForm(request.POST or None, user=request.user, enterprises=enterprises,
                                 initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.evaluation_inspection_create(evaluation=evaluation, by=request.user,
                                                               **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已建立有因检查草稿（%(u)s）并关联到本评价") % {
                "u": inspection.unit.display_name})
            return redirect("monitoring:evaluation_detail", pk=pk)
    return _form_page(request, {
        "form": form, "evaluation": evaluation, "title": _("有因检查"), "no_enterprise": not enterprises.exists(),
    })


@login_required
def evaluation_close(request, pk: int):
    evaluation = _evaluation(request, pk)
    require_edit(request.user, evaluation)
    form = CloseForm(request.POST or None, user=request.user, versioned=evaluation,
                     initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            services.evaluation_close(evaluation=evaluation, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("评价已关闭"))
            return redirect("monitoring:evaluation_detail", pk=pk)
    return _form_page(request, {
        "form": form, "evaluation": evaluation, "title": _("关闭评价"),
    })
