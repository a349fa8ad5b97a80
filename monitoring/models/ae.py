"""Adverse-event monitoring: reports from the national system, the quota inputs and the 药械科's evaluations.

The plan's three AE quotas (每百万人口报告数, 注册人注册率, 二级以上医疗机构覆盖率) are computed by
``monitoring.selectors`` from these tables; nothing here stores a computed figure.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise, Subdistrict, Unit
from inspections.models import Inspection, Interview
from monitoring.choices import (
    Causality,
    DistrictRule,
    EvaluationStatus,
    EvaluationTrigger,
    EventOutcome,
    ReporterKind,
    ReporterMatch,
)
from regsys.choice_labels import ChoiceLabels
from regsys.jobs import BackgroundJob, JobStatus
from regsys.versioning import VersionField


class AdverseEventReport(ChoiceLabels, models.Model):
    """One 可疑医疗器械不良事件报告 as held by the national monitoring system (imported or typed in).

    ``unit`` is the 监管所 the report belongs to: the 所 of its 街道/镇, else of the matched reporting
    unit. A report with neither is seen by district users only until someone matches it.
    """

    code = models.CharField(_("报告编码"), max_length=60, unique=True)
    reported_on = models.DateField(_("报告日期"), db_index=True)
    occurred_on = models.DateField(_("事件发生日期"), null=True, blank=True)
    learned_on = models.DateField(_("获知日期"), null=True, blank=True)
    reporter_kind = models.CharField(_("报告来源"), max_length=20, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("报告单位名称"), max_length=200, blank=True)
    reporter_credit_code = models.CharField(_("报告单位统一社会信用代码"), max_length=18, blank=True)
    reporter = models.ForeignKey(
        Enterprise, verbose_name=_("报告单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ae_reports_filed",
    )
    reporter_match = models.CharField(
        _("报告单位匹配方式"), max_length=20, choices=ReporterMatch.choices, default=ReporterMatch.UNMATCHED
    )
    outcome = models.CharField(_("事件后果"), max_length=20, choices=EventOutcome.choices)
    product_name = models.CharField(_("产品名称"), max_length=200)
    registration_number = models.CharField(_("注册证编号/备案编号"), max_length=100, blank=True)
    registrant_name = models.CharField(_("注册人/生产企业"), max_length=200, blank=True)
    registrant = models.ForeignKey(
        Enterprise, verbose_name=_("本区注册人/生产企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ae_reports_as_registrant",
    )
    model_spec = models.CharField(_("型号规格"), max_length=200, blank=True)
    batch = models.CharField(_("批号"), max_length=100, blank=True)
    description = models.TextField(_("事件陈述"), blank=True)
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("街道/镇"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属监管所"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ae_reports",
    )
    is_late = models.BooleanField(
        _("超时限报告"), default=False,
        help_text=_("获知后超过法定时限（死亡7日、严重伤害20日）才报告"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("unit", "reporter__owning_unit")

    class Meta:
        verbose_name = _("不良事件报告")
        verbose_name_plural = _("不良事件报告")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "reported_on"], name="ae_unit_reported"),
            models.Index(fields=["product_name", "batch", "reported_on"], name="ae_product_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.product_name}"


class ReporterAlias(ChoiceLabels, models.Model):
    """A reporting-unit name (as the national system spells it) tied by hand to a registry enterprise.

    Remembered so that the next import matches the same name without asking again.
    """

    name = models.CharField(_("报告单位名称"), max_length=200, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("对应企业"), on_delete=models.CASCADE, related_name="ae_aliases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("报告单位对应关系")
        verbose_name_plural = _("报告单位对应关系")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.enterprise}"


class ImportProfile(ChoiceLabels, models.Model):
    """The column mapping of an imported Excel export (``kind``: the AE system's or the online-sales
    monitoring platform's lead list): header names are data, not code.

    ``columns`` maps each report field (``code``, ``reported_on`` …) to the header names it may carry,
    so a renamed column in a new export is one edit here.
    """

    class Kind(models.TextChoices):
        AE = "ae", _("不良事件报告")
        LEAD = "lead", _("网络销售监测线索")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("导入内容"), max_length=10, choices=Kind.choices, default=Kind.AE)
    is_default = models.BooleanField(_("默认"), default=False, help_text=_("每类导入内容的默认方案"))
    sheet_name = models.CharField(_("工作表名称"), max_length=100, blank=True, help_text=_("留空取第一个工作表"))
    header_row = models.PositiveSmallIntegerField(_("表头所在行"), default=1)
    columns = models.JSONField(_("列对应关系"), default=dict)
    values = models.JSONField(
        _("取值对应关系"), default=dict, blank=True,
        help_text=_("编码列（报告来源、事件后果）中导出文件的用词与系统选项的对应"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("导入列对应方案")
        verbose_name_plural = _("导入列对应方案")
        ordering = ["kind", "-is_default", "name"]

    def __str__(self) -> str:
        return self.name


def ae_import_upload_to(job: AEImportJob, filename: str) -> str:
    return f"monitoring/imports/{uuid.uuid4().hex}.xlsx"


class AEImportJob(BackgroundJob):
    """One upload of the national system's export: first checked and previewed, then applied on confirmation.

    The worker runs it twice: ``stage`` ``preview`` checks every row and lists what would be added, updated,
    left unchanged or left unmatched (``preview``), changing nothing; after the user confirms, ``apply``
    checks the file again and writes it all-or-nothing. ``errors`` lists ``{"row", "column", "message"}``.
    """

    class Stage(models.TextChoices):
        PREVIEW = "preview", _("预览")
        APPLY = "apply", _("导入")

    profile = models.ForeignKey(
        ImportProfile, verbose_name=_("列对应方案"), on_delete=models.PROTECT, related_name="jobs"
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.PREVIEW)
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("上传文件"), upload_to=ae_import_upload_to)
    filename = models.CharField(_("原文件名"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="ae_import_jobs"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows = models.PositiveIntegerField(_("检查行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    unmatched = models.PositiveIntegerField(_("未匹配报告单位"), default=0)
    preview = models.JSONField(_("预览明细"), default=list, blank=True)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    task_path = "monitoring.tasks.ae_import_task"
    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("不良事件导入任务")
        verbose_name_plural = _("不良事件导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def preview_ready(self) -> bool:
        """Checked without errors and waiting for the user's confirmation."""
        return self.stage == self.Stage.PREVIEW and self.status == JobStatus.SUCCESS


class PopulationFigure(ChoiceLabels, models.Model):
    """常住人口 of one 街道/镇 in one year, with its source: the denominator of the per-million quota."""

    year = models.PositiveSmallIntegerField(_("年度"))
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("街道/镇"), on_delete=models.PROTECT, related_name="population_figures"
    )
    population = models.PositiveIntegerField(_("常住人口"))
    source = models.CharField(_("数据来源"), max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("subdistrict__unit",)

    class Meta:
        verbose_name = _("常住人口")
        verbose_name_plural = _("常住人口")
        ordering = ["-year", "subdistrict__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "subdistrict"], name="population_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.subdistrict} {self.population}"


class MonitoringSettings(ChoiceLabels, models.Model):
    """One year's AE quota targets and working rules (默认值，可修改).

    Defaults: the 鹿城区2024 plan's quotas (≥480 per million, 100 %, 100 %); the reporter's legal limits
    of 7 days (死亡) and 20 days (严重伤害) after 获知 from 《医疗器械不良事件监测和再评价管理办法》.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    district_rule = models.CharField(
        _("计入本区的报告"), max_length=30, choices=DistrictRule.choices, default=DistrictRule.REPORTER_IN_DISTRICT
    )
    per_million_target = models.DecimalField(_("每百万人口报告数目标"), max_digits=8, decimal_places=1, default=480)
    registration_target = models.DecimalField(_("注册人注册率目标（%）"), max_digits=5, decimal_places=1, default=100)
    coverage_target = models.DecimalField(
        _("二级以上医疗机构报告覆盖率目标（%）"), max_digits=5, decimal_places=1, default=100
    )
    death_limit_days = models.PositiveSmallIntegerField(_("死亡事件报告时限（日）"), default=7)
    serious_limit_days = models.PositiveSmallIntegerField(_("严重伤害事件报告时限（日）"), default=20)
    evaluation_due_days = models.PositiveSmallIntegerField(_("评价期限（日）"), default=15)
    cluster_min_reports = models.PositiveSmallIntegerField(_("聚集性信号：报告数不少于"), default=3)
    cluster_window_days = models.PositiveSmallIntegerField(_("聚集性信号：时间窗（日）"), default=30)
    late_report_counts_in_grading = models.BooleanField(
        _("超时限报告计入分级/信用"), default=False,
        help_text=_("开启后，报告单位的超时限报告作为分级监管与信用评价的依据"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("不良事件监测设置")
        verbose_name_plural = _("不良事件监测设置")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度不良事件监测设置"


def registration_upload_to(record: RegistrantRegistration, filename: str) -> str:
    return f"monitoring/registrations/{uuid.uuid4().hex}{filename[filename.rfind('.'):] if '.' in filename else ''}"


class RegistrantRegistration(ChoiceLabels, models.Model):
    """Whether a local 注册人/备案人 holds an account in the national AE monitoring system."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("注册人/备案人"), on_delete=models.CASCADE, related_name="ae_registration"
    )
    registered = models.BooleanField(_("已在国家监测系统注册"), default=False)
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=registration_upload_to, blank=True)
    evidence_name = models.CharField(_("佐证材料文件名"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("注册人监测系统注册")
        verbose_name_plural = _("注册人监测系统注册")
        ordering = ["enterprise__name"]

    def __str__(self) -> str:
        return f"{self.enterprise}：{'已注册' if self.registered else '未注册'}"


class TrainingCourse(ChoiceLabels, models.Model):
    """A 业务培训 on AE monitoring held for enterprises (plan: 加强业务培训)."""

    held_on = models.DateField(_("培训日期"), db_index=True)
    topic = models.CharField(_("培训主题"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("地点"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = VersionField()

    history = HistoricalRecords()

    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("业务培训")
        verbose_name_plural = _("业务培训")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class TrainingAttendance(ChoiceLabels, models.Model):
    """An enterprise that attended a course, and how many of its people (with their names)."""

    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="attendances"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("参训企业"), on_delete=models.PROTECT, related_name="ae_trainings"
    )
    people = models.PositiveSmallIntegerField(_("参训人数"), default=1)
    names = models.CharField(_("参训人员"), max_length=300, blank=True)

    scope_unit_paths = ("course__unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("参训企业")
        verbose_name_plural = _("参训企业")
        constraints = [
            models.UniqueConstraint(fields=["course", "enterprise"], name="training_enterprise_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course}：{self.enterprise}"


class Evaluation(ChoiceLabels, models.Model):
    """The 药械科's evaluation of a death or serious-injury report, or of a cluster of reports.

    Measures are records of their own apps: a 约谈 and an 有因检查 draft created through the inspections
    services, linked here.
    """

    trigger = models.CharField(_("触发原因"), max_length=20, choices=EvaluationTrigger.choices)
    primary_report = models.ForeignKey(
        AdverseEventReport, verbose_name=_("首份报告"), on_delete=models.PROTECT, related_name="+"
    )
    reports = models.ManyToManyField(AdverseEventReport, verbose_name=_("涉及报告"), related_name="evaluations")
    unit = models.ForeignKey(Unit, verbose_name=_("评价单位"), on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("立项日期"))
    due_on = models.DateField(_("评价期限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN
    )
    opinion = models.TextField(_("评价意见"), blank=True)
    causality = models.CharField(_("关联性"), max_length=20, choices=Causality.choices, blank=True)
    evaluated_on = models.DateField(_("评价日期"), null=True, blank=True)
    measures = models.TextField(_("处置措施"), blank=True)
    interview = models.ForeignKey(
        Interview, verbose_name=_("约谈"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("有因检查"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    closure_note = models.CharField(_("关闭说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = VersionField()

    history = HistoricalRecords()

    scope_unit_paths = ("unit", "primary_report__unit")

    class Meta:
        verbose_name = _("不良事件评价")
        verbose_name_plural = _("不良事件评价")
        ordering = ["status", "due_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()}：{self.primary_report}"


class LateReportCredit(ChoiceLabels, models.Model):
    """The credit record written for one late report (when the year's settings count late reports).

    One per report at most: it makes the late-report rule idempotent however often the scan runs.
    """

    report = models.OneToOneField(
        AdverseEventReport, verbose_name=_("不良事件报告"), on_delete=models.CASCADE, related_name="late_credit"
    )
    credit_record = models.OneToOneField(
        "enterprises.CreditRecord", verbose_name=_("信用记录"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope_unit_paths = ("report__unit", "report__reporter__owning_unit")

    class Meta:
        verbose_name = _("超时限报告信用记录")
        verbose_name_plural = _("超时限报告信用记录")

    def __str__(self) -> str:
        return f"{self.report.code} → {self.credit_record}"
