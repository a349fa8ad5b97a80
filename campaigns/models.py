"""Special campaigns (专项整治/专项行动), their reporting due dates and the form templates they report.

A form template (统计表一/二) is data: rows select enterprises by product-area tags and a supply-chain
link, columns name a metric defined once in ``reporting.metrics``. A new year's form is a new template
version (copied and edited by an admin), never new code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.choices import Link
from enterprises.models import Unit
from regsys.choice_labels import ChoiceLabels
from regsys.validators import YEAR_VALIDATORS
from regsys.versioning import VersionField


class CaseCountDate(models.TextChoices):
    """Which date of a case decides whether it falls in a return's period."""

    FILED = "filed_on", _("立案日期")
    DECIDED = "decided_on", _("处罚决定日期")
    CLOSED = "closed_on", _("结案日期")


class InterviewCountMode(models.TextChoices):
    DISTINCT_ENTERPRISES = "distinct", _("按企业去重（同一企业多次约谈计 1）")
    TIMES = "times", _("按约谈次数")


class CampaignKind(models.TextChoices):
    """What a campaign record stands for: a special campaign, or the plan's routine quarterly data returns."""

    CAMPAIGN = "campaign", _("专项整治/专项行动")
    ANNUAL = "annual", _("年度工作数据报送")


class RecordScope(models.TextChoices):
    """Which records a form's computed cells count."""

    LINKED = "linked", _("只统计关联本专项的记录")
    ALL = "all", _("统计期内本单位的全部记录（年度工作数据）")


class CellKind(models.TextChoices):
    """How a form cell gets its value (a column's default, or one cell's own setting)."""

    COMPUTED = "computed", _("计算（由指标统计）")
    MANUAL = "manual", _("手填")
    FORMULA = "formula", _("公式")
    NONE = "none", _("不适用（显示“—”）")


class CellDefinition(ChoiceLabels, models.Model):
    """What a cell holds: a metric, a hand-entered number with its checks, or a formula over other cells.

    ``FormColumn`` carries the column's default; a ``FormCell`` sets one cell of a row otherwise. The
    rules that read these fields live in ``reporting.form_cells`` (one place).
    """

    kind = models.CharField(_("单元格类型"), max_length=20, choices=CellKind.choices, default=CellKind.COMPUTED)
    metric = models.CharField(_("指标"), max_length=80, blank=True)
    formula = models.CharField(
        _("公式"), max_length=500, blank=True,
        help_text=_("如 {本行代码.列代码} 相加：{生产.检查} + {经营.检查}；省略行或列代码表示本行、本列，"
                    "如 {.完成数} / {.应完成数} * 100；可用 SUM、MIN、MAX、ROUND、ABS"),
    )
    min_value = models.DecimalField(_("最小值"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=18, decimal_places=4, null=True, blank=True)
    required = models.BooleanField(_("必填"), default=False, help_text=_("手填单元格：上报前必须填写"))

    class Meta:
        abstract = True


class FormTemplate(ChoiceLabels, models.Model):
    """One version of a statistical form (e.g. 2023 统计表一): layout, rows and columns as data."""

    code = models.CharField(_("报表代码"), max_length=40, help_text=_("如：统计表一"))
    year = models.PositiveIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    title_template = models.CharField(
        _("标题模板"), max_length=200, help_text=_("{year} 替换为年度，如：{year}年医疗器械质量安全专项整治工作情况统计表一")
    )
    preamble_fields = models.JSONField(
        _("表头填报项"), default=list, blank=True,
        help_text=_('如 [{"key": "reporting_unit", "label": "填报单位（盖章）："}, …]'),
    )
    header_label = models.CharField(_("项目列标题"), max_length=40, default="整治项目")
    label_columns = models.PositiveSmallIntegerField(_("项目列数"), default=2)
    footer_template = models.CharField(
        _("备注模板"), max_length=300,
        help_text=_("{year}{month}{day} 替换为截止日期，如：备注：本统计报表内数据应为专项整治工作开展以来截至{year}年{month}月{day}日的累计数。"),
    )
    case_count_date = models.CharField(
        _("案件计入日期"), max_length=20, choices=CaseCountDate.choices, default=CaseCountDate.FILED,
        help_text=_("案件按哪个日期计入统计期（文件未明确，默认按立案日期）"),
    )
    interview_count_mode = models.CharField(
        _("约谈计数方式"), max_length=20, choices=InterviewCountMode.choices,
        default=InterviewCountMode.DISTINCT_ENTERPRISES,
    )
    record_scope = models.CharField(
        _("统计口径"), max_length=20, choices=RecordScope.choices, default=RecordScope.LINKED,
        help_text=_("专项报表只统计关联本专项的记录；年度工作数据统计统计期内的全部记录"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="copies",
    )
    notes = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报表模板")
        verbose_name_plural = _("报表模板")
        ordering = ["-year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year", "version"], name="form_template_unique_version"),
        ]

    def __str__(self) -> str:
        suffix = f" v{self.version}" if self.version > 1 else ""
        return f"{self.year}年{self.code}{suffix}"

    def title_for(self, year: int | None = None) -> str:
        return self.title_template.replace("{year}", str(year or self.year))

    def footer_for(self, cutoff) -> str:
        return (
            self.footer_template.replace("{year}", str(cutoff.year))
            .replace("{month}", str(cutoff.month))
            .replace("{day}", str(cutoff.day))
        )


