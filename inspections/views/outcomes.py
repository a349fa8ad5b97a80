"""Outcome pages (责令改正, 约谈, lists of outcomes) and the work lists (我的待办, the unit's list)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import UnitKind
from enterprises.models import Unit
from inspections import services
from inspections.deadlines import DRAFT_STALE_DAYS, due_soon_cutoff, parse_horizon
from inspections.filters import InterviewFilterSet, RectificationFilterSet, ReferralFilterSet
from inspections.forms import InterviewForm, RectificationCompleteForm, RectificationForm
from inspections.models import Attachment, Rectification
from inspections.selectors import (
    WORK_LIST_LIMIT,
    WORK_SECTIONS,
    inspection_detail_qs,
    interview_qs,
    rectification_qs,
    referral_qs,
    todo_for,
    unit_work_list,
    units_for,
    work_list_capped,
)
from inspections.work_sources import extra_work, only_overdue
from regsys import page_parts
from regsys.exports import export_start
from regsys.scoping import require_edit, require_unit, scope_for, scoped
from regsys.versioning import EditConflict

from .common import apply_errors, campaign_messages, list_page


def _whole_list(request) -> str | None:
    """``?all=<list>``: the 待办 list shown in full (the others keep their first rows)."""
    name = request.GET.get("all")
    return name if name in WORK_SECTIONS else None


def _query_without_all(request) -> str:
    params = request.GET.copy()
    params.pop("all", None)
    return params.urlencode()


@login_required
def todo(request):
    """我的待办, within the chosen horizon (``?horizon=7|30|all``; 7 days when not given)."""
    today = timezone.localdate()
    horizon = parse_horizon(request.GET.get("horizon"))
    whole = _whole_list(request)

    def lists() -> dict:
        work = work_list_capped(todo_for(request.user, today=today, horizon=horizon), whole=whole,
                                limit=WORK_LIST_LIMIT)
        extra = extra_work(request.user, unit=request.user.unit, personal=True,
                           due_by=due_soon_cutoff(today, horizon), today=today)
        return {"work": work, "today": today, "extra": extra, "horizon": horizon,
                "querystring": _query_without_all(request), "work_limit": WORK_LIST_LIMIT}

    return render(request, "inspections/todo.html", {
        "body": page_parts.rendered(request, "todo", "inspections/_todo_body.html", lists,
                                    vary=(horizon, whole, _query_without_all(request))),
        "horizons": [("7", _("7天内")), ("30", _("30天内")), ("all", _("全部"))],
        "horizon_key": "all" if horizon is None else str(horizon),
    })


@login_required
def unit_list(request):
    """本单位待办 — for a unit's chief (district-wide users pick the unit); ``?overdue=1``: 本单位逾期, only
    what is past its date (the extra sections too)."""
    today = timezone.localdate()
    scope = scope_for(request.user)
    units = units_for(request.user)
    unit = None
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isdigit():
        unit = units.filter(pk=unit_id).first()
    elif request.user.unit_id and "unit" not in request.GET and request.user.unit.kind != UnitKind.BUREAU:
        unit = request.user.unit  # the 区局 itself inspects nothing: its leaders and auditors start on 全区
    if not scope.district_wide:
        unit = request.user.unit
    overdue_only = request.GET.get("overdue") == "1"
    whole = _whole_list(request)

    def lists() -> dict:
        work = work_list_capped(unit_work_list(request.user, unit=unit, today=today, overdue_only=overdue_only),
                                whole=whole, limit=WORK_LIST_LIMIT)
        extra = extra_work(request.user, unit=unit, personal=False,
                           due_by=today - timedelta(days=1) if overdue_only else None, today=today)
        if overdue_only:
            extra = only_overdue(extra)
        return {"work": work, "today": today, "extra": extra, "unit": unit, "overdue_only": overdue_only,
                "querystring": _query_without_all(request), "work_limit": WORK_LIST_LIMIT}

    body = page_parts.rendered(request, "unit-list", "inspections/_unit_list_body.html", lists,
                               vary=(unit.pk if unit else "", overdue_only, whole, _query_without_all(request)))
    return render(request, "inspections/unit_list.html", {
        "body": body, "unit": unit, "units": units if scope.district_wide else Unit.objects.none(),
        "overdue_only": overdue_only, "stale_days": DRAFT_STALE_DAYS,
    })


@login_required
def rectification_form(request, pk: int):
    """Order or change the 责令改正 of an inspection (the follow-up is scheduled once)."""
    inspection = get_object_or_404(inspection_detail_qs(request.user), pk=pk)
    require_edit(request.user, inspection)
    rectification = getattr(inspection, "rectification", None)
    initial = {"ordered_on": inspection.start_date, "deadline": None, "requirements": ""}
    if rectification is not None:
        initial = {"ordered_on": rectification.ordered_on, "deadline": rectification.deadline,
                   "requirements": rectification.requirements}
    form = RectificationForm(request.POST or None, initial=initial, versioned=rectification)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            services.rectification_order(inspection=inspection, by=request.user, version=version,
                                         **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("责令改正已保存，跟踪检查已列入待办"))
            return redirect("inspections:detail", pk=pk)
    return render(request, "inspections/rectification_form.html", {
        "form": form, "inspection": inspection, "rectification": rectification, "title": _("责令改正"),
        "back_url": reverse("inspections:detail", args=[pk]),
    })


@login_required
def rectification_complete(request, pk: int):
    rectification = get_object_or_404(
        scoped(Rectification.objects.select_related("inspection__enterprise"), request.user), pk=pk
    )
    require_edit(request.user, rectification.inspection)
    form = RectificationCompleteForm(request.POST or None, request.FILES or None,
                                     initial={"completed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.rectification_complete(rectification=rectification, completed_on=data["completed_on"],
                                                evidence=data["evidence"], by=request.user)
                if data["files"]:
                    services.attachments_add(inspection=rectification.inspection, files=data["files"],
                                             kind=Attachment.Kind.EVIDENCE, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
            rectification.refresh_from_db()
        else:
            messages.success(request, _("已登记完成整改"))
            return redirect("inspections:detail", pk=rectification.inspection_id)
    return render(request, "inspections/rectification_complete.html", {
        "form": form, "rectification": rectification, "inspection": rectification.inspection,
        "title": _("登记完成整改"), "back_url": reverse("inspections:detail", args=[rectification.inspection_id]),
    })


@login_required
def rectification_list(request):
    qs = rectification_qs(request.user)
    return list_page(request, queryset=qs, filterset_class=RectificationFilterSet,
                     template="inspections/rectification_list.html", context={"units": units_for(request.user)})


@login_required
def rectification_export(request):
    return export_start(request, "rectifications")


@login_required
def interview_create(request, pk: int):
    inspection = get_object_or_404(inspection_detail_qs(request.user), pk=pk)
    require_unit(request.user, inspection.unit_id)
    today = timezone.localdate()
    form = InterviewForm(request.POST or None, user=request.user,
                         initial={"held_on": today, "persons": inspection.enterprise.person_in_charge})
    if not form.is_bound:
        form.preselect_campaigns(services.campaigns_default(enterprise=inspection.enterprise, on_date=today,
                                                            by=request.user, source=inspection))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = services.interview_create(
                enterprise=inspection.enterprise, inspection=inspection, by=request.user, held_on=data["held_on"],
                persons=data["persons"], record=data["record"], campaigns=form.campaigns_arg(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录约谈"))
            campaign_messages(request, interview)
            return redirect("inspections:detail", pk=pk)
    return render(request, "inspections/interview_form.html", {
        "form": form, "inspection": inspection, "title": _("约谈"), "enterprise": inspection.enterprise,
        "back_url": reverse("inspections:detail", args=[pk]),
    })


@login_required
def interview_list(request):
    return list_page(request, queryset=interview_qs(request.user), filterset_class=InterviewFilterSet,
                     template="inspections/interview_list.html", context={"units": units_for(request.user)})


@login_required
def interview_export(request):
    return export_start(request, "interviews")


@login_required
def referral_list(request):
    return list_page(request, queryset=referral_qs(request.user), filterset_class=ReferralFilterSet,
                     template="inspections/referral_list.html", context={"units": units_for(request.user)})


@login_required
def referral_export(request):
    return export_start(request, "referrals")
