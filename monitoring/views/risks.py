"""Pages of the quarterly risk consultation (风险会商) and its register (风险清单)."""

from __future__ import annotations

import datetime
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from inspections.selectors import history_of
from inspections.views.common import apply_errors, list_page
from monitoring import risk_selectors as selectors
from monitoring.access import is_ae_manager, require_ae_manager
from monitoring.choices import RiskStatus
from monitoring.models import Risk
from monitoring.risk_filters import MeetingFilterSet, RiskFilterSet
from monitoring.risk_forms import (
    ClosureApproveForm,
    ClosureRequestForm,
    ClosureReturnForm,
    DismissForm,
    FollowUpForm,
    MeetingForm,
    RiskForm,
)
from monitoring.services import risks as services
from regsys.exports import export_start
from regsys.scoping import can_edit, referable, scope_for, scoped
from regsys.versioning import EditConflict


def _meeting(request, pk: int):
    return get_object_or_404(selectors.meetings_for(request.user), pk=pk)


def _risk(request, pk: int) -> Risk:
    return get_object_or_404(selectors.risks_for(request.user), pk=pk)


def _file(field, name: str):
    """A stored file, served only after the caller's scoped lookup (never through a media URL)."""
    if not field:
        raise Http404
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    ext = field.name.rsplit(".", 1)[-1] if "." in field.name else ""
    response = FileResponse(field.open("rb"), content_type=content_type, as_attachment=not inline,
                            filename=f"{name}.{ext}" if ext else name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- meetings

@login_required
def meeting_list(request):
    queryset = selectors.meetings_for(request.user).annotate(risk_count=Count("risks")).order_by(
        "-year", "-quarter", "-held_on", "-id")
    return list_page(request, queryset=queryset, filterset_class=MeetingFilterSet, template="monitoring/risk_meeting_list.html",
                     context={"can_manage": is_ae_manager(request.user)})


def _meeting_form_page(request, form, meeting=None):
    back = reverse("monitoring:risk_meeting_detail", args=[meeting.pk]) if meeting else reverse(
        "monitoring:risk_meeting_list")
    return render(request, "inspections/_simple_form.html", {
        "form": form, "title": _("修改风险会商") if meeting else _("新建风险会商"), "back_url": back})


@login_required
def meeting_create(request):
    require_ae_manager(request.user)
    today = timezone.localdate()
    previous = (today.replace(day=1) - datetime.timedelta(days=1)) if today.month in (1, 4, 7, 10) else today
    year, quarter = selectors.quarter_of(previous)
    form = MeetingForm(request.POST or None, request.FILES or None, user=request.user,
                       initial={"year": year, "quarter": quarter, "held_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("风险会商已保存"))
            return redirect("monitoring:risk_meeting_detail", pk=meeting.pk)
    return _meeting_form_page(request, form)


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk)
    require_ae_manager(request.user)
    initial = {"year": meeting.year, "quarter": meeting.quarter, "held_on": meeting.held_on, "chair": meeting.chair,
               "units": list(meeting.units.all()), "other_participants": meeting.other_participants,
               "summary": meeting.summary, "next_steps": meeting.next_steps}
    form = MeetingForm(request.POST or None, request.FILES or None, user=request.user, versioned=meeting,
                       initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            services.meeting_save(meeting=meeting, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("风险会商已保存"))
            return redirect("monitoring:risk_meeting_detail", pk=pk)
    return _meeting_form_page(request, form, meeting)


@login_required
def meeting_detail(request, pk: int):
    """The meeting, its candidates grouped by source (the 药械科 accepts or dismisses), and its register."""
    meeting = _meeting(request, pk)
    today = timezone.localdate()
    manager = is_ae_manager(request.user)
    candidates = selectors.meeting_candidates(meeting, today=today) if manager else []
    visible = selectors.risks_for(request.user)
    return render(request, "monitoring/risk_meeting_detail.html", {
        "meeting": meeting, "can_manage": manager, "groups": selectors.candidate_groups(candidates),
        "candidate_count": len(candidates),
        "new_risks": selectors.risks_new_in(visible, year=meeting.year, quarter=meeting.quarter),
        "carried": selectors.risks_carried_into(visible, year=meeting.year, quarter=meeting.quarter),
        "dismissals": selectors.meeting_dismissals(meeting) if manager else [],
        "dismiss_form": DismissForm(user=request.user) if manager else None,
        "history": history_of(meeting), "today": today,
    })


@login_required
def meeting_minutes(request, pk: int):
    meeting = _meeting(request, pk)
    return _file(meeting.minutes, f"{meeting.year}年第{meeting.quarter}季度风险会商纪要")


def _accept_page(request, meeting, form, *, candidate=None, manual=False, risk=None):
    enterprise = None
    value = form["enterprise"].value()
    if value:
        enterprise = (referable(Enterprise.objects.all(), request.user).filter(pk=value).first()
                      if str(value).isdigit() else None)
    return render(request, "monitoring/risk_accept.html", {
        "form": form, "meeting": meeting, "candidate": candidate, "manual": manual, "enterprise": enterprise,
        "risk": risk, "title": _("修改风险") if risk else _("录入上级通报等风险") if manual else _("纳入风险清单"),
        "back_url": reverse("monitoring:risk_detail", args=[risk.pk]) if risk
        else reverse("monitoring:risk_meeting_detail", args=[meeting.pk]),
    })


@login_required
def candidate_accept(request, pk: int):
    """纳入: the candidate named by ``?candidate=<identity>``, prefilled; the 药械科 sets level and measures."""
    meeting = _meeting(request, pk)
    require_ae_manager(request.user)
    identity = request.POST.get("candidate") or request.GET.get("candidate") or ""
    candidate = selectors.meeting_candidate(meeting, identity, today=timezone.localdate())
    if candidate is None:
        messages.warning(request, _("该候选风险已纳入清单、已标记为不纳入，或已不在本季度候选范围内"))
        return redirect("monitoring:risk_meeting_detail", pk=pk)
    initial = {"risk_point": candidate.title, "level": candidate.suggested_level,
               "enterprise": candidate.enterprise_id, "product": candidate.product,
               "owner_unit": candidate.unit_id,
               "due_on": timezone.localdate() + datetime.timedelta(days=90)}
    form = RiskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(meeting=meeting, by=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已纳入风险清单：%(p)s") % {"p": risk.risk_point})
            return redirect("monitoring:risk_meeting_detail", pk=pk)
    return _accept_page(request, meeting, form, candidate=candidate)


@login_required
def risk_create_manual(request, pk: int):
    """A risk without a candidate: 上级通报 (or 其他), entered at the meeting."""
    meeting = _meeting(request, pk)
    require_ae_manager(request.user)
    form = RiskForm(request.POST or None, user=request.user, manual=True,
                    initial={"due_on": timezone.localdate() + datetime.timedelta(days=90)})
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已纳入风险清单：%(p)s") % {"p": risk.risk_point})
            return redirect("monitoring:risk_meeting_detail", pk=pk)
    return _accept_page(request, meeting, form, manual=True)


@login_required
@require_POST
def candidate_dismiss(request, pk: int):
    meeting = _meeting(request, pk)
    require_ae_manager(request.user)
    form = DismissForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请填写不纳入的理由"))
        return redirect("monitoring:risk_meeting_detail", pk=pk)
    candidate = selectors.meeting_candidate(meeting, form.cleaned_data["identity"], today=timezone.localdate())
    if candidate is None:
        messages.warning(request, _("该候选风险已纳入清单、已标记为不纳入，或已不在本季度候选范围内"))
        return redirect("monitoring:risk_meeting_detail", pk=pk)
    try:
        services.candidate_dismiss(meeting=meeting, candidate=candidate, reason=form.cleaned_data["reason"],
                                   by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已标记为不纳入：%(t)s") % {"t": candidate.title})
    return redirect("monitoring:risk_meeting_detail", pk=pk)


@login_required
@require_POST
def candidate_restore(request, pk: int, dismissal_pk: int):
    meeting = _meeting(request, pk)
    require_ae_manager(request.user)
    dismissal = get_object_or_404(meeting.dismissals, pk=dismissal_pk)
    services.candidate_restore(dismissal=dismissal, by=request.user)
    messages.success(request, _("已撤销不纳入：%(t)s") % {"t": dismissal.title})
    return redirect("monitoring:risk_meeting_detail", pk=pk)


# ---------------------------------------------------------------- the register

@login_required
def risk_list(request):
    today = timezone.localdate()
    return list_page(request, queryset=selectors.risks_for(request.user), filterset_class=RiskFilterSet,
                     template="monitoring/risk_list.html",
                     context={"export_url": reverse("monitoring:risk_export"), "today": today,
                              "current_period": selectors.quarter_of(today)})


@login_required
def risk_export(request):
    return export_start(request, "risks")


@login_required
def risk_detail(request, pk: int):
    risk = _risk(request, pk)
    today = timezone.localdate()
    editable = can_edit(request.user, risk) and risk.status != RiskStatus.CLOSED
    scope = scope_for(request.user)
    approvable = scope.can_approve and risk.status == RiskStatus.CLOSING
    return render(request, "monitoring/risk_detail.html", {
        "risk": risk, "follow_ups": selectors.follow_ups_of(risk), "history": history_of(risk), "today": today,
        "overdue": selectors.risk_is_overdue(risk, today=today),
        "carried": selectors.risk_is_carried(risk, today=today),
        "can_manage": is_ae_manager(request.user) and risk.status != RiskStatus.CLOSED,
        "follow_up_form": FollowUpForm(user=request.user, initial={"on": today}) if editable else None,
        "closure_form": ClosureRequestForm(user=request.user, versioned=risk)
        if editable and risk.status == RiskStatus.OPEN else None,
        "approve_form": ClosureApproveForm(user=request.user, versioned=risk, initial={"closed_on": today})
        if approvable else None,
        "return_form": ClosureReturnForm(user=request.user, versioned=risk) if approvable else None,
    })


@login_required
def risk_edit(request, pk: int):
    risk = _risk(request, pk)
    require_ae_manager(request.user)
    initial = {"risk_point": risk.risk_point, "level": risk.level, "enterprise": risk.enterprise_id,
               "product": risk.product, "owner_unit": risk.owner_unit_id, "measures": risk.measures,
               "due_on": risk.due_on, "escalated": risk.escalated, "key_supervision": risk.key_supervision}
    form = RiskForm(request.POST or None, user=request.user, versioned=risk, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            services.risk_update(risk=risk, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("风险已保存"))
            return redirect("monitoring:risk_detail", pk=pk)
    return _accept_page(request, risk.meeting, form, risk=risk)


def _post_action(request, risk, form, action, success: str):
    if form.is_valid():
        data = dict(form.cleaned_data)
        if hasattr(form, "pop_version") and "version" in form.fields:
            data["version"] = form.pop_version()
        try:
            action(risk=risk, by=request.user, **data)
        except EditConflict as exc:
            messages.error(request, exc.summary)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, success)
    else:
        messages.error(request, "；".join(_error_lines(form)))
    return redirect("monitoring:risk_detail", pk=risk.pk)


def _error_lines(form) -> list[str]:
    """A refused action form's errors as lines of a message (the form itself is not shown again)."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        lines.append(f"{label}：{'，'.join(errors)}" if label else "，".join(errors))
    return lines


@login_required
@require_POST
def risk_follow_up(request, pk: int):
    risk = _risk(request, pk)
    form = FollowUpForm(request.POST, request.FILES, user=request.user)
    return _post_action(request, risk, form, services.risk_follow_up_add, _("管控进展已记录"))


@login_required
@require_POST
def risk_closure_request(request, pk: int):
    risk = _risk(request, pk)
    form = ClosureRequestForm(request.POST, request.FILES, user=request.user, versioned=risk)
    if form.is_valid():
        form.cleaned_data["note"] = form.cleaned_data.pop("closure_note")
        form.cleaned_data["evidence"] = form.cleaned_data.pop("closure_evidence")
    return _post_action(request, risk, form, services.risk_closure_request, _("已申请销号，等待审批"))


@login_required
@require_POST
def risk_closure_approve(request, pk: int):
    risk = _risk(request, pk)
    form = ClosureApproveForm(request.POST, user=request.user, versioned=risk)
    return _post_action(request, risk, form, services.risk_closure_approve, _("已审批同意销号"))


@login_required
@require_POST
def risk_closure_return(request, pk: int):
    risk = _risk(request, pk)
    form = ClosureReturnForm(request.POST, user=request.user, versioned=risk)
    return _post_action(request, risk, form, services.risk_closure_return, _("已退回销号申请"))


@login_required
def risk_evidence(request, pk: int):
    risk = _risk(request, pk)
    return _file(risk.closure_evidence, f"销号佐证-{risk.pk}")


@login_required
def follow_up_file(request, pk: int, entry_pk: int):
    risk = _risk(request, pk)
    entry = get_object_or_404(scoped(risk.follow_ups.all(), request.user), pk=entry_pk)
    return _file(entry.file, f"管控进展-{entry.on:%Y%m%d}")
