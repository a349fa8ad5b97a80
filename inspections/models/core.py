"""Inspections and their direct outcomes (findings, 责令改正, 约谈)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign
from enterprises.models import Enterprise, Unit
from inspections.choices import CertKind, Conclusion, InspectionKind, InspectionStatus, Severity
from regsys.choice_labels import ChoiceLabels
from regsys.validators import STAFF_COUNT_VALIDATORS
from regsys.versioning import VersionField


class Inspection(ChoiceLabels, models.Model):
    """One on-site inspection of one enterprise. Each counts as 1 检查企业家次.

    A draft may be edited freely; once finalised it is locked and changes go through an amendment.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("被检查企业"), on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("检查单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    start_date = models.DateField(_("检查日期"), db_index=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    announced = models.BooleanField(_("预先告知"), default=False)
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("所属专项整治"), blank=True, related_name="inspections"
    )
    plan_item = models.ForeignKey(
        "inspections.PlanItem", verbose_name=_("对应计划项"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspections",
    )
    staff_count = models.PositiveIntegerField(
        _("出动人员人次"), default=0, help_text=_("默认等于现场检查人员数，可包括无系统账号的人员"),
        validators=STAFF_COUNT_VALIDATORS,
    )
    conclusion = models.CharField(
        _("检查结论"), max_length=20, choices=Conclusion.choices, blank=True
    )
    summary = models.TextField(_("检查情况"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT,
        db_index=True,
    )
    provincial_entry_date = models.DateField(_("录入省局系统日期"), null=True, blank=True)
    provincial_entry_due = models.DateField(
        _("录入省局系统期限"), null=True, blank=True, db_index=True,
        help_text=_("检查结束后一个月内，由系统按检查结束日期计算"),
    )
    checklist = models.ForeignKey(
        "inspections.ChecklistTemplate", verbose_name=_("检查表"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("完成人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    finalised_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["unit", "start_date"]),
            models.Index(fields=["enterprise", "start_date"]),
            # The 待办 lists start from these small sets, not from the unit's whole history: drafts (and
            # the follow-ups scheduled as drafts), and finalised inspections not yet entered provincially.
            models.Index(fields=["start_date"], condition=models.Q(status=InspectionStatus.DRAFT),
                         name="inspection_open_draft_idx"),
            models.Index(fields=["provincial_entry_due"],
                         condition=models.Q(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True),
                         name="inspection_unentered_idx"),
            # The same sets per path of a 监管所's scope (its unit, its enterprises): a 所's 待办 reads its own
            # open work (a BitmapOr of the two), not the district's.
            models.Index(fields=["unit", "start_date"], condition=models.Q(status=InspectionStatus.DRAFT),
                         name="inspection_draft_unit_idx"),
            models.Index(fields=["enterprise", "start_date"], condition=models.Q(status=InspectionStatus.DRAFT),
                         name="inspection_draft_ent_idx"),
            models.Index(fields=["unit", "provincial_entry_due"],
                         condition=models.Q(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True),
                         name="inspection_unentered_unit_idx"),
            models.Index(fields=["enterprise", "provincial_entry_due"],
                         condition=models.Q(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True),
                         name="inspection_unentered_ent_idx"),
            # "Enterprises with a finalised inspection (of these kinds) in the year": the annual targets and
            # the grading due dates read it from the index alone, without visiting the table.
            models.Index(fields=["start_date", "kind", "enterprise"],
                         condition=models.Q(status=InspectionStatus.FINALISED), name="inspection_finalised_day_idx"),
            # An enterprise's latest finalised inspection (the due list's "上次检查"), index-only.
            models.Index(fields=["enterprise", "-start_date"], include=["kind"],
                         condition=models.Q(status=InspectionStatus.FINALISED), name="inspection_last_finalised_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m-%d} {self.enterprise} {self.get_kind_display()}"

    @property
    def is_locked(self) -> bool:
        return self.status == InspectionStatus.FINALISED

    @property
    def ended_on(self):
        """The last day on site (the start date for a one-day inspection)."""
        return self.end_date or self.start_date

    @property
    def provincial_due(self):
        """录入省局系统期限: the stored date, or the rule's for a record stored without one."""
        from inspections.deadlines import provincial_entry_due

        return self.provincial_entry_due or provincial_entry_due(self.ended_on)


class InspectionAmendment(ChoiceLabels, models.Model):
    """A correction of a finalised inspection by a chief, with the reason and the changed fields."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="amendments"
    )
    reason = models.TextField(_("更正理由"))
    changes = models.JSONField(_("更正内容"), default=dict, help_text=_("字段: [原值, 新值]"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更正人"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    amended_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    scope_unit_paths = ("inspection__unit", "inspection__enterprise__owning_unit")

    class Meta:
        verbose_name = _("检查记录更正")
        verbose_name_plural = _("检查记录更正")
        ordering = ["-amended_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection} 更正：{self.reason[:30]}"


class InspectionOfficer(ChoiceLabels, models.Model):
    """A person on site: a user of the system or staff without an account, with their certificate."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="officers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspection_roles",
    )
    name = models.CharField(_("姓名"), max_length=50)
    cert_kind = models.CharField(
        _("证件类型"), max_length=20, choices=CertKind.choices, default=CertKind.ENFORCEMENT
    )
    cert_no = models.CharField(_("证件号"), max_length=40, blank=True)

    scope_unit_paths = ("inspection__unit", "inspection__enterprise__owning_unit")

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user"], condition=models.Q(user__isnull=False),
                name="officer_once_per_inspection",
            ),
        ]
        indexes = [
            # "Inspections this user took part in" (我的待办) from the index alone: PostgreSQL hashes this
            # set to test the open orders against it, and reads no heap page per row of the user's history.
            models.Index(fields=["user", "inspection"], condition=models.Q(user__isnull=False),
                         name="officer_user_inspection_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Finding(ChoiceLabels, models.Model):
    """A defect found in an inspection (严重缺陷 / 一般缺陷)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="findings"
    )
    severity = models.CharField(_("缺陷等级"), max_length=20, choices=Severity.choices)
    text = models.TextField(_("缺陷内容"))
    checklist_item = models.ForeignKey(
        "inspections.ChecklistItem", verbose_name=_("对应检查项目"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="findings",
    )
    version = VersionField()

    history = HistoricalRecords()

    scope_unit_paths = ("inspection__unit", "inspection__enterprise__owning_unit")

    class Meta:
        verbose_name = _("缺陷")
        verbose_name_plural = _("缺陷")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}：{self.text[:30]}"


class Rectification(ChoiceLabels, models.Model):
    """An order to correct (责令改正) issued after an inspection; completion = 完成整改."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("来源检查"), on_delete=models.PROTECT, related_name="rectification"
    )
    ordered_on = models.DateField(_("责令改正日期"))
    deadline = models.DateField(_("整改期限"), db_index=True)
    requirements = models.TextField(_("整改内容"))
    completed_on = models.DateField(_("完成整改日期"), null=True, blank=True)
    evidence = models.TextField(_("整改完成情况/证据"), blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    follow_up = models.OneToOneField(
        Inspection, verbose_name=_("跟踪检查"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="follow_up_of",
    )
    version = VersionField()

    history = HistoricalRecords()

    scope_unit_paths = ("inspection__unit", "inspection__enterprise__owning_unit")

    class Meta:
        verbose_name = _("责令改正")
        verbose_name_plural = _("责令改正")
        ordering = ["deadline"]
        indexes = [
            # Open orders only: 待办 and the overdue lists never read the completed history.
            models.Index(fields=["deadline"], condition=models.Q(completed_on__isnull=True),
                         name="rectification_open_idx"),
            # The list's order (open first, then the latest completed; PostgreSQL puts NULLs first in a
            # descending index), so a page reads its 20 rows instead of sorting the whole history.
            models.Index(fields=["-completed_on", "deadline", "id"], name="rectification_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection.enterprise} 整改期限 {self.deadline:%Y-%m-%d}"

    def is_overdue_on(self, day) -> bool:
        """Open after its deadline (the rule lives in inspections.deadlines)."""
        from inspections.deadlines import rectification_overdue

        return rectification_overdue(deadline=self.deadline, completed_on=self.completed_on, today=day)


class Interview(ChoiceLabels, models.Model):
    """A 约谈 (responsibility interview) of an enterprise's people."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="interviews"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("约谈单位"), on_delete=models.PROTECT)
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("来源检查"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="interviews",
    )
    held_on = models.DateField(_("约谈日期"), db_index=True)
    persons = models.CharField(_("被约谈人员"), max_length=200)
    record = models.TextField(_("约谈记录"), blank=True)
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("所属专项整治"), blank=True, related_name="interviews"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = VersionField()

    history = HistoricalRecords()

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 约谈 {self.enterprise}"
