"""API of the AE quotas' registry-side inputs: registrant registrations, population figures and trainings.

Same scoping and services as the pages; PUT/PATCH carry the ``version`` read (409 when stale).
Mounted with ``path("", include("monitoring.api.registry"))`` in ``regsys.urls.api_patterns``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from enterprises.models import Enterprise
from monitoring import registry_selectors as selectors
from monitoring.models import PopulationFigure, RegistrantRegistration, TrainingAttendance, TrainingCourse
from monitoring.registry_filters import PopulationFilterSet, RegistrantFilterSet, TrainingFilterSet
from monitoring.services import registry as services
from regsys.api import ScopedModelSerializer, ScopedQuerysetMixin, ScopedSerializer, ScopedWritePermission
from regsys.scoping import require_edit
from regsys.versioning import VERSION_HELP, pop_version, version_input, with_conflict

# ---------------------------------------------------------------- registrations


class RegistrationSerializer(ScopedModelSerializer):
    """A 注册人/备案人 and its registration in the national AE system (``id`` is the enterprise's).

    A registrant nobody has edited yet reads as 未注册 at version 1.
    """

    enterprise_name = serializers.CharField(source="name", read_only=True)
    owning_unit_name = serializers.CharField(source="owning_unit.name", read_only=True)
    registered = serializers.SerializerMethodField()
    registered_on = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    evidence_name = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(help_text=VERSION_HELP)

    class Meta:
        model = Enterprise
        fields = ["id", "enterprise_name", "credit_code", "owning_unit", "owning_unit_name", "registered",
                  "registered_on", "note", "evidence_name", "evidence_url", "version"]
        read_only_fields = ["credit_code", "owning_unit"]

    def _record(self, enterprise) -> RegistrantRegistration | None:
        try:
            return enterprise.ae_registration
        except RegistrantRegistration.DoesNotExist:
            return None

    def get_registered(self, enterprise) -> bool:
        record = self._record(enterprise)
        return bool(record and record.registered)

    def get_registered_on(self, enterprise) -> str | None:
        record = self._record(enterprise)
        return record.registered_on.isoformat() if record and record.registered_on else None

    def get_note(self, enterprise) -> str:
        record = self._record(enterprise)
        return record.note if record else ""

    def get_evidence_name(self, enterprise) -> str:
        record = self._record(enterprise)
        return record.evidence_name if record and record.evidence else ""

    def get_evidence_url(self, enterprise) -> str | None:
        record = self._record(enterprise)
        if not (record and record.evidence):
            return None
        return reverse("monitoring:registration_evidence", args=[record.pk])

    def get_version(self, enterprise) -> int:
        record = self._record(enterprise)
        return record.version if record else 1


class RegistrationUpdateSerializer(ScopedSerializer):
    registered = serializers.BooleanField(required=False)
    registered_on = serializers.DateField(required=False, allow_null=True, help_text="已注册时必填，不能晚于今天")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)
    evidence = serializers.FileField(required=False, help_text="佐证材料：JPG、PNG 或 PDF（multipart 上传）")
    clear_evidence = serializers.BooleanField(required=False, help_text="删除已上传的佐证材料")
    version = version_input()


class RegistrationViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """注册人在国家医疗器械不良事件监测信息系统的注册情况：本单位（或全区）全部注册人/备案人。"""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrantFilterSet
    permission_classes = [ScopedWritePermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.registrant_list(user=self.request.user)

    @extend_schema(request=RegistrationUpdateSerializer, responses=with_conflict({200: RegistrationSerializer}))
    def partial_update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        serializer = RegistrationUpdateSerializer(data=request.data, context={"request": request}, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        current = RegistrantRegistration.objects.filter(enterprise=enterprise).first()
        services.registration_update(
            enterprise=enterprise, by=request.user, version=version,
            registered=data.get("registered", bool(current and current.registered)),
            registered_on=data["registered_on"] if "registered_on" in data else (current.registered_on if current
                                                                                   else None),
            note=data.get("note", current.note if current else ""),
            evidence=data.get("evidence"), clear_evidence=data.get("clear_evidence", False),
        )
        return Response(RegistrationSerializer(self.get_queryset().get(pk=enterprise.pk)).data)

    @extend_schema(request=RegistrationUpdateSerializer, responses=with_conflict({200: RegistrationSerializer}))
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


# ---------------------------------------------------------------- population


class PopulationSerializer(ScopedModelSerializer):
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    unit = serializers.IntegerField(source="subdistrict.unit_id", read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = PopulationFigure
        fields = ["id", "year", "subdistrict", "subdistrict_name", "unit", "population", "source", "updated_at",
                  "version"]
        read_only_fields = ["updated_at"]
        validators = []  # one figure per year and 街道/镇: the create below says so in Chinese


class PopulationUpdateSerializer(ScopedSerializer):
    population = serializers.IntegerField(required=False, min_value=0, max_value=services.MAX_POPULATION)
    source = serializers.CharField(required=False, allow_blank=True, max_length=200)
    version = version_input()


class PopulationViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    """常住人口（按年度、街道/镇），每百万人口报告数的分母；药械科填写。"""

    queryset = PopulationFigure.objects.select_related("subdistrict").order_by("-year", "subdistrict__code")
    serializer_class = PopulationSerializer
    filterset_class = PopulationFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = PopulationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if PopulationFigure.objects.filter(year=data["year"], subdistrict=data["subdistrict"]).exists():
            raise ValidationError({"subdistrict": [_("该街道/镇本年度已有常住人口，请修改原记录")]})
        services.population_save(year=data["year"], by=request.user, rows=[services.PopulationRow(
            subdistrict=data["subdistrict"], population=data["population"], source=data.get("source", ""))])
        figure = self.get_queryset().get(year=data["year"], subdistrict=data["subdistrict"])
        return Response(PopulationSerializer(figure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PopulationUpdateSerializer, responses=with_conflict({200: PopulationSerializer}))
    def partial_update(self, request, *args, **kwargs):
        figure = self.get_object()
        serializer = PopulationUpdateSerializer(data=request.data, context={"request": request}, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        services.population_save(year=figure.year, by=request.user, rows=[services.PopulationRow(
            subdistrict=figure.subdistrict, population=data.get("population", figure.population),
            source=data.get("source", figure.source), version=version)])
        return Response(PopulationSerializer(self.get_queryset().get(pk=figure.pk)).data)

    @extend_schema(request=PopulationUpdateSerializer, responses=with_conflict({200: PopulationSerializer}))
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


# ---------------------------------------------------------------- trainings


class AttendanceSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = ["enterprise", "enterprise_name", "people", "names"]
        extra_kwargs = {"people": {"min_value": 1, "max_value": 9999}}


class TrainingSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    attendances = AttendanceSerializer(many=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = TrainingCourse
        fields = ["id", "held_on", "topic", "unit", "unit_name", "location", "note", "attendances", "created_at",
                  "version"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"unit": {"required": False, "help_text": "组织单位；省略为本人所在单位"}}


def _attendance_inputs(rows: list[dict]) -> list[services.AttendanceInput]:
    return [services.AttendanceInput(enterprise=row["enterprise"], people=row.get("people", 1),
                                     names=row.get("names", "")) for row in rows]


class TrainingViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    """不良事件监测业务培训：日期、主题、组织单位、参训企业与人数。PUT/PATCH 的 attendances 整体替换。"""

    # Each course lists every attending enterprise (hundreds at scale): one joined query of the columns written.
    queryset = TrainingCourse.objects.select_related("unit").prefetch_related(Prefetch(
        "attendances", TrainingAttendance.objects.select_related("enterprise").only(
            "course_id", "enterprise_id", "people", "names", "enterprise__name").order_by("id"),
    )).order_by("-held_on", "-id")
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = TrainingSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        course = services.training_create(
            held_on=data["held_on"], topic=data["topic"], unit=data.get("unit"), location=data.get("location", ""),
            note=data.get("note", ""), attendances=_attendance_inputs(data["attendances"]), by=request.user)
        return Response(TrainingSerializer(self.get_queryset().get(pk=course.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=TrainingSerializer, responses=with_conflict({200: TrainingSerializer}))
    def partial_update(self, request, *args, **kwargs):
        course = self.get_object()
        require_edit(request.user, course)
        serializer = TrainingSerializer(course, data=request.data, context={"request": request}, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        if "unit" in data and data["unit"] != course.unit:
            raise ValidationError({"unit": [_("组织单位不能修改")]})
        attendances = (_attendance_inputs(data["attendances"]) if "attendances" in data else
                       [services.AttendanceInput(enterprise=a.enterprise, people=a.people, names=a.names)
                        for a in course.attendances.all()])
        course = services.training_update(
            course=course, held_on=data.get("held_on", course.held_on), topic=data.get("topic", course.topic),
            location=data.get("location", course.location), note=data.get("note", course.note),
            attendances=attendances, by=request.user, version=version)
        return Response(TrainingSerializer(self.get_queryset().get(pk=course.pk)).data)

    @extend_schema(request=TrainingSerializer, responses=with_conflict({200: TrainingSerializer}))
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


router = DefaultRouter(trailing_slash=True)
router.register("ae-registrations", RegistrationViewSet, basename="ae-registration")
router.register("population", PopulationViewSet, basename="population")
router.register("trainings", TrainingViewSet, basename="training")

urlpatterns = router.urls
