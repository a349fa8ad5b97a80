"""Pages of the working-day calendar (节假日与调休): a year as a month grid with the 工作日计算器 for every
user; adding, changing and deleting days for the 药械科 and administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises import calendar_services as services
from enterprises import workdays
from enterprises.calendar_forms import CalendarDayForm, WorkdayCalculatorForm
from enterprises.models import CalendarDay
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import EditConflict

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _calculate(form: WorkdayCalculatorForm) -> dict | None:
    if not form.is_bound or not form.is_valid():
        return None
    start, days = form.cleaned_data["start"], form.cleaned_data["days"]
    if form.cleaned_data["direction"] == "subtract":
        result = workdays.subtract_working_days(start, days)
    else:
        result = workdays.add_working_days(start, days)
    years = sorted({start.year, result.year})
    return {"result": result, "weekday": WEEKDAYS[result.weekday()],
            "unconfigured": [y for y in years if not workdays.calendar_configured(y)]}


@login_required
def calendar_year(request):
    """One year as twelve month grids, the year's days in a table, the calculator and the recent changes."""
    year = _year(request.GET.get("year"))
    calc_form = WorkdayCalculatorForm(request.GET if "start" in request.GET else None, user=request.user,
                                      initial={"start": timezone.localdate(), "days": 7, "direction": "add"})
    this = timezone.localdate().year
    return render(request, "enterprises/calendar/year.html", {
        "year": year, "months": workdays.year_grid(year), "weekdays": WEEKDAYS,
        "days": CalendarDay.objects.filter(date__year=year).select_related("updated_by"),
        "configured": workdays.calendar_configured(year), "can_edit": services.can_edit_calendar(request.user),
        "years": sorted({*range(this - 3, this + 2), year}), "calc_form": calc_form,
        "calc": _calculate(calc_form), "history": services.calendar_history(year), "today": timezone.localdate(),
    })


def _back(day) -> str:
    return f"{reverse('enterprises:calendar')}?year={day.year}"


@login_required
def calendar_day_create(request):
    services.require_calendar_editor(request.user)
    initial = {}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = CalendarDayForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已添加 %(d)s %(n)s") % {"d": f"{day.date:%Y-%m-%d}", "n": day.name})
            return redirect(_back(day.date))
    return render(request, "enterprises/calendar/form.html", {"form": form, "day": None, "history": []})


@login_required
def calendar_day_edit(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    services.require_calendar_editor(request.user)
    initial = {"date": day.date, "kind": day.kind, "name": day.name, "source": day.source}
    form = CalendarDayForm(request.POST or None, user=request.user, versioned=day, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            saved = services.calendar_day_update(day=day, by=request.user, version=version, **form.cleaned_data)
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(d)s %(n)s") % {"d": f"{saved.date:%Y-%m-%d}", "n": saved.name})
            return redirect(_back(saved.date))
    history = services.calendar_history_of(day)
    return render(request, "enterprises/calendar/form.html", {"form": form, "day": day, "history": history})


@login_required
@require_POST
def calendar_day_delete(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    services.calendar_day_delete(day=day, by=request.user)
    messages.success(request, _("已删除 %(d)s %(n)s，该日按普通周一至周五规则计算") % {
        "d": f"{day.date:%Y-%m-%d}", "n": day.name})
    return redirect(_back(day.date))
