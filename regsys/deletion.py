"""Deleting a record that other records or the law need is refused, with the records named.

Such references are ``on_delete=PROTECT`` in the models (a licence a case revoked, an enterprise's
licences, grades, credit records and status history, a case's referrals …); services delete
through ``delete_or_refuse`` so the database's refusal becomes a clear Chinese ``ValidationError``.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext as _


def protected_summary(objects) -> str:
    """e.g. "信用记录 1 条、许可/备案 2 条" for the records that block a deletion (kinds in a fixed order)."""
    counts = Counter(str(obj._meta.verbose_name) for obj in objects)
    return "、".join(_("%(what)s %(n)d 条") % {"what": what, "n": n} for what, n in sorted(counts.items()))


def delete_or_refuse(obj: Model, *, message: str) -> None:
    """Delete ``obj``; if protected records depend on it, raise ``ValidationError(message)``.

    ``message`` may contain ``%(records)s`` (the blocking records, counted by kind).
    """
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        raise ValidationError(message % {"records": protected_summary(blocking)}) from exc
