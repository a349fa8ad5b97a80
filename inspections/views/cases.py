"""Case pages: list, export, open (立案), detail, lifecycle steps, decision, referrals."""

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

from enterprises.models import Enterprise
from inspections import services
from inspections.choices import CaseStatus
from inspections.filters import CaseFilterSet
from inspections.forms import (
    CaseAdvanceForm,
    CaseDecisionForm,
    CaseForm,
    PenalisedPersonFormSet,
    ReferralForm,
)
from inspections.models import Referral
from inspections.selectors import case_history, case_qs, inspection_qs, units_for
from regsys.exports import export_start
from regsys.scoping import can_edit, require_edit, require_unit, require_write, scoped
from regsys.versioning import EditConflict

from .common import apply_errors, campaign_messages, list_page


@login_required
def case_list(request):
    return list_page(request, queryset=case_qs(request.user), filterset_class=CaseFilterSet,
                     template="inspections/case_list.html", context={"units": units_for(request.user)})


@login_required
def case_export(request):
    return export_start(request, "cases")


@login_required
def case_create(request):
    """立案, from an inspection (?inspection=) or for an enterprise (?enterprise=)."""
    require_write(request.user)
    source = None
    enterprise = None
    initial = {"filed_on": timezone.localdate(), "handlers": [request.user.pk]}
    inspection_id = request.GET.get("inspection") or request.POST.get("inspection")
    if inspection_id and str(inspection_id).isdigit():
        source = inspection_qs(request.user).filter(pk=inspection_id).first()
        if source is None:
            raise Http404
        enterprise = source.enterprise
        initial["enterprise"] = enterprise.pk
        initial["campaigns"] = [c.pk for c in source.campaigns.all()]
    elif (request.GET.get("enterprise") or "").isdigit():
        enterprise = scoped(Enterprise.objects.all(), request.user).filter(pk=request.GET["enterprise"]).first()
        if enterprise:
            initial["enterprise"] = enterprise.pk
    form = CaseForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                enterprise=data["enterprise"], filed_on=data["filed_on"], procedure=data["procedure"],
                violation=data["violation"], legal_basis=data["legal_basis"], number=data["number"],
                handlers=list(data["handlers"]), campaigns=list(data["campaigns"]), source_inspection=source,
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已立案：%(n)s") % {"n": case.number})
            return redirect("inspections:case_detail", pk=case.pk)
    if form.is_bound:
        enterprise = form.cleaned_data.get("enterprise") or enterprise
    return render(request, "inspections/case_form.html",
                  {"form": form, "source": source, "enterprise": enterprise, "case": None})


def _case(request, pk: int):
    return get_object_or_404(case_qs(request.user), pk=pk)


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk)
    options = services.next_case_statuses(case)
    advance_options = [s for s in options if s != CaseStatus.DECIDED]
    today = timezone.localdate()
    return render(request, "inspections/case_detail.html", {
        "case": case, "can_edit": can_edit(request.user, case), "history": case_history(case),
        "advance_form": CaseAdvanceForm(options=advance_options, initial={"on_date": today})
        if advance_options else None,
        "can_decide": CaseStatus.DECIDED in options or case.status == CaseStatus.DECIDED,
        "referrals": case.referrals.all(),
        "steps": [(CaseStatus(status).label, getattr(case, field), status == case.status)
                  for status, field in services.CASE_STEPS],
        "persons_total": sum(p.fine_amount for p in case.penalised_persons.all()),
    })


