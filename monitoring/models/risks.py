"""Complaints and public opinion (投诉举报、舆情) and the quarterly risk consultation (风险会商) with its register.

Risk candidates are not stored: ``monitoring.risk_sources`` proposes them from every source each
quarter; a meeting accepts a candidate into the register as a ``Risk`` that points back to its source.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import CreditRecord, Enterprise, Unit
from monitoring.choices import ComplaintKind, RiskLevel, RiskSource, RiskStatus
from regsys.choice_labels import ChoiceLabels
from regsys.versioning import VersionField


class Complaint(ChoiceLabels, models.Model):
    """A complaint/report (投诉举报) or a piece of public opinion (舆情) concerning devices."""

    kind = models.CharField(_("类别"), max_length=20, choices=ComplaintKind.choices)
    received_on = models.DateField(_("受理/发现日期"), db_index=True)
    source = models.CharField(_("来源渠道"), max_length=100, help_text=_("如12315平台、来信来访、媒体报道"))
    reference = models.CharField(_("编号"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("涉及企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="complaints",
    )
    subject_name = models.CharField(_("涉及单位名称"), max_length=200, blank=True)
    product = models.CharField(_("涉及产品"), max_length=200, blank=True)
    summary = models.TextField(_("内容摘要"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="complaints",
    )
    handling = models.TextField(_("处理情况"), blank=True)
    substantiated = models.BooleanField(_("经核查属实"), null=True, blank=True)
    handled_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("投诉举报与舆情")
        verbose_name_plural = _("投诉举报与舆情")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d} {self.subject_name or self.product}"


def meeting_upload_to(meeting: RiskMeeting, filename: str) -> str:
    return f"risk-meetings/{meeting.year}-Q{meeting.quarter}/{filename}"


class RiskMeeting(ChoiceLabels, models.Model):
    """One risk-consultation meeting (风险会商会), normally quarterly, led by the 药械科."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)])
    held_on = models.DateField(_("会商日期"))
    chair = models.CharField(_("主持人"), max_length=50)
    units = models.ManyToManyField(Unit, verbose_name=_("参会单位"), blank=True, related_name="risk_meetings")
    other_participants = models.CharField(_("其他参会单位/人员"), max_length=300, blank=True)
    minutes = models.FileField(_("会议纪要"), upload_to=meeting_upload_to, blank=True)
    summary = models.TextField(_("会商情况"), blank=True)
    next_steps = models.TextField(_("下一步工作"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[units])

    class Meta:
        verbose_name = _("风险会商")
        verbose_name_plural = _("风险会商")
        ordering = ["-year", "-quarter", "-held_on"]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度风险会商（{self.held_on:%Y-%m-%d}）"


def risk_upload_to(risk: Risk, filename: str) -> str:
    return f"risks/{risk.pk or 'new'}/{filename}"


class Risk(ChoiceLabels, models.Model):
    """A risk in the register (风险清单): named at a meeting, controlled by its owner unit, closed (销号) on approval."""

    meeting = models.ForeignKey(
        RiskMeeting, verbose_name=_("纳入会商"), on_delete=models.PROTECT, related_name="risks"
    )
    source_kind = models.CharField(_("风险来源"), max_length=20, choices=RiskSource.choices)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("来源记录类型"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("来源记录编号"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("来源摘要"), max_length=300, blank=True)
    source_key = models.CharField(
        _("来源标识"), max_length=200, blank=True, db_index=True,
        help_text=_("候选风险的稳定标识（monitoring.risk_sources.Candidate.identity），用于排除已纳入清单的候选"),
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("涉及企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="risks",
    )
    product = models.CharField(_("涉及产品"), max_length=200, blank=True)
    risk_point = models.CharField(_("风险点"), max_length=300)
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    owner_unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="risks")
    measures = models.TextField(_("管控措施"))
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN, db_index=True
    )
    escalated = models.BooleanField(_("上报一级"), default=False, help_text=_("已上报市局"))
    escalated_on = models.DateField(_("上报日期"), null=True, blank=True)
    key_supervision = models.BooleanField(
        _("列入重点监管"), default=False, help_text=_("会商点名，企业列入重点监管并记入信用记录"),
    )
    credit_record = models.ForeignKey(
        CreditRecord, verbose_name=_("信用记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closure_note = models.TextField(_("销号说明"), blank=True)
    closure_evidence = models.FileField(_("销号佐证材料"), upload_to=risk_upload_to, blank=True)
    closure_requested_on = models.DateField(_("申请销号日期"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    closure_returned_reason = models.TextField(_("退回理由"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("owner_unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("风险")
        verbose_name_plural = _("风险清单")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="risk_source")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}风险：{self.risk_point}"


class CandidateDismissal(ChoiceLabels, models.Model):
    """A candidate the meeting decided not to take into the register (不纳入), with the reason."""

    meeting = models.ForeignKey(
        RiskMeeting, verbose_name=_("风险会商"), on_delete=models.CASCADE, related_name="dismissals"
    )
    source_kind = models.CharField(_("风险来源"), max_length=20, choices=RiskSource.choices)
    identity = models.CharField(_("候选标识"), max_length=200)
    title = models.CharField(_("候选风险"), max_length=300)
    reason = models.CharField(_("不纳入理由"), max_length=300)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    dismissed_at = models.DateTimeField(_("操作时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("不纳入的候选风险")
        verbose_name_plural = _("不纳入的候选风险")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "identity"], name="risk_dismissal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}：{self.title}（不纳入）"


def follow_up_upload_to(entry: RiskFollowUp, filename: str) -> str:
    return f"risks/{entry.risk_id}/follow-up/{filename}"


class RiskFollowUp(ChoiceLabels, models.Model):
    """A dated follow-up entry on a risk (管控进展)."""

    risk = models.ForeignKey(Risk, verbose_name=_("风险"), on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    file = models.FileField(_("附件"), upload_to=follow_up_upload_to, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("risk__owner_unit", "risk__enterprise__owning_unit")

    class Meta:
        verbose_name = _("风险管控进展")
        verbose_name_plural = _("风险管控进展")
        ordering = ["risk", "on", "id"]

    def __str__(self) -> str:
        return f"{self.risk} {self.on:%Y-%m-%d}"
