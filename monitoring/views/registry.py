"""Pages of the AE quotas' registry-side inputs: registrant registration, population, the year's settings and
training courses. Parse → service/selector → render; scoping through ``regsys.scoping`` and the selectors.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Subdistrict
from inspections.views.common import apply_errors, list_page
from monitoring import registry_selectors as selectors
from monitoring.access import is_ae_manager, require_ae_manager
from monitoring.choices import DISTRICT_RULE_HELP, DistrictRule
from monitoring.models import RegistrantRegistration, TrainingCourse
from monitoring.registry_filters import RegistrantFilterSet, TrainingFilterSet
from monitoring.registry_forms import (
    AttendanceFormSet,
    PopulationFormSet,
    RegistrationForm,
    SettingsForm,
    TrainingForm,
    enterprise_option,
)
from monitoring.services import registry as services
from regsys.exports import export_start
from regsys.scoping import can_edit, referable, require_edit, require_unit, require_write, scoped
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import EditConflict


def _year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _years_around(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({*range(this - 3, this + 2), year}, reverse=True)


# ---------------------------------------------------------------- registrant registration


def _registration_of(enterprise) -> RegistrantRegistration | None:
    try:
        return enterprise.ae_registration
    except RegistrantRegistration.DoesNotExist:
        return None


def _registered_text(e) -> str:
    record = _registration_of(e)
    return _("已注册") if record is not None and record.registered else _("未注册")


REGISTRATION_COLUMNS = [
    ("企业名称", lambda e: e.name, 36),
    ("统一社会信用代码", lambda e: e.credit_code, 22),
    ("监管单位", lambda e: e.owning_unit.display_name, 14),
    ("街道/镇", lambda e: e.subdistrict.name, 12),
    ("经营状态", lambda e: e.get_status_display(), 10),
    ("注册情况", _registered_text, 10),
    ("注册日期", lambda e: f"{r.registered_on:%Y-%m-%d}" if (r := _registration_of(e)) and r.registered_on else "", 12),
    ("佐证材料", lambda e: r.evidence_name if (r := _registration_of(e)) and r.evidence else "", 24),
    ("备注", lambda e: r.note if (r := _registration_of(e)) else "", 30),
]


@login_required
def registration_list(request):
    """Every 注册人/备案人 of the user's scope and whether it is registered in the national AE system."""
    queryset = selectors.registrant_list(user=request.user)
    filterset = RegistrantFilterSet(request.GET or None, queryset=queryset, request=request)
    shown = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    total = shown.count()
    registered = shown.filter(selectors.registered_q(True)).count()
    return list_page(request, queryset=queryset, filterset_class=RegistrantFilterSet,
                     template="monitoring/registration_list.html", context={
                         "registered_count": registered, "unregistered_count": total - registered,
                         "rate": round(registered * 100 / total, 1) if total else None})


@login_required
def registration_export(request):
    return export_start(request, "ae_registrations")


@login_required
def registration_edit(request, pk: int):
    enterprise = get_object_or_404(selectors.registrant_list(user=request.user), pk=pk)
    require_write(request.user)
    require_edit(request.user, enterprise)
    record = _registration_of(enterprise)
    initial = {"registered": record.registered if record else False,
               "registered_on": record.registered_on if record else None, "note": record.note if record else ""}
    # A registrant without a record yet edits the record it will get (version 1), so two first edits conflict.
    form = RegistrationForm(request.POST or None, request.FILES or None, initial=initial, user=request.user,
                            versioned=record or RegistrantRegistration(enterprise=enterprise))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_update(
                enterprise=enterprise, registered=data["registered"], registered_on=data.get("registered_on"),
                note=data.get("note") or "", evidence=data.get("evidence") or None,
                clear_evidence=data.get("clear_evidence", False), by=request.user, version=form.pop_version(),
            )
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”的注册情况") % {"name": enterprise.name})
            return redirect("monitoring:registration_list")
    return render(request, "monitoring/registration_form.html", {
        "form": form, "enterprise": enterprise, "record": record, "history": selectors.record_history(record),
    })


