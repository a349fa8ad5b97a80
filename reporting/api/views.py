from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from regsys.api import ScopedWritePermission
from regsys.scoping import require_write
from reporting import return_cells, services
from reporting.filters import ReturnFilter
from reporting.models import ExportJob
from reporting.risk_report import risk_report_request
from reporting.selectors import jobs_of, returns_visible

from .serializers import (
    ExportJobSerializer,
    ManualValuesSerializer,
    OverrideCellSerializer,
    OverrideSerializer,
    ReturnRequestSerializer,
    ReturnSerializer,
    ReviewSerializer,
    RiskReportRequestSerializer,
)


class ReturnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Returns the user may see (a 所 only its own); create = compute a new version; workflow actions."""

    serializer_class = ReturnSerializer
    filterset_class = ReturnFilter
    permission_classes = [ScopedWritePermission]

    def get_queryset(self):
        return returns_visible(self.request.user)

    @extend_schema(request=ReturnRequestSerializer, responses=ReturnSerializer)
    def create(self, request):
        data = ReturnRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        ret = services.return_request(
            campaign=v["campaign"], template=v["template"], unit=v["unit"],
            cutoff=v["cutoff"], filled_by=v["filled_by"], contact=v["contact"], by=request.user,
            unscheduled=v["unscheduled"], reason=v["reason"],
        )
        return Response(ReturnSerializer(ret).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        ret = services.return_submit(ret=self.get_object(), by=request.user)
        return Response(ReturnSerializer(ret).data)

    @extend_schema(request=ReviewSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        ret = services.return_approve(ret=self.get_object(), by=request.user, comment=review.validated_data["comment"])
        return Response(ReturnSerializer(ret).data)

    @extend_schema(request=ReviewSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        ret = services.return_send_back(ret=self.get_object(), by=request.user, comment=review.validated_data["comment"])
        return Response(ReturnSerializer(ret).data)

    @extend_schema(request=ManualValuesSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def manual(self, request, pk=None):
        """填写手填数据：全部正确才保存；有误时 400，按 “行代码.列代码” 给出中文错误。"""
        ret = self.get_object()  # another unit's return: 404 before the body is looked at
        body = ManualValuesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ret = return_cells.return_manual_save(ret=ret, by=request.user, values=body.validated_data["values"])
        return Response(ReturnSerializer(ret).data)

    @extend_schema(methods=["POST"], request=OverrideSerializer, responses=ReturnSerializer,
                   description="手工修正计算单元格（须填原因）")
    @extend_schema(methods=["DELETE"], request=None, responses=ReturnSerializer, description="撤销手工修正",
                   parameters=[OpenApiParameter("row", str, required=True, description="行代码"),
                               OpenApiParameter("column", str, required=True, description="列代码")])
    @action(detail=True, methods=["post", "delete"])
    def overrides(self, request, pk=None):
        ret = self.get_object()
        if request.method == "DELETE":
            cell = OverrideCellSerializer(data=request.query_params)
            cell.is_valid(raise_exception=True)
            ret = return_cells.return_override_drop(ret=ret, by=request.user, **cell.validated_data)
            return Response(ReturnSerializer(ret).data)
        body = OverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ret = return_cells.return_override_set(ret=ret, by=request.user, **body.validated_data)
        return Response(ReturnSerializer(ret).data)

    @extend_schema(request=OverrideCellSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="overrides/confirm")
    def overrides_confirm(self, request, pk=None):
        """再次确认上一版本带来的手工修正（按本版本的计算值应用）。"""
        ret = self.get_object()
        body = OverrideCellSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ret = return_cells.return_override_confirm(ret=ret, by=request.user, **body.validated_data)
        return Response(ReturnSerializer(ret).data)


class ExportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """The user's own export jobs (download centre)."""

    serializer_class = ExportJobSerializer
    queryset = ExportJob.objects.none()  # for the schema; the real queryset is per user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExportJob.objects.none()
        return jobs_of(self.request.user)

    @extend_schema(request=RiskReportRequestSerializer, responses={201: ExportJobSerializer})
    @action(detail=False, methods=["post"], url_path="risk-report")
    def risk_report(self, request):
        """生成季度风险会商情况报告（Word）：在下载中心排队生成，返回导出任务。"""
        require_write(request.user)
        data = RiskReportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job = risk_report_request(user=request.user, year=v["year"], quarter=v["quarter"], unit=v["unit"])
        return Response(ExportJobSerializer(job).data, status=status.HTTP_201_CREATED)
