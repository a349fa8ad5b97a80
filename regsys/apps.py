from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegsysConfig(AppConfig):
    """The project package as an app: it holds the notifications any service may send a user."""

    name = "regsys"
    label = "regsys"
    verbose_name = _("系统通知")

    def ready(self):
        from regsys import page_parts

        page_parts.connect()
