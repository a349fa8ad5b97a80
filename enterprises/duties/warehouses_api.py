"""API of the 委托生产 pairs (``contract-pairs``) and the 异地设库 warehouses (``warehouses``, with their log).

Same scoping and services as the pages; PUT/PATCH carry the ``version`` read (409 when stale). Mounted with one
line in ``regsys.urls.api_patterns``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from enterprises.duties import warehouses_selectors as selectors
from enterprises.duties import warehouses_services as services
from enterprises.duties.choices import ExchangeKind
from enterprises.duties.warehouses_filters import PairFilterSet, WarehouseFilterSet
from enterprises.models import ContractManufacturing, Warehouse, WarehouseExchange
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import scope_for
from regsys.versioning import VERSION_HELP, pop_version, version_input, with_conflict

# ---------------------------------------------------------------- 委托生产


class PairSerializer(ScopedModelSerializer):
    registrant_unit = serializers.CharField(source="registrant.owning_unit.name", read_only=True, default=None,
                                            allow_null=True)
    manufacturer_unit = serializers.CharField(source="manufacturer.owning_unit.name", read_only=True, default=None,
                                              allow_null=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = ContractManufacturing
        fields = ["id", "registrant", "registrant_name", "registrant_unit", "manufacturer", "manufacturer_name",
                  "manufacturer_unit", "product", "registration_number", "agreement_signed_on",
                  "agreement_expires_on", "cross_region", "other_region", "is_active", "ended_on", "note",
                  "created_at", "version"]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "registrant": {"help_text": "本区注册人/备案人（企业ID）；区外的省略并填写 registrant_name"},
            "manufacturer": {"help_text": "本区受托生产企业（企业ID）；区外的省略并填写 manufacturer_name"},
            "registrant_name": {"required": False, "allow_blank": True},
            "manufacturer_name": {"required": False, "allow_blank": True},
        }


def _pair_input(data: dict, current: ContractManufacturing | None = None) -> services.PairInput:
    def value(name, default=None):
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    registrant, manufacturer = value("registrant"), value("manufacturer")
    return services.PairInput(
        registrant=registrant, registrant_name="" if registrant else value("registrant_name", ""),
        manufacturer=manufacturer, manufacturer_name="" if manufacturer else value("manufacturer_name", ""),
        product=value("product", ""), registration_number=value("registration_number", ""),
        agreement_signed_on=value("agreement_signed_on"), agreement_expires_on=value("agreement_expires_on"),
        cross_region=value("cross_region", False), other_region=value("other_region", ""),
        is_active=value("is_active", True), ended_on=value("ended_on"), note=value("note", ""))


class PairWritePermission(ScopedWritePermission):
    """Writes by the lead side's unit (registrant's, or the manufacturer's when the registrant is outside)."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return services.can_edit_pair(request.user, obj)


class PairViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """委托生产关系：注册人/备案人 ↔ 受托生产企业（产品、协议日期、跨区域）。任一方可在区外（只填名称）。"""

    serializer_class = PairSerializer
    filterset_class = PairFilterSet
    permission_classes = [PairWritePermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.pair_list(user=self.request.user).order_by("registrant_name", "product", "pk")

    def create(self, request, *args, **kwargs):
        serializer = PairSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        pair = services.pair_create(data=_pair_input(data), by=request.user)
        return Response(PairSerializer(self.get_queryset().get(pk=pair.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PairSerializer, responses=with_conflict({200: PairSerializer}))
    def partial_update(self, request, *args, **kwargs):
        pair = self.get_object()
        serializer = PairSerializer(pair, data=request.data, context={"request": request}, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        pair = services.pair_update(pair=pair, data=_pair_input(data, pair), by=request.user, version=version)
        return Response(PairSerializer(self.get_queryset().get(pk=pair.pk)).data)

    @extend_schema(request=PairSerializer, responses=with_conflict({200: PairSerializer}))
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


# ---------------------------------------------------------------- 异地设库


class WarehouseSerializer(ScopedModelSerializer):
    daily_unit_name = serializers.CharField(source="daily_unit.name", read_only=True)
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = Warehouse
        fields = ["id", "enterprise", "home_enterprise", "home_name", "home_licence_no", "home_bureau", "address",
                  "subdistrict", "subdistrict_name", "daily_unit", "daily_unit_name", "area_sqm", "remote_monitoring",
                  "accepted_on", "is_active", "created_at", "version"]
        read_only_fields = ["daily_unit", "accepted_on", "created_at"]
        extra_kwargs = {
            "daily_unit": {"help_text": "日常监管单位：库房所在街道/镇所属的监管所（自动确定）"},
            "accepted_on": {"help_text": "药械科验收检查日期（通过 accept 操作记录）"},
            "home_name": {"required": False, "allow_blank": True},
            "area_sqm": {"min_value": 1, "max_value": 1000000},
        }


_WAREHOUSE_NAMES = ("enterprise", "home_enterprise", "home_name", "home_licence_no", "home_bureau", "address",
                    "subdistrict", "area_sqm", "remote_monitoring", "is_active")


def _warehouse_input(data: dict, current: Warehouse | None = None) -> services.WarehouseInput:
    values = {}
    for name in _WAREHOUSE_NAMES:
        values[name] = data[name] if name in data else (getattr(current, name) if current is not None else None)
    values["home_name"] = "" if values["home_enterprise"] else (values["home_name"] or "")
    for name in ("home_licence_no", "home_bureau", "address"):
        values[name] = values[name] or ""
    values["remote_monitoring"] = bool(values["remote_monitoring"])
    values["is_active"] = True if values["is_active"] is None else values["is_active"]
    return services.WarehouseInput(**values)


class AcceptanceSerializer(ScopedSerializer):
    accepted_on = serializers.DateField(allow_null=True, help_text="验收检查日期；null 撤销")
    version = version_input()


class ExchangeSerializer(ScopedModelSerializer):
    kind = serializers.ChoiceField(choices=ExchangeKind.choices)
    file_url = serializers.SerializerMethodField()
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True, default="")

    class Meta:
        model = WarehouseExchange
        fields = ["id", "kind", "on", "counterpart", "content", "file", "file_url", "created_by_name", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"file": {"write_only": True, "required": False,
                                 "help_text": "附件：PDF、图片、Word 或 Excel（multipart 上传）"}}

    def get_file_url(self, entry) -> str | None:
        return reverse("enterprises:exchange_file", args=[entry.pk]) if entry.file else None


class WarehouseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """异地设库：库房、设库企业及许可部门、日常监管单位（按街道/镇）、药械科验收、远程监控，以及信息通报记录。"""

    serializer_class = WarehouseSerializer
    filterset_class = WarehouseFilterSet
    permission_classes = [ScopedWritePermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.warehouse_list(user=self.request.user).order_by("home_name", "pk")

    def create(self, request, *args, **kwargs):
        serializer = WarehouseSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        warehouse = services.warehouse_create(data=_warehouse_input(data), by=request.user)
        return Response(WarehouseSerializer(self.get_queryset().get(pk=warehouse.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=WarehouseSerializer, responses=with_conflict({200: WarehouseSerializer}))
    def partial_update(self, request, *args, **kwargs):
        warehouse = self.get_object()
        serializer = WarehouseSerializer(warehouse, data=request.data, context={"request": request}, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        warehouse = services.warehouse_update(warehouse=warehouse, data=_warehouse_input(data, warehouse),
                                              by=request.user, version=version)
        return Response(WarehouseSerializer(self.get_queryset().get(pk=warehouse.pk)).data)

    @extend_schema(request=WarehouseSerializer, responses=with_conflict({200: WarehouseSerializer}))
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=AcceptanceSerializer, responses=with_conflict({200: WarehouseSerializer}))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """药械科记录（或撤销）验收检查日期；监管所无权设置。"""
        warehouse = self.get_object()
        serializer = AcceptanceSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        warehouse = services.warehouse_accept(warehouse=warehouse, accepted_on=data["accepted_on"], by=request.user,
                                              version=version)
        return Response(WarehouseSerializer(self.get_queryset().get(pk=warehouse.pk)).data)

    @extend_schema(methods=["get"], responses={200: ExchangeSerializer(many=True)})
    @extend_schema(methods=["post"], request=ExchangeSerializer, responses={201: ExchangeSerializer})
    @action(detail=True, methods=["get", "post"], permission_classes=[permissions.IsAuthenticated],
            pagination_class=None, filter_backends=[])
    def exchanges(self, request, pk=None):
        """库房的信息通报、联合检查、验收检查记录；登记由日常监管所或药械科。"""
        warehouse = self.get_object()
        if request.method == "GET":
            return Response(ExchangeSerializer(selectors.exchanges_of(warehouse), many=True).data)
        if not scope_for(request.user).can_write:
            raise PermissionDenied(_("只读账号不能修改数据"))
        serializer = ExchangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.exchange_add(warehouse=warehouse, kind=data["kind"], on=data["on"],
                                      counterpart=data["counterpart"], content=data["content"],
                                      file=data.get("file"), by=request.user)
        return Response(ExchangeSerializer(entry).data, status=status.HTTP_201_CREATED)


router = DefaultRouter(trailing_slash=True)
router.register("contract-pairs", PairViewSet, basename="contract-pair")
router.register("warehouses", WarehouseViewSet, basename="warehouse")

urlpatterns = router.urls
