"""Applies the default annual targets (``reference``) for ``manage.py load_reference`` (idempotent).

The reference module holds only data; this loader calls the service that writes it, so the data
never imports the services that read it.
"""

from __future__ import annotations

from django.utils import timezone

from inspections.planning.services import targets_ensure


def load_reference() -> str:
    """Create the current year's targets from the defaults (an existing year is kept)."""
    year = timezone.localdate().year
    created = targets_ensure(year=year)
    return f"{year}年度检查指标：新建 {created} 项"
