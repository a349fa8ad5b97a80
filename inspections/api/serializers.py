"""API serializers: read shapes, and input shapes whose data goes to the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Campaign
from enterprises.models import Enterprise, Licence, Unit, User
from inspections.choices import (
    CaseProcedure,
    CaseStatus,
    CertKind,
    Conclusion,
    InspectionKind,
    ReferralTarget,
    Severity,
)
from inspections.models import (
    Case,
    CasePenalisedPerson,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionOfficer,
    Interview,
    PlanItem,
    Rectification,
    Referral,
)
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer
from regsys.validators import MAX_AMOUNT, MAX_STAFF_COUNT
from regsys.versioning import VersionedSerializerMixin, version_input

CAMPAIGNS_ON_CREATE = (
    "所属专项整治（id 列表）。新建时省略此字段，则自动关联进行中、日期在其起止日期内、且企业属于其报表整治项目的专项整治"
    "（由检查/案件派生的约谈、移送还关联来源记录在该日期范围内的专项整治）；传 [] 或 null 则不关联。"
    "日期不在所选专项整治起止日期内的返回 400；企业不在其报表整治项目内的照常保存，并在响应的 warnings 中提示。"
)
CAMPAIGNS_ON_UPDATE = (
    "所属专项整治（id 列表）。省略则不变；传 [] 或 null 则清空。日期不在所选专项整治起止日期内的返回 400。"
    "已完成（锁定）的检查也可修改所属专项整治，此时请求只能包含 campaigns 和 version，修改记入历史。"
)
WARNINGS_HELP = "保存时的提示（如：企业不在所关联专项整治的报表整治项目内，该记录不会计入其报表）；读取时为空列表。"


def campaigns_input(help_text: str) -> serializers.ManyRelatedField:
    """Campaign ids, optional and nullable (``many=True`` would not pass ``allow_null`` to the list)."""
    return serializers.ManyRelatedField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all()),
        required=False, allow_null=True, help_text=help_text,
    )


class SaveWarningsMixin(ScopedSerializer):
    """``warnings``: what the service found worth saying about a saved record (from the view's context)."""

    warnings = serializers.SerializerMethodField(help_text=WARNINGS_HELP)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, obj) -> list[str]:
        return list(self.context.get("warnings", {}).get(obj.pk, []))


class OfficerSerializer(ScopedModelSerializer):
    class Meta:
        model = InspectionOfficer
        fields = ["id", "user", "name", "cert_kind", "cert_no"]


class FindingSerializer(ScopedModelSerializer):
    severity_display = ChoiceLabelField(source="get_severity_display")

    class Meta:
        model = Finding
        fields = ["id", "inspection", "severity", "severity_display", "text", "checklist_item", "version"]
        read_only_fields = ["version"]


class RectificationSerializer(ScopedModelSerializer):
    enterprise = serializers.IntegerField(source="inspection.enterprise_id", read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "inspection", "enterprise", "ordered_on", "deadline", "requirements", "completed_on",
                  "evidence", "follow_up", "version"]
        read_only_fields = ["completed_on", "evidence", "follow_up", "version"]


class InspectionSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kind_display = ChoiceLabelField(source="get_kind_display")
    conclusion = serializers.ChoiceField(choices=[("", "—"), *Conclusion.choices], read_only=True,
                                         help_text="空字符串表示草稿尚未填写结论")
    conclusion_display = ChoiceLabelField(source="get_conclusion_display")
    status_display = ChoiceLabelField(source="get_status_display")
    officers = OfficerSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    rectification = RectificationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "enterprise", "enterprise_name", "unit", "kind", "kind_display", "start_date", "end_date",
            "announced", "campaigns", "plan_item", "staff_count", "conclusion", "conclusion_display", "summary",
            "status", "status_display", "provincial_entry_due", "provincial_entry_date", "checklist",
            "officers", "findings", "rectification", "created_at", "finalised_at", "version",
        ]
        read_only_fields = fields


class InspectionSavedSerializer(SaveWarningsMixin, InspectionSerializer):
    """An inspection as returned by create/update, with the save's warnings."""

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class OfficerInputSerializer(ScopedSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                              allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    cert_kind = serializers.ChoiceField(choices=CertKind.choices, required=False, allow_blank=True)
    cert_no = serializers.CharField(required=False, allow_blank=True, max_length=40)


class InspectionWriteSerializer(ScopedSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    announced = serializers.BooleanField(required=False, default=False)
    staff_count = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_STAFF_COUNT)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices, required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    campaigns = campaigns_input(CAMPAIGNS_ON_CREATE)
    plan_item = serializers.PrimaryKeyRelatedField(queryset=PlanItem.objects.all(), required=False, allow_null=True)
    checklist = serializers.PrimaryKeyRelatedField(queryset=ChecklistTemplate.objects.all(), required=False,
                                                   allow_null=True)
    officers = OfficerInputSerializer(many=True, required=False)


class InspectionUpdateSerializer(InspectionWriteSerializer):
    version = version_input()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=InspectionKind.choices, required=False)
    start_date = serializers.DateField(required=False)
    announced = serializers.BooleanField(required=False)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    campaigns = campaigns_input(CAMPAIGNS_ON_UPDATE)


