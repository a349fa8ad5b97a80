"""Special campaigns (专项整治/专项行动) and their reporting due dates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Unit


class Campaign(models.Model):
    """A special campaign: inspections and cases may belong to it; its forms are filed by due date."""

    name = models.CharField(_("专项名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    units = models.ManyToManyField(Unit, verbose_name=_("参加单位"), blank=True, related_name="campaigns")
    description = models.TextField(_("工作要求"), blank=True)
    is_active = models.BooleanField(_("进行中"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["-year", "-start_date"]

    def __str__(self) -> str:
        return self.name


class CampaignDueDate(models.Model):
    """A date by which the campaign's returns are due (e.g. 6月25日)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项整治"), on_delete=models.CASCADE, related_name="due_dates"
    )
    due_on = models.DateField(_("报送截止日期"))
    label = models.CharField(_("说明"), max_length=60, blank=True)
    is_closed = models.BooleanField(_("已关闭"), default=False)

    class Meta:
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        ordering = ["campaign", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "due_on"], name="campaign_due_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.due_on:%Y-%m-%d}"
