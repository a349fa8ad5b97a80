"""History rows (django-simple-history) as "who, when, field: old → new" for detail pages."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

# Computed payloads are not readable as a change line (the page shows the numbers themselves).
SKIPPED_FIELDS = ("data", "warnings")


def history_rows(history_qs, limit: int = 20) -> list[dict]:
    """Newest first; foreign keys show the related object, choices their label, times local to the minute."""
    rows = []
    records = list(history_qs.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    related: dict[str, dict] = {}
    for record, previous in zip(records, records[1:] + [None], strict=False):
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in SKIPPED_FIELDS:
                    continue
                field = record.instance_type._meta.get_field(change.field)
                old, new = (_display(field, value, related) for value in (change.old, change.new))
                changes.append(f"{field.verbose_name}：{old} → {new}")
        rows.append({"when": record.history_date, "who": record.history_user,
                     "action": record.get_history_type_display(), "changes": changes})
    return rows[:limit]


def _display(field: models.Field, value, related: dict[str, dict]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.many_to_many:  # simple-history gives [{'campaign': 1, 'formtemplate': 2}, ...]
        key = field.m2m_reverse_field_name()
        ids = [item[key] for item in value if isinstance(item, dict) and key in item]
        objects = field.related_model._default_manager.in_bulk(ids)
        return _short("、".join(str(objects.get(pk, pk)) for pk in ids)) or "—"
    if field.is_relation and field.many_to_one:
        cache = related.setdefault(field.name, {})
        if value not in cache:
            cache[value] = field.related_model._default_manager.filter(pk=value).first() or value
        value = cache[value]
    elif field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, dt.datetime):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) \
            else value.strftime("%Y-%m-%d %H:%M")
    return _short(value)


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
