"""API of the UDI rollout: ``hospital-udi`` (a 三甲 hospital's status in a year; ``id`` is the hospital's, the
year from ``?year=``) with its ``coverage``, and ``manufacturer-udi`` (coding records per batch).

Same scoping, filters and services as the pages; PUT/PATCH carry the ``version`` read (409 when stale).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from enterprises.duties import udi_selectors as selectors
from enterprises.duties import udi_services as services
from enterprises.duties.choices import UdiBatch, UdiCoding, UdiStatus
from enterprises.duties.udi_filters import HospitalUdiFilterSet, ManufacturerUdiFilterSet, year_of
from enterprises.models import Enterprise, ManufacturerUdi
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import scope_for
from regsys.versioning import VERSION_HELP, pop_version, version_input, with_conflict

YEAR_PARAM = OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认本年）")


class HospitalUdiSerializer(ScopedModelSerializer):
    """A counted hospital and its UDI status in the year (未启动 at version 1 when nobody recorded one)."""

    hospital_name = serializers.CharField(source="name", read_only=True)
    owning_unit_name = serializers.CharField(source="owning_unit.name", read_only=True)
    year = serializers.SerializerMethodField()
    status = serializers.CharField(source="udi_status", read_only=True)
    status_label = serializers.SerializerMethodField()
    status_on = serializers.DateField(source="udi_status_on", read_only=True, allow_null=True)
    note = serializers.CharField(source="udi_note", read_only=True)
    evidence_url = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(help_text=VERSION_HELP)

    class Meta:
        model = Enterprise
        fields = ["id", "hospital_name", "credit_code", "owning_unit", "owning_unit_name", "year", "status",
                  "status_label", "status_on", "note", "evidence_url", "version"]
        read_only_fields = ["credit_code", "owning_unit"]

    def get_year(self, hospital) -> int:
        return self.context["year"]

    def get_status_label(self, hospital) -> str:
        return str(UdiStatus(hospital.udi_status).label)

    def get_evidence_url(self, hospital) -> str | None:
        if not (hospital.udi_record and hospital.udi_evidence):
            return None
        return reverse("enterprises:udi_hospital_evidence", args=[hospital.udi_record])

    def get_version(self, hospital) -> int:
        return hospital.udi_version or 1


class HospitalUdiUpdateSerializer(ScopedSerializer):
    status = serializers.ChoiceField(choices=UdiStatus.choices, required=False)
    status_on = serializers.DateField(required=False, allow_null=True, help_text="部署中、已应用时必填，不能晚于今天")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    evidence = serializers.FileField(required=False, help_text="佐证材料：PDF、JPG 或 PNG（multipart 上传）；已应用时必须有")
    clear_evidence = serializers.BooleanField(required=False, help_text="删除已上传的佐证材料")
    version = version_input()


class UdiCoverageSerializer(ScopedSerializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    hospitals = serializers.IntegerField()
    applied = serializers.IntegerField()
    deploying = serializers.IntegerField()
    not_started = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    target_percent = serializers.IntegerField()
    target_on = serializers.DateField()
    met = serializers.BooleanField()


@extend_schema(parameters=[YEAR_PARAM])
class HospitalUdiViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """三甲医院UDI应用情况：本单位（或全区）在管的全部三级甲等医院及其本年度状态。"""

    serializer_class = HospitalUdiSerializer
    filterset_class = HospitalUdiFilterSet
    permission_classes = [ScopedWritePermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "put", "patch", "head", "options"]

    def _year(self) -> int:
        return year_of(self.request.query_params)

    def get_queryset(self):
        return selectors.hospital_udi_list(user=self.request.user, year=self._year())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["year"] = self._year()
        return context

    @extend_schema(request=HospitalUdiUpdateSerializer, responses=with_conflict({200: HospitalUdiSerializer}))
    def partial_update(self, request, *args, **kwargs):
        hospital = self.get_object()
        year = self._year()
        serializer = HospitalUdiUpdateSerializer(data=request.data, context={"request": request}, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        current = selectors.hospital_udi_record(enterprise=hospital, year=year)
        services.hospital_udi_record(
            enterprise=hospital, year=year, by=request.user, version=version,
            status=data.get("status", hospital.udi_status),
            status_on=data["status_on"] if "status_on" in data else (current.status_on if current else None),
            note=data.get("note", current.note if current else ""),
            evidence=data.get("evidence"), clear_evidence=data.get("clear_evidence", False),
        )
        fresh = self.get_queryset().get(pk=hospital.pk)
        return Response(HospitalUdiSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=HospitalUdiUpdateSerializer, responses=with_conflict({200: HospitalUdiSerializer}))
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(responses=UdiCoverageSerializer)
    @action(detail=False, methods=["get"])
    def coverage(self, request):
        """本年度（?year=）三甲医院UDI应用覆盖率：监管所用户为本所监管的医院，区级用户为全区。"""
        scope = scope_for(request.user)
        if not scope.district_wide and scope.unit_id is None:
            raise PermissionDenied("账号未分配监管单位")
        unit = None if scope.district_wide else request.user.unit
        coverage = selectors.udi_coverage(self._year(), unit=unit)
        data = {name: getattr(coverage, name) for name in UdiCoverageSerializer().fields}
        return Response(UdiCoverageSerializer(data).data)


class ManufacturerUdiSerializer(ScopedModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    owning_unit = serializers.IntegerField(source="enterprise.owning_unit_id", read_only=True)
    batch = serializers.ChoiceField(choices=UdiBatch.choices)
    coding = serializers.ChoiceField(choices=UdiCoding.choices)
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    class Meta:
        model = ManufacturerUdi
        fields = ["id", "enterprise", "enterprise_name", "owning_unit", "batch", "coding", "products", "checked_on",
                  "note", "updated_by", "updated_at", "version"]
        read_only_fields = ["updated_by", "updated_at"]
        validators = []  # one record per enterprise and batch: the service says so in Chinese


class ManufacturerUdiViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """生产企业UDI赋码情况（每家企业每个实施批次一条）。"""

    serializer_class = ManufacturerUdiSerializer
    filterset_class = ManufacturerUdiFilterSet
    permission_classes = [ScopedWritePermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.manufacturer_udi_list(user=self.request.user)

    def _input(self, data, record=None) -> services.ManufacturerUdiInput:
        def value(name, default=""):
            return data.get(name, getattr(record, name) if record else default)

        return services.ManufacturerUdiInput(
            enterprise=record.enterprise if record else data["enterprise"], batch=value("batch"),
            coding=value("coding", UdiCoding.NOT_CODED), products=value("products"),
            checked_on=value("checked_on", None), note=value("note"))

    def perform_create(self, serializer):
        serializer.instance = services.manufacturer_udi_create(data=self._input(serializer.validated_data),
                                                               by=self.request.user)

    def perform_update(self, serializer):
        record = serializer.instance
        data = dict(serializer.validated_data)
        version = pop_version(data)
        if "enterprise" in data and data["enterprise"] != record.enterprise:
            raise serializers.ValidationError({"enterprise": ["不能更改赋码记录所属企业，请另行登记"]})
        serializer.instance = services.manufacturer_udi_update(record=record, data=self._input(data, record),
                                                               by=self.request.user, version=version)
