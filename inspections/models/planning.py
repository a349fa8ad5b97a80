"""Annual inspection plans (日常监督检查计划, 飞行检查计划) and their items."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise, Unit
from inspections.choices import InspectionKind, PlanKind, PlanStatus


class InspectionPlan(models.Model):
    """One unit's plan of one kind for one year; approved by the chief."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("计划类型"), max_length=20, choices=PlanKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    note = models.TextField(_("说明"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["-year", "unit__sort_order", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="plan_unique_unit_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年{self.get_kind_display()}"


class PlanItem(models.Model):
    """A planned inspection of one enterprise; an inspection linked to it fulfils it."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="items"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="plan_items"
    )
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    target_month = models.PositiveSmallIntegerField(_("计划月份"), null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), blank=True, related_name="plan_items"
    )
    reason = models.CharField(_("列入理由"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords(m2m_fields=[officers])

    scope_unit_paths = ("plan__unit",)

    class Meta:
        verbose_name = _("计划项")
        verbose_name_plural = _("计划项")
        ordering = ["plan", "target_month", "enterprise__name"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.enterprise}"
