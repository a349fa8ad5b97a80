"""Annual inspection plans (日常监督检查计划, 飞行检查计划), their items, 双随机 draws and targets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.grading.choices import Confidence, Sector
from enterprises.models import Enterprise, Unit
from inspections.choices import InspectionKind, PlanKind, PlanStatus
from inspections.planning.choices import ItemSource, TargetKind
from regsys.choice_labels import ChoiceLabels
from regsys.versioning import VersionField


class InspectionPlan(ChoiceLabels, models.Model):
    """One unit's plan of one kind for one year; approved by the chief."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("计划类型"), max_length=20, choices=PlanKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    note = models.TextField(_("说明"), blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
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

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanItem(ChoiceLabels, models.Model):
    """A planned inspection of one enterprise; a finalised inspection linked to it fulfils it."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="items"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="plan_items"
    )
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    target_month = models.PositiveSmallIntegerField(_("计划月份"), null=True, blank=True)
    target_quarter = models.PositiveSmallIntegerField(_("计划季度"), null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), blank=True, related_name="plan_items"
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=ItemSource.choices, default=ItemSource.MANUAL
    )
    draw = models.ForeignKey(
        "inspections.RandomDraw", verbose_name=_("双随机抽取"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="plan_items",
    )
    due_date = models.DateField(_("应检日期"), null=True, blank=True)
    reason = models.CharField(_("列入理由"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    done_on = models.DateField(
        _("完成日期"), null=True, blank=True, editable=False,
        help_text=_("关联的已完成检查中最早的检查日期；由检查服务维护（plan_items_refresh_done）"),
    )
    version = VersionField()

    history = HistoricalRecords(m2m_fields=[officers], excluded_fields=["done_on"])

    scope_unit_paths = ("plan__unit",)

    class Meta:
        verbose_name = _("计划项")
        verbose_name_plural = _("计划项")
        ordering = ["plan", "target_month", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "enterprise", "kind"], name="plan_item_unique_kind"),
        ]
        indexes = [
            # the plan list's planned/done counts: index-only per plan
            models.Index(fields=["plan", "done_on"], name="plan_item_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.enterprise}"

    @property
    def period_label(self) -> str:
        if self.target_month:
            return f"{self.target_month}月"
        if self.target_quarter:
            return f"第{self.target_quarter}季度"
        return ""


class ConflictOfInterest(ChoiceLabels, models.Model):
    """An officer who must not inspect an enterprise (relative, former employer …)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), on_delete=models.PROTECT,
        related_name="conflicts",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="conflicts"
    )
    reason = models.CharField(_("回避理由"), max_length=200)
    declared_on = models.DateField(_("申报日期"))
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    history = HistoricalRecords()

    scope_unit_paths = ("officer__unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        ordering = ["officer", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "enterprise"], name="conflict_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.enterprise}"


class RandomDraw(ChoiceLabels, models.Model):
    """A 双随机 draw: enterprises from a defined pool and officers from the unit's pool.

    The pool, officer pool and conflicts are snapshotted with the seed, so anyone can re-run the
    draw (``inspections.planning.draws.draw_run``) and must get the same picks.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="draws")
    year = models.PositiveIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    sector = models.CharField(_("环节"), max_length=20, choices=Sector.choices, blank=True)
    level_codes = models.CharField(
        _("监管等级代码"), max_length=100, blank=True, help_text=_("逗号分隔，如 o1；为空不限等级")
    )
    tag_codes = models.CharField(_("产品领域标签"), max_length=200, blank=True)
    ratio = models.DecimalField(_("抽取比例"), max_digits=4, decimal_places=3)
    officers_per_enterprise = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    seed = models.CharField(_("随机种子"), max_length=40)
    pool = models.JSONField(_("企业库（企业ID）"), default=list)
    officer_pool = models.JSONField(_("检查人员库（用户ID）"), default=list)
    conflicts = models.JSONField(_("回避关系（人员ID, 企业ID）"), default=list)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公示人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年 {self.name}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DrawPick(ChoiceLabels, models.Model):
    """One enterprise drawn, with the officers drawn for it."""

    draw = models.ForeignKey(RandomDraw, verbose_name=_("抽取"), on_delete=models.CASCADE, related_name="picks")
    position = models.PositiveIntegerField(_("序号"))
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="draw_picks"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="draw_picks"
    )

    scope_unit_paths = ("draw__unit",)

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "enterprise"], name="draw_pick_unique_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.draw} #{self.position} {self.enterprise}"


class AnnualTarget(ChoiceLabels, models.Model):
    """One annual inspection target (鹿城2024 defaults), defined once: who counts and how much.

    Denominator: active enterprises in any of ``links`` (``enterprises.links.link_q``) carrying any
    of ``tag_codes``. Numerator: those with a finalised inspection of ``inspection_kinds`` in the year.
    """

    year = models.PositiveIntegerField(_("年度"))
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("指标"), max_length=100)
    kind = models.CharField(_("指标类型"), max_length=20, choices=TargetKind.choices)
    links = models.CharField(_("环节"), max_length=200, blank=True, help_text=_("逗号分隔的环节代码"))
    tag_codes = models.CharField(_("产品领域标签"), max_length=200, blank=True)
    inspection_kinds = models.CharField(
        _("计入的检查类型"), max_length=200, blank=True, help_text=_("逗号分隔，为空表示全部检查类型")
    )
    min_ratio = models.DecimalField(
        _("最低覆盖率"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    min_count = models.PositiveIntegerField(_("最少检查企业数"), null=True, blank=True)
    district_only = models.BooleanField(
        _("仅考核全区"), default=False, help_text=_("如飞行检查总数，只在全区汇总考核")
    )
    confidence = models.CharField(_("确认情况"), max_length=1, choices=Confidence.choices)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度检查指标")
        verbose_name_plural = _("年度检查指标")
        ordering = ["year", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="target_unique_year_code"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"

    @staticmethod
    def _split(value: str) -> list[str]:
        return [v.strip() for v in value.split(",") if v.strip()]

    @property
    def link_list(self) -> list[str]:
        return self._split(self.links)

    @property
    def tag_list(self) -> list[str]:
        return self._split(self.tag_codes)

    @property
    def kind_list(self) -> list[str]:
        return self._split(self.inspection_kinds)
