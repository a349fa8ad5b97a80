"""The quarterly risk-consultation report page: pick a quarter, file the Word report as a download-centre job.

The job and its file live in the download centre (reporting); the page reaches them through the settings
named below, so monitoring imports nothing of reporting.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from monitoring.risk_report_forms import RiskReportForm
from regsys.scoping import scope_for

BUILDS_SHOWN = 20


@login_required
def risk_report(request):
    """GET: the form and earlier builds; POST: file the report (a 所 user: its own unit's only)."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    initial = RiskReportForm.initial_for(today)
    if not scope.district_wide:
        initial["unit"] = scope.unit_id
    if request.method == "POST":
        form = RiskReportForm(request.POST, user=request.user, district=scope.district_wide)
        if form.is_valid():
            request_job = import_string(settings.REGSYS_RISK_REPORT_JOB_SERVICE)
            data = form.cleaned_data
            try:
                job = request_job(user=request.user, year=data["year"], quarter=data["quarter"], unit=data["unit"])
            except (PermissionDenied, ValidationError) as exc:
                text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                form.add_error(None, text)
            else:
                messages.success(request, _("已加入下载中心：%(title)s，生成后可在本页或下载中心下载") % {"title": job.title})
                return redirect("monitoring:risk_report")
    else:
        form = RiskReportForm(initial=initial, user=request.user, district=scope.district_wide)
    builds = import_string(settings.REGSYS_RISK_REPORT_JOBS)(request.user)[:BUILDS_SHOWN]
    return render(request, "monitoring/risk_report.html", {
        "form": form, "builds": builds, "district": scope.district_wide, "can_build": scope.can_write,
    })
