"""Pages of production suspensions (停产/复产): list, detail with the rectification and 复产 forms, start.

Scoped like the enterprise: a 所 sees and changes only the suspensions of its enterprises.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprises import selectors
from enterprises.forms import add_service_errors
from enterprises.models import ProductionSuspension
from enterprises.suspension_filters import SuspensionFilterSet
from enterprises.suspension_forms import RectificationForm, ResumeForm, SuspensionStartForm
from enterprises.suspension_rules import long_suspension_days
from enterprises.suspensions import production_resume, suspension_record_rectification, suspension_start
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 25


def suspensions_for(user) -> QuerySet[ProductionSuspension]:
    """The suspensions ``user`` may see, open ones first, then the latest."""
    return scoped(ProductionSuspension.objects.select_related("enterprise", "enterprise__owning_unit"), user).order_by(
        F("resumed_on").asc(nulls_first=True), "-started_on", "-pk")


def filtered_suspensions(request) -> QuerySet[ProductionSuspension]:
    queryset = suspensions_for(request.user)
    filterset = SuspensionFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return queryset.none()
    return filterset.qs


@login_required
def suspension_list(request):
    """停产企业: open suspensions first; filters by unit, kind, open/closed, text; export."""
    queryset = suspensions_for(request.user)
    filterset = SuspensionFilterSet(request.GET or None, queryset=queryset, request=request)
    qs = filtered_suspensions(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "enterprises/suspensions/list.html", {
        "filter": filterset, "page": page, "query": params.urlencode(), "today": timezone.localdate(),
        "long_days": long_suspension_days(timezone.localdate()),
    })


@login_required
def suspension_export(request):
    return export_start(request, "suspensions")


def _suspension(request, pk: int) -> ProductionSuspension:
    return get_object_or_404(suspensions_for(request.user), pk=pk)


def _detail(request, suspension: ProductionSuspension, *, rectify_form=None, resume_form=None, status=200):
    today = timezone.localdate()
    editable = can_edit(request.user, suspension) and suspension.is_open
    if editable and rectify_form is None:
        rectify_form = RectificationForm(user=request.user, versioned=suspension, initial={
            "cause": suspension.cause, "rectification": suspension.rectification,
            "recorded_on": suspension.rectification_recorded_on or today})
    if editable and resume_form is None:
        resume_form = ResumeForm(user=request.user, versioned=suspension, initial={"resumed_on": today})
    return render(request, "enterprises/suspensions/detail.html", {
        "suspension": suspension, "enterprise": suspension.enterprise, "can_edit": editable,
        "rectify_form": rectify_form if editable else None, "resume_form": resume_form if editable else None,
        "days": ((suspension.resumed_on or today) - suspension.started_on).days, "long_days": long_suspension_days(today),
        "rectify_action": reverse("enterprises:suspension_rectify", args=[suspension.pk]),
        "resume_action": reverse("enterprises:suspension_resume", args=[suspension.pk]),
        "history": suspension.history.select_related("history_user").order_by("-history_date")[:20],
    }, status=status)


@login_required
def suspension_detail(request, pk: int):
    return _detail(request, _suspension(request, pk))


def rectify(request, suspension: ProductionSuspension, *, prefix: str | None = None) -> RectificationForm | None:
    """Handle a posted rectification form; None when saved, else the form with its errors.

    Shared with the disposal page of a failed sample (``monitoring.views.disposal``).
    """
    form = RectificationForm(request.POST, user=request.user, versioned=suspension, prefix=prefix)
    if form.is_valid():
        version = form.pop_version()
        data = form.cleaned_data
        try:
            suspension_record_rectification(
                suspension=suspension, cause=data["cause"], rectification=data["rectification"], by=request.user,
                recorded_on=data["recorded_on"], version=version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, _renamed(exc, {"rectification_recorded_on": "recorded_on"}))
        else:
            messages.success(request, _("已记录原因分析和整改情况"))
            return None
    return form


def resume(request, suspension: ProductionSuspension, *, prefix: str | None = None) -> ResumeForm | None:
    """Handle a posted 复产 form; None when saved, else the form with its errors (the refusal included)."""
    form = ResumeForm(request.POST, request.FILES, user=request.user, versioned=suspension, prefix=prefix)
    if form.is_valid():
        version = form.pop_version()
        data = form.cleaned_data
        try:
            production_resume(suspension=suspension, resumed_on=data["resumed_on"], by=request.user,
                              resume_report=data["resume_report"], note=data["note"], version=version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记复产，企业经营状态已改为在营"))
            return None
    return form


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


@login_required
@require_POST
def suspension_rectify(request, pk: int):
    suspension = _suspension(request, pk)
    require_edit(request.user, suspension)
    form = rectify(request, suspension)
    if form is None:
        return redirect("enterprises:suspension_detail", pk=pk)
    return _detail(request, suspension, rectify_form=form)


@login_required
@require_POST
def suspension_resume(request, pk: int):
    suspension = _suspension(request, pk)
    require_edit(request.user, suspension)
    form = resume(request, suspension)
    if form is None:
        return redirect("enterprises:suspension_detail", pk=pk)
    return _detail(request, suspension, resume_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def suspension_start_view(request, pk: int):
    """Start a voluntary or ordered suspension of an enterprise (from its detail page)."""
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    require_edit(request.user, enterprise)
    form = SuspensionStartForm(request.POST or None, user=request.user,
                               initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            suspension = suspension_start(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记停产，企业经营状态已改为停产"))
            return redirect("enterprises:suspension_detail", pk=suspension.pk)
    return render(request, "enterprises/suspensions/start.html", {"form": form, "enterprise": enterprise})
