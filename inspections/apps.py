from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查与执法")

    def ready(self) -> None:
        from enterprises.duties.expiry_work import expiry_work  # expiry
        from inspections.work_sources import register_work_source

        register_work_source(expiry_work)  # expiry
