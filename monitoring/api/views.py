"""API viewsets of the monitoring app: scoped querysets, shared FilterSets, writes through the services."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from monitoring import selectors
from monitoring.filters import AEReportFilterSet
from monitoring.services import reports as services
from regsys.api import ScopedWritePermission
from regsys.versioning import with_conflict

from .serializers import AEReportSerializer, ReporterResolveResultSerializer, ReporterResolveSerializer


# --- AE reports (aeimport) ---
@extend_schema_view(update=extend_schema(responses=with_conflict({200: AEReportSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: AEReportSerializer})))
class AEReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """不良事件报告：列表与详情只含本单位可见的报告；新增与修改经服务层校验并重新匹配报告单位。"""

    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AEReportFilterSet
    serializer_class = AEReportSerializer

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.report_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.report_update(
            report=serializer.instance, by=self.request.user, **serializer.validated_data)

    @extend_schema(request=ReporterResolveSerializer, responses={200: ReporterResolveResultSerializer},
                   summary="指定未匹配报告的报告单位（仅药械科；同名报告一并匹配，以后导入自动匹配）")
    @action(detail=True, methods=["post"], url_path="resolve-reporter")
    def resolve_reporter(self, request, pk=None):
        report = self.get_object()
        payload = ReporterResolveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        count = services.reporter_resolve(report=report, enterprise=payload.validated_data["enterprise"],
                                          by=request.user)
        return Response({"matched": count}, status=status.HTTP_200_OK)
# --- end AE reports ---
