"""Demo notifications for ``manage.py seed_demo``: runs last, after every app has seeded its records.

The workflow notifications were already written by the services the seeders called (returns submitted,
sent back, approved; plans submitted …). This step runs the daily deadline scan once for the demo's
day, so the users find their real reminders (7/3/1 days) and overdue notices.
"""

from __future__ import annotations

from regsys.models import Notification
from reporting.notifications_scan import notifications_deadlines_scan


def seed(ctx) -> str:
    sent = notifications_deadlines_scan(today=ctx.today)
    return f"期限提醒与逾期通知 {sent} 条，通知共 {Notification.objects.count()} 条"
