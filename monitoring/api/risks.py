"""API of the risk consultation: ``/api/risk-meetings/`` and ``/api/risks/`` (+ follow-ups and 销号), scoped.

Meetings are read by every signed-in user and written by the 药械科. A 监管所 reads the risks it owns
or of its enterprises, adds follow-ups and asks for 销号 on its own; only an approver approves or sends back.
Rules live in ``monitoring.services.risks``; refusals are 400 with Chinese messages, 403 or 409.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from monitoring import risk_selectors as selectors
from monitoring.access import is_ae_manager
from monitoring.models import Risk, RiskFollowUp, RiskMeeting
from monitoring.risk_filters import MeetingFilterSet, RiskFilterSet
from monitoring.services import risks as services
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.versioning import VersionedSerializerMixin, pop_version, version_input, with_conflict


class ManagerWritePermission(permissions.BasePermission):
    """Reads for any signed-in user; writes only for the 药械科 (``monitoring.access.is_ae_manager``)."""

    message = _("只有药械科或系统管理员可以修改此项")

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or is_ae_manager(request.user)


class RiskMeetingSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """A meeting; POST creates, PUT/PATCH change it (with ``version``). The minutes file is uploaded on its page."""

    has_minutes = serializers.SerializerMethodField(help_text="是否已上传会议纪要")

    class Meta:
        model = RiskMeeting
        fields = ["id", "year", "quarter", "held_on", "chair", "units", "other_participants", "summary",
                  "next_steps", "has_minutes", "version"]

    def get_has_minutes(self, obj) -> bool:
        return bool(obj.minutes)


@extend_schema_view(update=extend_schema(responses=with_conflict({200: RiskMeetingSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: RiskMeetingSerializer})))
class RiskMeetingViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """风险会商. GET for all; POST/PUT/PATCH by the 药械科."""

    serializer_class = RiskMeetingSerializer
    permission_classes = [ManagerWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeetingFilterSet

    def get_queryset(self):
        return selectors.meetings_for(self.request.user).order_by("-year", "-quarter", "-held_on", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.meeting_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        current = serializer.instance
        data = dict(serializer.validated_data)
        version = pop_version(data)
        fields = {name: data.get(name, getattr(current, name)) for name in (
            "year", "quarter", "held_on", "chair", "other_participants", "summary", "next_steps")}
        units = data["units"] if "units" in data else list(current.units.all())
        serializer.instance = services.meeting_save(meeting=current, by=self.request.user, version=version,
                                                    units=units, **fields)


class RiskSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """A risk of the register; PUT/PATCH (药械科) change its level, measures, due date, flags (with ``version``)."""

    level_display = ChoiceLabelField(source="get_level_display")
    status_display = ChoiceLabelField(source="get_status_display")
    source_kind_display = ChoiceLabelField(source="get_source_kind_display")
    overdue = serializers.SerializerMethodField(help_text="逾期未销号")
    carried_over = serializers.SerializerMethodField(help_text="结转（会商季度之后仍未销号）")

    class Meta:
        model = Risk
        fields = ["id", "meeting", "source_kind", "source_kind_display", "source_label", "enterprise", "product",
                  "risk_point", "level", "level_display", "owner_unit", "measures", "due_on", "status",
                  "status_display", "escalated", "escalated_on", "key_supervision", "credit_record",
                  "closure_note", "closure_requested_on", "closure_returned_reason", "closed_on", "overdue",
                  "carried_over", "version"]
        read_only_fields = ["meeting", "source_kind", "source_label", "status", "escalated_on", "credit_record",
                            "closure_note", "closure_requested_on", "closure_returned_reason", "closed_on"]

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return selectors.risk_is_overdue(obj, today=timezone.localdate())

    def get_carried_over(self, obj) -> bool:
        from django.utils import timezone

        return selectors.risk_is_carried(obj, today=timezone.localdate())


class FollowUpSerializer(ScopedModelSerializer):
    class Meta:
        model = RiskFollowUp
        fields = ["id", "on", "text", "file", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"file": {"required": False, "use_url": False}}


class ClosureRequestSerializer(ScopedSerializer):
    note = serializers.CharField(max_length=2000, help_text="销号说明")
    evidence = serializers.FileField(help_text="销号佐证材料（PDF/JPG/PNG）")
    version = version_input()


class ClosureApproveSerializer(ScopedSerializer):
    closed_on = serializers.DateField(required=False, help_text="销号日期，默认今天")
    version = version_input()


class ClosureReturnSerializer(ScopedSerializer):
    reason = serializers.CharField(max_length=300, help_text="退回理由")
    version = version_input()


@extend_schema_view(update=extend_schema(responses=with_conflict({200: RiskSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: RiskSerializer})))
class RiskViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """风险清单. PUT/PATCH by the 药械科; follow-ups and 销号 request by the owner unit; approve/return by the chief."""

    serializer_class = RiskSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = RiskFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.risks_for(self.request.user).order_by("due_on", "id")

    def perform_update(self, serializer):
        current = serializer.instance
        data = dict(serializer.validated_data)
        version = pop_version(data)
        fields = {name: data.get(name, getattr(current, name)) for name in (
            "risk_point", "level", "owner_unit", "measures", "due_on", "enterprise", "product", "escalated",
            "key_supervision")}
        serializer.instance = services.risk_update(risk=current, by=self.request.user, version=version, **fields)

    def _answer(self, risk, code=status.HTTP_200_OK):
        risk = self.get_queryset().get(pk=risk.pk)
        return Response(RiskSerializer(risk, context=self.get_serializer_context()).data, status=code)

    @extend_schema(methods=["get"], responses={200: FollowUpSerializer(many=True)})
    @extend_schema(methods=["post"], request=FollowUpSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["get", "post"], url_path="follow-ups", serializer_class=FollowUpSerializer,
            pagination_class=None, filter_backends=[])
    def follow_ups(self, request, pk=None):
        risk = self.get_object()
        if request.method == "GET":
            entries = selectors.follow_ups_of(risk)
            return Response(FollowUpSerializer(entries, many=True, context=self.get_serializer_context()).data)
        data = FollowUpSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        entry = services.risk_follow_up_add(risk=risk, by=request.user, on=data.validated_data["on"],
                                            text=data.validated_data["text"], file=data.validated_data.get("file"))
        return Response(FollowUpSerializer(entry, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ClosureRequestSerializer, responses=with_conflict({200: RiskSerializer}))
    @action(detail=True, methods=["post"], url_path="request-closure", serializer_class=ClosureRequestSerializer)
    def request_closure(self, request, pk=None):
        risk = self.get_object()
        data = ClosureRequestSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        risk = services.risk_closure_request(risk=risk, by=request.user, **data.validated_data)
        return self._answer(risk)

    @extend_schema(request=ClosureApproveSerializer, responses=with_conflict({200: RiskSerializer}))
    @action(detail=True, methods=["post"], url_path="approve-closure", serializer_class=ClosureApproveSerializer)
    def approve_closure(self, request, pk=None):
        risk = self.get_object()
        data = ClosureApproveSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        risk = services.risk_closure_approve(risk=risk, by=request.user, **data.validated_data)
        return self._answer(risk)

    @extend_schema(request=ClosureReturnSerializer, responses=with_conflict({200: RiskSerializer}))
    @action(detail=True, methods=["post"], url_path="return-closure", serializer_class=ClosureReturnSerializer)
    def return_closure(self, request, pk=None):
        risk = self.get_object()
        data = ClosureReturnSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        risk = services.risk_closure_return(risk=risk, by=request.user, **data.validated_data)
        return self._answer(risk)
