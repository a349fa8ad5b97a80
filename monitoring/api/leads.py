"""API of online-sales leads: a scoped list and detail (the list page's FilterSet), the disposal and the
药械科's assignment through ``monitoring.services.leads``."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise, Unit
from inspections.models import Case
from monitoring import leads_selectors
from monitoring.leads_choices import LeadResult
from monitoring.leads_filters import OnlineLeadFilterSet
from monitoring.models import OnlineLead
from monitoring.services import leads as services
from regsys.api import (
    ChoiceLabelField,
    ScopedModelSerializer,
    ScopedSerializer,
    ScopedWritePermission,
    read_only_choice,
)
from regsys.versioning import pop_version, version_input, with_conflict


class OnlineLeadSerializer(ScopedModelSerializer):
    """A lead as pushed by the platform, its routing and its disposal (read only: write through the actions)."""

    match_display = ChoiceLabelField(source="get_match_display")
    status_display = ChoiceLabelField(source="get_status_display")
    result = read_only_choice(LeadResult.choices, label="核查结果", blank_label="尚未核查")
    result_display = ChoiceLabelField(source="get_result_display")
    unit_name = serializers.SerializerMethodField(help_text="承办单位名称（待分派时为空）")
    overdue = serializers.SerializerMethodField(help_text="逾期未反馈")

    class Meta:
        model = OnlineLead
        fields = ["id", "code", "platform", "shop_name", "operator_name", "operator_credit_code", "link", "product",
                  "problem", "pushed_on", "deadline", "enterprise", "match", "match_display", "unit", "unit_name",
                  "status", "status_display", "result", "result_display", "checked_on", "check_note",
                  "correction_ordered_on", "correction_note", "case", "referral", "feedback_on", "overdue",
                  "version", "created_at", "updated_at"]
        read_only_fields = fields

    def get_unit_name(self, lead: OnlineLead) -> str:
        return lead.unit.display_name if lead.unit_id else ""

    def get_overdue(self, lead: OnlineLead) -> bool:
        from django.utils import timezone

        return lead.is_overdue_on(timezone.localdate())


class LeadDisposeSerializer(ScopedSerializer):
    """核查结果、措施与反馈; ``version`` as read (a stale one answers 409)."""

    version = version_input()
    result = serializers.ChoiceField(choices=[("", "尚未核查"), *LeadResult.choices], required=False,
                                     allow_blank=True, label="核查结果")
    checked_on = serializers.DateField(required=False, allow_null=True, label="核查日期")
    check_note = serializers.CharField(required=False, allow_blank=True, label="核查情况")
    correction_ordered_on = serializers.DateField(required=False, allow_null=True, label="责令改正日期")
    correction_note = serializers.CharField(required=False, allow_blank=True, max_length=300, label="责令改正内容")
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all(), required=False, allow_null=True,
                                              label="立案（关联案件）")
    refer_telecom = serializers.BooleanField(required=False, default=False, label="移交通信管理部门")
    feedback_on = serializers.DateField(required=False, allow_null=True, label="反馈日期")


class LeadAssignSerializer(ScopedSerializer):
    version = version_input()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False,
                                                    allow_null=True, label="对应企业")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              label="承办单位")


class OnlineLeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """网络销售监测线索：只含本单位可见的线索（监管所只见本所线索，待分派线索只有区局可见）。"""

    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = OnlineLeadFilterSet
    serializer_class = OnlineLeadSerializer

    def get_queryset(self):
        return leads_selectors.lead_list(user=self.request.user)

    @extend_schema(request=LeadDisposeSerializer, responses=with_conflict({200: OnlineLeadSerializer}),
                   summary="核查处置：核查结果、责令改正、立案、移交通信管理部门、反馈日期")
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        lead = self.get_object()
        payload = LeadDisposeSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = pop_version(data)
        lead = services.lead_dispose(lead=lead, by=request.user, version=version, **data)
        return Response(OnlineLeadSerializer(lead, context={"request": request}).data)

    @extend_schema(request=LeadAssignSerializer, responses=with_conflict({200: OnlineLeadSerializer}),
                   summary="分派线索（仅药械科）：指定对应企业或承办单位")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        lead = self.get_object()
        payload = LeadAssignSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = pop_version(data)
        lead = services.lead_assign(lead=lead, by=request.user, version=version, **data)
        return Response(OnlineLeadSerializer(lead, context={"request": request}).data)
