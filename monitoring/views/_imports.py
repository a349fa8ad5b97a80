"""The pages every previewing import shares (AE reports, online-sales leads): preview rows, status row, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

PREVIEW_ROWS = 500  # rows listed on the preview page (the counts cover every row)


def preview_context(request, job) -> dict:
    """The job and its preview rows, filtered by ``?show=`` (add, update, unchanged, unmatched)."""
    rows = job.preview
    show = request.GET.get("show", "")
    if show in ("add", "update", "unchanged"):
        rows = [r for r in rows if r["action"] == show]
    elif show == "unmatched":
        rows = [r for r in rows if r["unmatched"]]
    return {"job": job, "rows": rows[:PREVIEW_ROWS], "hidden_rows": max(0, len(rows) - PREVIEW_ROWS), "show": show}


def status_row(request, job, template: str):
    """The import's status row (htmx polls it while the job runs; the page reloads once it is done)."""
    refresh = request.GET.get("refresh") == "1"
    response = render(request, template, {"job": job, "refresh": refresh})
    if refresh and job.is_finished:
        response["HX-Refresh"] = "true"
    return response


def confirm(request, job, *, confirm_job, url_name: str):
    """The user confirms a checked preview; a refusal is shown on the job's page."""
    try:
        confirm_job(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.info(request, _("已确认，正在导入；全部行无误才会写入"))
    return redirect(url_name, pk=job.pk)
