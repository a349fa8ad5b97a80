"""Excel imports run as background jobs: the uploaded file, progress and the row-level result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regsys.jobs import BackgroundJob

from .org import Unit


def import_upload_to(job: "ImportJob", filename: str) -> str:
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportJob(BackgroundJob):
    """One upload of the enterprise import: checked and imported all-or-nothing by the worker.

    ``errors`` lists ``{"row", "column", "message"}`` for the user; nothing is imported when it is not empty.
    """

    kind = models.CharField(_("类型"), max_length=30, default="enterprises")
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("上传文件"), upload_to=import_upload_to)
    filename = models.CharField(_("原文件名"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows = models.PositiveIntegerField(_("检查行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)

    task_path = "enterprises.tasks.enterprise_import_task"
    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
