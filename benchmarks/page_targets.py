"""What the page benchmarks visit, and as whom (shared by bench_pages.py and bench_queries.py).

Both scripts run in-process with Django's test client against the database in ``DATABASE_URL`` (a
``seed_demo`` data set at some ``--scale``), with the settings of production (``DEBUG`` off).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regsys.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402

from enterprises.choices import Role, UnitKind  # noqa: E402
from enterprises.models import Enterprise, User  # noqa: E402
from inspections.models import Inspection  # noqa: E402
from regsys.scoping import scoped  # noqa: E402

setup_test_environment()  # lets the test client's "testserver" host through ALLOWED_HOSTS

# The pages people open every day (exports are jobs of their own and are not timed here).
PAGE_NAMES = [
    "home",
    "inspections:todo",
    "inspections:unit_list",
    "enterprises:list",
    "enterprises:licences_expiring",
    "grading:overview",
    "grading:grade_list",
    "grading:credit_list",
    "campaigns:list",
    "campaigns:template_list",
    "inspections:list",
    "inspections:quick",
    "inspections:rectification_list",
    "inspections:interview_list",
    "inspections:referral_list",
    "inspections:case_list",
    "planning:plan_list",
    "planning:due_list",
    "planning:draw_list",
    "planning:conflict_list",
    "planning:target_list",
    "planning:progress",
    "reporting:return_list",
    "reporting:calendar",
    "reporting:downloads",
]


@dataclass(frozen=True)
class Target:
    label: str
    url: str


def api_list_urls() -> list[Target]:
    """Every list endpoint of the API (router names ending in ``-list``), found in the URL resolver."""
    names: list[str] = []

    def walk(patterns) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list") and p.name not in names:
                names.append(p.name)

    walk(get_resolver().url_patterns)
    return [Target(f"API {reverse(n)}", reverse(n)) for n in names]


def targets_for(user: User) -> list[Target]:
    """The pages, one enterprise and one inspection detail page in ``user``'s scope, and the API lists."""
    pages = [Target(name, reverse(name)) for name in PAGE_NAMES]
    enterprise = scoped(Enterprise.objects.order_by("pk"), user).values_list("pk", flat=True).first()
    if enterprise:
        pages.append(Target("enterprises:detail", reverse("enterprises:detail", args=[enterprise])))
    inspection = scoped(Inspection.objects.order_by("-start_date", "-pk"), user).values_list("pk", flat=True).first()
    if inspection:
        pages.append(Target("inspections:detail", reverse("inspections:detail", args=[inspection])))
    return pages + api_list_urls()


def pick_users(station: str | None, district: str | None) -> dict[str, User]:
    """A 所 inspector (the first of the first station unless named) and a district user (kezhang)."""
    if station:
        station_user = User.objects.get(username=station)
    else:
        station_user = User.objects.filter(
            unit__kind=UnitKind.STATION, role=Role.STATION_STAFF, is_active=True
        ).order_by("unit__sort_order", "username").first()
    district_user = User.objects.get(username=district or "kezhang")
    return {"所": station_user, "区": district_user}


def data_size() -> str:
    return f"{Enterprise.objects.count():,} enterprises, {Inspection.objects.count():,} inspections"