@login_required
def case_edit(request, pk: int):
    case = _case(request, pk)
    require_edit(request.user, case)
    initial = {"procedure": case.procedure, "filed_on": case.filed_on, "violation": case.violation,
               "legal_basis": case.legal_basis, "handlers": [u.pk for u in case.handlers.all()],
               "campaigns": [c.pk for c in case.campaigns.all()]}
    form = CaseForm(request.POST or None, user=request.user, editing=True, initial=initial, versioned=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(case=case, by=request.user, version=form.pop_version(),
                                 procedure=data["procedure"], filed_on=data["filed_on"],
                                 violation=data["violation"], legal_basis=data["legal_basis"],
                                 handlers=list(data["handlers"]), campaigns=list(data["campaigns"]))
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("inspections:case_detail", pk=pk)
    return render(request, "inspections/case_form.html",
                  {"form": form, "case": case, "enterprise": case.enterprise, "source": case.source_inspection})


@login_required
@require_POST
def case_advance(request, pk: int):
    case = _case(request, pk)
    form = CaseAdvanceForm(request.POST, options=services.next_case_statuses(case))
    if form.is_valid():
        try:
            services.case_advance(case=case, to_status=form.cleaned_data["to_status"],
                                  on_date=form.cleaned_data["on_date"], by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("案件已转入“%(s)s”") % {"s": case.get_status_display()})
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("inspections:case_detail", pk=pk)


@login_required
def case_decide(request, pk: int):
    case = _case(request, pk)
    require_edit(request.user, case)
    initial = {"decided_on": case.decided_on or timezone.localdate(), "decision_number": case.decision_number,
               "fine_amount": case.fine_amount, "confiscation_amount": case.confiscation_amount,
               "suspension_ordered": case.suspension_ordered, "revoked_licence": case.revoked_licence_id,
               "listed_serious_dishonest": case.listed_serious_dishonest}
    form = CaseDecisionForm(request.POST or None, enterprise=case.enterprise, user=request.user, initial=initial)
    persons_initial = [{"name": p.name, "position": p.position, "fine_amount": p.fine_amount}
                       for p in case.penalised_persons.all()]
    persons = PenalisedPersonFormSet(request.POST or None, prefix="persons", initial=persons_initial)
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        rows = [row for row in (f.to_input() for f in persons.forms) if row is not None]
        try:
            services.case_decide(case=case, by=request.user, persons=rows, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            case.refresh_from_db()
        else:
            messages.success(request, _("处罚决定已保存"))
            return redirect("inspections:case_detail", pk=pk)
    return render(request, "inspections/case_decide.html", {"form": form, "persons": persons, "case": case})


@login_required
def referral_create(request):
    """移送/移交 for a case (?case=) or an inspection (?inspection=)."""
    case = None
    inspection = None
    case_id = request.GET.get("case") or ""
    inspection_id = request.GET.get("inspection") or ""
    if case_id.isdigit():
        case = get_object_or_404(case_qs(request.user), pk=case_id)
        enterprise = case.enterprise
    elif inspection_id.isdigit():
        inspection = get_object_or_404(inspection_qs(request.user), pk=inspection_id)
        enterprise = inspection.enterprise
    else:
        raise Http404
    require_unit(request.user, (case or inspection).unit_id)
    today = timezone.localdate()
    form = ReferralForm(request.POST or None, user=request.user, initial={"referred_on": today})
    if not form.is_bound:
        form.preselect_campaigns(services.campaigns_default(enterprise=enterprise, on_date=today, by=request.user,
                                                            source=case or inspection))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                enterprise=enterprise, case=case, inspection=inspection, by=request.user, target=data["target"],
                referred_on=data["referred_on"], note=data["note"], campaigns=form.campaigns_arg(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记移送"))
            campaign_messages(request, referral)
            if case:
                return redirect("inspections:case_detail", pk=case.pk)
            return redirect("inspections:detail", pk=inspection.pk)
    back_url = (reverse("inspections:case_detail", args=[case.pk]) if case
                else reverse("inspections:detail", args=[inspection.pk]))
    return render(request, "inspections/referral_form.html", {
        "form": form, "case": case, "inspection": inspection, "enterprise": enterprise,
        "title": _("移送/移交"), "back_url": back_url,
    })


@login_required
@require_POST
def referral_delete(request, pk: int):
    referral = get_object_or_404(scoped(Referral.objects.all(), request.user), pk=pk)
    case_id, inspection_id = referral.case_id, referral.inspection_id
    try:
        services.referral_delete(referral=referral, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    if case_id:
        return redirect("inspections:case_detail", pk=case_id)
    if inspection_id:
        return redirect("inspections:detail", pk=inspection_id)
    return redirect("inspections:referral_list")
