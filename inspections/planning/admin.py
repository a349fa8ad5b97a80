"""Django admin for planning: plans and items, draws, conflicts of interest, annual targets.

Imported from ``inspections/admin.py`` (``from inspections.planning import admin``).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import (
    AnnualTarget,
    ConflictOfInterest,
    DrawPick,
    InspectionPlan,
    PlanItem,
    RandomDraw,
)


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ["enterprise", "kind", "target_month", "target_quarter", "source", "reason", "note"]
    raw_id_fields = ["enterprise"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "kind", "status", "approved_by", "approved_at"]
    list_filter = ["year", "kind", "status", "unit"]
    raw_id_fields = ["approved_by", "submitted_by"]
    inlines = [PlanItemInline]


@admin.register(PlanItem)
class PlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "enterprise", "kind", "target_month", "target_quarter", "source"]
    list_filter = ["plan__year", "kind", "source"]
    search_fields = ["enterprise__name"]
    raw_id_fields = ["plan", "enterprise", "draw"]
    filter_horizontal = ["officers"]


class DrawPickInline(admin.TabularInline):
    model = DrawPick
    extra = 0
    fields = ["position", "enterprise"]
    raw_id_fields = ["enterprise"]
    can_delete = False


@admin.register(RandomDraw)
class RandomDrawAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "year", "ratio", "seed", "published_at", "created_at"]
    list_filter = ["year", "unit"]
    readonly_fields = ["pool", "officer_pool", "conflicts", "seed", "ratio", "officers_per_enterprise"]
    inlines = [DrawPickInline]


@admin.register(DrawPick)
class DrawPickAdmin(admin.ModelAdmin):
    list_display = ["draw", "position", "enterprise"]
    raw_id_fields = ["draw", "enterprise"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "enterprise", "reason", "declared_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["officer__full_name", "enterprise__name"]
    raw_id_fields = ["officer", "enterprise", "created_by"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "sort_order", "name", "kind", "links", "tag_codes", "min_ratio", "min_count",
                    "district_only", "is_active"]
    list_filter = ["year", "kind", "is_active"]
