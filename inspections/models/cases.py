"""Administrative cases (案件) and referrals (移送/移交) to other authorities."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign
from enterprises.models import Enterprise, Licence, Unit
from inspections.choices import CaseProcedure, CaseStatus, ReferralTarget
from regsys.choice_labels import ChoiceLabels
from regsys.validators import AMOUNT_VALIDATORS
from regsys.versioning import VersionField

from .core import Inspection


class Case(ChoiceLabels, models.Model):
    """An administrative penalty case. Amounts are stored in 元; forms show 万元."""

    number = models.CharField(_("案件编号"), max_length=60, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("当事企业"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("办案单位"), on_delete=models.PROTECT, related_name="cases"
    )
    source_inspection = models.ForeignKey(
        Inspection, verbose_name=_("案件来源检查"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )
    filed_on = models.DateField(_("立案日期"), db_index=True)
    procedure = models.CharField(_("程序"), max_length=20, choices=CaseProcedure.choices)
    violation = models.TextField(_("违法事实"))
    legal_basis = models.CharField(_("处罚依据"), max_length=200, blank=True)
    status = models.CharField(
        _("案件状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.FILED
    )
    investigated_on = models.DateField(_("调查日期"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    executed_on = models.DateField(_("执行日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    fine_amount = models.DecimalField(_("罚款（元）"), max_digits=14, decimal_places=2, default=0,
                                      validators=AMOUNT_VALIDATORS)
    confiscation_amount = models.DecimalField(
        _("没收违法所得及非法财物（元）"), max_digits=14, decimal_places=2, default=0, validators=AMOUNT_VALIDATORS
    )
    suspension_ordered = models.BooleanField(_("责令停产停业"), default=False)
    revoked_licence = models.ForeignKey(
        Licence, verbose_name=_("吊销的许可证"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="revoking_cases",
    )
    listed_serious_dishonest = models.BooleanField(_("列入严重违法失信名单"), default=False)
    decision_number = models.CharField(_("处罚决定书文号"), max_length=100, blank=True)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), blank=True, related_name="handled_cases"
    )
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("所属专项整治"), blank=True, related_name="cases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[handlers])

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-filed_on", "-id"]
        indexes = [
            # Cases still being handled (待办), without the closed history.
            models.Index(fields=["filed_on"], condition=~models.Q(status=CaseStatus.CLOSED), name="case_open_idx"),
            # The same per path of a 监管所's scope (its unit, its enterprises).
            models.Index(fields=["unit", "filed_on"], condition=~models.Q(status=CaseStatus.CLOSED),
                         name="case_open_unit_idx"),
            models.Index(fields=["enterprise", "filed_on"], condition=~models.Q(status=CaseStatus.CLOSED),
                         name="case_open_enterprise_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_locked(self) -> bool:
        """A closed case (结案) is no longer changed."""
        return self.status == CaseStatus.CLOSED


class CasePenalisedPerson(ChoiceLabels, models.Model):
    """A person in charge punished in a case (处罚到人), with their fine in 元."""

    case = models.ForeignKey(
        Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="penalised_persons"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    fine_amount = models.DecimalField(_("罚款（元）"), max_digits=14, decimal_places=2, default=0,
                                      validators=AMOUNT_VALIDATORS)

    history = HistoricalRecords()

    scope_unit_paths = ("case__unit", "case__enterprise__owning_unit")

    class Meta:
        verbose_name = _("被处罚责任人")
        verbose_name_plural = _("被处罚责任人")

    def __str__(self) -> str:
        return self.name


class Referral(ChoiceLabels, models.Model):
    """A case or lead handed to another authority (公安, 卫生, 通信, 海关, 纪检)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("涉及企业"), on_delete=models.PROTECT, related_name="referrals"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("移送单位"), on_delete=models.PROTECT)
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("来源检查"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    target = models.CharField(_("移送对象"), max_length=20, choices=ReferralTarget.choices)
    referred_on = models.DateField(_("移送日期"), db_index=True)
    note = models.TextField(_("移送内容"), blank=True)
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("所属专项整治"), blank=True, related_name="referrals"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("移送/移交")
        verbose_name_plural = _("移送/移交")
        ordering = ["-referred_on"]

    def __str__(self) -> str:
        return f"{self.referred_on:%Y-%m-%d} 移送{self.get_target_display()}"