class AmendSerializer(ScopedSerializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(min_value=1, required=False, help_text="读取时的版本号；提交则检查是否已被他人修改（409）")
    kind = serializers.ChoiceField(choices=InspectionKind.choices, required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)
    announced = serializers.BooleanField(required=False)
    staff_count = serializers.IntegerField(required=False, min_value=0, max_value=MAX_STAFF_COUNT)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    provincial_entry_date = serializers.DateField(required=False, allow_null=True)


class ProvincialEntrySerializer(ScopedSerializer):
    entered_on = serializers.DateField()


class FindingWriteSerializer(ScopedSerializer):
    inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.all())
    severity = serializers.ChoiceField(choices=Severity.choices)
    text = serializers.CharField()
    checklist_item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all(), required=False,
                                                        allow_null=True)


class FindingUpdateSerializer(FindingWriteSerializer):
    version = version_input()


class RectificationWriteSerializer(ScopedSerializer):
    inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.all())
    ordered_on = serializers.DateField()
    deadline = serializers.DateField()
    requirements = serializers.CharField()


class RectificationCompleteSerializer(ScopedSerializer):
    completed_on = serializers.DateField()
    evidence = serializers.CharField()


class InterviewSerializer(SaveWarningsMixin, VersionedSerializerMixin, ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    campaigns = campaigns_input(f"{CAMPAIGNS_ON_CREATE}修改（PUT）时省略则不变，传 [] 或 null 则清空。")

    class Meta:
        model = Interview
        fields = ["id", "enterprise", "enterprise_name", "unit", "inspection", "held_on", "persons", "record",
                  "campaigns", "version", "warnings"]
        extra_kwargs = {"unit": {"required": False}}


class PenalisedPersonSerializer(ScopedModelSerializer):
    class Meta:
        model = CasePenalisedPerson
        fields = ["name", "position", "fine_amount"]


class CaseSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_display = ChoiceLabelField(source="get_status_display")
    penalised_persons = PenalisedPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "enterprise", "enterprise_name", "unit", "source_inspection", "filed_on", "procedure",
            "violation", "legal_basis", "status", "status_display", "investigated_on", "notified_on",
            "decided_on", "executed_on", "closed_on", "decision_number", "fine_amount", "confiscation_amount",
            "suspension_ordered", "revoked_licence", "listed_serious_dishonest", "penalised_persons",
            "handlers", "campaigns", "version",
        ]
        read_only_fields = fields


class CaseWriteSerializer(ScopedSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    number = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    source_inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.all(), required=False,
                                                           allow_null=True)
    filed_on = serializers.DateField()
    procedure = serializers.ChoiceField(choices=CaseProcedure.choices)
    violation = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    handlers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    campaigns = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), many=True, required=False)


class CaseUpdateSerializer(ScopedSerializer):
    version = version_input()
    filed_on = serializers.DateField(required=False)
    procedure = serializers.ChoiceField(choices=CaseProcedure.choices, required=False)
    violation = serializers.CharField(required=False)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    handlers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    campaigns = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), many=True, required=False)


class CaseAdvanceSerializer(ScopedSerializer):
    to_status = serializers.ChoiceField(choices=CaseStatus.choices)
    on_date = serializers.DateField()


class CaseDecisionSerializer(ScopedSerializer):
    decided_on = serializers.DateField()
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT,
                                           default=0)
    confiscation_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0,
                                                   max_value=MAX_AMOUNT, default=0)
    suspension_ordered = serializers.BooleanField(default=False)
    revoked_licence = serializers.PrimaryKeyRelatedField(queryset=Licence.objects.all(), required=False,
                                                         allow_null=True, default=None)
    listed_serious_dishonest = serializers.BooleanField(default=False)
    persons = PenalisedPersonSerializer(many=True, required=False)


class ReferralSerializer(SaveWarningsMixin, ScopedModelSerializer):
    target_display = ChoiceLabelField(source="get_target_display")
    campaigns = campaigns_input(CAMPAIGNS_ON_CREATE)

    class Meta:
        model = Referral
        fields = ["id", "enterprise", "unit", "case", "inspection", "target", "target_display", "referred_on",
                  "note", "campaigns", "warnings"]
        extra_kwargs = {"unit": {"required": False}, "target": {"choices": ReferralTarget.choices}}
