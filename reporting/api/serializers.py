from rest_framework import serializers

from reporting.models import ExportJob, Return


class ReturnSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    due_on = serializers.DateField(source="due_date.due_on", read_only=True)

    class Meta:
        model = Return
        fields = ["id", "campaign", "template", "unit", "cutoff", "due_on", "version", "is_current", "status",
                  "status_display", "data", "warnings", "computed_at", "filled_by", "contact", "submitted_at",
                  "reviewed_at", "review_comment"]
        read_only_fields = fields


class ReturnRequestSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    template = serializers.IntegerField()
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="为空表示全区汇总")
    cutoff = serializers.DateField()
    filled_by = serializers.CharField(required=False, allow_blank=True, default="")
    contact = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ExportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExportJob
        fields = ["id", "title", "ret", "status", "progress", "message", "error", "created_at", "finished_at"]
