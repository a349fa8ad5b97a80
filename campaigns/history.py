"""History rows (django-simple-history) as "who, when, field: old → new" for detail pages."""

from __future__ import annotations


def history_rows(history_qs, limit: int = 20) -> list[dict]:
    rows = []
    records = list(history_qs.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    for record, previous in zip(records, records[1:] + [None], strict=False):
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(f"{field.verbose_name}：{_short(change.old)} → {_short(change.new)}")
        rows.append({"when": record.history_date, "who": record.history_user,
                     "action": record.get_history_type_display(), "changes": changes})
    return rows[:limit]


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:40] + "…"
