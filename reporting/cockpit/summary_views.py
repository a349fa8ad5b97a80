"""The cockpit's 季度工作总结 panel: request a build (POST) and list the user's earlier builds.

The panel is included on the cockpit page (``templates/reporting/cockpit/_summary.html`` through the
``cockpit_summary_panel`` tag) and re-rendered by this view when the form is posted with htmx. Without htmx
the view redirects back to the page it came from (or the download centre).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from regsys.scoping import scope_for
from reporting.cockpit.base import QUARTER_LABELS
from reporting.cockpit.summary import (
    FIRST_YEAR,
    cockpit_summary_check,
    cockpit_summary_jobs,
    cockpit_summary_request,
)

BUILDS_SHOWN = 5
PANEL_TEMPLATE = "reporting/cockpit/_summary_panel.html"


class CockpitSummaryForm(forms.Form):
    """年度 and 季度 (empty: 截至今日) of the summary; the unit follows from the user (a 所: its own)."""

    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=FIRST_YEAR, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("季度"), coerce=int, required=False, empty_value=None,
        choices=[("", gettext_lazy("截至今日")), *QUARTER_LABELS.items()],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "summary-%s")  # the cockpit page has other year/quarter fields
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(period) -> dict:
        if period is not None:
            return {"year": period.year, "quarter": period.quarter or ""}
        today = timezone.localdate()
        return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}


def panel_context(*, user, form: CockpitSummaryForm, error: str = "", message: str = "") -> dict:
    """What the panel shows: the form, whose summary it builds, the user's last builds."""
    scope = scope_for(user)
    who = _("全区") if scope.district_wide else (user.unit.display_name if user.unit_id else "")
    return {"summary_form": form, "summary_who": who, "summary_builds": cockpit_summary_jobs(user)[:BUILDS_SHOWN],
            "summary_error": error, "summary_message": message}


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("reporting:downloads")


@login_required
@require_POST
def cockpit_summary(request):
    """File the summary of the posted year/quarter as a download-centre job (read-only users: 403)."""
    scope = scope_for(request.user)
    if not scope.can_write:
        raise PermissionDenied(_("只读账号不能生成工作总结"))
    form = CockpitSummaryForm(request.POST)
    error = message = ""
    if form.is_valid():
        try:
            job = cockpit_summary_request(user=request.user, year=form.cleaned_data["year"],
                                          quarter=form.cleaned_data["quarter"])
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            message = _("已加入下载中心：%(title)s，生成后可在此处或下载中心下载") % {"title": job.title}
    else:
        error = "；".join(f"{form.fields[name].label}：{'；'.join(errs)}" if name in form.fields else "；".join(errs)
                         for name, errs in form.errors.items())
    if request.headers.get("HX-Request") == "true":
        if not error:
            form = CockpitSummaryForm(initial=form.cleaned_data)
        context = panel_context(user=request.user, form=form, error=error, message=message)
        return render(request, PANEL_TEMPLATE, context)  # htmx swaps only a 2xx: the error shows in the panel
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return _back(request)


def summary_allowed(user, today: dt.date | None = None) -> bool:
    """Whether the panel offers the form (not to read-only users or users without a unit)."""
    try:
        cockpit_summary_check(user=user, year=(today or timezone.localdate()).year, quarter=None,
                              today=today or timezone.localdate())
    except (PermissionDenied, ValidationError):
        return False
    return True