class FormRow(ChoiceLabels, models.Model):
    """One row of a form: its label cells (with merges as printed) and the enterprises it selects.

    An enterprise belongs to the row when it holds the link (``enterprises.links.link_q``) and any of
    the row's tags (a tag includes its child tags), and none of the excluded tags. Rows without tags
    select by link only. ``parent`` names the row this one is a "其中" part of (validated ≤ parent).
    """

    template = models.ForeignKey(
        FormTemplate, verbose_name=_("报表模板"), on_delete=models.CASCADE, related_name="rows"
    )
    order = models.PositiveIntegerField(_("顺序"))
    key = models.CharField(_("行代码"), max_length=100)
    path = models.JSONField(_("项目层级"), default=list, help_text=_('如 ["集中带量采购中选产品", "生产"]'))
    label_cells = models.JSONField(
        _("本行起始的项目单元格"), default=list, blank=True,
        help_text=_('如 [{"text": "集中带量采购中选产品", "col": 0, "colspan": 1, "rowspan": 3}]'),
    )
    link = models.CharField(_("环节"), max_length=30, choices=Link.choices, blank=True)
    tag_codes = models.JSONField(_("产品领域标签"), default=list, blank=True)
    exclude_tag_codes = models.JSONField(_("排除标签"), default=list, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("“其中”所属行"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children",
    )

    class Meta:
        verbose_name = _("报表行")
        verbose_name_plural = _("报表行")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="form_row_unique_key"),
        ]

    def __str__(self) -> str:
        return " / ".join(p for p in self.path if p) or self.key

    @property
    def display_label(self) -> str:
        return str(self)


class FormColumn(CellDefinition):
    """One data column of a form and the default of its cells (a metric, hand-entered, or a formula).

    ``key`` names the column in a return's stored grid and in formulas; the forms shipped before the
    designer use the metric's key.
    """

    template = models.ForeignKey(
        FormTemplate, verbose_name=_("报表模板"), on_delete=models.CASCADE, related_name="columns"
    )
    order = models.PositiveIntegerField(_("顺序"))
    key = models.CharField(_("列代码"), max_length=80)
    label = models.CharField(_("列标题"), max_length=60)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=0)
    width = models.PositiveSmallIntegerField(_("列宽"), default=10)
    help_text = models.TextField(_("口径说明"), blank=True, help_text=_("留空时显示指标的标准口径"))

    class Meta:
        verbose_name = _("报表列")
        verbose_name_plural = _("报表列")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="form_column_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if not self.key:  # a column made without a code is named by its metric, as the shipped forms are
            self.key = self.metric
        super().save(*args, **kwargs)


class FormCell(CellDefinition):
    """One cell that differs from its column's default (e.g. a hand-entered row in a computed column)."""

    template = models.ForeignKey(
        FormTemplate, verbose_name=_("报表模板"), on_delete=models.CASCADE, related_name="cells"
    )
    row = models.ForeignKey(FormRow, verbose_name=_("行"), on_delete=models.CASCADE, related_name="cells")
    column = models.ForeignKey(FormColumn, verbose_name=_("列"), on_delete=models.CASCADE, related_name="cells")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报表单元格设置")
        verbose_name_plural = _("报表单元格设置")
        ordering = ["template", "row__order", "column__order"]
        constraints = [
            models.UniqueConstraint(fields=["row", "column"], name="form_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.row} × {self.column}"


class Campaign(ChoiceLabels, models.Model):
    """A special campaign: inspections and cases may belong to it; its forms are filed by due date."""

    kind = models.CharField(_("类别"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.CAMPAIGN)
    name = models.CharField(_("专项名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("年度"), db_index=True, validators=YEAR_VALIDATORS)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    units = models.ManyToManyField(Unit, verbose_name=_("参加单位"), blank=True, related_name="campaigns")
    forms = models.ManyToManyField(
        FormTemplate, verbose_name=_("报送报表"), blank=True, related_name="campaigns"
    )
    description = models.TextField(_("工作要求"), blank=True)
    is_active = models.BooleanField(_("进行中"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    version = VersionField()

    history = HistoricalRecords(m2m_fields=[units, forms])

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["-year", "-start_date"]

    def __str__(self) -> str:
        return self.name


class CampaignDueDate(ChoiceLabels, models.Model):
    """A date by which the campaign's returns are due (e.g. 6月25日).

    After ``due_on`` the period is closed for filing unless the chief reopens it; a return filed while
    reopened counts as late. ``is_closed`` closes it early by hand.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项整治"), on_delete=models.CASCADE, related_name="due_dates"
    )
    due_on = models.DateField(_("报送截止日期"))
    label = models.CharField(_("说明"), max_length=60, blank=True)
    is_closed = models.BooleanField(_("已关闭"), default=False)
    reopened = models.BooleanField(_("已重新开放"), default=False)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("重新开放人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reopened_at = models.DateTimeField(_("重新开放时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        ordering = ["campaign", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "due_on"], name="campaign_due_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.due_on:%Y-%m-%d}"

    def is_open_on(self, day) -> bool:
        """Whether a return for this period may be filed on ``day``."""
        if self.reopened:
            return True
        return not self.is_closed and day <= self.due_on
