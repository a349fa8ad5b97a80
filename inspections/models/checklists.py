"""Checklists as data (GSP/GMP/使用环节 templates) and the answers and files of an inspection."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inspections.choices import AnswerResult
from regsys.choice_labels import ChoiceLabels

from .core import Inspection


class ChecklistTemplate(ChoiceLabels, models.Model):
    """A checklist for one inspection situation, e.g. 经营企业 GSP 日常检查."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    inspection_kinds = models.CharField(
        _("适用检查类型"), max_length=200, blank=True, help_text=_("以逗号分隔的检查类型代码，空表示全部")
    )
    link = models.CharField(_("适用环节"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("检查表模板")
        verbose_name_plural = _("检查表模板")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(ChoiceLabels, models.Model):
    """One item of a checklist; key items (※) weigh more in conclusions."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("条款号"), max_length=20)
    text = models.TextField(_("检查内容"))
    is_key = models.BooleanField(_("关键项（※）"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        ordering = ["template", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="checklist_item_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{'※' if self.is_key else ''}{self.code} {self.text[:30]}"


class ChecklistAnswer(ChoiceLabels, models.Model):
    """The answer to one checklist item in one inspection; every change is kept (who, when, old → new)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项目"), on_delete=models.PROTECT)
    result = models.CharField(_("结果"), max_length=20, choices=AnswerResult.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    history = HistoricalRecords()

    scope_unit_paths = ("inspection__unit", "inspection__enterprise__owning_unit")

    class Meta:
        verbose_name = _("检查项目结果")
        verbose_name_plural = _("检查项目结果")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.get_result_display()}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"inspections/{instance.inspection_id}/{filename}"


class Attachment(ChoiceLabels, models.Model):
    """A photo or scan (现场检查笔录 …) attached to an inspection or one checklist answer."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("现场照片")
        RECORD = "record", _("现场检查笔录扫描件")
        EVIDENCE = "evidence", _("整改完成证据")
        OTHER = "other", _("其他材料")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="attachments"
    )
    answer = models.ForeignKey(
        ChecklistAnswer, verbose_name=_("检查项目"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="attachments",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_unit_paths = ("inspection__unit", "inspection__enterprise__owning_unit")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["inspection", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
