"""The notification centre: the user's own notifications (unread first), marking read, preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regsys.choices import NotificationKind
from regsys.models import Notification
from regsys.notification_forms import NotificationPreferenceForm
from regsys.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_of,
    preference_for,
    preference_update,
)
from regsys.scoping import scope_for


def _require_writer(user) -> None:
    if not scope_for(user).can_write:
        raise PermissionDenied(_("只读账号不能修改通知状态"))


def _safe_url(request, url: str) -> str:
    """A notification's link, only if it stays on this site."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


@login_required
def notification_list(request):
    kind = request.GET.get("kind", "")
    rows = notifications_of(request.user)
    if kind in NotificationKind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    if request.GET.get("unread") == "1":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "regsys/notifications/list.html", {
        "page": page, "query": query.urlencode(), "kind": kind, "kinds": NotificationKind.choices,
        "unread_only": request.GET.get("unread") == "1", "can_write": scope_for(request.user).can_write,
    })


@login_required
def notification_open(request, pk: int):
    """Open a notification: mark it read and go to its record (or back to the centre)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(notification=notification, by=request.user)
    return redirect(_safe_url(request, notification.url) or "notifications:list")


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    _require_writer(request.user)
    notification_mark_read(notification=notification, by=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request):
    _require_writer(request.user)
    kind = request.POST.get("kind", "")
    count = notifications_mark_all_read(user=request.user, kind=kind if kind in NotificationKind.values else "")
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": count})
    return redirect(_back(request))


def _back(request) -> str:
    url = request.POST.get("next", "")
    if url.startswith("/notifications/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return "notifications:list"


@login_required
def notification_settings(request):
    preference = preference_for(request.user)
    can_write = scope_for(request.user).can_write
    if request.method == "POST":
        _require_writer(request.user)
        form = NotificationPreferenceForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                preference_update(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("通知设置已保存"))
                return redirect("notifications:settings")
    else:
        form = NotificationPreferenceForm(user=request.user, initial={
            "digest_enabled": preference.digest_enabled, "digest_kinds": preference.digest_kinds,
            "reminder_days": preference.reminder_days,
        })
    return render(request, "regsys/notifications/settings.html", {
        "form": form, "can_write": can_write, "has_email": bool(request.user.email),
    })
