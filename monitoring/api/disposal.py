"""API of the disposal of failed samples (不合格处置), scoped like the sample.

- ``/api/sample-controls/``: control measures on related operators and use units (list, read, add, delete);
- ``/api/sample-disposals/``: the failed samples with their disposal, and the actions ``inspection`` (有因/体系
  检查草稿), ``suspension`` (责令停产整改), ``case`` (关联案件), ``case-open`` (立案), ``strict-check`` (从严查处).

Mounted with ``monitoring.api.urls``. A refused action is a 400 with the service's Chinese messages.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise
from inspections.choices import CaseProcedure
from inspections.models import Case
from monitoring.choices import ControlMeasure, SampleConclusion
from monitoring.models import Sample, SampleControl
from monitoring.services import disposal as services
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import require_edit, scoped


class SampleControlSerializer(ScopedModelSerializer):
    """A control measure; ``enterprise`` may be another 所's only for a district user."""

    measure = serializers.ChoiceField(choices=ControlMeasure.choices)
    measure_display = ChoiceLabelField(source="get_measure_display")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = SampleControl
        fields = ["id", "sample", "enterprise", "enterprise_name", "measure", "measure_display", "done_on",
                  "quantity", "note", "created_at"]
        read_only_fields = ["created_at"]


class SampleControlViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """控制措施. POST adds one to a failed sample (the sample's unit or the district); DELETE removes it."""

    serializer_class = SampleControlSerializer
    permission_classes = [ScopedWritePermission]
    filterset_fields = ["sample"]

    def get_queryset(self):
        return scoped(SampleControl.objects.select_related("enterprise", "sample"), self.request.user).order_by(
            "sample", "done_on", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.control_add(by=self.request.user, **data)

    def perform_destroy(self, instance):
        services.control_delete(control=instance, by=self.request.user)


class SampleDisposalSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    controls = SampleControlSerializer(many=True, read_only=True)
    repeat_failure = serializers.SerializerMethodField(help_text="两年内两次抽检不合格（从严查处规则）")
    local_manufacturers = serializers.SerializerMethodField(help_text="可建立检查、责令停产整改的本区企业 id")

    class Meta:
        model = Sample
        fields = ["id", "sample_no", "enterprise", "enterprise_name", "registrant", "product_name", "batch",
                  "sampled_on", "unit", "conclusion", "failed_items", "strict", "credit_record", "repeat_failure",
                  "follow_up_inspection", "suspension", "case", "disposal_note", "controls", "local_manufacturers"]
        read_only_fields = fields

    def get_repeat_failure(self, obj) -> bool:
        return services.is_repeat_failure(obj)

    def get_local_manufacturers(self, obj) -> list[int]:
        return [e.pk for e in services.local_manufacturers(obj)]


class InspectionInput(ScopedSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    kind = serializers.ChoiceField(choices=[(k, k.label) for k in services.FOLLOW_UP_KINDS])
    start_date = serializers.DateField()


class SuspensionInput(ScopedSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    started_on = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CaseLinkInput(ScopedSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())


class CaseOpenInput(ScopedSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    filed_on = serializers.DateField()
    procedure = serializers.ChoiceField(choices=CaseProcedure.choices, default=CaseProcedure.ORDINARY)
    violation = serializers.CharField(required=False, allow_blank=True)


class SampleDisposalViewSet(viewsets.ReadOnlyModelViewSet):
    """不合格处置: the failed samples the caller may see; POST actions change the disposal."""

    serializer_class = SampleDisposalSerializer
    permission_classes = [ScopedWritePermission]

    def get_queryset(self):
        return scoped(Sample.objects.filter(conclusion=SampleConclusion.FAILED), self.request.user).select_related(
            "enterprise", "registrant").prefetch_related(
            Prefetch("controls", queryset=SampleControl.objects.select_related("enterprise"))).order_by(
            "-sampled_on", "-id")

    def _act(self, request, input_class, call):
        sample = self.get_object()
        require_edit(request.user, sample)
        data = input_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        call(sample, data.validated_data)
        sample = self.get_queryset().get(pk=sample.pk)
        return Response(SampleDisposalSerializer(sample, context={"request": request}).data,
                        status=status.HTTP_200_OK)

    @extend_schema(request=InspectionInput, responses={200: SampleDisposalSerializer})
    @action(detail=True, methods=["post"])
    def inspection(self, request, pk=None):
        """建立有因检查/体系检查草稿（本区生产企业或注册人）并关联。"""
        return self._act(request, InspectionInput, lambda s, d: services.disposal_inspection_create(
            sample=s, by=request.user, **d))

    @extend_schema(request=SuspensionInput, responses={200: SampleDisposalSerializer})
    @action(detail=True, methods=["post"])
    def suspension(self, request, pk=None):
        """责令停产整改（复产在 /api/suspensions/ 登记）。"""
        return self._act(request, SuspensionInput, lambda s, d: services.disposal_suspension_start(
            sample=s, by=request.user, **d))

    @extend_schema(request=CaseLinkInput, responses={200: SampleDisposalSerializer})
    @action(detail=True, methods=["post"])
    def case(self, request, pk=None):
        """关联已立案件。"""
        return self._act(request, CaseLinkInput, lambda s, d: services.disposal_case_link(
            sample=s, by=request.user, **d))

    @extend_schema(request=CaseOpenInput, responses={200: SampleDisposalSerializer})
    @action(detail=True, methods=["post"], url_path="case-open")
    def case_open(self, request, pk=None):
        """立案并关联。"""
        return self._act(request, CaseOpenInput, lambda s, d: services.disposal_case_open(
            sample=s, by=request.user, **d))

    @extend_schema(request=None, responses={200: SampleDisposalSerializer})
    @action(detail=True, methods=["post"], url_path="strict-check")
    def strict_check(self, request, pk=None):
        """按“两年内两次抽检不合格”规则标记从严查处并记入信用记录（已标记的不重复记录）。"""
        return self._act(request, _Empty, lambda s, d: services.disposal_strict_check(sample=s, by=request.user))


class _Empty(ScopedSerializer):
    pass
