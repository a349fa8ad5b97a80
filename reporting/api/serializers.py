from rest_framework import serializers

from campaigns.models import Campaign, FormTemplate
from enterprises.choices import UnitKind
from enterprises.models import Unit
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer
from reporting.models import ExportJob, Return


class ReturnSerializer(ScopedModelSerializer):
    status_display = ChoiceLabelField(source="get_status_display")
    due_on = serializers.DateField(source="due_date.due_on", read_only=True, allow_null=True,
                                   help_text="报送期限；临时报送的报表为空")

    class Meta:
        model = Return
        fields = ["id", "campaign", "template", "unit", "cutoff", "due_on", "unscheduled", "version", "is_current", "status",
                  "status_display", "data", "manual", "overrides", "warnings", "computed_at", "filled_by", "contact", "submitted_at",
                  "reviewed_at", "review_comment"]
        read_only_fields = fields


class ReturnRequestSerializer(ScopedSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    template = serializers.PrimaryKeyRelatedField(queryset=FormTemplate.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None, help_text="为空表示全区汇总")
    cutoff = serializers.DateField()
    filled_by = serializers.CharField(required=False, allow_blank=True, default="")
    contact = serializers.CharField(required=False, allow_blank=True, default="")
    unscheduled = serializers.BooleanField(
        required=False, default=False,
        help_text="临时报送（年终或临时报表，不对应报送期限）；截止日期在最后一个报送期限之后的自动为临时报送",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="重新计算的原因；该报表曾有版本审核通过时必填，记入流转记录",
    )


class ManualValuesSerializer(ScopedSerializer):
    values = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=40)),
        help_text="手填单元格的值 {行代码: {列代码: 数值文本}}；空文本清除该格；未列出的单元格保持原值",
    )


class OverrideCellSerializer(ScopedSerializer):
    row = serializers.CharField(max_length=100, help_text="行代码")
    column = serializers.CharField(max_length=80, help_text="列代码")


class OverrideSerializer(OverrideCellSerializer):
    value = serializers.CharField(max_length=40, allow_blank=True, help_text="修正后的数值")
    reason = serializers.CharField(max_length=500, allow_blank=True, help_text="修正原因（必填）")


class ReviewSerializer(ScopedSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RiskReportRequestSerializer(ScopedSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度")
    quarter = serializers.IntegerField(min_value=1, max_value=4, help_text="季度（1–4）")
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(kind=UnitKind.STATION), required=False, allow_null=True, default=None,
        help_text="为空表示全区报告（药械科）；监管所只能生成本所的报告",
    )


class ExportJobSerializer(ScopedModelSerializer):
    class Meta:
        model = ExportJob
        fields = ["id", "title", "ret", "status", "progress", "message", "error", "created_at", "finished_at"]
