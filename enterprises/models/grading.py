"""Graded supervision (分级监管): per-year criteria and frequencies as data, grades and credit records."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.grading.choices import (
    Confidence,
    CreditKind,
    CriterionEffect,
    GradeStatus,
    RuleKind,
    Sector,
)
from regsys.choice_labels import ChoiceLabels
from regsys.indexes import NullsOrderedIndex
from regsys.versioning import VersionField

from .registry import Enterprise


class GradingScheme(ChoiceLabels, models.Model):
    """The grading configuration of one year: deadline, due-date windows and what counts as inspected."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    grading_deadline = models.DateField(_("分级完成期限"), help_text=_("鹿城计划：3月31日前完成分类分级"))
    due_soon_days = models.PositiveIntegerField(
        _("即将到期提前天数"), default=30, help_text=_("应检日期前多少天起显示“即将到期”")
    )
    tolerance_days = models.PositiveIntegerField(
        _("到期宽限天数"), default=30, help_text=_("超过应检日期在宽限期内为“已到期”，超过宽限期为“逾期”")
    )
    qualifying_kinds = models.CharField(
        _("计入频次的检查类型"), max_length=300,
        help_text=_("以逗号分隔的检查类型代码；只有已完成的这些检查计入检查频次"),
    )
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度分级标准")
        verbose_name_plural = _("年度分级标准")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度分级标准"

    @property
    def qualifying_kind_list(self) -> list[str]:
        return [k.strip() for k in self.qualifying_kinds.split(",") if k.strip()]


class GradeLevel(ChoiceLabels, models.Model):
    """One level of one sector in one year's scheme, with its minimum inspection frequency.

    ``interval_months`` is the rolling interval after the last qualifying inspection; a level with a
    ``sample_ratio`` instead is covered by the 双随机 draw (e.g. random ≥25% per year).
    """

    scheme = models.ForeignKey(
        GradingScheme, verbose_name=_("分级标准"), on_delete=models.CASCADE, related_name="levels"
    )
    sector = models.CharField(_("环节"), max_length=20, choices=Sector.choices)
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("等级名称"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("等级高低"), help_text=_("数字越大监管越严"))
    interval_months = models.PositiveSmallIntegerField(
        _("检查间隔（月）"), null=True, blank=True, help_text=_("为空表示按比例随机抽查")
    )
    sample_ratio = models.DecimalField(
        _("随机抽查比例"), max_digits=4, decimal_places=3, null=True, blank=True,
        help_text=_("如 0.25 表示每年随机抽查不少于25%"),
    )
    is_key = models.BooleanField(_("重点监管"), default=False)
    frequency_text = models.CharField(_("检查频次要求"), max_length=200)
    confidence = models.CharField(_("确认情况"), max_length=1, choices=Confidence.choices)
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("监管等级")
        verbose_name_plural = _("监管等级")
        ordering = ["scheme", "sector", "-rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "sector", "code"], name="grade_level_unique_code"),
            models.UniqueConstraint(fields=["scheme", "sector", "rank"], name="grade_level_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.get_sector_display()}{self.name}"

    @property
    def is_sampled(self) -> bool:
        return self.interval_months is None


class GradingCriterion(ChoiceLabels, models.Model):
    """One grading criterion: which enterprises it matches (``rule`` + ``param``) and what it does."""

    scheme = models.ForeignKey(
        GradingScheme, verbose_name=_("分级标准"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("标准"), max_length=100)
    sector = models.CharField(
        _("适用环节"), max_length=20, choices=Sector.choices, blank=True, help_text=_("为空表示各环节")
    )
    rule = models.CharField(_("判断规则"), max_length=40, choices=RuleKind.choices)
    param = models.CharField(_("规则参数"), max_length=200, blank=True)
    effect = models.CharField(_("作用"), max_length=10, choices=CriterionEffect.choices)
    level = models.ForeignKey(
        GradeLevel, verbose_name=_("定级"), null=True, blank=True, on_delete=models.RESTRICT,
        related_name="criteria", help_text=_("作用为“定为所选等级”时必填"),
    )
    confidence = models.CharField(_("确认情况"), max_length=1, choices=Confidence.choices)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("分级标准条目")
        verbose_name_plural = _("分级标准条目")
        ordering = ["scheme", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grading_criterion_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseGrade(ChoiceLabels, models.Model):
    """An enterprise's supervision level in one sector for one year: proposed, adjusted, approved.

    ``proposed_level`` and ``reasons`` record what the rules said; ``level`` is the level in force
    (equal to the proposal unless staff changed it with ``change_reason``).
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="grades"
    )
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    sector = models.CharField(_("环节"), max_length=20, choices=Sector.choices)
    level = models.ForeignKey(
        GradeLevel, verbose_name=_("监管等级"), on_delete=models.PROTECT, related_name="grades"
    )
    is_key = models.BooleanField(_("年度重点监管"), default=False)
    proposed_level = models.ForeignKey(
        GradeLevel, verbose_name=_("系统建议等级"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_is_key = models.BooleanField(_("系统建议重点监管"), default=False)
    reasons = models.JSONField(_("命中标准"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=GradeStatus.choices, default=GradeStatus.PROPOSED, db_index=True
    )
    change_reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    proposed_at = models.DateTimeField(_("建议时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    last_inspected_on = models.DateField(
        _("上次检查日期"), null=True, blank=True, editable=False,
        help_text=_("最近一次计入频次的已完成检查；由评级与检查服务维护（enterprises.grading.last_inspected）"),
    )
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["last_inspected_on"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("企业监管等级")
        verbose_name_plural = _("企业监管等级")
        ordering = ["-year", "enterprise__name", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "sector"], name="grade_unique_enterprise_year_sector"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"]),
            # the due list's default order (上次检查, never inspected first) and its status filter
            NullsOrderedIndex("year", F("last_inspected_on").asc(nulls_first=True), name="grade_last_inspected_idx"),
            # 待审批 (the start page's waiting list): the few grades not yet approved, without reading the year's all
            models.Index(fields=["year"], condition=~Q(status=GradeStatus.APPROVED), name="grade_waiting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年 {self.level}"

    @property
    def is_changed(self) -> bool:
        return self.level_id != self.proposed_level_id or self.is_key != self.proposed_is_key


class CreditRecord(ChoiceLabels, models.Model):
    """A bad-credit fact about an enterprise (不良信用记录, 风险会商点名 …) that raises its grade."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_records"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=CreditKind.choices)
    recorded_on = models.DateField(_("记录日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    reason = models.CharField(_("事由"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"
