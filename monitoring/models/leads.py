"""Online-sales leads (网络销售监测线索) pushed by the national online-sales monitoring platform.

A lead belongs to the 所 of the registry enterprise it was matched to (``unit``); a lead matched to no
enterprise has no unit and waits in the 药械科's queue until a district user assigns an enterprise or a
unit. Measures are records of their own apps where one exists: 立案 links an ``inspections.Case``,
移交通信管理部门 links the ``inspections.Referral`` created through the inspections service; 责令改正
issued on an online lead (no inspection behind it) is a dated note on the lead.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise, Unit
from inspections.models import Case, Referral
from monitoring.leads_choices import LeadMatch, LeadResult, LeadStatus
from regsys.choice_labels import ChoiceLabels
from regsys.jobs import BackgroundJob, JobStatus
from regsys.versioning import VersionField

from .ae import ImportProfile


class OnlineLead(ChoiceLabels, models.Model):
    """One lead of the national online-sales monitoring platform and its disposal (核查、处置、反馈)."""

    code = models.CharField(_("线索编号"), max_length=60, unique=True)
    platform = models.CharField(_("平台名称"), max_length=100, db_index=True)
    shop_name = models.CharField(_("店铺名称"), max_length=200)
    operator_name = models.CharField(_("经营主体名称"), max_length=200, blank=True,
                                     help_text=_("平台推送的店铺经营者（企业）名称"))
    operator_credit_code = models.CharField(_("经营主体统一社会信用代码"), max_length=18, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    product = models.CharField(_("涉及产品"), max_length=200, blank=True)
    problem = models.TextField(_("涉嫌问题"))
    pushed_on = models.DateField(_("推送日期"), db_index=True)
    deadline = models.DateField(_("处置期限"), db_index=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("对应企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="online_leads",
    )
    match = models.CharField(_("匹配方式"), max_length=20, choices=LeadMatch.choices, default=LeadMatch.UNMATCHED)
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="online_leads", help_text=_("空：在药械科待分派清单中"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.QUEUED)
    result = models.CharField(_("核查结果"), max_length=20, choices=LeadResult.choices, blank=True)
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)
    check_note = models.TextField(_("核查情况"), blank=True)
    correction_ordered_on = models.DateField(_("责令改正日期"), null=True, blank=True)
    correction_note = models.CharField(_("责令改正内容"), max_length=300, blank=True)
    case = models.ForeignKey(
        Case, verbose_name=_("立案"), null=True, blank=True, on_delete=models.PROTECT, related_name="online_leads",
    )
    referral = models.ForeignKey(
        Referral, verbose_name=_("移交通信管理部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="online_leads",
    )
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处置人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("网络销售监测线索")
        verbose_name_plural = _("网络销售监测线索")
        ordering = ["-pushed_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "deadline"], name="lead_unit_status_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.shop_name}"

    def is_overdue_on(self, day) -> bool:
        """No feedback after its disposal deadline (the rule lives in ``monitoring.services.leads``)."""
        from monitoring.services.leads import lead_overdue

        return lead_overdue(deadline=self.deadline, feedback_on=self.feedback_on, today=day)


def lead_import_upload_to(job: LeadImportJob, filename: str) -> str:
    return f"monitoring/lead-imports/{uuid.uuid4().hex}.xlsx"


class LeadImportJob(BackgroundJob):
    """One upload of the platform's lead list: checked and previewed first, applied on confirmation.

    Like ``AEImportJob``: ``preview`` lists what would be added, updated or left unchanged and which leads
    stay unmatched; ``apply`` checks the file again and writes it all-or-nothing. ``errors`` lists
    ``{"row", "column", "message"}``.
    """

    class Stage(models.TextChoices):
        PREVIEW = "preview", _("预览")
        APPLY = "apply", _("导入")

    profile = models.ForeignKey(
        ImportProfile, verbose_name=_("列对应方案"), on_delete=models.PROTECT, related_name="lead_jobs"
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.PREVIEW)
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("上传文件"), upload_to=lead_import_upload_to)
    filename = models.CharField(_("原文件名"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="lead_import_jobs"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows = models.PositiveIntegerField(_("检查行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    unmatched = models.PositiveIntegerField(_("未匹配企业"), default=0)
    preview = models.JSONField(_("预览明细"), default=list, blank=True)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    task_path = "monitoring.tasks.lead_import_task"
    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("线索导入任务")
        verbose_name_plural = _("线索导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def preview_ready(self) -> bool:
        return self.stage == self.Stage.PREVIEW and self.status == JobStatus.SUCCESS
