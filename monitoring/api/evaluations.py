"""API of the 药械科's evaluations: ``/api/ae-evaluations/`` (list, retrieve, update = 评价, close), scoped.

Mounted with ``path("", include("monitoring.api.evaluations"))`` in ``regsys.urls.api_patterns``.
A 监管所 user reads the evaluations of its reports and changes none.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from monitoring.evaluation_filters import EvaluationFilterSet
from monitoring.evaluation_selectors import evaluations_for
from monitoring.models import Evaluation
from monitoring.services import evaluations as services
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.versioning import VersionedSerializerMixin, version_input, with_conflict


class EvaluationSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """An evaluation; PUT/PATCH write the 评价 (opinion, causality, evaluated_on, measures) with ``version``."""

    trigger_display = serializers.CharField(source="get_trigger_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    report_codes = serializers.SerializerMethodField(help_text="涉及报告的报告编码")

    class Meta:
        model = Evaluation
        fields = ["id", "trigger", "trigger_display", "primary_report", "reports", "report_codes", "unit",
                  "opened_on", "due_on", "status", "status_display", "opinion", "causality", "evaluated_on",
                  "measures", "interview", "inspection", "closed_on", "closure_note", "version"]
        read_only_fields = ["trigger", "primary_report", "reports", "unit", "opened_on", "due_on", "status",
                            "interview", "inspection", "closed_on", "closure_note"]
        extra_kwargs = {"opinion": {"required": True, "allow_blank": False},
                        "causality": {"required": True}, "evaluated_on": {"required": True}}

    def get_report_codes(self, obj) -> list[str]:
        return [r.code for r in obj.reports.all()]


class EvaluationCloseSerializer(ScopedSerializer):
    closed_on = serializers.DateField()
    closure_note = serializers.CharField(max_length=300)
    version = version_input()


@extend_schema_view(update=extend_schema(responses=with_conflict({200: EvaluationSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: EvaluationSerializer})))
class EvaluationViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """不良事件评价. PUT/PATCH 评价 (with ``version``); POST close 关闭."""

    serializer_class = EvaluationSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = EvaluationFilterSet

    def get_queryset(self):
        return evaluations_for(self.request.user).prefetch_related("reports").order_by("due_on", "id")

    def perform_update(self, serializer):
        current = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.evaluation_evaluate(
            evaluation=current, by=self.request.user, version=data["version"],
            opinion=data.get("opinion", current.opinion), causality=data.get("causality", current.causality),
            evaluated_on=data.get("evaluated_on", current.evaluated_on),
            measures=data.get("measures", current.measures),
        )

    @extend_schema(request=EvaluationCloseSerializer, responses=with_conflict({200: EvaluationSerializer}))
    @action(detail=True, methods=["post"], serializer_class=EvaluationCloseSerializer)
    def close(self, request, pk=None):
        evaluation = self.get_object()
        data = EvaluationCloseSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        evaluation = services.evaluation_close(
            evaluation=evaluation, by=request.user, version=data.validated_data["version"],
            closed_on=data.validated_data["closed_on"], closure_note=data.validated_data["closure_note"],
        )
        return Response(EvaluationSerializer(evaluation, context={"request": request}).data)


router = DefaultRouter(trailing_slash=True)
router.register("ae-evaluations", EvaluationViewSet, basename="ae-evaluation")

urlpatterns = router.urls
