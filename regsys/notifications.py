"""The one service that notifies users. Any app's service calls it (through its own ``recipients.py``,
which chooses who); regsys knows no app: callers pass users (or a unit id, or roles).

``key`` de-duplicates: a user is never notified twice with the same key, so a scan that runs again the
same day (or the next) repeats nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regsys.choices import REMINDER_DAYS, NotificationKind
from regsys.models import Notification, NotificationPreference


def _user_ids(users: Iterable) -> list[int]:
    ids: list[int] = []
    for user in users:
        pk = user if isinstance(user, int) else getattr(user, "pk", None)
        if pk is not None and pk not in ids:
            ids.append(pk)
    return ids


@transaction.atomic
def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "", key: str = "",
           actor=None) -> list[Notification]:
    """Notify each active user of ``users`` (users or ids) once; ``actor`` (who acted) is left out.

    With a ``key``, users already notified with it are skipped. Returns the notifications created.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = _user_ids(users)
    if actor is not None and actor.pk in ids:
        ids.remove(actor.pk)
    if not ids:
        return []
    ids = list(get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    if key:
        done = set(Notification.objects.filter(key=key, user_id__in=ids).values_list("user_id", flat=True))
        ids = [pk for pk in ids if pk not in done]
    rows = [Notification(user_id=pk, kind=kind, title=title[:200], body=body, url=url[:500], key=key[:200])
            for pk in ids]
    # ignore_conflicts: a concurrent run that wrote the same (user, key) first wins, nothing is doubled
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    return rows


def notifications_resolve(*, key_prefix: str) -> int:
    """Mark read every unread notification whose key starts with ``key_prefix``: the matter is dealt
    with (one reviewer approved the return the others were told of), so nobody's badge still counts it."""
    if not key_prefix:
        raise ValueError("key_prefix must not be empty")
    return Notification.objects.filter(key__startswith=key_prefix, read_at__isnull=True).update(read_at=timezone.now())


def unit_users(unit_id: int | None, *, roles: Iterable[str] | None = None) -> QuerySet:
    """The active users of one unit (optionally only some roles)."""
    users = get_user_model().objects.filter(unit_id=unit_id, is_active=True)
    if unit_id is None:
        return users.none()
    if roles is not None:
        users = users.filter(role__in=list(roles))
    return users


def role_users(roles: Iterable[str]) -> QuerySet:
    """The active users holding any of ``roles`` (e.g. the approvers)."""
    return get_user_model().objects.filter(role__in=list(roles), is_active=True)


def notify_unit(*, unit_id: int | None, kind: str, title: str, body: str = "", url: str = "", key: str = "",
                roles: Iterable[str] | None = None, actor=None) -> list[Notification]:
    """Notify the users of one unit."""
    return notify(users=unit_users(unit_id, roles=roles), kind=kind, title=title, body=body, url=url, key=key,
                  actor=actor)


def notify_reviewers(*, roles: Iterable[str], kind: str = NotificationKind.APPROVAL_WAITING, title: str,
                     body: str = "", url: str = "", key: str = "", actor=None) -> list[Notification]:
    """Notify everyone who may review or approve (the caller names the roles)."""
    return notify(users=role_users(roles), kind=kind, title=title, body=body, url=url, key=key, actor=actor)


# --- preferences ------------------------------------------------------------------------------


def preference_for(user) -> NotificationPreference:
    """The user's preferences, created with the defaults on first use."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def preference_update(*, user, digest_enabled: bool, digest_kinds: Iterable[str],
                      reminder_days: Iterable[int]) -> NotificationPreference:
    kinds = [k for k in NotificationKind.values if k in set(digest_kinds)]
    days = sorted({int(d) for d in reminder_days}, reverse=True)
    if set(digest_kinds) - set(kinds):
        raise ValidationError({"digest_kinds": _("包含无效的通知类别")})
    if set(days) - set(REMINDER_DAYS):
        raise ValidationError({"reminder_days": _("提醒天数只能是 7、3、1 天")})
    preference = preference_for(user)
    preference.digest_enabled = bool(digest_enabled)
    preference.digest_kinds = kinds
    preference.reminder_days = days
    preference.save()
    return preference


def users_wanting_reminder(users: Iterable, days: int) -> list[int]:
    """The ids among ``users`` whose preferences ask for a reminder ``days`` before a due date
    (users without a preference row get the default: every day of ``REMINDER_DAYS``)."""
    ids = _user_ids(users)
    if not ids:
        return []
    refused = {
        pk for pk, wanted in NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "reminder_days")
        if days not in (wanted or [])
    }
    return [pk for pk in ids if pk not in refused]


# --- reading and marking (always the user's own rows) ------------------------------------------


def notifications_of(user) -> QuerySet:
    """The user's own notifications: unread first, then newest first."""
    return Notification.objects.filter(user=user).order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.user_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, kind: str = "") -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.update(read_at=timezone.now())
