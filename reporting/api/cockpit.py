"""API of the cockpit: ``GET /api/cockpit/?year=&quarter=`` (the period's table as JSON: the district and every
所 for district users, only its own unit for a 所) and ``/api/cockpit/snapshots/`` (the quarter snapshots;
POST freezes an ended quarter on demand, 药械科 and leaders only, with a reason when it is frozen already).

Figures are strings (decimals exactly as computed) or null.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from reporting.cockpit.base import Figure, Period, Trend, quarter_start
from reporting.cockpit.service import Cell, cockpit_may_freeze, cockpit_table, snapshot_take
from reporting.models import QuarterSnapshot


def _text(value) -> str | None:
    return None if value is None else str(value)


def _figure(figure: Figure | None) -> dict | None:
    if figure is None:
        return None
    return {"actual": _text(figure.actual), "target": _text(figure.target), "expected": _text(figure.expected),
            "numerator": figure.numerator, "denominator": figure.denominator, "url": figure.url,
            "note": figure.note, "configured": figure.configured}


def _trend(trend: Trend | None) -> dict | None:
    if trend is None:
        return None
    return {"previous": _text(trend.previous), "delta": _text(trend.delta), "direction": trend.direction,
            "better": trend.better}


def _cell(cell: Cell | None) -> dict | None:
    if cell is None:
        return None
    return {"figure": _figure(cell.figure), "status": cell.status, "status_label": cell.status_label,
            "colour": cell.colour, "snapshot": _figure(cell.snapshot), "snapshot_diff": _text(cell.snapshot_diff),
            "vs_previous": _trend(cell.vs_previous), "vs_last_year": _trend(cell.vs_last_year)}


def _number():
    return serializers.CharField(allow_null=True, help_text="数值（字符串，保留原精度）；为空表示无")


class CockpitQuerySerializer(ScopedSerializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="年度（默认本年）")
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4,
                                       help_text="季度1–4；不填为截至今日")

    def validate(self, attrs):
        today = timezone.localdate()
        year, quarter = attrs.get("year") or today.year, attrs.get("quarter")
        if year > today.year:
            raise serializers.ValidationError({"year": _("%(year)s年尚未开始") % {"year": year}})
        if quarter is not None and quarter_start(year, quarter) > today:
            raise serializers.ValidationError({"quarter": _("该季度尚未开始")})
        return attrs


class FigureSerializer(ScopedSerializer):
    actual = _number()
    target = _number()
    expected = _number()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(allow_blank=True, help_text="对应记录列表")
    note = serializers.CharField(allow_blank=True)
    configured = serializers.BooleanField(help_text="为否表示未配置（note 说明缺少什么）")


class TrendSerializer(ScopedSerializer):
    previous = _number()
    delta = _number()
    direction = serializers.CharField(allow_blank=True, help_text="up / down / flat；空表示无可比数据")
    better = serializers.BooleanField(allow_null=True)


class CellSerializer(ScopedSerializer):
    figure = FigureSerializer(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    colour = serializers.CharField()
    snapshot = FigureSerializer(allow_null=True, help_text="季度快照中的数值（未冻结为空）")
    snapshot_diff = _number()
    vs_previous = TrendSerializer(allow_null=True)
    vs_last_year = TrendSerializer(allow_null=True)


class RowSerializer(ScopedSerializer):
    code = serializers.CharField()
    section = serializers.CharField()
    name = serializers.CharField()
    unit_label = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    per_unit = serializers.BooleanField()
    flow = serializers.BooleanField()
    district = CellSerializer(allow_null=True, help_text="全区（监管所用户为空）")
    units = serializers.DictField(child=CellSerializer(), help_text="监管所编号 → 该所数值")


class PeriodSerializer(ScopedSerializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    start = serializers.DateField()
    as_of = serializers.DateField()
    ended = serializers.BooleanField()


class UnitRefSerializer(ScopedSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SnapshotSerializer(ScopedModelSerializer):
    trigger_display = ChoiceLabelField(source="get_trigger_display")
    taken_by_name = serializers.SerializerMethodField()

    class Meta:
        model = QuarterSnapshot
        fields = ["id", "year", "quarter", "as_of", "taken_at", "taken_by", "taken_by_name", "trigger",
                  "trigger_display", "reason", "is_current"]
        read_only_fields = fields

    def get_taken_by_name(self, obj) -> str:
        return obj.taken_by.display_name if obj.taken_by_id else ""


class CockpitSerializer(ScopedSerializer):
    period = PeriodSerializer()
    district_visible = serializers.BooleanField()
    units = UnitRefSerializer(many=True)
    snapshot = SnapshotSerializer(allow_null=True)
    rows = RowSerializer(many=True)


class SnapshotRequestSerializer(ScopedSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                   help_text="该季度已有快照时必填（重新冻结的原因）")


class SnapshotQuerySerializer(ScopedSerializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)


class CockpitView(APIView):
    """季度工作驾驶舱：各项年度目标的实际、目标、按进度应达、状态、快照与趋势。"""

    @extend_schema(parameters=[CockpitQuerySerializer], responses=CockpitSerializer, operation_id="cockpit")
    def get(self, request):
        query = CockpitQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        year = query.validated_data.get("year") or today.year
        period = Period(year, query.validated_data.get("quarter"), today)
        table = cockpit_table(period=period, user=request.user)
        body = {
            "period": {"year": period.year, "quarter": period.quarter, "label": period.label, "start": period.start,
                       "as_of": period.as_of, "ended": period.ended},
            "district_visible": table.district_visible,
            "units": [{"id": u.pk, "name": u.display_name} for u in table.units],
            "snapshot": table.snapshot,
            "rows": [{
                "code": row.indicator.code, "section": str(row.indicator.section), "name": str(row.indicator.name),
                "unit_label": str(row.indicator.unit_label), "higher_is_better": row.indicator.higher_is_better,
                "per_unit": row.indicator.per_unit, "flow": row.indicator.flow, "district": _cell(row.district),
                "units": {str(uid): _cell(cell) for uid, cell in row.units.items()},
            } for row in table.rows],
        }
        return Response(CockpitSerializer(body).data)


class SnapshotListView(APIView):
    """季度快照：列表（可按年度、季度筛选）；POST 立即冻结一个已结束的季度（仅药械科与局领导）。"""

    permission_classes = [ScopedWritePermission]

    @extend_schema(parameters=[SnapshotQuerySerializer], responses=SnapshotSerializer(many=True),
                   operation_id="cockpit_snapshots_list")
    def get(self, request):
        query = SnapshotQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        snapshots = QuarterSnapshot.objects.select_related("taken_by")
        for key in ("year", "quarter"):
            if key in query.validated_data:
                snapshots = snapshots.filter(**{key: query.validated_data[key]})
        return Response(SnapshotSerializer(snapshots, many=True).data)

    @extend_schema(request=SnapshotRequestSerializer, responses={201: SnapshotSerializer},
                   operation_id="cockpit_snapshots_create")
    def post(self, request):
        if not cockpit_may_freeze(request.user):
            raise PermissionDenied(_("只有区局药械科或局领导可以冻结季度数据"))
        data = SnapshotRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        snapshot = snapshot_take(year=v["year"], quarter=v["quarter"], today=timezone.localdate(), by=request.user,
                                 reason=v["reason"])
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("cockpit/", CockpitView.as_view(), name="cockpit"),
    path("cockpit/snapshots/", SnapshotListView.as_view(), name="cockpit-snapshots"),
]
