"""The year's monitoring settings, with the model's defaults when the year has none yet."""

from __future__ import annotations

from monitoring.models import MonitoringSettings


def settings_for_year(year: int) -> MonitoringSettings:
    """The ``MonitoringSettings`` of ``year``; an unsaved instance with the defaults when there is no row.

    Every rule that depends on the year's settings (legal reporting limits, evaluation due days,
    cluster thresholds, the late-report → credit switch) reads them through here.
    """
    return MonitoringSettings.objects.filter(year=year).first() or MonitoringSettings(year=year)
