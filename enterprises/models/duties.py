"""The registry's annual duties: yearly filings, the 僵尸企业 clean-up, contract manufacturing,
remote warehouses and the UDI rollout. Rules (who owes what, candidates, coverage) live in
``enterprises.duties``; nothing here stores a computed figure.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.duties.choices import (
    ClearanceKind,
    ExchangeKind,
    FilingKind,
    FilingSource,
    NoticeKind,
    Sector,
    UdiBatch,
    UdiCoding,
    UdiStatus,
    ZombieReason,
    ZombieStage,
)
from regsys.choice_labels import ChoiceLabels
from regsys.jobs import BackgroundJob
from regsys.versioning import VersionField

from .grading import CreditRecord
from .org import Subdistrict, Unit
from .registry import Enterprise


def _user_fk(label, related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, null=True, blank=True,
        on_delete=models.SET_NULL, related_name=related_name,
    )


class DutyYear(ChoiceLabels, models.Model):
    """Per-year deadlines and thresholds of the annual duties (默认值，可修改)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    self_report_due = models.DateField(_("年度自查报告截止日期"), help_text=_("默认3月31日"))
    responsibility_due = models.DateField(_("质量安全责任书签订截止日期"))
    long_suspension_days = models.PositiveSmallIntegerField(_("停业/停产视为长期的天数"), default=365)
    renewal_window_start = models.PositiveSmallIntegerField(
        _("续证提醒起（到期前工作日）"), default=90,
    )
    renewal_window_end = models.PositiveSmallIntegerField(_("续证提醒止（到期前工作日）"), default=30)
    udi_target_on = models.DateField(_("三甲医院UDI全覆盖目标日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    updated_by = _user_fk(_("维护人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("年度义务设置")
        verbose_name_plural = _("年度义务设置")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度义务设置"


def filing_upload_to(filing: "AnnualFiling", filename: str) -> str:
    return f"filings/{filing.year}/{filing.enterprise_id}/{filename}"


class AnnualFiling(ChoiceLabels, models.Model):
    """One yearly filing of an enterprise (年度自查报告 for one sector, or the 质量安全责任书).

    A row exists once something was recorded (submitted, or an order proposed); an enterprise that owes a
    filing and has no row is 未提交 (``enterprises.duties`` lists who owes what).
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="annual_filings"
    )
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("提交所在年度（自查报告覆盖上一年度）"))
    kind = models.CharField(_("类别"), max_length=20, choices=FilingKind.choices)
    sector = models.CharField(_("环节"), max_length=20, choices=Sector.choices)
    submitted_on = models.DateField(_("提交/签订日期"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=filing_upload_to, blank=True)
    source = models.CharField(_("登记方式"), max_length=10, choices=FilingSource.choices, default=FilingSource.MANUAL)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # After the deadline: a proposed 责令改正 and credit record that the chief confirms.
    order_proposed_on = models.DateField(_("拟责令改正日期"), null=True, blank=True)
    order_confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    order_confirmed_by = _user_fk(_("确认人"))
    credit_record = models.ForeignKey(
        CreditRecord, verbose_name=_("信用记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = _user_fk(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("年度报送")
        verbose_name_plural = _("年度报送")
        ordering = ["-year", "enterprise__name", "kind", "sector"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "kind", "sector"], name="filing_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.get_kind_display()}（{self.get_sector_display()}）"


def filing_import_upload_to(job: "FilingImportJob", filename: str) -> str:
    return f"imports/filings/{job.created_by_id}/{filename}"


class FilingImportJob(BackgroundJob):
    """A bulk import of a submission list (提交名单), checked then applied all-or-nothing by the worker."""

    kind = models.CharField(_("类别"), max_length=20, choices=FilingKind.choices, default=FilingKind.SELF_REPORT)
    year = models.PositiveSmallIntegerField(_("年度"))
    file = models.FileField(_("上传文件"), upload_to=filing_import_upload_to)
    filename = models.CharField(_("原文件名"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="filing_imports"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    task_path = "enterprises.tasks.filing_import_task"
    scope_unit_paths = ("unit",)

    class Meta:
        verbose_name = _("年度报送导入任务")
        verbose_name_plural = _("年度报送导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.year}）"


def zombie_upload_to(case: "ZombieCase", filename: str) -> str:
    return f"zombie/{case.enterprise_id}/{filename}"


class ZombieCase(ChoiceLabels, models.Model):
    """The clean-up of one 僵尸企业 candidate: 核查 → 告知/公告 → 注销/取消备案 (or 规范/提升/正常)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="zombie_cases"
    )
    year = models.PositiveSmallIntegerField(_("清理年度"))
    reasons = models.JSONField(_("列为候选的原因"), default=list, help_text=_("ZombieReason 的值"))
    stage = models.CharField(_("进度"), max_length=20, choices=ZombieStage.choices, default=ZombieStage.VERIFYING)
    verified_on = models.DateField(_("核查日期"), null=True, blank=True)
    verified_by = _user_fk(_("核查人"))
    verification = models.TextField(_("核查情况"), blank=True)
    notice_kind = models.CharField(_("告知方式"), max_length=10, choices=NoticeKind.choices, blank=True)
    notice_on = models.DateField(_("告知/公告日期"), null=True, blank=True)
    notice_ref = models.CharField(_("告知书/公告编号"), max_length=100, blank=True)
    clearance_kind = models.CharField(_("处理方式"), max_length=20, choices=ClearanceKind.choices, blank=True)
    decision_no = models.CharField(_("决定文号"), max_length=100, blank=True)
    decision_on = models.DateField(_("决定日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=zombie_upload_to, blank=True)
    outcome_note = models.TextField(_("处理情况"), blank=True, help_text=_("规范、提升或正常经营的办结说明"))
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="zombie_cases")
    created_by = _user_fk(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("僵尸企业清理")
        verbose_name_plural = _("僵尸企业清理")
        ordering = ["-year", "stage", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="zombie_case_once_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年清理（{self.get_stage_display()}）"

    @property
    def reason_text(self) -> str:
        """The reasons it was listed for, in Chinese (pages and exports)."""
        labels = dict(ZombieReason.choices)
        return "、".join(str(labels.get(code, code)) for code in self.reasons)


class ContractManufacturing(ChoiceLabels, models.Model):
    """A registrant ↔ contract manufacturer pair for a product (委托生产)."""

    registrant = models.ForeignKey(
        Enterprise, verbose_name=_("注册人/备案人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="contracts_out",
    )
    registrant_name = models.CharField(_("注册人/备案人名称"), max_length=200)
    manufacturer = models.ForeignKey(
        Enterprise, verbose_name=_("受托生产企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="contracts_in",
    )
    manufacturer_name = models.CharField(_("受托生产企业名称"), max_length=200)
    product = models.CharField(_("产品名称"), max_length=200)
    registration_number = models.CharField(_("注册证编号/备案编号"), max_length=100, blank=True)
    agreement_signed_on = models.DateField(_("委托协议签订日期"), null=True, blank=True)
    agreement_expires_on = models.DateField(_("委托协议到期日期"), null=True, blank=True)
    cross_region = models.BooleanField(_("跨区域委托"), default=False)
    other_region = models.CharField(_("对方所在地"), max_length=100, blank=True)
    is_active = models.BooleanField(_("委托关系有效"), default=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = _user_fk(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("registrant__owning_unit", "manufacturer__owning_unit")

    class Meta:
        verbose_name = _("委托生产关系")
        verbose_name_plural = _("委托生产关系")
        ordering = ["registrant_name", "product"]

    def __str__(self) -> str:
        return f"{self.registrant_name} → {self.manufacturer_name}：{self.product}"


class Warehouse(ChoiceLabels, models.Model):
    """A remote warehouse (异地设库) in this district, of an enterprise licensed elsewhere (or here).

    ``enterprise`` is the warehouse's registry entry (role 异地设库); the home enterprise may be outside
    the district, so it is kept by name and licence, with the registry link when it is local.
    """

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("库房登记企业"), on_delete=models.PROTECT, related_name="warehouse"
    )
    home_enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("本区的设库企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="remote_warehouses",
    )
    home_name = models.CharField(_("设库企业名称"), max_length=200)
    home_licence_no = models.CharField(_("设库企业许可/备案编号"), max_length=100, blank=True)
    home_bureau = models.CharField(_("许可/备案部门"), max_length=100, help_text=_("设库企业许可所在地监管部门"))
    address = models.CharField(_("库房地址"), max_length=200)
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("库房所在街道/镇"), on_delete=models.PROTECT, related_name="+"
    )
    area_sqm = models.PositiveIntegerField(_("库房面积（平方米）"), null=True, blank=True)
    remote_monitoring = models.BooleanField(_("已建立计算机远程监控体系"), default=False)
    accepted_on = models.DateField(_("验收检查日期"), null=True, blank=True, help_text=_("由药械科验收"))
    daily_unit = models.ForeignKey(
        Unit, verbose_name=_("日常监管单位"), on_delete=models.PROTECT, related_name="warehouses",
        help_text=_("库房所在地的监管所"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = _user_fk(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("daily_unit", "enterprise__owning_unit")

    class Meta:
        verbose_name = _("异地设库")
        verbose_name_plural = _("异地设库")
        ordering = ["home_name", "address"]

    def __str__(self) -> str:
        return f"{self.home_name}（{self.address}）"


def exchange_upload_to(entry: "WarehouseExchange", filename: str) -> str:
    return f"warehouses/{entry.warehouse_id}/{filename}"


class WarehouseExchange(ChoiceLabels, models.Model):
    """Information shared with the other bureau about a warehouse, and joint/acceptance inspections (log)."""

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("库房"), on_delete=models.CASCADE, related_name="exchanges")
    kind = models.CharField(_("类型"), max_length=20, choices=ExchangeKind.choices)
    on = models.DateField(_("日期"))
    counterpart = models.CharField(_("对方单位"), max_length=100)
    content = models.TextField(_("内容"))
    file = models.FileField(_("附件"), upload_to=exchange_upload_to, blank=True)
    created_by = _user_fk(_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    scope_unit_paths = ("warehouse__daily_unit", "warehouse__enterprise__owning_unit")

    class Meta:
        verbose_name = _("异地设库信息通报")
        verbose_name_plural = _("异地设库信息通报")
        ordering = ["warehouse", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.get_kind_display()} {self.on:%Y-%m-%d}"


def udi_upload_to(record: "HospitalUdi", filename: str) -> str:
    return f"udi/{record.year}/{record.enterprise_id}/{filename}"


class HospitalUdi(ChoiceLabels, models.Model):
    """A hospital's UDI application status in a year (综合三甲医院 UDI 全覆盖)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("医院"), on_delete=models.PROTECT, related_name="udi")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("UDI应用状态"), max_length=20, choices=UdiStatus.choices, default=UdiStatus.NOT_STARTED)
    status_on = models.DateField(_("状态日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=udi_upload_to, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_by = _user_fk(_("维护人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("医院UDI应用")
        verbose_name_plural = _("医院UDI应用")
        ordering = ["-year", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="hospital_udi_once_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.get_status_display()}"


class ManufacturerUdi(ChoiceLabels, models.Model):
    """A manufacturer's UDI coding status for one implementation batch (生产企业赋码)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产企业/注册人"), on_delete=models.PROTECT, related_name="udi_coding"
    )
    batch = models.CharField(_("实施批次"), max_length=10, choices=UdiBatch.choices)
    coding = models.CharField(_("赋码情况"), max_length=20, choices=UdiCoding.choices, default=UdiCoding.NOT_CODED)
    products = models.CharField(_("涉及产品"), max_length=300, blank=True)
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_by = _user_fk(_("维护人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("生产企业UDI赋码")
        verbose_name_plural = _("生产企业UDI赋码")
        ordering = ["enterprise__name", "batch"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "batch"], name="manufacturer_udi_per_batch")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_batch_display()} {self.get_coding_display()}"
