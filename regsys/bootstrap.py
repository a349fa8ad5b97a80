"""Registries of the set-up steps each app contributes.

``load_reference`` (idempotent, safe in production) loads reference data: tags, checklist
templates, grading defaults, form templates. ``seed_demo`` builds the demo district on top of it.
Each entry is a dotted path to a function; they run in this order (dependency order).
"""

import datetime

REFERENCE_LOADERS: list[str] = [
    "enterprises.reference.load_reference",  # product-area tags
    "inspections.reference.load_reference",  # checklist templates
    "enterprises.grading.loader.load_reference",  # grading criteria and frequencies
    "inspections.planning.loader.load_reference",  # annual targets (Lucheng 2024 defaults)
    "campaigns.reference.load_reference",  # 统计表一/二 form templates
    "monitoring.loader.load_reference",  # default column mapping of the national AE export
]

# Each seeder is called as seeder(ctx) with a regsys.bootstrap.DemoContext and returns a summary.
DEMO_SEEDERS: list[str] = [
    "enterprises.demo.seed",  # units, users, 街道/镇, ownership rules, enterprises, licences
    "campaigns.demo.seed",  # 2023 campaign + current-year campaign, due dates, an enterprise for every row
    "inspections.demo.seed",  # a year (and more) of inspections, outcomes, cases, referrals
    "inspections.campaign_demo.seed",  # records linked to the campaigns, a campaign inspection for every row
    "enterprises.grading.demo.seed",  # approved grades for the current year
    "enterprises.duties.filing_demo.seed",  # self-reports and responsibility letters (on time, late, missing)
    "enterprises.duties.zombie_demo.seed",  # 僵尸企业 clean-up: five candidates taken up (two 注销, one 规范)
    "inspections.planning.demo.seed",  # approved plans, draws, linked inspections
    "monitoring.demo.seed",  # two years of AE reports, population, registrations, evaluations, trainings
    "monitoring.demo_disposal.seed",  # disposal of failed samples: controls, a draft inspection, an open 停产整改
    "enterprises.duties.udi_demo.seed",  # UDI: the 三甲 hospitals at mixed status, manufacturers' coding per batch
    "enterprises.duties.expiry_demo.seed",  # an expired licence still 在营, renewal windows, 复产 after 14 months
    "reporting.demo.seed",  # returns filed for the campaigns
    "reporting.notifications_demo.seed",  # last: the deadline scan once (reminders, overdue notices)
]


def resolve_steps(paths: list[str], warn) -> list:
    """Import each registered step. A step whose module is not there yet is reported and skipped
    (so one app can be developed before the others); ``regsys/tests`` asserts that all exist."""
    from django.utils.module_loading import import_string

    steps = []
    for dotted in paths:
        module = dotted.rsplit(".", 1)[0]
        try:
            steps.append((dotted, import_string(dotted)))
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            warn(f"跳过 {dotted}：模块 {module} 不存在")
    return steps


class DemoContext:
    """What every demo seeder gets: the scale, a seed for its own ``random.Random`` and stdout.

    ``today`` (the local date unless given) is fixed per run, and the demo is the same for the same
    seed and date: the current campaign, its filed returns, this year's grades and plans all follow it.
    ``year`` is the demo's current year; 2023 holds the historical campaign.
    """

    def __init__(self, *, scale: int, seed: int, out, today: datetime.date | None = None) -> None:
        from django.utils import timezone

        self.scale = scale
        self.seed = seed
        self.out = out
        self.today = today or timezone.localdate()
        self.year = self.today.year

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """A moment of a demo day (local time), for records dated back to when they happened."""
        from django.utils import timezone

        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())

    def rng(self, name: str):
        """A random generator private to one seeder, so seeders do not disturb each other."""
        import random

        return random.Random(f"{self.seed}:{name}")
