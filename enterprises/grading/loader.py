"""Applies the default grading table (``reference``) for ``manage.py load_reference`` (idempotent).

The reference module holds only data; this loader calls the service that writes it, so the data
never imports the services that read it.
"""

from __future__ import annotations

from django.utils import timezone

from enterprises.grading.services import scheme_ensure


def load_reference() -> str:
    """Create the current year's grading scheme from the defaults (an existing year is kept)."""
    year = timezone.localdate().year
    scheme, created = scheme_ensure(year=year)
    state = "新建" if created else "已存在，未改动"
    return f"{year}年度分级标准（{state}）：{scheme.levels.count()} 个等级、{scheme.criteria.count()} 条标准"
