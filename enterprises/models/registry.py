"""The enterprise registry: enterprises, their roles and tags, licences and status history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.choices import (
    DeviceClass,
    EnterpriseStatus,
    HospitalGrade,
    InstitutionType,
    LicenceKind,
    LicenceStatus,
    OperationMode,
    OwnerRuleRole,
    OwnerTarget,
)
from enterprises.validators import validate_credit_code
from regsys.choice_labels import ChoiceLabels
from regsys.versioning import VersionField

from .org import Subdistrict, Unit


class Tag(ChoiceLabels, models.Model):
    """A product-area tag (无菌, 植入, 角膜接触镜 …) that plans, grades and forms select on.

    Tags form a shallow tree: 医疗美容 → 注射用透明质酸钠凝胶. Admins may add tags.
    """

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级标签"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("产品领域标签")
        verbose_name_plural = _("产品领域标签")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Enterprise(ChoiceLabels, models.Model):
    """A business or institution under the district's device supervision.

    One enterprise may hold several roles at once (a manufacturer that also sells online), so the
    roles are flags rather than one type. The owning unit follows the 事权划分 rules
    (`OwnershipRule`) unless overridden with a reason.
    """

    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    person_in_charge = models.CharField(_("企业负责人"), max_length=50, blank=True)
    quality_manager = models.CharField(_("质量负责人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    registered_address = models.CharField(_("住所（注册地址）"), max_length=200, blank=True)
    business_address = models.CharField(_("经营/生产地址"), max_length=200, blank=True)
    warehouse_address = models.CharField(_("库房地址"), max_length=200, blank=True)
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("所在街道/镇"), on_delete=models.PROTECT,
        related_name="enterprises",
    )
    owning_unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="enterprises",
    )
    owning_unit_override_reason = models.CharField(
        _("监管单位调整理由"), max_length=200, blank=True,
        help_text=_("填写后监管单位不再按事权划分规则自动确定"),
    )
    status = models.CharField(
        _("经营状态"), max_length=30, choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.ACTIVE, db_index=True,
    )
    status_since = models.DateField(_("状态起始日期"), null=True, blank=True)
    established_on = models.DateField(_("成立/登记日期"), null=True, blank=True)

    # 生产 roles
    is_manufacturer = models.BooleanField(_("生产企业"), default=False)
    is_registrant = models.BooleanField(_("注册人/备案人"), default=False)
    entrusts_production = models.BooleanField(_("委托生产"), default=False)
    is_contract_manufacturer = models.BooleanField(_("受托生产企业"), default=False)
    max_device_class = models.CharField(
        _("产品最高管理类别"), max_length=1, choices=DeviceClass.choices, blank=True
    )
    # 经营 roles
    is_operator = models.BooleanField(_("经营企业"), default=False)
    operation_mode = models.CharField(
        _("经营方式"), max_length=20, choices=OperationMode.choices, blank=True
    )
    operates_class2 = models.BooleanField(_("第二类经营备案"), default=False)
    operates_class3 = models.BooleanField(_("第三类经营许可"), default=False)
    provides_logistics = models.BooleanField(_("提供贮存配送服务"), default=False)
    is_vbp_distributor = models.BooleanField(_("集采中选产品配送单位"), default=False)
    # 使用 roles
    is_user_unit = models.BooleanField(_("使用单位"), default=False)
    institution_type = models.CharField(
        _("机构类型"), max_length=20, choices=InstitutionType.choices, blank=True
    )
    hospital_grade = models.CharField(
        _("医院等级"), max_length=10, choices=HospitalGrade.choices, blank=True
    )
    # online and others
    is_online_seller = models.BooleanField(_("网络销售企业"), default=False)
    is_platform = models.BooleanField(_("网络交易服务第三方平台"), default=False)
    is_remote_warehouse = models.BooleanField(_("异地设库"), default=False)
    home_licence_info = models.CharField(
        _("异地设库企业许可地"), max_length=200, blank=True,
        help_text=_("异地设库时填写企业许可所在地及许可证号"),
    )

    tags = models.ManyToManyField(Tag, verbose_name=_("产品领域"), blank=True, related_name="enterprises")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags])

    scope_unit_paths = ("owning_unit",)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["owning_unit", "status"]),
            models.Index(fields=["subdistrict"]),
            # A 监管所's scope (regsys.scoping: ``enterprise_id = ANY(ARRAY(ids of the unit's enterprises))``)
            # reads the ids from this index alone, without visiting a heap page per enterprise.
            models.Index(fields=["owning_unit", "id"], name="enterprise_unit_ids_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hospital(self) -> bool:
        return self.is_user_unit and self.institution_type == "hospital"

    def role_labels(self) -> list[str]:
        """Human-readable list of the roles this enterprise holds, for lists and detail pages."""
        labels = []
        for field in (
            "is_manufacturer", "is_registrant", "entrusts_production", "is_contract_manufacturer",
            "is_operator", "is_user_unit", "is_online_seller", "is_platform", "is_remote_warehouse",
        ):
            if getattr(self, field):
                labels.append(str(self._meta.get_field(field).verbose_name))
        return labels


class EnterpriseStatusChange(ChoiceLabels, models.Model):
    """One dated change of an enterprise's status, with its reason (停产, 注销 …)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=30, choices=EnterpriseStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=30, choices=EnterpriseStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["-effective_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class Licence(ChoiceLabels, models.Model):
    """A licence or filing held by an enterprise (生产许可证, 第二类经营备案 …)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="licences"
    )
    kind = models.CharField(_("证照类型"), max_length=30, choices=LicenceKind.choices)
    number = models.CharField(_("证照编号"), max_length=60, db_index=True)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    scope = models.TextField(_("许可/备案范围"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = VersionField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_unit_paths = ("enterprise__owning_unit",)

    class Meta:
        verbose_name = _("许可/备案")
        verbose_name_plural = _("许可/备案")
        ordering = ["enterprise", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="licence_unique_kind_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class OwnershipRule(ChoiceLabels, models.Model):
    """One row of the 事权划分 (duty split): which unit supervises enterprises of a given role.

    Rules are tried in `priority` order; the first whose role the enterprise holds decides.
    """

    priority = models.PositiveIntegerField(_("优先级"), unique=True)
    role = models.CharField(_("企业类别"), max_length=30, choices=OwnerRuleRole.choices)
    target = models.CharField(_("归属"), max_length=30, choices=OwnerTarget.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("指定单位"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("归属为“指定单位”时必填"),
    )
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事权划分规则")
        verbose_name_plural = _("事权划分规则")
        ordering = ["priority"]

    def __str__(self) -> str:
        return f"{self.priority}. {self.get_role_display()} → {self.unit or self.get_target_display()}"
