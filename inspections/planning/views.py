"""Planning pages: due dates, annual plans and their items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.grading.choices import DUE_STATUS_COLOURS, DueStatus, Sector
from enterprises.grading.selectors import history_rows, scheme_of, visible_units
from enterprises.grading.views import form_errors, style_form
from enterprises.models import Enterprise, EnterpriseGrade, User
from inspections.choices import InspectionKind
from inspections.models import Inspection, PlanItem
from inspections.planning import services
from inspections.planning.due import decorate, due_status_q
from inspections.planning.filters import PlanFilter, PlanItemFilter
from inspections.planning.forms import (
    GenerateForm,
    LinkInspectionForm,
    PlanItemAddForm,
    PlanItemForm,
    ReturnForm,
)
from inspections.planning.generate import plan_generate
from inspections.planning.selectors import due_grades_for, items_for, linkable_inspections, plans_for
from regsys.exports import export_start
from regsys.scoping import scope_for, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 50


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- due dates --------------------------------------------------------------------------------

DUE_ORDERINGS = {
    "last": (F("last_inspected").asc(nulls_first=True), "enterprise__name", "sector"),
    "-last": (F("last_inspected").desc(nulls_last=True), "enterprise__name", "sector"),
    "enterprise": ("enterprise__name", "sector"),
    "unit": ("enterprise__owning_unit__sort_order", "enterprise__name", "sector"),
    "level": ("sector", "-level__rank", "enterprise__name"),
}
DUE_ORDERING_LABELS = [("last", "上次检查（最早在前）"), ("-last", "上次检查（最近在前）"), ("enterprise", "企业名称"),
                       ("unit", "监管单位"), ("level", "环节与等级")]


def _due_rows(request):
    year = _year(request)
    scheme = scheme_of(year)
    if scheme is None:
        return year, None, EnterpriseGrade.objects.none(), {}
    today = timezone.localdate()
    qs = due_grades_for(request.user, scheme)
    params = {k: request.GET.get(k, "") for k in ("q", "unit", "sector", "level", "status", "o")}
    if params["q"]:
        qs = qs.filter(enterprise__name__icontains=params["q"])
    if params["unit"].isdigit():
        qs = qs.filter(enterprise__owning_unit_id=int(params["unit"]))
    if params["sector"] in Sector.values:
        qs = qs.filter(sector=params["sector"])
    if params["level"]:
        qs = qs.filter(level__code=params["level"])
    if params["status"] in DueStatus.values:
        qs = qs.filter(due_status_q(params["status"], scheme, today))
    order = DUE_ORDERINGS.get(params["o"], DUE_ORDERINGS["last"])
    return year, scheme, qs.order_by(*order), params


@login_required
def due_list(request):
    """Every graded enterprise's next-due date and status, filterable by status."""
    year, scheme, qs, params = _due_rows(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = decorate(page.object_list, scheme, timezone.localdate()) if scheme else []
    return render(request, "inspections/planning/due_list.html", {
        "year": year, "scheme": scheme, "page": page, "rows": rows, "params": params, "query": _query(request),
        "units": visible_units(request.user), "sectors": Sector.choices,
        "statuses": [(s.value, s.label, DUE_STATUS_COLOURS[s]) for s in DueStatus],
        "orderings": DUE_ORDERING_LABELS,
        "kind_labels": "、".join(str(InspectionKind(k).label) for k in scheme.qualifying_kind_list
                                 if k in InspectionKind.values) if scheme else "",
    })


@login_required
def due_export(request):
    return export_start(request, "planning_due")


@login_required
def enterprise_panel(request, pk: int):
    """The grading/due panel of one enterprise (loaded into the enterprise detail page)."""
    enterprise = get_object_or_404(scoped(Enterprise.objects.all(), request.user), pk=pk)
    year = timezone.localdate().year
    scheme = scheme_of(year)
    rows = []
    if scheme:
        rows = decorate(due_grades_for(request.user, scheme).filter(enterprise=enterprise), scheme,
                        timezone.localdate())
    history = EnterpriseGrade.objects.filter(enterprise=enterprise, year__lt=year).select_related("level")[:10]
    items = items_for(request.user).filter(enterprise=enterprise, plan__year=year)
    return render(request, "inspections/planning/_enterprise_panel.html", {
        "enterprise": enterprise, "rows": rows, "history": history, "items": items, "year": year,
    })


# --- plans ------------------------------------------------------------------------------------


def _plans_filter(request):
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    filterset = PlanFilter(data, queryset=plans_for(request.user))
    filterset.form.fields["unit"].queryset = visible_units(request.user)
    style_form(filterset.form)
    return filterset


@login_required
def plan_list(request):
    filterset = _plans_filter(request)
    form = style_form(GenerateForm(units=visible_units(request.user), user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/planning/plan_list.html", {
        "filter": filterset, "page": page, "form": form, "query": _query(request),
    })


@login_required
def plan_export(request):
    return export_start(request, "plans")


@login_required
@require_POST
def plan_generate_view(request):
    form = GenerateForm(request.POST, units=visible_units(request.user), user=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择单位和年度"))
        return redirect("planning:plan_list")
    unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    try:
        result = plan_generate(unit=unit, year=year, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('planning:plan_list')}?year={year}")
    messages.success(request, f"{unit.display_name} {year}年：{result}")
    return redirect("planning:plan_detail", pk=result.routine.pk)


def _officers_for(plan):
    return User.objects.filter(unit=plan.unit, is_active=True).order_by("username")


def _items_filter(request, plan):
    filterset = PlanItemFilter(request.GET, queryset=items_for(request.user).filter(plan=plan))
    for name in ("plan", "year", "unit"):
        filterset.form.fields.pop(name, None)
    style_form(filterset.form)
    return filterset


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(plans_for(request.user), pk=pk)
    filterset = _items_filter(request, plan)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    add_form = style_form(PlanItemAddForm(
        officers=_officers_for(plan), enterprises=scoped(Enterprise.objects.all(), request.user)
    ))
    siblings = plans_for(request.user).filter(unit=plan.unit, year=plan.year).exclude(pk=plan.pk)
    return render(request, "inspections/planning/plan_detail.html", {
        "plan": plan, "filter": filterset, "page": page, "query": _query(request), "add_form": add_form,
        "return_form": style_form(ReturnForm()), "siblings": siblings,
        "history": plan.history.select_related("history_user")[:20],
        "can_edit": plan.is_editable and scope_for(request.user).can_write,
    })


@login_required
def plan_items_export(request, pk: int):
    get_object_or_404(plans_for(request.user), pk=pk)  # another unit's plan: 404 here, nothing filed
    return export_start(request, "plan_items", pk=pk)


def _plan_action(request, pk: int, action, success: str):
    plan = get_object_or_404(plans_for(request.user), pk=pk)
    try:
        action(plan)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_submit(request, pk: int):
    return _plan_action(request, pk, lambda p: services.plan_submit(plan=p, by=request.user), _("已提交审批"))


@login_required
@require_POST
def plan_approve(request, pk: int):
    return _plan_action(request, pk, lambda p: services.plan_approve(plan=p, by=request.user), _("计划已批准"))


@login_required
@require_POST
def plan_return(request, pk: int):
    reason = request.POST.get("reason", "")
    return _plan_action(request, pk, lambda p: services.plan_return(plan=p, reason=reason, by=request.user),
                        _("计划已退回修改"))


@login_required
@require_POST
def plan_autolink(request, pk: int):
    plan = get_object_or_404(plans_for(request.user), pk=pk)
    count = services.plan_items_autolink(plans=[plan], by=request.user)
    messages.success(request, _("已关联 %(n)s 次检查") % {"n": count})
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
@require_POST
def item_add(request, pk: int):
    plan = get_object_or_404(plans_for(request.user), pk=pk)
    form = style_form(PlanItemAddForm(request.POST, user=request.user, officers=_officers_for(plan),
                                      enterprises=scoped(Enterprise.objects.all(), request.user)))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_item_create(
                plan=plan, enterprise=data["enterprise"], kind=data["kind"], target_month=data["target_month"],
                target_quarter=data["target_quarter"], officers=list(data["officers"]), note=data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已添加计划项"))
            return redirect("planning:plan_detail", pk=plan.pk)
    filterset = _items_filter(request, plan)
    return render(request, "inspections/planning/plan_detail.html", {
        "plan": plan, "filter": filterset, "page": Paginator(filterset.qs, PAGE_SIZE).get_page(1),
        "query": "", "add_form": form, "return_form": style_form(ReturnForm()),
        "siblings": plans_for(request.user).filter(unit=plan.unit, year=plan.year).exclude(pk=plan.pk),
        "history": plan.history.select_related("history_user")[:20],
        "can_edit": plan.is_editable and scope_for(request.user).can_write,
    }, status=400)


@login_required
def item_edit(request, pk: int):
    item = get_object_or_404(items_for(request.user), pk=pk)
    initial = {"kind": item.kind, "target_month": item.target_month, "target_quarter": item.target_quarter,
               "officers": list(item.officers.all()), "note": item.note}
    form = style_form(PlanItemForm(request.POST or None, initial=initial, officers=_officers_for(item.plan),
                                   versioned=item, user=request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_item_update(
                    item=item, kind=data["kind"], target_month=data["target_month"],
                    target_quarter=data["target_quarter"], officers=list(data["officers"]), note=data["note"],
                    by=request.user, version=form.pop_version(),
                )
            except EditConflict as exc:
                form.show_conflict(exc)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("计划项已保存"))
                return redirect("planning:plan_detail", pk=item.plan_id)
        status = 400
    return render(request, "inspections/planning/item_edit.html", {
        "item": item, "form": form, "inspections": linkable_inspections(item)[:20],
        "history": history_rows(item.history.select_related("history_user")[:20], PlanItem, skip=("officers",)),
    }, status=status)


@login_required
@require_POST
def item_delete(request, pk: int):
    item = get_object_or_404(items_for(request.user), pk=pk)
    plan_id = item.plan_id
    try:
        services.plan_item_delete(item=item, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("planning:item_edit", pk=item.pk)
    messages.success(request, _("已删除计划项"))
    return redirect("planning:plan_detail", pk=plan_id)


@login_required
@require_POST
def item_link(request, pk: int):
    item = get_object_or_404(items_for(request.user), pk=pk)
    form = LinkInspectionForm(request.POST)
    if not form.is_valid():
        raise Http404
    inspection = get_object_or_404(scoped(Inspection.objects.all(), request.user), pk=form.cleaned_data["inspection"])
    try:
        services.plan_item_link(item=item, inspection=inspection, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已关联检查"))
    return redirect("planning:item_edit", pk=item.pk)


