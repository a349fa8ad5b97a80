"""Django admin for graded supervision: the per-year scheme (levels and criteria), grades, credit records.

Imported from ``enterprises/admin.py`` (``from enterprises.grading import admin``) so it registers
with the app's admin autodiscovery.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from enterprises.grading.last_inspected import grades_refresh_last_inspected
from enterprises.models import CreditRecord, EnterpriseGrade, GradeLevel, GradingCriterion, GradingScheme


class GradeLevelInline(admin.TabularInline):
    model = GradeLevel
    extra = 0
    fields = ["sector", "code", "name", "rank", "interval_months", "sample_ratio", "is_key", "frequency_text",
              "confidence", "basis"]


class GradingCriterionInline(admin.TabularInline):
    model = GradingCriterion
    extra = 0
    fields = ["sort_order", "code", "name", "sector", "rule", "param", "effect", "level", "confidence", "basis",
              "is_active"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "level":
            scheme_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = GradeLevel.objects.filter(scheme_id=scheme_id) if scheme_id else GradeLevel.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GradingScheme)
class GradingSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["year", "grading_deadline", "due_soon_days", "tolerance_days", "qualifying_kinds_shown"]
    inlines = [GradeLevelInline, GradingCriterionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"year", "qualifying_kinds"} & set(form.changed_data):
            grades_refresh_last_inspected(EnterpriseGrade.objects.filter(year=obj.year))

    @admin.display(description=_("计入频次的检查类型"))
    def qualifying_kinds_shown(self, obj: GradingScheme) -> str:
        from enterprises.grading.views import qualifying_kind_labels

        return qualifying_kind_labels(obj)


@admin.register(GradeLevel)
class GradeLevelAdmin(admin.ModelAdmin):
    list_display = ["scheme", "sector", "name", "code", "rank", "interval_months", "sample_ratio", "is_key",
                    "confidence"]
    list_filter = ["scheme__year", "sector", "confidence"]


@admin.register(GradingCriterion)
class GradingCriterionAdmin(admin.ModelAdmin):
    list_display = ["scheme", "sort_order", "name", "sector", "rule", "param", "effect", "level", "confidence",
                    "is_active"]
    list_filter = ["scheme__year", "sector", "effect", "confidence", "is_active"]
    search_fields = ["code", "name"]


@admin.register(EnterpriseGrade)
class EnterpriseGradeAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "sector", "level", "is_key", "proposed_level", "status", "approved_by"]
    list_filter = ["year", "sector", "status", "is_key"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    raw_id_fields = ["enterprise", "changed_by", "approved_by"]
    readonly_fields = ["proposed_level", "proposed_is_key", "reasons", "proposed_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"enterprise", "year"} & set(form.changed_data):
            grades_refresh_last_inspected(EnterpriseGrade.objects.filter(pk=obj.pk))


@admin.register(CreditRecord)
class CreditRecordAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "kind", "recorded_on", "valid_until", "reason", "created_by"]
    list_filter = ["kind"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "reason"]
    raw_id_fields = ["enterprise", "created_by"]
