"""The working-day calendar: public holidays and 调休 workdays, kept as editable data.

A day is a working day when it is Monday–Friday and not listed as a holiday, or when it is listed as a
调休 workday (a weekend day worked in exchange). ``enterprises.workdays`` is the one reader.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regsys.choice_labels import ChoiceLabels
from regsys.versioning import VersionField


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(ChoiceLabels, models.Model):
    """One exception to the Monday–Friday week: a holiday, or a weekend day worked (调休)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("名称"), max_length=50, help_text=_("如“春节”“国庆节调休”"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如国务院办公厅放假安排通知"))
    is_default = models.BooleanField(
        _("默认值"), default=False, help_text=_("按国务院办公厅通知载入的默认值，可修改；修改后不再是默认值"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"
