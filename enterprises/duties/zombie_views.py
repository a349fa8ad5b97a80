"""Pages of the 僵尸企业 clean-up: candidates, cases (list, export, detail with the step forms), tallies."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.duties import zombie_services as services
from enterprises.duties.choices import ZombieReason, ZombieStage
from enterprises.duties.zombie_filters import ZombieCaseFilter
from enterprises.duties.zombie_forms import ClearForm, ConcludeForm, NoticeForm, VerifyForm
from enterprises.duties.zombie_selectors import (
    visible_units,
    zombie_candidates_for,
    zombie_cases_for,
    zombie_tallies_for,
)
from enterprises.grading.selectors import history_rows
from enterprises.grading.views import form_errors, style_form
from enterprises.models import Enterprise, ZombieCase
from regsys.exports import export_start
from regsys.scoping import can_edit, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 50
YEAR_MIN, YEAR_MAX = 2000, 2100


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year
    return year if YEAR_MIN <= year <= YEAR_MAX else timezone.localdate().year


@login_required
def candidate_list(request):
    """Enterprises the data make 僵尸企业 candidates of the year, with their reasons and the 核查 button."""
    year = _year(request)
    units = visible_units(request.user)
    unit = units.filter(pk=request.GET.get("unit")).first() if (request.GET.get("unit") or "").isdigit() else None
    reason = request.GET.get("reason") or ""
    rows = zombie_candidates_for(request.user, year, unit=unit)
    if reason in ZombieReason.values:
        rows = [(c, case) for c, case in rows if reason in c.reasons]
    if request.GET.get("open") == "1":
        rows = [(c, case) for c, case in rows if case is None]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enterprises/duties/zombies/candidates.html", {
        "year": year, "page": page, "query": query.urlencode(), "units": units, "unit": unit,
        "reasons": ZombieReason.choices, "reason": reason, "open_only": request.GET.get("open") == "1",
        "editable": {c.enterprise.pk for c, _case in page if can_edit(request.user, c.enterprise)},
    })


@login_required
@require_POST
def case_start(request):
    enterprise = get_object_or_404(scoped(Enterprise.objects.all(), request.user),
                                   pk=request.POST.get("enterprise") if (request.POST.get("enterprise") or "")
                                   .isdigit() else None)
    year = _year(request)
    try:
        case = services.zombie_case_start(enterprise=enterprise, year=year, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('enterprises:zombie_candidates')}?year={year}")
    messages.success(request, _("已发起核查：%(e)s") % {"e": enterprise.name})
    return redirect("enterprises:zombie_case_detail", pk=case.pk)


def _filtered_cases(request):
    filterset = ZombieCaseFilter(request.GET, queryset=zombie_cases_for(request.user), request=request)
    filterset.form.fields["unit"].queryset = visible_units(request.user)
    style_form(filterset.form)
    return filterset


@login_required
def case_list(request):
    filterset = _filtered_cases(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enterprises/duties/zombies/case_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
    })


@login_required
def case_export(request):
    return export_start(request, "zombie_cases")


def _forms(case: ZombieCase, user, data=None, files=None, which: str | None = None) -> dict:
    """The step forms the case's stage allows; ``which`` is bound to the posted data."""
    forms = {}
    if case.stage == ZombieStage.VERIFYING:
        forms["verify"] = VerifyForm(data if which == "verify" else None, versioned=case, user=user,
                                     initial={"verified_on": case.verified_on, "verification": case.verification})
    if case.verified_on and case.stage == ZombieStage.VERIFYING:
        forms["notify"] = NoticeForm(data if which == "notify" else None, versioned=case, user=user)
    if case.stage == ZombieStage.NOTIFIED:
        forms["clear"] = ClearForm(data if which == "clear" else None, files if which == "clear" else None,
                                   versioned=case, user=user)
    if case.verified_on and case.stage in (ZombieStage.VERIFYING, ZombieStage.NOTIFIED):
        forms["conclude"] = ConcludeForm(data if which == "conclude" else None, versioned=case, user=user)
    for step, form in forms.items():
        form.auto_id = f"id_{step}_%s"  # several forms on one page: unique ids
        style_form(form)
        for name in ("verification", "note"):
            if name in form.fields:
                form.fields[name].widget.attrs["rows"] = 3
    return forms