@login_required
def registration_evidence(request, pk: int):
    """The evidence file, served only to users who may see the registrant (never through a media URL)."""
    record = get_object_or_404(scoped(RegistrantRegistration.objects.select_related("enterprise"), request.user),
                               pk=pk)
    if not record.evidence:
        raise Http404
    name = record.evidence_name or record.evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(record.evidence.open("rb"), content_type=content_type, as_attachment=not inline,
                            filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- population


@login_required
def population(request):
    """The year's 常住人口 of every 街道/镇 with its source; 药械科 edits the whole table in one form."""
    year = _year(request)
    editable = is_ae_manager(request.user)
    table = selectors.population_table(year=year, user=request.user)
    formset = None
    if editable:
        start = request.GET.get("start") == "previous" and request.method == "GET"
        values = selectors.population_start_values(year=year) if start else {}
        initial = []
        for group in table.units:
            for sd, figure in group.rows:
                if figure is not None:
                    initial.append({"subdistrict": sd, "population": figure.population, "source": figure.source,
                                    "version": figure.version})
                else:
                    population_value, source = values.get(sd.pk, (None, ""))
                    initial.append({"subdistrict": sd, "population": population_value, "source": source})
        if request.method == "POST":
            require_ae_manager(request.user)
            formset = PopulationFormSet(request.POST, prefix="pop", form_kwargs={"user": request.user})
            if formset.is_valid():
                try:
                    services.population_save(year=year, rows=[f.to_row() for f in formset.forms], by=request.user)
                except EditConflict as exc:
                    messages.error(request, "；".join(exc.messages))
                except ValidationError as exc:
                    messages.error(request, "；".join(exc.messages))
                else:
                    messages.success(request, _("已保存%(y)s年常住人口") % {"y": year})
                    return redirect(f"{reverse('monitoring:population')}?year={year}")
        else:
            formset = PopulationFormSet(initial=initial, prefix="pop", form_kwargs={"user": request.user})
            if start:
                messages.info(request, _("已按上年数据（没有上年数据的按街道/镇基础资料）填入未填写的街道/镇，请核对来源后保存"))
        subdistricts = {sd.pk: sd for group in table.units for sd, _figure in group.rows}
        for form in formset.forms:
            raw = form["subdistrict"].value()
            form.subdistrict_obj = subdistricts.get(int(raw)) if str(raw or "").isdigit() else None
    elif request.method == "POST":
        require_ae_manager(request.user)
    has_previous = selectors.population_start_values(year=year) != {} if editable else False
    return render(request, "monitoring/population.html", {
        "year": year, "years": _years_around(year), "table": table, "formset": formset, "editable": editable,
        "has_previous": has_previous, "subdistrict_count": Subdistrict.objects.count(),
    })


# ---------------------------------------------------------------- settings


@login_required
def monitoring_settings(request):
    """The year's AE quota targets and working rules; created with the defaults on the 药械科's first visit."""
    year = _year(request)
    editable = is_ae_manager(request.user)
    if request.method == "POST":
        require_ae_manager(request.user)
    record = services.settings_ensure(year=year) if editable else selectors.settings_for_year(year)
    form = None
    if editable:
        initial = {name: getattr(record, name) for name in selectors.SETTINGS_FIELDS}
        form = SettingsForm(request.POST or None, initial=initial, user=request.user, versioned=record)
        if request.method == "POST" and form.is_valid():
            version = form.pop_version()
            try:
                services.settings_update(record=record, changes=form.changes(), by=request.user, version=version)
            except EditConflict as exc:
                form.show_conflict(exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存%(y)s年度不良事件监测设置") % {"y": year})
                return redirect(f"{reverse('monitoring:monitoring_settings')}?year={year}")
    rules = [(str(label), str(DISTRICT_RULE_HELP[value]), value == record.district_rule)
             for value, label in DistrictRule.choices]
    return render(request, "monitoring/settings.html", {
        "year": year, "years": _years_around(year), "record": record, "form": form, "editable": editable,
        "rules": rules, "history": selectors.record_history(record) if record.pk else [],
    })


# ---------------------------------------------------------------- training


def _training_columns():
    return [
        ("培训日期", lambda c: f"{c.held_on:%Y-%m-%d}", 12),
        ("培训主题", lambda c: c.topic, 36),
        ("组织单位", lambda c: c.unit.display_name, 14),
        ("地点", lambda c: c.location, 20),
        ("参训企业（家）", lambda c: c.enterprise_count, 10),
        ("参训人数", lambda c: c.people_count or 0, 10),
        ("参训企业及人员", lambda c: "；".join(
            f"{a.enterprise.name}{a.people}人{('（' + a.names + '）') if a.names else ''}"
            for a in c.attendances.all()), 60),
        ("备注", lambda c: c.note, 30),
    ]


@login_required
def training_list(request):
    queryset = selectors.training_list(user=request.user)
    filterset = TrainingFilterSet(request.GET or None, queryset=queryset, request=request)
    shown = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    return list_page(request, queryset=queryset, filterset_class=TrainingFilterSet,
                     template="monitoring/training_list.html",
                     context={"year_counts": selectors.training_year_counts(shown)})


@login_required
def training_export(request):
    return export_start(request, "ae_trainings")


@login_required
def training_detail(request, pk: int):
    course = get_object_or_404(selectors.training_list(user=request.user), pk=pk)
    attendances = course.attendances.select_related("enterprise", "enterprise__owning_unit").order_by(
        "enterprise__name")
    return render(request, "monitoring/training_detail.html", {
        "course": course, "attendances": attendances, "editable": can_edit(request.user, course),
        "history": selectors.record_history(course),
    })


def _enterprise_options(user):
    return [enterprise_option(e) for e in referable(
        Enterprise.objects.only("name", "credit_code").order_by("name"), user)]


def _training_form(request, *, course: TrainingCourse | None):
    initial, rows = {}, []
    if course is not None:
        initial = {"held_on": course.held_on, "topic": course.topic, "location": course.location, "note": course.note}
        rows = [{"enterprise": a.enterprise, "people": a.people, "names": a.names}
                for a in course.attendances.select_related("enterprise").order_by("enterprise__name")]
    else:
        initial = {"held_on": timezone.localdate()}
    data = request.POST if request.method == "POST" else None
    form = TrainingForm(data, initial=initial, user=request.user, versioned=course)
    formset = AttendanceFormSet(data, initial=rows or [{}], prefix="att", form_kwargs={"user": request.user})
    if course is not None:
        # Enterprises already on the course stay valid choices (a district user may have added another unit's).
        already = course.attendances.values("enterprise")
        for row in formset.forms:
            row.scope_choices()
            row.fields["enterprise"].queryset = (
                row.fields["enterprise"].queryset | Enterprise.objects.filter(pk__in=already))
            row.scope_choices = lambda: None
    return form, formset


def _save_training(request, form, formset, *, course: TrainingCourse | None):
    if not (form.is_valid() and formset.is_valid()):
        return None
    rows = [f.to_input() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    data = form.cleaned_data
    try:
        if course is None:
            return services.training_create(held_on=data["held_on"], topic=data["topic"], location=data["location"],
                                            note=data["note"], attendances=rows, by=request.user)
        return services.training_update(course=course, held_on=data["held_on"], topic=data["topic"],
                                        location=data["location"], note=data["note"], attendances=rows,
                                        by=request.user, version=form.pop_version())
    except EditConflict as exc:
        form.show_conflict(exc)
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


@login_required
def training_create(request):
    require_write(request.user)
    require_unit(request.user, request.user.unit_id)
    form, formset = _training_form(request, course=None)
    if request.method == "POST":
        course = _save_training(request, form, formset, course=None)
        if course is not None:
            messages.success(request, _("已记录培训“%(topic)s”") % {"topic": course.topic})
            return redirect("monitoring:training_detail", pk=course.pk)
    return render(request, "monitoring/training_form.html", {
        "form": form, "formset": formset, "course": None, "options": _enterprise_options(request.user),
        "unit": request.user.unit,
    })


@login_required
def training_edit(request, pk: int):
    course = get_object_or_404(selectors.training_list(user=request.user), pk=pk)
    require_edit(request.user, course)
    form, formset = _training_form(request, course=course)
    if request.method == "POST":
        saved = _save_training(request, form, formset, course=course)
        if saved is not None:
            messages.success(request, _("已保存培训“%(topic)s”") % {"topic": saved.topic})
            return redirect("monitoring:training_detail", pk=saved.pk)
    return render(request, "monitoring/training_form.html", {
        "form": form, "formset": formset, "course": course, "options": _enterprise_options(request.user),
        "unit": course.unit,
    })
