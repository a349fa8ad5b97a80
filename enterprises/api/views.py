"""API viewsets of the registry: scoped querysets, shared FilterSets, writes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from enterprises import organisation, selectors, services
from enterprises.filters import EnterpriseFilterSet, LicenceFilterSet
from regsys.api import AdministratorWritePermission, ScopedWritePermission
from regsys.versioning import with_conflict

from .serializers import (
    EnterpriseDetailSerializer,
    EnterpriseSerializer,
    LicenceSerializer,
    OwnershipRuleSerializer,
    StatusChangeResultSerializer,
    StatusChangeSerializer,
    SubdistrictSerializer,
    TagSerializer,
    UnitSerializer,
    UserSerializer,
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


class SetupViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """District set-up data: every signed-in user reads it, system administrators create and change it
    through ``enterprises.organisation`` (the same checks as the admin forms). Nothing is deleted here."""

    permission_classes = [AdministratorWritePermission]
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    instance_name: str

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            by=self.request.user, **{self.instance_name: serializer.instance}, **serializer.validated_data)


class UnitViewSet(SetupViewSet):
    """监管单位：所有用户可读；只有系统管理员可以新增和修改。"""

    serializer_class = UnitSerializer
    pagination_class = None
    create_service = staticmethod(organisation.unit_create)
    update_service = staticmethod(organisation.unit_update)
    instance_name = "unit"

    def get_queryset(self):
        return selectors.unit_list()


class SubdistrictViewSet(SetupViewSet):
    """街道/镇及其所属监管所：所有用户可读；只有系统管理员可以新增和修改（如调整所属监管所）。"""

    serializer_class = SubdistrictSerializer
    pagination_class = None
    create_service = staticmethod(organisation.subdistrict_create)
    update_service = staticmethod(organisation.subdistrict_update)
    instance_name = "subdistrict"

    def get_queryset(self):
        return selectors.subdistrict_list()


class OwnershipRuleViewSet(SetupViewSet):
    """事权划分规则（按优先级依次匹配）：所有用户可读；只有系统管理员可以新增和修改。"""

    serializer_class = OwnershipRuleSerializer
    pagination_class = None
    create_service = staticmethod(organisation.ownership_rule_create)
    update_service = staticmethod(organisation.ownership_rule_update)
    instance_name = "rule"

    def get_queryset(self):
        return selectors.ownership_rule_list()


class UserViewSet(SetupViewSet):
    """用户：区局各科室可查看全部用户，监管所只能查看本所及区局各单位的用户；只有系统管理员可以新增和修改。

    密码只写不读；修改时填写密码即重设（须符合密码规则），并使该用户已有的 API 令牌失效。停用账号用 is_active。
    """

    serializer_class = UserSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["unit", "role", "is_active"]
    create_service = staticmethod(organisation.user_create)
    update_service = staticmethod(organisation.user_update)
    instance_name = "user"

    def get_queryset(self):
        return selectors.user_list(user=self.request.user)


class TagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """产品领域标签（只读）。"""

    serializer_class = TagSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.tag_list()