def _render_detail(request, case: ZombieCase, forms: dict, status: int = 200):
    history = history_rows(case.history.select_related("history_user")[:50], ZombieCase, skip=("reasons",))
    return render(request, "enterprises/duties/zombies/case_detail.html", {
        # a namespace, not a dict: the template's ``forms.clear`` would call dict.clear()
        "case": case, "forms": SimpleNamespace(**(forms if can_edit(request.user, case) else {})),
        "reasons": [(code, dict(ZombieReason.choices).get(code, code)) for code in case.reasons],
        "history": history, "status_changes": case.enterprise.status_changes.select_related("changed_by")[:10],
    }, status=status)


@login_required
def case_detail(request, pk: int):
    case = get_object_or_404(zombie_cases_for(request.user), pk=pk)
    return _render_detail(request, case, _forms(case, request.user))


STEPS = {
    "verify": (lambda case, d, by, v: services.zombie_case_verify(
        case=case, verified_on=d["verified_on"], verification=d["verification"], by=by, version=v),
        _("已登记核查情况")),
    "notify": (lambda case, d, by, v: services.zombie_case_notify(
        case=case, notice_kind=d["notice_kind"], notice_on=d["notice_on"], notice_ref=d["notice_ref"], by=by,
        version=v), _("已登记告知/公告")),
    "clear": (lambda case, d, by, v: services.zombie_case_clear(
        case=case, clearance_kind=d["clearance_kind"], decision_no=d["decision_no"], decision_on=d["decision_on"],
        evidence=d.get("evidence"), by=by, version=v), _("已登记注销/取消备案，企业名录状态已改为注销")),
    "conclude": (lambda case, d, by, v: services.zombie_case_conclude(
        case=case, outcome=d["outcome"], decided_on=d["decided_on"], note=d["note"], by=by, version=v),
        _("已办结")),
}


@login_required
@require_POST
def case_step(request, pk: int, step: str):
    """One step of the workflow (核查 / 告知 / 注销 / 办结) posted from the detail page."""
    if step not in STEPS:
        raise Http404(step)
    case = get_object_or_404(zombie_cases_for(request.user), pk=pk)
    forms = _forms(case, request.user, request.POST, request.FILES, which=step)
    form = forms.get(step)
    if form is None:
        messages.error(request, _("本案当前为“%(s)s”，不能办理此步骤") % {"s": case.get_stage_display()})
        return redirect("enterprises:zombie_case_detail", pk=case.pk)
    if form.is_valid():
        version = form.pop_version()
        service, done = STEPS[step]
        try:
            service(case, form.cleaned_data, request.user, version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("enterprises:zombie_case_detail", pk=case.pk)
    case.refresh_from_db()
    return _render_detail(request, case, forms, status=400)


@login_required
def case_evidence(request, pk: int):
    """The uploaded decision/evidence file of a case the user may see."""
    case = get_object_or_404(zombie_cases_for(request.user), pk=pk)
    if not case.evidence:
        raise Http404("evidence")
    return FileResponse(case.evidence.open("rb"), as_attachment=True,
                        filename=case.evidence.name.rsplit("/", 1)[-1])


@login_required
def tallies(request):
    """清理一批 / 规范一批 / 提升一批 per 所 for the year, with the candidates still to verify."""
    year = _year(request)
    return render(request, "enterprises/duties/zombies/tallies.html", {
        "year": year, "rows": zombie_tallies_for(request.user, year), "years": range(year - 2, year + 2),
    })
