"""Django admin for planning: plans and items, draws, conflicts of interest, annual targets.

Imported from ``inspections/admin.py`` (``from inspections.planning import admin``).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from enterprises.choices import Link
from enterprises.models import Tag
from inspections.models import (
    AnnualTarget,
    ConflictOfInterest,
    DrawPick,
    InspectionPlan,
    PlanItem,
    RandomDraw,
)
from regsys.admin import LockedParentInlineMixin, LockedRecordAdminMixin


def _plan_locked(plan) -> bool:
    return not plan.is_editable  # submitted or approved: changed through 退回 on the plan page


def _draw_locked(draw) -> bool:
    return draw.is_published  # a published (公示) draw is a record of the 双随机 result


class PlanItemInline(LockedParentInlineMixin, admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ["enterprise", "kind", "target_month", "target_quarter", "source", "reason", "note"]
    raw_id_fields = ["enterprise"]

    def parent_locked(self, parent) -> bool:
        return _plan_locked(parent)


@admin.register(InspectionPlan)
class InspectionPlanAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "year", "kind", "status", "approved_by", "approved_at"]
    list_filter = ["year", "kind", "status", "unit"]
    raw_id_fields = ["approved_by", "submitted_by"]
    inlines = [PlanItemInline]

    def record_locked(self, record) -> bool:
        return _plan_locked(record)


@admin.register(PlanItem)
class PlanItemAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["plan", "enterprise", "kind", "target_month", "target_quarter", "source"]
    list_filter = ["plan__year", "kind", "source"]
    search_fields = ["enterprise__name"]
    raw_id_fields = ["plan", "enterprise", "draw"]
    filter_horizontal = ["officers"]
    lock_parent_field = "plan"
    locked_message = _("计划已上报或已批准，不能在后台修改；如需调整请先退回")

    def record_locked(self, record) -> bool:
        return _plan_locked(record)


class DrawPickInline(LockedParentInlineMixin, admin.TabularInline):
    model = DrawPick
    extra = 0
    fields = ["position", "enterprise"]
    raw_id_fields = ["enterprise"]
    can_delete = False

    def parent_locked(self, parent) -> bool:
        return _draw_locked(parent)


@admin.register(RandomDraw)
class RandomDrawAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "year", "ratio", "seed", "published_at", "created_at"]
    list_filter = ["year", "unit"]
    readonly_fields = ["pool", "officer_pool", "conflicts", "seed", "ratio", "officers_per_enterprise"]
    inlines = [DrawPickInline]

    def record_locked(self, record) -> bool:
        return _draw_locked(record)


@admin.register(DrawPick)
class DrawPickAdmin(LockedRecordAdminMixin, admin.ModelAdmin):
    list_display = ["draw", "position", "enterprise"]
    raw_id_fields = ["draw", "enterprise"]
    lock_parent_field = "draw"
    locked_message = _("抽取结果已公示，不能修改")

    def record_locked(self, record) -> bool:
        return _draw_locked(record)


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "enterprise", "reason", "declared_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["officer__full_name", "enterprise__name"]
    raw_id_fields = ["officer", "enterprise", "created_by"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "sort_order", "name", "kind", "links_shown", "tags_shown", "min_ratio", "min_count",
                    "district_only", "is_active"]
    list_filter = ["year", "kind", "is_active"]

    @admin.display(description=_("环节"))
    def links_shown(self, obj: AnnualTarget) -> str:
        labels = dict(Link.choices)
        return "、".join(str(labels.get(code, code)) for code in obj.link_list) or _("全部环节")

    @admin.display(description=_("产品领域标签"))
    def tags_shown(self, obj: AnnualTarget) -> str:
        names = dict(Tag.objects.filter(code__in=obj.tag_list).values_list("code", "name"))
        return "、".join(names.get(code, code) for code in obj.tag_list)
