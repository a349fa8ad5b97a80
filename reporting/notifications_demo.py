"""Demo notifications for ``manage.py seed_demo``: runs last, after every app has seeded its records.

The workflow notifications were already written by the services the seeders called (returns submitted,
sent back, approved; plans submitted …). The demo dates its returns in the past after filing them, so a
return's notifications take the return's own time (reviewed or submitted), and those more than
``READ_AFTER_DAYS`` before the demo's day count as read: a user opening the demo finds this season's
news unread, not three years of approvals. Then the daily deadline scan runs once for the demo's day,
so the users find their real reminders (7/3/1 days) and overdue notices.
"""

from __future__ import annotations

import datetime as dt

from django.urls import Resolver404, resolve

from regsys.choices import NotificationKind
from regsys.models import Notification
from reporting.models import Return
from reporting.notifications_scan import notifications_deadlines_scan

READ_AFTER_DAYS = 14
RETURN_KINDS = {
    NotificationKind.RETURN_SENT_BACK: "reviewed_at",
    NotificationKind.RETURN_APPROVED: "reviewed_at",
    NotificationKind.APPROVAL_WAITING: "submitted_at",
}


def _return_id(url: str) -> int | None:
    try:
        match = resolve(url)
    except Resolver404:
        return None
    return match.kwargs["pk"] if match.view_name == "reporting:return_detail" else None


def _date_return_notifications(today: dt.date) -> None:
    notes = [(n, _return_id(n.url)) for n in Notification.objects.filter(kind__in=RETURN_KINDS)]
    notes = [(n, pk) for n, pk in notes if pk is not None]
    returns = Return.objects.in_bulk({pk for _n, pk in notes})
    for note, pk in notes:
        ret = returns.get(pk)
        at = getattr(ret, RETURN_KINDS[note.kind]) if ret is not None else None
        if at is None:
            continue
        note.created_at = at
        if at.date() < today - dt.timedelta(days=READ_AFTER_DAYS) and note.read_at is None:
            note.read_at = at
    Notification.objects.bulk_update([n for n, _pk in notes], ["created_at", "read_at"])


def seed(ctx) -> str:
    _date_return_notifications(ctx.today)
    sent = notifications_deadlines_scan(today=ctx.today)
    unread = Notification.objects.filter(read_at__isnull=True).count()
    return f"期限提醒与逾期通知 {sent} 条，通知共 {Notification.objects.count()} 条（未读 {unread} 条）"
