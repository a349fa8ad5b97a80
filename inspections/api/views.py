"""API viewsets: the same FilterSets and scoping as the pages; every write goes through a service."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inspections import services
from inspections.filters import (
    CaseFilterSet,
    FindingFilterSet,
    InspectionFilterSet,
    InterviewFilterSet,
    RectificationFilterSet,
    ReferralFilterSet,
)
from inspections.models import (
    Case,
    Finding,
    Inspection,
    Interview,
    Rectification,
    Referral,
)
from regsys.api import ScopedQuerysetMixin
from regsys.versioning import pop_version, with_conflict

from . import serializers as s


def _run(serializer_class, request, **extra):
    serializer = serializer_class(data=request.data, context={"request": request}, **extra)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _add_warnings(serializer) -> None:
    """Put the saved record's campaign warnings in the response (``warnings``)."""
    record = serializer.instance
    serializer.context["warnings"] = {record.pk: services.record_warnings(record)}


class InspectionViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    """监督检查. POST creates a draft; PATCH changes a draft (or only the campaigns of a locked one); actions
    finalise / amend / provincial-entry."""

    queryset = Inspection.objects.select_related("enterprise", "rectification").prefetch_related(
        "officers", "findings", "campaigns"
    ).order_by("-start_date", "-id")
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _officers(self, rows):
        return [services.OfficerInput(user=row.get("user"), name=row.get("name", ""),
                                      cert_kind=row.get("cert_kind", ""), cert_no=row.get("cert_no", ""))
                for row in rows]

    def _saved(self, inspection: Inspection) -> dict:
        inspection = self.get_queryset().get(pk=inspection.pk)
        warnings = {inspection.pk: services.record_warnings(inspection)}
        return s.InspectionSavedSerializer(inspection, context={"warnings": warnings}).data

    @extend_schema(request=s.InspectionWriteSerializer, responses={201: s.InspectionSavedSerializer})
    def create(self, request, *args, **kwargs):
        data = _run(s.InspectionWriteSerializer, request)
        inspection = services.inspection_create(
            by=request.user, officers=self._officers(data.pop("officers", [])),
            campaigns=data.pop("campaigns", services.BY_RULE), **data,
        )
        return Response(self._saved(inspection), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.InspectionUpdateSerializer,
                   responses=with_conflict({200: s.InspectionSavedSerializer}))
    def partial_update(self, request, *args, **kwargs):
        inspection = self.get_object()
        data = _run(s.InspectionUpdateSerializer, request, partial=True)
        data.pop("unit", None)
        version = pop_version(data)
        officers = data.pop("officers", None)
        if "campaigns" in data and data["campaigns"] is None:
            data["campaigns"] = []
        if inspection.is_locked and "campaigns" in data:
            # The link changes no fact of the inspection: the same 关联专项整治 as the page, alone.
            if set(data) != {"campaigns"} or officers is not None:
                raise ValidationError(_("检查记录已完成并锁定：所属专项整治可单独修改（请求只含 campaigns 和 version），"
                                        "其他内容须由科长/局领导办理更正（amend）"))
            inspection = services.campaigns_relink(record=inspection, campaigns=data["campaigns"], by=request.user,
                                                   version=version)
            return Response(self._saved(inspection))
        with transaction.atomic():
            if data:
                inspection = services.inspection_update(inspection=inspection, by=request.user, version=version,
                                                        **data)
                version = inspection.version
            if officers is not None:
                services.inspection_set_officers(inspection=inspection, officers=self._officers(officers),
                                                 by=request.user, version=version)
        return Response(self._saved(inspection))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        inspection = services.inspection_finalise(inspection=self.get_object(), by=request.user)
        return Response(s.InspectionSerializer(inspection).data)

    @extend_schema(request=s.AmendSerializer, responses=with_conflict({200: s.InspectionSerializer}))
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        inspection = self.get_object()
        data = _run(s.AmendSerializer, request)
        reason = data.pop("reason")
        version = data.pop("version", None)
        services.inspection_amend(inspection=inspection, changes=data, reason=reason, by=request.user,
                                  version=version)
        return Response(s.InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data)

    @extend_schema(request=s.ProvincialEntrySerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"], url_path="provincial-entry")
    def provincial_entry(self, request, pk=None):
        inspection = self.get_object()  # another unit's record is a 404 before its payload is read
        data = _run(s.ProvincialEntrySerializer, request)
        inspection = services.inspection_record_provincial_entry(
            inspection=inspection, entered_on=data["entered_on"], by=request.user
        )
        return Response(s.InspectionSerializer(inspection).data)


class FindingViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """缺陷."""

    queryset = Finding.objects.select_related("inspection")
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilterSet
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def _inspection(self, inspection):
        return self.get_scoped(Inspection, inspection.pk)

    def get_scoped(self, model, pk):
        from django.shortcuts import get_object_or_404

        from regsys.scoping import scoped

        return get_object_or_404(scoped(model.objects.all(), self.request.user), pk=pk)

    @extend_schema(request=s.FindingWriteSerializer, responses=s.FindingSerializer)
    def create(self, request, *args, **kwargs):
        data = _run(s.FindingWriteSerializer, request)
        inspection = self._inspection(data.pop("inspection"))
        finding = services.finding_create(inspection=inspection, by=request.user, **data)
        return Response(s.FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FindingUpdateSerializer, responses=with_conflict({200: s.FindingSerializer}))
    def update(self, request, *args, **kwargs):
        finding = self.get_object()
        data = _run(s.FindingUpdateSerializer, request)
        data.pop("inspection")
        finding = services.finding_update(finding=finding, by=request.user, version=pop_version(data), **data)
        return Response(s.FindingSerializer(finding).data)

    def destroy(self, request, *args, **kwargs):
        services.finding_delete(finding=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RectificationViewSet(FindingViewSet):
    """责令改正. POST (again) orders/changes it for an inspection; action complete records 完成整改."""

    # deadline then id: a stable order, so paging never repeats or skips orders of the same deadline
    queryset = Rectification.objects.select_related("inspection").order_by("deadline", "id")
    serializer_class = s.RectificationSerializer
    filterset_class = RectificationFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=s.RectificationWriteSerializer, responses=s.RectificationSerializer)
    def create(self, request, *args, **kwargs):
        data = _run(s.RectificationWriteSerializer, request)
        inspection = self._inspection(data.pop("inspection"))
        rectification = services.rectification_order(inspection=inspection, by=request.user, **data)
        return Response(s.RectificationSerializer(rectification).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RectificationCompleteSerializer, responses=s.RectificationSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        rectification = self.get_object()
        data = _run(s.RectificationCompleteSerializer, request)
        rectification = services.rectification_complete(rectification=rectification, by=request.user, **data)
        return Response(s.RectificationSerializer(rectification).data)


@extend_schema_view(update=extend_schema(responses=with_conflict({200: s.InterviewSerializer})))
class InterviewViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                       viewsets.ReadOnlyModelViewSet):
    """约谈."""

    queryset = Interview.objects.select_related("enterprise").prefetch_related("campaigns").order_by("-held_on", "-id")
    serializer_class = s.InterviewSerializer
    filterset_class = InterviewFilterSet
    http_method_names = ["get", "post", "put", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.interview_create(
            enterprise=data["enterprise"], unit=data.get("unit"), inspection=data.get("inspection"),
            held_on=data["held_on"], persons=data["persons"], record=data.get("record", ""), by=self.request.user,
            campaigns=data.get("campaigns", services.BY_RULE),
        )
        _add_warnings(serializer)

    def perform_update(self, serializer):
        data = serializer.validated_data
        campaigns = data.get("campaigns")
        serializer.instance = services.interview_update(
            interview=serializer.instance, held_on=data.get("held_on", serializer.instance.held_on),
            persons=data.get("persons", serializer.instance.persons),
            record=data.get("record", serializer.instance.record), by=self.request.user,
            version=data["version"], campaigns=(campaigns or []) if "campaigns" in data else None,
        )
        _add_warnings(serializer)


class CaseViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                  viewsets.ReadOnlyModelViewSet):
    """案件. POST 立案; PATCH changes descriptive fields; actions advance / decide."""

    queryset = Case.objects.select_related("enterprise").prefetch_related("penalised_persons", "handlers",
                                                                          "campaigns")
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer)
    def create(self, request, *args, **kwargs):
        data = _run(s.CaseWriteSerializer, request)
        case = services.case_open(by=request.user, **data)
        return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CaseUpdateSerializer, responses=with_conflict({200: s.CaseSerializer}))
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        data = _run(s.CaseUpdateSerializer, request, partial=True)
        case = services.case_update(case=case, by=request.user, version=pop_version(data), **data)
        return Response(s.CaseSerializer(case).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=s.CaseAdvanceSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        case = self.get_object()
        data = _run(s.CaseAdvanceSerializer, request)
        case = services.case_advance(case=case, by=request.user, **data)
        return Response(s.CaseSerializer(case).data)

    @extend_schema(request=s.CaseDecisionSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        case = self.get_object()
        data = _run(s.CaseDecisionSerializer, request)
        persons = [services.PenalisedPersonInput(name=p["name"], position=p.get("position", ""),
                                                 fine_amount=p.get("fine_amount") or Decimal("0"))
                   for p in data.pop("persons", [])]
        licence = data.get("revoked_licence")
        if licence is not None and licence.enterprise_id != case.enterprise_id:
            raise ValidationError({"revoked_licence": "吊销的许可证不属于当事企业"})
        case = services.case_decide(case=case, by=request.user, persons=persons, **data)
        return Response(s.CaseSerializer(case).data)


class ReferralViewSet(ScopedQuerysetMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    """移送/移交 (公安, 卫生, 通信, 海关, 纪检)."""

    queryset = Referral.objects.select_related("enterprise", "case").prefetch_related("campaigns")
    serializer_class = s.ReferralSerializer
    filterset_class = ReferralFilterSet

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.referral_create(
            enterprise=data["enterprise"], unit=data.get("unit"), case=data.get("case"),
            inspection=data.get("inspection"), target=data["target"], referred_on=data["referred_on"],
            note=data.get("note", ""), by=self.request.user, campaigns=data.get("campaigns", services.BY_RULE),
        )
        _add_warnings(serializer)

    def perform_destroy(self, instance):
        services.referral_delete(referral=instance, by=self.request.user)
