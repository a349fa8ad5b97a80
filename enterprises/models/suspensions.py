"""Production suspensions (停产): ordered (停产整改) or the enterprise's own, and their resumption (复产).

An ordered suspension (after a failed sample, a serious inspection finding …) cannot end until its
cause and rectification are recorded; ``enterprises.suspensions`` holds the rules.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regsys.choice_labels import ChoiceLabels
from regsys.versioning import VersionField

from .registry import Enterprise


class SuspensionKind(models.TextChoices):
    ORDERED = "ordered", _("责令停产整改")
    VOLUNTARY = "voluntary", _("企业自行停产")


def suspension_upload_to(record: "ProductionSuspension", filename: str) -> str:
    return f"suspensions/{record.enterprise_id}/{filename}"


class ProductionSuspension(ChoiceLabels, models.Model):
    """One period in which a manufacturer stopped production, from ``started_on`` to ``resumed_on``."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="suspensions"
    )
    kind = models.CharField(_("停产类型"), max_length=20, choices=SuspensionKind.choices)
    started_on = models.DateField(_("停产日期"))
    reason = models.CharField(_("停产原因"), max_length=300)
    # What led to it (a failed sample, an inspection …), when it came from a record in the system.
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("来源类型"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    cause = models.TextField(_("原因分析"), blank=True, help_text=_("查明的不合格/停产原因"))
    rectification = models.TextField(_("整改情况"), blank=True)
    rectification_recorded_on = models.DateField(_("整改记录日期"), null=True, blank=True)
    resumed_on = models.DateField(_("复产日期"), null=True, blank=True)
    resume_report = models.FileField(
        _("复产报告"), upload_to=suspension_upload_to, blank=True,
        help_text=_("连续停产一年以上的，复产前须提交书面报告"),
    )
    resume_note = models.CharField(_("复产说明"), max_length=300, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复产登记人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("停产记录")
        verbose_name_plural = _("停产记录")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "resumed_on"], name="suspension_open")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.resumed_on is None

    @property
    def rectification_recorded(self) -> bool:
        return bool(self.cause.strip() and self.rectification.strip())
