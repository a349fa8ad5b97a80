"""等待我处理: approve or send back a return straight from the list (the cockpit and the landing pages).

The rules stay in ``reporting.services`` (``return_approve``, ``return_send_back``); this view only parses
the choice, calls the service and answers with the swapped row (htmx) or a redirect with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reporting import services
from reporting.selectors import returns_visible

QUICK_ACTIONS = {"approve", "send_back"}


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_POST
def return_quick_review(request, pk: int) -> HttpResponse:
    """审核通过 (optional comment) or 退回 (comment required) of a submitted return."""
    services.require_reviewer(request.user)  # 403 before anything is looked up for a 所 user or the auditor
    ret = get_object_or_404(returns_visible(request.user), pk=pk)
    action = request.POST.get("action", "")
    if action not in QUICK_ACTIONS:
        raise Http404
    comment = request.POST.get("comment", "").strip()
    error = done = ""
    try:
        if action == "approve":
            ret = services.return_approve(ret=ret, by=request.user, comment=comment)
            done = _("已审核通过，报表已锁定")
        else:
            ret = services.return_send_back(ret=ret, by=request.user, comment=comment)
            done = _("已退回，填报单位将看到审核意见")
    except ValidationError as exc:
        error = "；".join(exc.messages)
    if request.headers.get("HX-Request"):
        return render(request, "reporting/_waiting_return.html", {
            "item_ret": ret, "done": done, "error": error, "comment": comment, "next": _back(request),
        })
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{ret.template} · {ret.unit.display_name if ret.unit_id else _('全区')}：{done}")
    return redirect(_back(request))
