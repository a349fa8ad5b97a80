"""API of supervisory sampling: ``/api/sampling-tasks/`` (read by all, written by the 药械科) and
``/api/samples/`` (scoped CRUD without delete; ``steps`` records the next step, ``retest`` and
``retest-result`` the 复检). Mounted from ``monitoring/api/urls.py``. Refusals are 400s in Chinese.
"""

from __future__ import annotations

import datetime

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from enterprises.models import User
from monitoring.access import is_ae_manager
from monitoring.choices import RetestStatus, SampleConclusion, SampleStepKind
from monitoring.filters_sampling import SampleFilterSet, SamplingTaskFilterSet
from monitoring.models import Sample, SampleStep, SamplingTask
from monitoring.sampling_selectors import samples_for, tasks_for
from monitoring.services import sampling as services
from regsys.api import (
    ChoiceLabelField,
    ScopedModelSerializer,
    ScopedSerializer,
    ScopedWritePermission,
    read_only_choice,
)
from regsys.versioning import VersionedSerializerMixin, version_input, with_conflict


class ManagerWritePermission(permissions.BasePermission):
    """Reads for any signed-in user; writes only for the 药械科 (``monitoring.access``)."""

    message = "只有药械科或系统管理员可以修改此项"

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or is_ae_manager(request.user)


class SamplingTaskSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    level_display = ChoiceLabelField(source="get_level_display")
    taken = serializers.SerializerMethodField(help_text="全区已录入的样品批次")

    class Meta:
        model = SamplingTask
        fields = ["id", "level", "level_display", "year", "name", "plan_document", "quota", "unit", "notes",
                  "taken", "version"]

    def get_taken(self, task) -> int:
        taken = getattr(task, "taken", None)  # annotated on lists; counted for a task just written
        return task.samples.count() if taken is None else taken


@extend_schema_view(update=extend_schema(responses=with_conflict({200: SamplingTaskSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: SamplingTaskSerializer})))
class SamplingTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """抽检任务：所有用户可读；新增、修改仅限药械科。"""

    serializer_class = SamplingTaskSerializer
    permission_classes = [ManagerWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = SamplingTaskFilterSet

    def get_queryset(self):
        return tasks_for(self.request.user).order_by("-year", "level", "name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.sampling_task_create(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.sampling_task_update(task=serializer.instance, by=self.request.user,
                                                            version=version, **data)


class SampleStepSerializer(ScopedModelSerializer):
    step_display = ChoiceLabelField(source="get_step_display")
    done_by_name = serializers.SerializerMethodField()
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = SampleStep
        fields = ["id", "step", "step_display", "due_on", "done_on", "done_by", "done_by_name", "note", "has_file"]
        read_only_fields = fields

    def get_done_by_name(self, row) -> str:
        return row.done_by.display_name if row.done_by_id else ""

    def get_has_file(self, row) -> bool:
        return bool(row.file)


class SampleSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """A sample; ``unit`` defaults to the enterprise's 所 (a district user may name another).
    The result, steps and 复检 are written through the ``steps``/``retest`` actions."""

    officers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, label="抽样人员")
    steps = SampleStepSerializer(many=True, read_only=True)
    conclusion_display = ChoiceLabelField(source="get_conclusion_display")
    next_step = read_only_choice(SampleStepKind.choices, label="待办环节", blank_label="无（已办结）")
    next_step_display = ChoiceLabelField(source="get_next_step_display")
    retest_last_day = serializers.SerializerMethodField(help_text="复检申请截止日（送达后按工作日计算）")

    class Meta:
        model = Sample
        fields = ["id", "task", "sample_no", "enterprise", "link", "unit", "product_name", "registrant_name",
                  "registration_number", "model_spec", "batch", "quantity", "sampled_on", "officers", "lab",
                  "report_no", "conclusion", "conclusion_display", "failed_items", "retest", "retest_requested_on",
                  "retest_note", "next_step", "next_step_display", "next_due_on", "retest_last_day", "steps",
                  "version"]
        read_only_fields = ["lab", "report_no", "conclusion", "failed_items", "retest", "retest_requested_on",
                            "retest_note", "next_step", "next_due_on"]
        extra_kwargs = {"sample_no": {"validators": []}, "unit": {"required": False}}

    def get_retest_last_day(self, sample) -> datetime.date | None:
        steps = {s.step: s for s in sample.steps.all()}
        window = steps.get(SampleStepKind.RETEST_WINDOW)
        return window.due_on if window is not None else None


