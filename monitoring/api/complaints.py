"""API of complaints and public opinion: ``/api/complaints/`` (scoped CRUD, writes through the services).

A 监管所 user reads its unit's records and those about enterprises it supervises, and writes its own
unit's; the 药械科 reads and writes all. Bad input is a 400 with Chinese messages; a stale ``version`` a 409.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from enterprises.models import Enterprise
from monitoring.complaint_filters import ComplaintFilterSet
from monitoring.complaint_selectors import complaint_list
from monitoring.models import Complaint
from monitoring.services import complaints as services
from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedWritePermission
from regsys.versioning import VersionedSerializerMixin, with_conflict


class ComplaintSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """投诉举报或舆情。``unit`` 省略时：监管所为本所，药械科为涉及企业的监管所。"""

    kind_display = ChoiceLabelField(source="get_kind_display")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default="")

    class Meta:
        model = Complaint
        fields = ["id", "kind", "kind_display", "received_on", "source", "reference", "enterprise", "enterprise_name",
                  "subject_name", "product", "summary", "unit", "unit_name", "handling", "substantiated",
                  "handled_on", "created_at", "version"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"unit": {"required": False, "help_text": "承办单位；省略时按涉及企业的监管所或本人单位"},
                        "substantiated": {"help_text": "经核查属实：true/false；null 为未核查"}}

    def get_fields(self):
        fields = super().get_fields()
        instance = self.instance if isinstance(self.instance, Complaint) else None
        if instance is not None and instance.enterprise_id:  # the record's own enterprise stays valid
            field = fields["enterprise"]
            field.queryset = field.queryset.all() | Enterprise.objects.filter(pk=instance.enterprise_id)
        return fields


def _input(data: dict, current: Complaint | None = None) -> services.ComplaintInput:
    def value(name, default=""):
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else default

    return services.ComplaintInput(
        kind=value("kind"), received_on=value("received_on", None), source=value("source"), summary=value("summary"),
        reference=value("reference") or "", enterprise=value("enterprise", None),
        subject_name=value("subject_name") or "", product=value("product") or "", handling=value("handling") or "",
        substantiated=value("substantiated", None), handled_on=value("handled_on", None))


@extend_schema_view(update=extend_schema(responses=with_conflict({200: ComplaintSerializer})),
                    partial_update=extend_schema(responses=with_conflict({200: ComplaintSerializer})))
class ComplaintViewSet(viewsets.ModelViewSet):
    """投诉举报与舆情：列表与详情按单位范围；新增、修改（须带 version）、删除（已纳入风险清单的不能删除）。"""

    serializer_class = ComplaintSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComplaintFilterSet

    def get_queryset(self):
        return complaint_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        complaint = services.complaint_create(data=_input(data), unit=data.get("unit"), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=complaint.pk)).data,
                        status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        complaint = self.get_object()
        serializer = self.get_serializer(complaint, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        unit = data.pop("unit", None)
        saved = services.complaint_update(complaint=complaint, data=_input(data, complaint), unit=unit,
                                          by=request.user, version=version)
        return Response(self.get_serializer(self.get_queryset().get(pk=saved.pk)).data)

    def perform_destroy(self, instance):
        services.complaint_delete(complaint=instance, by=self.request.user)

