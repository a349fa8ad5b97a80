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
from monitoring.models import AdverseEventReport, Evaluation
from monitoring.services import evaluations as services
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import scope_for, scoped
from regsys.versioning import VersionedSerializerMixin, version_input, with_conflict


class EvaluationSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """An evaluation; PUT/PATCH write the 评价 (opinion, causality, evaluated_on, measures) with ``version``."""

    trigger_display = ChoiceLabelField(source="get_trigger_display")
    status_display = ChoiceLabelField(source="get_status_display")
    reports = serializers.SerializerMethodField(help_text="涉及报告的 id（监管所只见本所的报告）")
    report_codes = serializers.SerializerMethodField(help_text="涉及报告的报告编码（监管所只见本所的报告）")

    class Meta:
        model = Evaluation
        fields = ["id", "trigger", "trigger_display", "primary_report", "reports", "report_codes", "unit",
                  "opened_on", "due_on", "status", "status_display", "opinion", "causality", "evaluated_on",
                  "measures", "interview", "inspection", "closed_on", "closure_note", "version"]
        read_only_fields = ["trigger", "primary_report", "unit", "opened_on", "due_on", "status",
                            "interview", "inspection", "closed_on", "closure_note"]
        extra_kwargs = {"opinion": {"required": True, "allow_blank": False},
                        "causality": {"required": True}, "evaluated_on": {"required": True}}

    def _visible_reports(self, obj) -> list:
        """The evaluation's reports the caller may see (one query per response for a 监管所 user)."""
        user = self.context["request"].user
        reports = sorted(obj.reports.all(), key=lambda r: (r.reported_on, r.pk))
        if scope_for(user).district_wide:
            return reports
        if "visible_report_ids" not in self.context:
            self.context["visible_report_ids"] = set(scoped(
                AdverseEventReport.objects.filter(evaluations__isnull=False), user).values_list("pk", flat=True))
        return [r for r in reports if r.pk in self.context["visible_report_ids"]]

    def get_reports(self, obj) -> list[int]:
        return [r.pk for r in self._visible_reports(obj)]

    def get_report_codes(self, obj) -> list[str]:
        return [r.code for r in self._visible_reports(obj)]


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
