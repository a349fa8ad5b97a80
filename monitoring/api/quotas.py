"""API of the AE quota figures: ``GET /api/ae-quotas/?year=&quarter=&mode=&unit=``.

The body is ``monitoring.quotas.ae_quota_figures()`` as JSON (decimals as strings, dates ISO); a 所
user always receives its own unit's figures and naming another unit is a 404.
"""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from monitoring.quotas import ae_quota_figures, quota_unit_for
from regsys.api import ScopedSerializer


def _rate():
    return serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)


class QuotaQuerySerializer(ScopedSerializer):
    """Query parameters: the year (default this year), a quarter, the quarter mode and a unit."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    mode = serializers.ChoiceField(required=False, choices=[("cumulative", _("年初累计至季末")),
                                                            ("single", _("仅本季度"))], default="cumulative")
    unit = serializers.IntegerField(required=False, help_text=_("监管所编号（区级用户可选；监管所用户只能查看本所）"))


class ReportQuotaSerializer(ScopedSerializer):
    count = serializers.IntegerField()
    rate_per_million = _rate()
    target_annual = _rate()
    target = _rate()
    expected_to_date = _rate()
    projection = _rate()
    status = serializers.CharField()
    status_label = serializers.CharField()


class QuotaSettingsSerializer(ScopedSerializer):
    district_rule = serializers.CharField()
    district_rule_label = serializers.CharField()
    per_million_target = _rate()
    registration_target = _rate()
    coverage_target = _rate()
    configured = serializers.BooleanField()


class MonthSerializer(ScopedSerializer):
    month = serializers.IntegerField()
    label = serializers.CharField()
    reports = serializers.IntegerField()
    cumulative = serializers.IntegerField()
    expected_cumulative = _rate()
    elapsed = serializers.BooleanField()


class QuarterQuotaSerializer(ReportQuotaSerializer):
    quarter = serializers.IntegerField()
    label = serializers.CharField()


class UnitQuotaSerializer(ScopedSerializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    population_missing = serializers.ListField(child=serializers.CharField())
    reports = ReportQuotaSerializer()
    registrants = serializers.IntegerField()
    registered = serializers.IntegerField()
    hospitals = serializers.IntegerField()
    hospitals_covered = serializers.IntegerField()


class KindSerializer(ScopedSerializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = _rate()


class MissingRegistrantSerializer(ScopedSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    reason = serializers.CharField()


class QuotaRegistrationSerializer(ScopedSerializer):
    total = serializers.IntegerField()
    registered = serializers.IntegerField()
    missing_count = serializers.IntegerField()
    rate = _rate()
    target = _rate()
    status = serializers.CharField()
    status_label = serializers.CharField()
    missing = MissingRegistrantSerializer(many=True)


class ZeroHospitalSerializer(ScopedSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    grade = serializers.CharField()
    grade_label = serializers.CharField()
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    last_report_on = serializers.DateField(allow_null=True)


class CoverageSerializer(ScopedSerializer):
    total = serializers.IntegerField()
    covered = serializers.IntegerField()
    zero_count = serializers.IntegerField()
    rate = _rate()
    target = _rate()
    status = serializers.CharField()
    status_label = serializers.CharField()
    zero = ZeroHospitalSerializer(many=True)


class QuotaFiguresSerializer(ScopedSerializer):
    """The three AE quota figures of a period (``monitoring.quotas.ae_quota_figures``)."""

    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    cumulative = serializers.BooleanField()
    period_label = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    as_of = serializers.DateField()
    days_in_period = serializers.IntegerField()
    days_elapsed = serializers.IntegerField()
    days_in_year = serializers.IntegerField()
    unit_id = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    settings = QuotaSettingsSerializer()
    population = serializers.IntegerField(allow_null=True)
    population_missing = serializers.ListField(child=serializers.CharField())
    reports = ReportQuotaSerializer()
    monthly = MonthSerializer(many=True)
    by_quarter = QuarterQuotaSerializer(many=True)
    by_unit = UnitQuotaSerializer(many=True)
    unassigned_reports = serializers.IntegerField()
    by_kind = KindSerializer(many=True)
    registration = QuotaRegistrationSerializer()
    coverage = CoverageSerializer()


class AeQuotaView(APIView):
    """不良事件监测指标：报告数与每百万人口报告数、注册人注册率、二级以上医疗机构覆盖率。"""

    @extend_schema(parameters=[QuotaQuerySerializer], responses=QuotaFiguresSerializer, operation_id="ae_quotas")
    def get(self, request):
        query = QuotaQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        unit = quota_unit_for(request.user, params.get("unit"))
        figures = ae_quota_figures(year=params.get("year") or timezone.localdate().year,
                                   quarter=params.get("quarter"), unit=unit,
                                   cumulative=params["mode"] != "single")
        return Response(QuotaFiguresSerializer(figures).data)


urlpatterns = [
    path("ae-quotas/", AeQuotaView.as_view(), name="ae-quotas"),
]
