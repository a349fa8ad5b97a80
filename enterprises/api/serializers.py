"""API serializers of the registry: shape only; the services validate and save."""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enterprises.choices import EnterpriseStatus
from enterprises.duties.expiry import enterprise_expired_licence
from enterprises.models import Enterprise, Licence, OwnershipRule, Subdistrict, Tag, Unit, User
from enterprises.organisation import OWNERSHIP_RULE_FIELDS, SUBDISTRICT_FIELDS, UNIT_FIELDS, USER_FIELDS
from enterprises.selectors import enterprise_list
from enterprises.services import ENTERPRISE_FIELDS, LICENCE_FIELDS, OWNERSHIP_FIELDS, licence_number_warning
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer
from regsys.versioning import VersionedSerializerMixin


def _unit_name(unit: Unit | None) -> str:
    # Not ``CharField(source="unit.name", default="")``: DRF leaves a defaulted field out of a PATCH answer.
    return unit.name if unit is not None else ""


class UnitSerializer(ScopedModelSerializer):
    """A supervising unit; system administrators create and change them (``enterprises.organisation``)."""

    kind_display = ChoiceLabelField(source="get_kind_display")

    class Meta:
        model = Unit
        fields = ["id", *UNIT_FIELDS, "kind_display"]
        # Uniqueness is the service's check (one place, Chinese messages).
        extra_kwargs = {"name": {"validators": []}, "code": {"validators": []}}


class SubdistrictSerializer(ScopedModelSerializer):
    """A 街道/镇 and the 监管所 whose jurisdiction it is."""

    kind_display = ChoiceLabelField(source="get_kind_display")
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Subdistrict
        fields = ["id", *SUBDISTRICT_FIELDS, "kind_display", "unit_name"]
        extra_kwargs = {"name": {"validators": []}, "code": {"validators": []}}


class OwnershipRuleSerializer(ScopedModelSerializer):
    """One 事权划分 rule: enterprises of ``role`` go to ``unit`` or to their 街道/镇's 所 (by ``priority``)."""

    role_display = ChoiceLabelField(source="get_role_display")
    target_display = ChoiceLabelField(source="get_target_display")
    unit_name = serializers.SerializerMethodField(help_text="指定单位名称（无指定单位时为空）")

    class Meta:
        model = OwnershipRule
        fields = ["id", *OWNERSHIP_RULE_FIELDS, "role_display", "target_display", "unit_name"]
        extra_kwargs = {"priority": {"validators": []}}

    @extend_schema_field(serializers.CharField())
    def get_unit_name(self, rule: OwnershipRule) -> str:
        return _unit_name(rule.unit)


class UserSerializer(ScopedModelSerializer):
    """A user account: unit, role and certificate numbers. The password is write-only (never returned)."""

    password = serializers.CharField(
        write_only=True, required=False, max_length=128, trim_whitespace=False, style={"input_type": "password"},
        label="密码", help_text="新建用户时必填；修改时填写即重设密码（须符合密码规则），不填则不变",
    )
    unit_name = serializers.SerializerMethodField(help_text="所在单位名称（无单位时为空）")
    role_display = ChoiceLabelField(source="get_role_display")

    class Meta:
        model = User
        fields = ["id", *USER_FIELDS, "password", "unit_name", "role_display", "date_joined", "last_login"]
        read_only_fields = ["date_joined", "last_login"]
        extra_kwargs = {"username": {"validators": [UnicodeUsernameValidator()]}}

    @extend_schema_field(serializers.CharField())
    def get_unit_name(self, user: User) -> str:
        return _unit_name(user.unit)


class TagSerializer(ScopedModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Tag
        fields = ["id", "code", "name", "full_name", "parent", "description"]


class LicenceBriefSerializer(ScopedModelSerializer):
    kind_display = ChoiceLabelField(source="get_kind_display")

    class Meta:
        model = Licence
        fields = ["id", "kind", "kind_display", "number", "expires_on", "status"]


class EnterpriseSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """Read and write an enterprise. Status changes go through the ``change-status`` action.

    PUT/PATCH must send back the ``version`` read; a stale one answers 409 with the changes.
    """

    tags = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Tag.objects.filter(is_active=True), required=False, label="产品领域",
    )
    owning_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, label="监管单位",
        help_text="留空按事权划分规则确定；指定其他单位须同时填写 owning_unit_override_reason",
    )
    owning_unit_name = serializers.CharField(source="owning_unit.name", read_only=True)
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    status_display = ChoiceLabelField(source="get_status_display")
    roles = serializers.ListField(source="role_labels", child=serializers.CharField(), read_only=True)
    expired_licence = serializers.SerializerMethodField(label="证照已过期", help_text="在营/停产企业持有的已过期证照（无则为空）")

    class Meta:
        model = Enterprise
        fields = [
            "id", *ENTERPRISE_FIELDS, "tags", *OWNERSHIP_FIELDS, "owning_unit_name", "subdistrict_name",
            "status", "status_display", "status_since", "roles", "expired_licence", "created_at", "updated_at",
            "version",
        ]
        read_only_fields = ["status", "status_since", "created_at", "updated_at"]
        # Uniqueness and the credit-code check are the service's job (one place, Chinese messages).
        extra_kwargs = {"credit_code": {"validators": []}}


    def get_expired_licence(self, enterprise: Enterprise) -> dict | None:
        return enterprise_expired_licence(enterprise)


class EnterpriseDetailSerializer(EnterpriseSerializer):
    licences = LicenceBriefSerializer(many=True, read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "licences"]


class StatusChangeSerializer(ScopedSerializer):
    to_status = serializers.ChoiceField(choices=EnterpriseStatus.choices, label="新状态")
    effective_on = serializers.DateField(default=timezone.localdate, label="生效日期")
    reason = serializers.CharField(max_length=300, label="原因")


class StatusChangeResultSerializer(ScopedSerializer):
    id = serializers.IntegerField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    effective_on = serializers.DateField()
    reason = serializers.CharField()


class LicenceSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """A licence; PUT/PATCH must send back the ``version`` read (409 when stale)."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(), label="企业")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kind_display = ChoiceLabelField(source="get_kind_display")
    number_warning = serializers.SerializerMethodField(help_text="证照编号与常见格式不符时的提示（不阻止保存）")

    class Meta:
        model = Licence
        fields = [
            "id", "enterprise", "enterprise_name", *LICENCE_FIELDS, "kind_display", "number_warning",
            "created_at", "updated_at", "version",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []  # (kind, number) uniqueness: the service reports it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only enterprises the caller can see can be referenced at all.
            self.fields["enterprise"].queryset = enterprise_list(user=request.user)

    @extend_schema_field(serializers.CharField())
    def get_number_warning(self, obj: Licence) -> str:
        return licence_number_warning(obj.number)
