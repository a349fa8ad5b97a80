"""The daily e-mail digest: one mail a day per user, listing the unread notifications since the last one.

Sent through Django's mail framework (console backend in the demo, SMTP from the environment); links are
absolute (``REGSYS_SITE_URL``). ``DigestLog`` is unique per (user, day): a second run the same day sends
nothing, and a failed send leaves no log row, so the next run tries again.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regsys.models import DigestLog, Notification, NotificationPreference, default_digest_kinds

logger = logging.getLogger(__name__)
DIGEST_MAX_ITEMS = 30


def site_url(path: str) -> str:
    return settings.REGSYS_SITE_URL.rstrip("/") + path


def digest_items(user, *, kinds: list[str]) -> list[Notification]:
    """The user's unread notifications of ``kinds`` since their last digest (oldest digest first)."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True, kind__in=kinds)
    last = DigestLog.objects.filter(user=user).order_by("-sent_at").values_list("sent_at", flat=True).first()
    if last is not None:
        rows = rows.filter(created_at__gt=last)
    return list(rows.order_by("-created_at", "-id"))


def _send(user, items: list[Notification], day: datetime.date) -> None:
    shown = [{"n": n, "link": site_url(reverse("notifications:open", args=[n.pk]))} for n in items[:DIGEST_MAX_ITEMS]]
    context = {
        "user": user, "items": shown, "count": len(items), "more": max(len(items) - DIGEST_MAX_ITEMS, 0),
        "centre": site_url(reverse("notifications:list")), "settings_url": site_url(reverse("notifications:settings")),
        "day": day,
    }
    subject = _("【医疗器械监管】%(d)s 通知摘要：%(n)s 条未读") % {"d": day.strftime("%Y-%m-%d"), "n": len(items)}
    mail = EmailMultiAlternatives(
        subject=subject, body=render_to_string("regsys/notifications/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
    )
    mail.attach_alternative(render_to_string("regsys/notifications/digest_email.html", context), "text/html")
    mail.send()


def digest_send(*, today: datetime.date | None = None) -> int:
    """Send today's digests; returns how many e-mails were sent."""
    day = today or timezone.localdate()
    preferences = {p.user_id: p for p in NotificationPreference.objects.all()}
    users = (get_user_model().objects.filter(is_active=True).exclude(email="")
             .filter(notifications__read_at__isnull=True).distinct().order_by("pk"))
    sent = 0
    for user in users:
        preference = preferences.get(user.pk)
        if preference is not None and not preference.digest_enabled:
            continue
        kinds = preference.digest_kinds if preference is not None else default_digest_kinds()
        if DigestLog.objects.filter(user=user, day=day).exists():
            continue
        items = digest_items(user, kinds=kinds)
        if not items:
            continue
        try:
            with transaction.atomic():
                DigestLog.objects.create(user=user, day=day, count=len(items), email=user.email)
                _send(user, items, day)
        except IntegrityError:
            continue  # another run sent this user's digest today
        except Exception:  # a mail server error: no log row, the next run tries again
            logger.exception("digest e-mail to user %s failed", user.pk)
            continue
        sent += 1
    return sent
