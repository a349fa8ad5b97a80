"""Column help texts: a column's own text, else the metric's written definition.

The definitions live in ``reporting.metrics``; campaigns may not import reporting (dependency
direction), so the lookup goes through Django's app registry at call time.
"""

from __future__ import annotations

from django.utils.module_loading import import_string


def column_help_texts(columns) -> dict[int, str]:
    try:
        metrics = import_string("reporting.metrics.METRICS")
    except ImportError:  # pragma: no cover - reporting is always installed
        metrics = {}
    out = {}
    for column in columns:
        metric = metrics.get(column.metric)
        out[column.pk] = column.help_text or (str(metric.definition) if metric else "")
    return out
