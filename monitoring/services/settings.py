"""The year's monitoring settings: the one rule for which settings apply to a year.

Every rule that depends on them (legal reporting limits, evaluation due days, cluster thresholds, the
late-report → credit switch, the quota targets and the district rule) reads them through here.
"""

from __future__ import annotations

from monitoring.models import MonitoringSettings

# The fields of ``MonitoringSettings`` users set (and a new year copies from the previous one).
SETTINGS_FIELDS = (
    "district_rule", "per_million_target", "registration_target", "coverage_target", "death_limit_days",
    "serious_limit_days", "evaluation_due_days", "cluster_min_reports", "cluster_window_days",
    "late_report_counts_in_grading",
)


def settings_for_year(year: int) -> MonitoringSettings:
    """The year's settings; when not yet created, an unsaved copy of the previous year's (else the defaults)."""
    current = MonitoringSettings.objects.filter(year=year).first()
    if current is not None:
        return current
    previous = MonitoringSettings.objects.filter(year__lt=year).order_by("-year").first()
    values = {name: getattr(previous, name) for name in SETTINGS_FIELDS} if previous else {}
    return MonitoringSettings(year=year, **values)


