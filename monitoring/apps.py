from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("风险监测")

    def ready(self) -> None:
        from inspections.work_sources import register_work_source
        from monitoring.sampling_work import sampling_work
        from monitoring.work import evaluation_work

        register_work_source(evaluation_work)
        from monitoring.complaint_risk import register_complaint_sources  # complaints
        register_complaint_sources()  # complaints
        __import__("monitoring.leads_work", fromlist=["register"]).register()  # leads: 待办 and risk candidates
        register_work_source(sampling_work)
        from monitoring.risk_providers import register as register_risk  # risk

        register_risk()  # risk
        from monitoring.disposal_risk import register as register_disposal_risk  # disposal

        register_disposal_risk()  # disposal
