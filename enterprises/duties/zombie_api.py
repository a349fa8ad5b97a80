"""API of the 僵尸企业 clean-up: ``zombie-cases`` (scoped) with the workflow actions, the candidates and tallies."""

from __future__ import annotations

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.duties import zombie_services as services
from enterprises.duties.choices import ClearanceKind, NoticeKind
from enterprises.duties.zombie_filters import ZombieCaseFilter
from enterprises.duties.zombie_forms import OUTCOME_CHOICES
from enterprises.duties.zombie_selectors import zombie_candidates_for, zombie_cases_for, zombie_tallies_for
from enterprises.models import Enterprise, ZombieCase
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission, read_only_choice
from regsys.versioning import version_input, with_conflict

YEAR_FIELD = {"min_value": 2000, "max_value": 2100}


class ZombieCaseSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_status = serializers.CharField(source="enterprise.status", read_only=True)
    reason_text = serializers.CharField(read_only=True)
    notice_kind = read_only_choice(NoticeKind.choices, label="告知方式")
    clearance_kind = read_only_choice(ClearanceKind.choices, label="处理方式")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ZombieCase
        fields = ["id", "enterprise", "enterprise_name", "enterprise_status", "year", "unit", "reasons",
                  "reason_text", "stage", "verified_on", "verified_by", "verification", "notice_kind", "notice_on",
                  "notice_ref", "clearance_kind", "decision_no", "decision_on", "evidence", "outcome_note",
                  "created_by", "created_at", "version"]
        read_only_fields = fields

    def get_evidence(self, case) -> bool:
        return bool(case.evidence)


class StartSerializer(ScopedSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    year = serializers.IntegerField(**YEAR_FIELD)


class VerifySerializer(ScopedSerializer):
    verified_on = serializers.DateField()
    verification = serializers.CharField(max_length=2000)
    version = version_input()


class NotifySerializer(ScopedSerializer):
    notice_kind = serializers.ChoiceField(choices=NoticeKind.choices)
    notice_on = serializers.DateField()
    notice_ref = serializers.CharField(max_length=100)
    version = version_input()


class ClearSerializer(ScopedSerializer):
    clearance_kind = serializers.ChoiceField(choices=ClearanceKind.choices)
    decision_no = serializers.CharField(max_length=100)
    decision_on = serializers.DateField()
    evidence = serializers.FileField(required=False)
    version = version_input()


class ConcludeSerializer(ScopedSerializer):
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    decided_on = serializers.DateField()
    note = serializers.CharField(max_length=2000)
    version = version_input()


class ReasonSerializer(ScopedSerializer):
    code = serializers.CharField()
    label = serializers.CharField()
    note = serializers.CharField()


class CandidateSerializer(ScopedSerializer):
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    unit = serializers.IntegerField()
    reasons = ReasonSerializer(many=True)
    case = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField(allow_null=True)


class TallySerializer(ScopedSerializer):
    unit = serializers.IntegerField(allow_null=True, help_text="为空表示全区合计")
    unit_name = serializers.CharField()
    candidates_open = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    cleared = serializers.IntegerField(help_text="清理一批")
    regularised = serializers.IntegerField(help_text="规范一批")
    upgraded = serializers.IntegerField(help_text="提升一批")
    not_zombie = serializers.IntegerField()


def _year_param(request) -> int:
    data = serializers.IntegerField(**YEAR_FIELD, required=False)
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        return data.run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"year": exc.detail}) from exc


YEAR_PARAM = OpenApiParameter("year", int, description="年度（默认今年）")


class ZombieCaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """僵尸企业清理台账. POST 发起核查; actions verify / notify / clear / conclude run the workflow steps."""

    serializer_class = ZombieCaseSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ZombieCaseFilter

    def get_queryset(self):
        return zombie_cases_for(self.request.user).order_by("id")

    @extend_schema(request=StartSerializer, responses={201: ZombieCaseSerializer})
    def create(self, request, *args, **kwargs):
        data = StartSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = services.zombie_case_start(enterprise=data.validated_data["enterprise"],
                                          year=data.validated_data["year"], by=request.user)
        return Response(ZombieCaseSerializer(case).data, status=201)

    def _step(self, request, serializer_class, run):
        case = self.get_object()
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        case = run(case, values, version)
        return Response(ZombieCaseSerializer(case).data)

    @extend_schema(request=VerifySerializer, responses=with_conflict({200: ZombieCaseSerializer}))
    @action(detail=True, methods=["post"], serializer_class=VerifySerializer)
    def verify(self, request, pk=None):
        return self._step(request, VerifySerializer, lambda case, v, version: services.zombie_case_verify(
            case=case, by=request.user, version=version, **v))

    @extend_schema(request=NotifySerializer, responses=with_conflict({200: ZombieCaseSerializer}))
    @action(detail=True, methods=["post"], serializer_class=NotifySerializer)
    def notify(self, request, pk=None):
        return self._step(request, NotifySerializer, lambda case, v, version: services.zombie_case_notify(
            case=case, by=request.user, version=version, **v))

    @extend_schema(request=ClearSerializer, responses=with_conflict({200: ZombieCaseSerializer}))
    @action(detail=True, methods=["post"], serializer_class=ClearSerializer)
    def clear(self, request, pk=None):
        return self._step(request, ClearSerializer, lambda case, v, version: services.zombie_case_clear(
            case=case, by=request.user, version=version, **v))

    @extend_schema(request=ConcludeSerializer, responses=with_conflict({200: ZombieCaseSerializer}))
    @action(detail=True, methods=["post"], serializer_class=ConcludeSerializer)
    def conclude(self, request, pk=None):
        return self._step(request, ConcludeSerializer, lambda case, v, version: services.zombie_case_conclude(
            case=case, by=request.user, version=version, **v))

    @extend_schema(parameters=[YEAR_PARAM], responses=CandidateSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def candidates(self, request):
        """The year's candidates the caller may see, with their reasons and their case (if started)."""
        year = _year_param(request)
        rows = [{
            "enterprise": c.enterprise.pk, "enterprise_name": c.enterprise.name, "unit": c.enterprise.owning_unit_id,
            "reasons": [{"code": code, "label": label, "note": note} for code, label, note in c.reason_items],
            "case": case.pk if case else None, "stage": case.stage if case else None,
        } for c, case in zombie_candidates_for(request.user, year)]
        return Response(CandidateSerializer(rows, many=True).data)

    @extend_schema(parameters=[YEAR_PARAM], responses=TallySerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def tallies(self, request):
        """清理一批 / 规范一批 / 提升一批 per unit (a 所 user: its own unit only)."""
        year = _year_param(request)
        rows = [{"unit": t.unit.pk if t.unit else None, "unit_name": t.unit.display_name if t.unit else "合计",
                 "candidates_open": t.candidates_open, "in_progress": t.in_progress, "cleared": t.cleared,
                 "regularised": t.regularised, "upgraded": t.upgraded, "not_zombie": t.not_zombie}
                for t in zombie_tallies_for(request.user, year)]
        return Response(TallySerializer(rows, many=True).data)
