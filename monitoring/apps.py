from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("风险监测")

    def ready(self) -> None:
        from inspections.work_sources import register_work_source
        from monitoring.work import evaluation_work

        register_work_source(evaluation_work)
        from monitoring.disposal_risk import register as register_disposal_risk  # disposal

        register_disposal_risk()  # disposal
