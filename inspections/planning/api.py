"""API of planning: plans (submit/approve), plan items, draws (verify), conflicts, targets with progress."""

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inspections.models import (
    AnnualTarget,
    ConflictOfInterest,
    InspectionPlan,
    PlanItem,
    RandomDraw,
)
from inspections.planning import services
from inspections.planning.filters import ConflictFilter, DrawFilter, PlanFilter, PlanItemFilter, TargetFilter
from inspections.planning.selectors import conflicts_for, draw_picks, draws_for, items_for, plans_for
from inspections.planning.targets import progress_of, target_progress
from regsys.api import ScopedModelSerializer, ScopedSerializer, ScopedWritePermission
from regsys.scoping import scope_for


class EmptySerializer(ScopedSerializer):
    """No input: the action works on the object in the URL."""


class PlanSerializer(ScopedModelSerializer):
    item_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionPlan
        fields = ["id", "unit", "year", "kind", "status", "note", "item_count", "done_count", "generated_at",
                  "submitted_by", "submitted_at", "approved_by", "approved_at"]
        read_only_fields = fields


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PlanFilter

    def get_queryset(self):
        return plans_for(self.request.user).order_by("id")

    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def submit(self, request, pk=None):
        plan = services.plan_submit(plan=self.get_object(), by=request.user)
        return Response(PlanSerializer(plans_for(request.user).get(pk=plan.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def approve(self, request, pk=None):
        plan = services.plan_approve(plan=self.get_object(), by=request.user)
        return Response(PlanSerializer(plans_for(request.user).get(pk=plan.pk)).data)


class PlanItemSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True, help_text="未完成时为 null")

    class Meta:
        model = PlanItem
        fields = ["id", "plan", "enterprise", "enterprise_name", "kind", "target_month", "target_quarter",
                  "officers", "source", "draw", "due_date", "reason", "note", "done_on"]
        read_only_fields = fields


class PlanItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanItemSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PlanItemFilter

    def get_queryset(self):
        return items_for(self.request.user).order_by("id")


class DrawSerializer(ScopedModelSerializer):
    picks = serializers.SerializerMethodField()

    class Meta:
        model = RandomDraw
        fields = ["id", "unit", "year", "name", "sector", "level_codes", "tag_codes", "ratio",
                  "officers_per_enterprise", "seed", "pool", "officer_pool", "conflicts", "published_at",
                  "created_at", "picks"]
        read_only_fields = fields

    def get_picks(self, draw) -> list[dict]:
        picks = self.context.get("picks")
        return (picks if picks is not None and draw.pk in picks else draw_picks([draw.pk]))[draw.pk]


class DrawRerunSerializer(ScopedSerializer):
    enterprise = serializers.IntegerField()
    officers = serializers.ListField(child=serializers.IntegerField())


class DrawVerifySerializer(ScopedSerializer):
    matches = serializers.BooleanField(help_text="按记录的种子重新抽取，结果与公示一致")
    pool_changed = serializers.BooleanField(help_text="抽取池自抽取以来是否有变化")
    rerun = DrawRerunSerializer(many=True)


class DrawViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DrawSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = DrawFilter

    def get_queryset(self):
        return draws_for(self.request.user).order_by("id")

    def get_serializer(self, *args, **kwargs):
        """The picks of a page of draws (or of one draw) as bare ids, read in two queries before writing rows."""
        draws = args[0] if args else None
        if isinstance(draws, RandomDraw) or (kwargs.get("many") and draws is not None):
            draws = [draws] if isinstance(draws, RandomDraw) else list(draws)
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["picks"] = draw_picks([d.pk for d in draws])
            args = (draws if kwargs.get("many") else draws[0], *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(responses=DrawVerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        check = services.draw_verify(self.get_object())
        return Response({"matches": check["matches"], "pool_changed": check["pool_changed"],
                         "rerun": [{"enterprise": e, "officers": o} for e, o in check["rerun"]]})


class ConflictSerializer(ScopedModelSerializer):
    class Meta:
        model = ConflictOfInterest
        fields = ["id", "officer", "enterprise", "reason", "declared_on", "is_active"]
        read_only_fields = fields


class ConflictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConflictSerializer
    permission_classes = [ScopedWritePermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ConflictFilter

    def get_queryset(self):
        return conflicts_for(self.request.user).order_by("id")


def _progress_scope(user):
    scope = scope_for(user)
    return None if scope.district_wide else user.unit


class TargetSerializer(ScopedModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = AnnualTarget
        fields = ["id", "year", "code", "name", "kind", "links", "tag_codes", "inspection_kinds", "min_ratio",
                  "min_count", "district_only", "confidence", "basis", "progress"]
        read_only_fields = fields

    def get_progress(self, target) -> dict:
        """Figures for the requesting user's scope: the district, or their own unit."""
        unit = _progress_scope(self.context["request"].user)
        p = self.context.get("progress", {}).get(target.pk) or target_progress(
            target, unit=unit, today=timezone.localdate(), missing_limit=0)
        return {"unit": None if unit is None else unit.pk, "numerator": p.numerator, "denominator": p.denominator,
                "required": p.required, "percentage": None if p.percentage is None else str(p.percentage),
                "expected_by_now": p.expected_by_now, "on_track": p.on_track, "missing_count": p.missing_count}


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual targets (district configuration) with progress for the caller's scope.

    The list's counts are kept for ``REGSYS_COCKPIT_CACHE_SECONDS`` like the cockpit's; ``?fresh=1`` counts now.
    """

    serializer_class = TargetSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = TargetFilter
    queryset = AnnualTarget.objects.filter(is_active=True).order_by("year", "sort_order")

    def get_serializer(self, *args, **kwargs):
        """A page of targets: every target's progress in one grouped pass, before the rows are written."""
        if kwargs.get("many") and args:
            targets = list(args[0])
            unit = _progress_scope(self.request.user)
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["progress"] = {p.target.pk: p for p in progress_of(
                targets, unit=unit, today=timezone.localdate(), missing_limit=0, cached=True,
                fresh=bool(self.request.query_params.get("fresh")))}
            args = (targets, *args[1:])
        return super().get_serializer(*args, **kwargs)
