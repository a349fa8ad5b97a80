"""Statistical returns (报表) of campaigns, their workflow, and the export jobs of the download centre."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, CampaignDueDate, FormTemplate
from enterprises.models import Unit
from regsys.choice_labels import ChoiceLabels
from regsys.jobs import BackgroundJob
from reporting.choices import ReturnAction, ReturnStatus


class Return(ChoiceLabels, models.Model):
    """One version of a form filled for a campaign, a unit (or the district) and a cut-off date.

    ``data`` holds the computed grid (``{"total": {row: {metric: value}}, "units": {unit_id: …}}``);
    an approved return is locked and a recomputation creates the next version.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("专项整治"), on_delete=models.PROTECT, related_name="returns")
    template = models.ForeignKey(FormTemplate, verbose_name=_("报表"), on_delete=models.PROTECT, related_name="returns")
    unit = models.ForeignKey(
        Unit, verbose_name=_("填报单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="returns",
        help_text=_("为空表示全区汇总"),
    )
    cutoff = models.DateField(_("数据截止日期"))
    due_date = models.ForeignKey(
        CampaignDueDate, verbose_name=_("报送期限"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="returns", help_text=_("临时报送的报表没有报送期限"),
    )
    unscheduled = models.BooleanField(
        _("临时报送"), default=False,
        help_text=_("不定期的年终或临时报表：不对应任何报送期限，不计入按期报送情况"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("当前版本"), default=True)
    status = models.CharField(_("状态"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    data = models.JSONField(_("报表数据"), default=dict, blank=True)
    warnings = models.JSONField(_("校验提示"), default=list, blank=True)
    manual = models.JSONField(
        _("手填数据"), default=dict, blank=True,
        help_text=_("按行代码、列代码记录的手填单元格数值；重新计算时带入新版本"),
    )
    overrides = models.JSONField(
        _("手工修正"), default=dict, blank=True,
        help_text=_("按行代码、列代码记录的修正值、原因、原计算值、修正人和时间；重新计算后须再次确认"),
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    filled_by = models.CharField(_("填报人"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上报人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    history = HistoricalRecords(excluded_fields=["data", "manual", "overrides"])

    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("统计报表")
        verbose_name_plural = _("统计报表")
        ordering = ["-cutoff", "template__code", "unit__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "template", "unit", "cutoff", "version"], name="return_unique_version",
            ),
            models.CheckConstraint(
                condition=models.Q(unscheduled=True, due_date__isnull=True)
                | models.Q(unscheduled=False, due_date__isnull=False),
                name="return_unscheduled_has_no_due_date",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "template", "unit", "cutoff", "is_current"])]

    def __str__(self) -> str:
        unit = self.unit.display_name if self.unit_id else "全区"
        kind = " 临时报送" if self.unscheduled else ""
        return f"{self.template.code} {unit} 截至{self.cutoff:%Y-%m-%d}{kind} v{self.version}"

    @property
    def is_district(self) -> bool:
        return self.unit_id is None

    @property
    def is_locked(self) -> bool:
        return self.status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)

    @property
    def submitted_on_time(self) -> bool | None:
        """None while not submitted, and always for an unscheduled return (it has no due date)."""
        if not self.submitted_at or self.due_date_id is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) <= self.due_date.due_on


class ReturnEvent(ChoiceLabels, models.Model):
    """One step of a return's workflow (computed, recomputed, submitted, approved, sent back) with its comment."""

    ret = models.ForeignKey(Return, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=ReturnAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)

    scope_unit_paths = ("ret__unit",)

    class Meta:
        verbose_name = _("报表流转记录")
        verbose_name_plural = _("报表流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ret} {self.get_action_display()}"


class ReportingSettings(ChoiceLabels, models.Model):
    """The bureau's reporting contact, set by the administrator (one row).

    A district return written without a 填报人 or 联系方式 (e.g. by ``build_return``) uses these.
    """

    district_filled_by = models.CharField(_("区局报表填报人"), max_length=50, blank=True)
    district_contact = models.CharField(
        _("区局报表联系方式"), max_length=60, blank=True, help_text=_("为空时使用区局（监管单位）的联系电话"),
    )

    class Meta:
        verbose_name = _("报表设置")
        verbose_name_plural = _("报表设置")

    def __str__(self) -> str:
        return str(_("报表设置"))


def job_upload_to(job: "ExportJob", filename: str) -> str:
    return f"{job_file_dir(job)}/{filename}"


def job_file_dir(job: "ExportJob") -> str:
    """The folder of one job's files (relative to MEDIA_ROOT); nothing else is stored in it."""
    return f"exports/{job.created_at:%Y/%m}/{job.pk}"


class ExportJob(BackgroundJob):
    """A background export (à la Saleor): status, progress and the files it produced.

    Files are written under a temporary name and renamed to a name fixed by the job (``exports/<year>/<month>/
    <job id>/<stem>.xlsx``), so a rerun overwrites them and a download never gets a random suffix.
    """

    kind = models.CharField(_("类型"), max_length=30, default="return")
    ret = models.ForeignKey(
        Return, verbose_name=_("报表"), null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    title = models.CharField(_("名称"), max_length=200)
    export_name = models.CharField(_("导出列表"), max_length=50, blank=True)
    params = models.JSONField(_("导出条件"), default=dict, blank=True)  # list exports: {"query": …, "pk": …}
    xlsx = models.FileField(_("Excel 文件"), upload_to=job_upload_to, blank=True)
    docx = models.FileField(_("Word 文件"), upload_to=job_upload_to, blank=True)

    task_path = "reporting.tasks.return_build_task"
    list_task_path = "reporting.tasks.list_export_task"
    kind_task_paths = {"list": list_task_path, "risk_report": "reporting.tasks.risk_report_task",
                       "cockpit_summary": "reporting.tasks.cockpit_summary_task"}
    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def task_path_of(cls, pk: int) -> str:
        """A list export (kind ``list``) has its own task, so it runs on the exports queue; so has the quarterly
        risk-consultation report (kind ``risk_report``) and the cockpit's quarterly work summary (``cockpit_summary``)."""
        kind = cls.objects.filter(pk=pk).values_list("kind", flat=True).first()
        return cls.kind_task_paths.get(kind, cls.task_path)

    @property
    def total_size(self) -> int:
        """Bytes of the files produced (0 while running or when a file went missing)."""
        total = 0
        for field in (self.xlsx, self.docx):
            try:
                total += field.size if field else 0
            except OSError:
                pass
        return total


class QuarterSnapshot(ChoiceLabels, models.Model):
    """The cockpit's figures of one quarter, frozen at its end so a reported figure never drifts.

    ``data``: ``{indicator code: {"district": figure, "units": {unit id: figure}}}`` (figures as
    ``reporting.cockpit.base.Figure.as_json``). Taken by Celery beat once the quarter has ended, or on
    demand by the 药械科 with a reason; a new snapshot of the same quarter replaces the current one and the
    earlier one is kept (``is_current`` False).
    """

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("季度末自动冻结")
        MANUAL = "manual", _("手动冻结")

    year = models.PositiveIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    as_of = models.DateField(_("数据截止日期"))
    taken_at = models.DateTimeField(_("冻结时间"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    trigger = models.CharField(_("方式"), max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    reason = models.TextField(_("重新冻结原因"), blank=True)
    is_current = models.BooleanField(_("当前快照"), default=True)
    data = models.JSONField(_("指标数据"), default=dict)

    class Meta:
        verbose_name = _("季度快照")
        verbose_name_plural = _("季度快照")
        ordering = ["-year", "-quarter", "-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], condition=models.Q(is_current=True),
                                    name="snapshot_one_current_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="snapshot_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度快照"