class StepRecordSerializer(ScopedSerializer):
    step = serializers.ChoiceField(choices=SampleStepKind.choices)
    done_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lab = serializers.CharField(max_length=200, required=False, allow_blank=True)
    report_no = serializers.CharField(max_length=100, required=False, allow_blank=True)
    conclusion = serializers.ChoiceField(choices=[SampleConclusion.PASSED, SampleConclusion.FAILED], required=False)
    failed_items = serializers.CharField(required=False, allow_blank=True)
    file = serializers.FileField(required=False, help_text="送达回执（JPG、PNG 或 PDF），送达回执上传环节必填")
    version = version_input()


class RetestRequestSerializer(ScopedSerializer):
    requested_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = version_input()


class RetestResultSerializer(ScopedSerializer):
    result = serializers.ChoiceField(choices=[RetestStatus.UPHELD, RetestStatus.OVERTURNED])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = version_input()


@extend_schema_view(update=extend_schema(responses=with_conflict({200: SampleSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: SampleSerializer})))
class SampleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """抽检样品：只含本单位可见的样品；环节、复检经服务层校验（顺序、日期、复检申请期）。"""

    serializer_class = SampleSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = SampleFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return samples_for(self.request.user).prefetch_related("officers", "steps").order_by("-sampled_on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        officers = data.pop("officers")
        unit = data.pop("unit", None)
        serializer.instance = services.sample_create(by=self.request.user, officers=officers, unit=unit, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.sample_update(
            sample=serializer.instance, by=self.request.user, version=version, officers=data.pop("officers", None),
            unit=data.pop("unit", None), **data)

    def _respond(self, request, pk):
        sample = self.get_queryset().get(pk=pk)
        return Response(SampleSerializer(sample, context={"request": request}).data)

    @extend_schema(request=StepRecordSerializer, responses=with_conflict({200: SampleSerializer}),
                   summary="办理样品的下一个环节（按顺序；收到检验报告须填结论，送达回执上传须附文件）")
    @action(detail=True, methods=["post"], serializer_class=StepRecordSerializer)
    def steps(self, request, pk=None):
        sample = self.get_object()
        payload = StepRecordSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        services.sample_step_record(sample=sample, by=request.user, **data)
        return self._respond(request, sample.pk)

    @extend_schema(request=RetestRequestSerializer, responses=with_conflict({200: SampleSerializer}),
                   summary="登记复检申请（仅在复检申请期内受理）")
    @action(detail=True, methods=["post"], serializer_class=RetestRequestSerializer)
    def retest(self, request, pk=None):
        sample = self.get_object()
        payload = RetestRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        services.sample_retest_request(sample=sample, by=request.user, **payload.validated_data)
        return self._respond(request, sample.pk)

    @extend_schema(request=RetestResultSerializer, responses=with_conflict({200: SampleSerializer}),
                   summary="记录复检结论（复检结论为合格时样品改判合格）")
    @action(detail=True, methods=["post"], url_path="retest-result", serializer_class=RetestResultSerializer)
    def retest_result(self, request, pk=None):
        sample = self.get_object()
        payload = RetestResultSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        services.sample_retest_result(sample=sample, by=request.user, **payload.validated_data)
        return self._respond(request, sample.pk)


router = DefaultRouter(trailing_slash=True)
router.register("sampling-tasks", SamplingTaskViewSet, basename="sampling-task")
router.register("samples", SampleViewSet, basename="sample")

urlpatterns = router.urls
