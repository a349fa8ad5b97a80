"""API of the yearly filings: recorded filings (scoped; POST records a submission through the service) and
the progress toward the due date per 所 (the same selector the page and the cockpit use)."""

from __future__ import annotations

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.duties import filing_selectors as selectors
from enterprises.duties import filing_services as services
from enterprises.duties.choices import FilingKind
from enterprises.duties.filing_filters import AnnualFilingFilterSet
from enterprises.models import AnnualFiling, Enterprise
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.validators import MAX_YEAR, MIN_YEAR


class AnnualFilingSerializer(ScopedModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), label="企业")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.IntegerField(source="enterprise.owning_unit_id", read_only=True)
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, label="年度")
    submitted_on = serializers.DateField(label="提交/签订日期")

    class Meta:
        model = AnnualFiling
        fields = ["id", "enterprise", "enterprise_name", "unit", "year", "kind", "sector", "submitted_on", "note",
                  "source", "order_proposed_on", "order_confirmed_on", "order_confirmed_by", "credit_record",
                  "created_at", "version"]
        read_only_fields = ["source", "order_proposed_on", "order_confirmed_on", "order_confirmed_by",
                            "credit_record", "created_at", "version"]
        validators = []  # one filing per enterprise/year/kind/sector: a second POST updates it (service)


class ProgressQuerySerializer(ScopedSerializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False, label="年度")
    kind = serializers.ChoiceField(choices=FilingKind.choices, required=False, label="类别")
    as_of = serializers.DateField(required=False, label="统计日期")


class ProgressRowSerializer(ScopedSerializer):
    unit = serializers.IntegerField(source="unit.pk", allow_null=True)
    unit_name = serializers.CharField(source="label")
    owed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    on_file = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ProgressSerializer(ScopedSerializer):
    year = serializers.IntegerField()
    kind = serializers.CharField()
    due = serializers.DateField()
    as_of = serializers.DateField()
    units = ProgressRowSerializer(many=True)
    total = ProgressRowSerializer()


class AnnualFilingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """年度报送（自查报告、质量安全责任书）：只含本单位可见企业的记录；POST 登记一次提交（已有则更新日期）。"""

    serializer_class = AnnualFilingSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AnnualFilingFilterSet

    def get_queryset(self):
        return selectors.filing_visible(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.filing_record(
            enterprise=data["enterprise"], year=data["year"], kind=data["kind"], sector=data["sector"],
            submitted_on=data["submitted_on"], note=data.get("note", ""), by=self.request.user)

    @extend_schema(parameters=[ProgressQuerySerializer], responses=ProgressSerializer)
    @action(detail=False, methods=["get"], serializer_class=ProgressSerializer, filter_backends=[])
    def progress(self, request):
        """截止日期前的进度：各监管所应报、按期、逾期、未提交和提交率（所用户只得到本所）。"""
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        kind = query.validated_data.get("kind") or FilingKind.SELF_REPORT
        table = selectors.filing_progress(year, kind, as_of=query.validated_data.get("as_of"), user=request.user)
        return Response(ProgressSerializer(table).data)

