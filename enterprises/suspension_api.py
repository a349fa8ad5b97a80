"""API of production suspensions: ``/api/suspensions/`` (list, read, start; actions rectify, resume), scoped
like the enterprise. The rules (复产 refused until the rectification is recorded, the 复产报告 after a year)
are ``enterprises.suspensions``'; a refusal is a 400 with its Chinese messages.
"""

from __future__ import annotations

from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from enterprises.models import ProductionSuspension, SuspensionKind
from enterprises.suspension_filters import SuspensionFilterSet
from enterprises.suspension_forms import RESUME_REPORT_MAX_BYTES, RESUME_REPORT_TYPES
from enterprises.suspensions import production_resume, suspension_record_rectification, suspension_start
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import require_edit, scoped
from regsys.versioning import VersionedSerializerMixin, version_input, with_conflict


class SuspensionSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """A suspension; POST starts one (kind, started_on, reason) and sets the enterprise to 停产."""

    kind = serializers.ChoiceField(choices=SuspensionKind.choices)
    kind_display = ChoiceLabelField(source="get_kind_display")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    rectification_recorded = serializers.BooleanField(read_only=True)
    has_resume_report = serializers.SerializerMethodField()

    class Meta:
        model = ProductionSuspension
        fields = ["id", "enterprise", "enterprise_name", "kind", "kind_display", "started_on", "reason",
                  "source_label", "cause", "rectification", "rectification_recorded_on", "rectification_recorded",
                  "resumed_on", "resume_note", "has_resume_report", "is_open", "version"]
        read_only_fields = ["source_label", "cause", "rectification", "rectification_recorded_on", "resumed_on",
                            "resume_note"]

    def get_has_resume_report(self, obj) -> bool:
        return bool(obj.resume_report)


class RectifyInput(ScopedSerializer):
    cause = serializers.CharField()
    rectification = serializers.CharField()
    recorded_on = serializers.DateField(required=False)
    version = version_input()


class ResumeInput(ScopedSerializer):
    resumed_on = serializers.DateField()
    resume_report = serializers.FileField(required=False, help_text="连续停产一年以上的必须上传")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = version_input()

    def validate_resume_report(self, upload):
        if upload and not upload.name.lower().endswith(RESUME_REPORT_TYPES):
            raise serializers.ValidationError("复产报告只能是 PDF、Word 或图片文件")
        if upload and upload.size > RESUME_REPORT_MAX_BYTES:
            raise serializers.ValidationError("复产报告不能超过20MB")
        return upload


class SuspensionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """停产/复产记录. POST starts one; POST rectify records cause and rectification; POST resume ends it."""

    serializer_class = SuspensionSerializer
    permission_classes = [ScopedWritePermission]
    filterset_class = SuspensionFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return scoped(ProductionSuspension.objects.select_related("enterprise"), self.request.user).order_by(
            F("resumed_on").asc(nulls_first=True), "-started_on", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = suspension_start(
            enterprise=data["enterprise"], kind=data["kind"], started_on=data["started_on"],
            reason=data.get("reason", ""), by=self.request.user)

    @extend_schema(request=RectifyInput, responses=with_conflict({200: SuspensionSerializer}))
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """记录原因分析和整改情况（责令停产整改复产前必须记录）。"""
        suspension = self.get_object()
        require_edit(request.user, suspension)
        data = RectifyInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        suspension = suspension_record_rectification(
            suspension=suspension, cause=d["cause"], rectification=d["rectification"], by=request.user,
            recorded_on=d.get("recorded_on"), version=d["version"])
        return Response(SuspensionSerializer(suspension, context={"request": request}).data)

    @extend_schema(request={"multipart/form-data": ResumeInput, "application/json": ResumeInput},
                   responses=with_conflict({200: SuspensionSerializer}))
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """登记复产；未记录整改的责令停产整改、缺少复产报告的长期停产均被拒绝（400）。"""
        suspension = self.get_object()
        require_edit(request.user, suspension)
        data = ResumeInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        suspension = production_resume(
            suspension=suspension, resumed_on=d["resumed_on"], by=request.user,
            resume_report=d.get("resume_report"), note=d.get("note", ""), version=d["version"])
        return Response(SuspensionSerializer(suspension, context={"request": request}).data)
