"""API viewsets of the registry: scoped querysets, shared FilterSets, writes through the services."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from enterprises import selectors, services
from enterprises.filters import EnterpriseFilterSet, LicenceFilterSet
from regsys.api import ScopedWritePermission
from regsys.versioning import with_conflict

from .serializers import (
    EnterpriseDetailSerializer,
    EnterpriseSerializer,
    LicenceSerializer,
    StatusChangeResultSerializer,
    StatusChangeSerializer,
    SubdistrictSerializer,
    TagSerializer,
    UnitSerializer,
)


@extend_schema_view(update=extend_schema(responses=with_conflict({200: EnterpriseSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: EnterpriseSerializer})))
class EnterpriseViewSet(viewsets.ModelViewSet):
    """企业：列表与详情只含本单位可见的企业；写操作按事权划分和单位范围校验。"""

    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnterpriseFilterSet

    def get_queryset(self):
        qs = selectors.enterprise_list(user=self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related("licences")
        return qs

    def get_serializer_class(self):
        return EnterpriseDetailSerializer if self.action == "retrieve" else EnterpriseSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.enterprise_create(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.enterprise_update(
            enterprise=serializer.instance, by=self.request.user, **data
        )

    def perform_destroy(self, instance):
        services.enterprise_delete(enterprise=instance, by=self.request.user)

    @extend_schema(request=StatusChangeSerializer, responses={201: StatusChangeResultSerializer},
                   summary="变更经营状态（须填写原因）")
    @action(detail=True, methods=["post"], url_path="change-status")
    def change_status(self, request, pk=None):
        enterprise = self.get_object()
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        change = services.enterprise_change_status(enterprise=enterprise, by=request.user,
                                                   **payload.validated_data)
        return Response(StatusChangeResultSerializer(change).data, status=status.HTTP_201_CREATED)


@extend_schema_view(update=extend_schema(responses=with_conflict({200: LicenceSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: LicenceSerializer})))
class LicenceViewSet(viewsets.ModelViewSet):
    """许可/备案：只含本单位可见企业的证照。"""

    permission_classes = [ScopedWritePermission]
    serializer_class = LicenceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = LicenceFilterSet

    def get_queryset(self):
        return selectors.licence_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise")
        serializer.instance = services.licence_create(enterprise=enterprise, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise", serializer.instance.enterprise)
        if enterprise.pk != serializer.instance.enterprise_id:
            raise DRFValidationError({"enterprise": ["证照不能转到其他企业，请删除后在该企业下重新登记"]})
        serializer.instance = services.licence_update(licence=serializer.instance, by=self.request.user,
                                                      **data)

    def perform_destroy(self, instance):
        services.licence_delete(licence=instance, by=self.request.user)


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """监管单位（只读）。"""

    serializer_class = UnitSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.unit_list()


class SubdistrictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """街道/镇及其所属监管所（只读）。"""

    serializer_class = SubdistrictSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.subdistrict_list()


class TagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """产品领域标签（只读）。"""

    serializer_class = TagSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.tag_list()
