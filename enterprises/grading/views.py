"""Pages of graded supervision: the year's scheme and unit progress, grade list/detail, credit records."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.grading import services
from enterprises.grading.filters import CreditRecordFilter, GradeFilter
from enterprises.grading.forms import CreditRecordForm, GradeChangeForm
from enterprises.grading.selectors import (
    credit_records_for,
    grades_for,
    grading_progress,
    history_rows,
    scheme_of,
    visible_units,
)
from enterprises.models import Enterprise, EnterpriseGrade
from regsys import page_parts
from regsys.exports import export_start
from regsys.scoping import scope_for, scoped
from regsys.versioning import EditConflict

PAGE_SIZE = 50


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def style_form(form):
    """Bootstrap classes on a form's widgets (filter forms and edit forms)."""
    for field in form.fields.values():
        widget = field.widget
        if getattr(widget, "input_type", "") == "checkbox":
            widget.attrs.setdefault("class", "form-check-input")
        elif getattr(widget, "input_type", "") == "select" or widget.__class__.__name__.endswith("Select"):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
    return form


def form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in items:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def qualifying_kind_labels(scheme) -> str:
    """The inspection kinds that count towards the frequency, by their Chinese names."""
    if scheme is None:
        return ""
    # the inspections app owns the kind names; look them up at call time (no upward import)
    labels = dict(apps.get_model("inspections", "Inspection")._meta.get_field("kind").choices)
    return "、".join(str(labels.get(code, code)) for code in scheme.qualifying_kind_list)


@login_required
def overview(request):
    """The year's grading scheme (with confidence marks) and each unit's progress to 31 March."""
    year = _year(request)
    units = visible_units(request.user)
    scheme = scheme_of(year)
    return render(request, "enterprises/grading/overview.html", {
        "year": year,
        "scheme": scheme,
        "qualifying_kind_labels": qualifying_kind_labels(scheme),
        # district-wide counts over the year's grades: kept until the next write (regsys.page_parts)
        "progress": page_parts.kept("grading-progress", lambda: grading_progress(year, units, timezone.localdate()),
                                    vary=(year, *[u.pk for u in units])),
        "units": units,
    })


@login_required
@require_POST
def scheme_create(request):
    year = _year(request)
    if not scope_for(request.user).can_approve:
        raise PermissionDenied(_("此操作需要局领导或科长审批权限"))
    _scheme, created = services.scheme_ensure(year=year)
    messages.success(request, _("已建立%(y)s年度分级标准") % {"y": year} if created else _("该年度分级标准已存在"))
    return redirect(f"{reverse('grading:overview')}?year={year}")


@login_required
@require_POST
def propose(request):
    year = _year(request)
    unit = get_object_or_404(visible_units(request.user), pk=request.POST.get("unit"))
    try:
        result = services.grades_propose(year=year, unit=unit, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"{unit.display_name}：{result}")
    return redirect(f"{reverse('grading:grade_list')}?year={year}&unit={unit.pk}")


@login_required
@require_POST
def approve_unit(request):
    year = _year(request)
    unit = get_object_or_404(visible_units(request.user), pk=request.POST.get("unit"))
    grades = grades_for(request.user, year).filter(enterprise__owning_unit=unit)
    count = services.grades_approve(grades=grades, by=request.user)
    messages.success(request, _("%(u)s：已批准 %(n)s 条分级") % {"u": unit.display_name, "n": count})
    return redirect(f"{reverse('grading:overview')}?year={year}")


def _filtered_grades(request):
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    filterset = GradeFilter(data, queryset=grades_for(request.user), request=request)
    filterset.form.fields["unit"].queryset = visible_units(request.user)
    style_form(filterset.form)
    return filterset


@login_required
def grade_list(request):
    filterset = _filtered_grades(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enterprises/grading/grade_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "year": filterset.form.cleaned_data.get("year") if filterset.is_valid() else None,
    })


@login_required
def grade_export(request):
    return export_start(request, "grades")


def _grade_history(grade):
    return history_rows(grade.history.select_related("history_user")[:50], EnterpriseGrade,
                        skip=("proposed_at", "reasons"))


@login_required
def grade_detail(request, pk: int):
    grade = get_object_or_404(grades_for(request.user), pk=pk)
    form = style_form(GradeChangeForm(grade=grade, user=request.user))
    return render(request, "enterprises/grading/grade_detail.html", {
        "grade": grade, "form": form, "history": _grade_history(grade),
        "can_edit": scope_for(request.user).can_write,
    })


@login_required
@require_POST
def grade_change(request, pk: int):
    grade = get_object_or_404(grades_for(request.user), pk=pk)
    form = style_form(GradeChangeForm(request.POST, grade=grade, user=request.user))
    if form.is_valid():
        version = form.pop_version()
        try:
            services.grade_change(grade=grade, level=form.cleaned_data["level"], is_key=form.cleaned_data["is_key"],
                                  reason=form.cleaned_data["reason"], by=request.user, version=version)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已调整，等待审批"))
            return redirect("grading:grade_detail", pk=grade.pk)
    grade.refresh_from_db()
    return render(request, "enterprises/grading/grade_detail.html", {
        "grade": grade, "form": form, "history": _grade_history(grade),
        "can_edit": scope_for(request.user).can_write,
    }, status=400)


@login_required
@require_POST
def grade_approve(request, pk: int):
    grade = get_object_or_404(grades_for(request.user), pk=pk)
    try:
        services.grade_approve(grade=grade, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已批准"))
    return redirect("grading:grade_detail", pk=grade.pk)


def _filtered_credit(request):
    filterset = CreditRecordFilter(request.GET, queryset=credit_records_for(request.user), request=request)
    filterset.form.fields["unit"].queryset = visible_units(request.user)
    style_form(filterset.form)
    return filterset


@login_required
def credit_list(request):
    """Bad-credit records (list with filters) and the form to add one."""
    filterset = _filtered_credit(request)
    enterprises = scoped(Enterprise.objects.all(), request.user)
    form = style_form(CreditRecordForm(request.POST or None, enterprises=enterprises, user=request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.credit_record_create(
                    enterprise=data["enterprise"], kind=data["kind"], recorded_on=data["recorded_on"],
                    valid_until=data["valid_until"], reason=data["reason"], by=request.user,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("已录入信用记录；重新生成分级建议后生效"))
                return redirect("grading:credit_list")
        status = 400
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enterprises/grading/credit_list.html", {
        "filter": filterset, "page": page, "form": form, "query": query.urlencode(),
    }, status=status)


@login_required
def credit_export(request):
    return export_start(request, "credit_records")


