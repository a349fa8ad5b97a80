"""Helpers shared by the service modules: saving with an audit trail, date checks."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from regsys.scoping import scoped


def save_with_history(obj: Model, *, by, reason: str = "", update_fields: list[str] | None = None) -> None:
    """Save ``obj`` so its history row names ``by`` (and ``reason``) — in the same transaction."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    if update_fields is not None:
        # A partial save still moves ``updated_at`` and the optimistic-locking version (regsys.versioning).
        update_fields = [*update_fields, *(f for f in ("updated_at", "version")
                                           if hasattr(obj, f) and f not in update_fields)]
    obj.save(update_fields=update_fields)


def delete_with_history(obj: Model, *, by, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.delete()


def require_not_future(day: date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


def require_visible_enterprise(user, enterprise: Enterprise) -> None:
    """The enterprise must be one the user may see (their unit's, or any for district-wide users)."""
    if not scoped(Enterprise.objects.filter(pk=enterprise.pk), user).exists():
        raise ValidationError({"enterprise": _("该企业不在你的监管范围内")})
