"""API serializers of the monitoring app: shape only; the services validate and save."""

from __future__ import annotations

from rest_framework import serializers

from enterprises.models import Enterprise, Subdistrict
from monitoring.models import AdverseEventReport
from monitoring.services.reports import REPORT_FIELDS
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer
from regsys.versioning import VersionedSerializerMixin


# --- AE reports (aeimport) ---
class AEReportSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """An AE report. The reporting unit, registrant, 所 and late flag are derived when it is saved.

    PUT/PATCH must send back the ``version`` read; a stale one answers 409 with the changes.
    """

    subdistrict = serializers.PrimaryKeyRelatedField(
        queryset=Subdistrict.objects.all(), required=False, allow_null=True, label="街道/镇",
        help_text="报告单位所在街道/镇（本区以外留空）；填写后报告归该街道/镇的监管所",
    )
    reporter_kind_display = ChoiceLabelField(source="get_reporter_kind_display")
    outcome_display = ChoiceLabelField(source="get_outcome_display")
    reporter_match_display = ChoiceLabelField(source="get_reporter_match_display")
    unit_name = serializers.SerializerMethodField(help_text="所属监管所名称（未确定时为空）")

    class Meta:
        model = AdverseEventReport
        fields = ["id", *REPORT_FIELDS, "reporter_kind_display", "outcome_display", "reporter",
                  "reporter_match", "reporter_match_display", "registrant", "unit", "unit_name", "is_late",
                  "version", "created_at", "updated_at"]
        read_only_fields = ["reporter", "reporter_match", "registrant", "unit", "is_late", "created_at",
                            "updated_at"]
        extra_kwargs = {"code": {"validators": []}}  # uniqueness is the service's check (Chinese message)

    def get_unit_name(self, report: AdverseEventReport) -> str:
        return report.unit.display_name if report.unit_id else ""


class ReporterResolveSerializer(ScopedSerializer):
    """The registry enterprise an unmatched reporting unit is tied to (remembered for later imports)."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), label="对应企业")


class ReporterResolveResultSerializer(ScopedSerializer):
    matched = serializers.IntegerField(help_text="随之匹配的报告份数（含同名的其他未匹配报告）")
# --- end AE reports ---
