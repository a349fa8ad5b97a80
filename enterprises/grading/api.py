"""API of graded supervision: grades (with change/approve actions) and credit records, scoped."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.grading import services
from enterprises.grading.filters import CreditRecordFilter, GradeFilter
from enterprises.grading.selectors import credit_records_for, grades_for
from enterprises.models import CreditRecord, Enterprise, EnterpriseGrade, GradeLevel
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import scoped


class EmptySerializer(ScopedSerializer):
    """No input: the action works on the object in the URL."""


class GradeSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.IntegerField(source="enterprise.owning_unit_id", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    level_name = serializers.CharField(source="level.name", read_only=True)
    proposed_level_code = serializers.CharField(source="proposed_level.code", read_only=True)

    class Meta:
        model = EnterpriseGrade
        fields = ["id", "enterprise", "enterprise_name", "unit", "year", "sector", "level_code", "level_name",
                  "is_key", "proposed_level_code", "proposed_is_key", "reasons", "status", "change_reason",
                  "approved_by", "approved_at", "version"]
        read_only_fields = fields


class GradeChangeSerializer(ScopedSerializer):
    level = serializers.CharField(help_text="等级代码，如 o3")
    is_key = serializers.BooleanField(default=False)
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text="读取时的版本号；提交则检查是否已被他人修改（409）")


class GradeViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprise grades per year. POST change/approve go through the grading services."""

    serializer_class = GradeSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = GradeFilter

    def get_queryset(self):
        # Only the relations the serializer reads: each further join multiplies PostgreSQL's planning of
        # the scoped page (the scope's semi-join; 48 ms of planning for 7 joined tables at scale 10).
        return grades_for(self.request.user).select_related(None).select_related(
            "enterprise", "level", "proposed_level").order_by("id")

    @action(detail=True, methods=["post"], serializer_class=GradeChangeSerializer)
    def change(self, request, pk=None):
        grade = self.get_object()
        data = GradeChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        level = GradeLevel.objects.filter(scheme__year=grade.year, sector=grade.sector,
                                          code=data.validated_data["level"]).first()
        if level is None:
            raise serializers.ValidationError({"level": "所选等级不属于本年度本环节"})
        grade = services.grade_change(grade=grade, level=level, is_key=data.validated_data["is_key"],
                                      reason=data.validated_data["reason"], by=request.user,
                                      version=data.validated_data.get("version"))
        return Response(GradeSerializer(grade).data)

    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def approve(self, request, pk=None):
        grade = services.grade_approve(grade=self.get_object(), by=request.user)
        return Response(GradeSerializer(grade).data)


class CreditRecordSerializer(ScopedModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())

    class Meta:
        model = CreditRecord
        fields = ["id", "enterprise", "kind", "recorded_on", "valid_until", "reason", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]

    def validate_enterprise(self, value):
        if not scoped(Enterprise.objects.filter(pk=value.pk), self.context["request"].user).exists():
            raise serializers.ValidationError("不在本单位监管范围内")
        return value


class CreditRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CreditRecordSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CreditRecordFilter

    def get_queryset(self):
        return credit_records_for(self.request.user).order_by("-recorded_on", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.credit_record_create(
            enterprise=data["enterprise"], kind=data["kind"], recorded_on=data["recorded_on"],
            valid_until=data.get("valid_until"), reason=data["reason"], by=self.request.user,
        )


