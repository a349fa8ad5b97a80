"""Supervisory sampling (监督抽检): tasks by plan, samples, their dated steps and the disposal of failures.

Step durations are data (``SamplingStepRule``); a step's due date is computed from the step before it
by ``monitoring.services.sampling`` and stored on the step row so lists and 待办 can filter on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import CreditRecord, Enterprise, ProductionSuspension, Unit
from inspections.models import Case, Inspection
from monitoring.choices import (
    ControlMeasure,
    RetestStatus,
    SampleConclusion,
    SampledLink,
    SampleStepKind,
    SamplingLevel,
)
from regsys.choice_labels import ChoiceLabels
from regsys.versioning import VersionField


class SamplingTask(ChoiceLabels, models.Model):
    """A sampling task handed down by a plan (国抽/省抽/市抽/区抽 of one year) with its quota of batches."""

    level = models.CharField(_("抽检级别"), max_length=20, choices=SamplingLevel.choices)
    year = models.PositiveSmallIntegerField(_("计划年度"))
    name = models.CharField(_("任务名称"), max_length=200)
    plan_document = models.CharField(_("计划文件"), max_length=200, blank=True)
    quota = models.PositiveIntegerField(_("任务批次数"), default=0)
    unit = models.ForeignKey(
        Unit, verbose_name=_("承担单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("留空表示由药械科统筹，全区各所均可录入样品"),
    )
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("抽检任务")
        verbose_name_plural = _("抽检任务")
        ordering = ["-year", "level", "name"]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_level_display()}：{self.name}"


class SamplingStepRule(ChoiceLabels, models.Model):
    """How long a step may take after the step before it (默认值，可修改)."""

    step = models.CharField(_("环节"), max_length=30, choices=SampleStepKind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("时限（天）"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("抽检环节时限")
        verbose_name_plural = _("抽检环节时限")
        ordering = ["id"]

    def __str__(self) -> str:
        unit = _("个工作日") if self.working_days else _("日")
        return f"{self.get_step_display()}：{self.days}{unit}"


class Sample(ChoiceLabels, models.Model):
    """One sampled batch (样品) of a task, taken at one enterprise by at least two officers."""

    task = models.ForeignKey(SamplingTask, verbose_name=_("抽检任务"), on_delete=models.PROTECT, related_name="samples")
    sample_no = models.CharField(_("抽样单号"), max_length=60, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("被抽样单位"), on_delete=models.PROTECT, related_name="samples"
    )
    link = models.CharField(_("抽样环节"), max_length=20, choices=SampledLink.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("抽样单位（监管所）"), on_delete=models.PROTECT, related_name="samples",
    )
    product_name = models.CharField(_("产品名称"), max_length=200)
    registrant_name = models.CharField(_("注册人/备案人"), max_length=200, blank=True)
    registrant = models.ForeignKey(
        Enterprise, verbose_name=_("本区注册人/备案人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="samples_as_registrant",
    )
    registration_number = models.CharField(_("注册证编号/备案编号"), max_length=100, blank=True)
    model_spec = models.CharField(_("规格型号"), max_length=200, blank=True)
    batch = models.CharField(_("批号/编号"), max_length=100)
    quantity = models.CharField(_("抽样数量"), max_length=60)
    sampled_on = models.DateField(_("抽样日期"), db_index=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("抽样人员"), related_name="samples")
    # Result
    lab = models.CharField(_("检验机构"), max_length=200, blank=True)
    report_no = models.CharField(_("检验报告编号"), max_length=100, blank=True)
    conclusion = models.CharField(
        _("检验结论"), max_length=20, choices=SampleConclusion.choices, default=SampleConclusion.PENDING,
        db_index=True,
    )
    failed_items = models.TextField(_("不合格项目"), blank=True)
    retest = models.CharField(_("复检"), max_length=20, choices=RetestStatus.choices, default=RetestStatus.NONE)
    retest_requested_on = models.DateField(_("复检申请日期"), null=True, blank=True)
    retest_note = models.CharField(_("复检情况"), max_length=300, blank=True)
    # The step that waits next and its due date (kept by the service from the step rows, for lists and 待办).
    next_step = models.CharField(_("待办环节"), max_length=30, choices=SampleStepKind.choices, blank=True)
    next_due_on = models.DateField(_("待办环节期限"), null=True, blank=True, db_index=True)
    # Disposal of a failure (不合格处置)
    follow_up_inspection = models.ForeignKey(
        Inspection, verbose_name=_("有因/体系检查"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="source_samples",
    )
    suspension = models.ForeignKey(
        ProductionSuspension, verbose_name=_("停产整改"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="samples",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("立案"), null=True, blank=True, on_delete=models.SET_NULL, related_name="samples"
    )
    strict = models.BooleanField(
        _("从严查处"), default=False, help_text=_("同一企业两年内两次抽检不合格"),
    )
    credit_record = models.ForeignKey(
        CreditRecord, verbose_name=_("信用记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disposal_note = models.TextField(_("处置情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[officers])

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("抽检样品")
        verbose_name_plural = _("抽检样品")
        ordering = ["-sampled_on", "-id"]
        indexes = [models.Index(fields=["unit", "next_due_on"], name="sample_unit_due")]

    def __str__(self) -> str:
        return f"{self.sample_no} {self.product_name}"


def sample_step_upload_to(step: SampleStep, filename: str) -> str:
    return f"sampling/{step.sample_id}/{filename}"


class SampleStep(ChoiceLabels, models.Model):
    """One step of a sample: when it is due, when it was done and by whom."""

    sample = models.ForeignKey(Sample, verbose_name=_("样品"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("环节"), max_length=30, choices=SampleStepKind.choices)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    file = models.FileField(_("附件"), upload_to=sample_step_upload_to, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("sample__unit", "sample__enterprise__owning_unit")

    class Meta:
        verbose_name = _("抽检环节")
        verbose_name_plural = _("抽检环节")
        ordering = ["sample", "id"]
        constraints = [models.UniqueConstraint(fields=["sample", "step"], name="sample_step_once")]

    def __str__(self) -> str:
        return f"{self.sample.sample_no} {self.get_step_display()}"


class SampleControl(ChoiceLabels, models.Model):
    """A control measure on a related operator or use unit after a failed sample."""

    sample = models.ForeignKey(Sample, verbose_name=_("样品"), on_delete=models.CASCADE, related_name="controls")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("相关单位"), on_delete=models.PROTECT, related_name="sample_controls"
    )
    measure = models.CharField(_("控制措施"), max_length=20, choices=ControlMeasure.choices)
    done_on = models.DateField(_("实施日期"))
    quantity = models.CharField(_("涉及数量"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("sample__unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("控制措施")
        verbose_name_plural = _("控制措施")
        ordering = ["sample", "done_on", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_measure_display()}"
