"""Django admin for the inspections models (planning models are registered by the planning package)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import (
    Attachment,
    Case,
    CasePenalisedPerson,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionAmendment,
    InspectionOfficer,
    Interview,
    Rectification,
    Referral,
)


class OfficerInline(admin.TabularInline):
    model = InspectionOfficer
    extra = 0
    raw_id_fields = ["user"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    raw_id_fields = ["checklist_item"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["start_date", "enterprise", "unit", "kind", "conclusion", "status", "staff_count",
                    "provincial_entry_due", "provincial_entry_date"]
    list_filter = ["status", "kind", "conclusion", "unit"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    date_hierarchy = "start_date"
    raw_id_fields = ["enterprise", "plan_item", "created_by", "finalised_by"]
    filter_horizontal = ["campaigns"]
    inlines = [OfficerInline, FindingInline, AttachmentInline]


@admin.register(InspectionOfficer)
class InspectionOfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "cert_kind", "cert_no", "inspection"]
    search_fields = ["name", "cert_no"]
    raw_id_fields = ["inspection", "user"]


@admin.register(InspectionAmendment)
class InspectionAmendmentAdmin(admin.ModelAdmin):
    list_display = ["inspection", "amended_by", "amended_at", "reason"]
    raw_id_fields = ["inspection", "amended_by"]
    readonly_fields = ["amended_at"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "severity", "text"]
    list_filter = ["severity"]
    search_fields = ["text", "inspection__enterprise__name"]
    raw_id_fields = ["inspection", "checklist_item"]


@admin.register(Rectification)
class RectificationAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "ordered_on", "deadline", "completed_on"]
    list_filter = ["completed_on"]
    search_fields = ["inspection__enterprise__name", "requirements"]
    raw_id_fields = ["inspection", "follow_up", "ordered_by"]


@admin.register(Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "enterprise", "unit", "persons"]
    list_filter = ["unit"]
    search_fields = ["enterprise__name", "persons"]
    raw_id_fields = ["enterprise", "inspection"]
    filter_horizontal = ["campaigns"]


class PenalisedPersonInline(admin.TabularInline):
    model = CasePenalisedPerson
    extra = 0


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "enterprise", "unit", "filed_on", "procedure", "status", "fine_amount",
                    "confiscation_amount", "suspension_ordered", "listed_serious_dishonest"]
    list_filter = ["status", "procedure", "unit", "suspension_ordered", "listed_serious_dishonest"]
    search_fields = ["number", "enterprise__name"]
    date_hierarchy = "filed_on"
    raw_id_fields = ["enterprise", "source_inspection", "revoked_licence", "created_by"]
    filter_horizontal = ["campaigns", "handlers"]
    inlines = [PenalisedPersonInline]


@admin.register(CasePenalisedPerson)
class CasePenalisedPersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "fine_amount", "case"]
    raw_id_fields = ["case"]


@admin.register(Referral)
class ReferralAdmin(SimpleHistoryAdmin):
    list_display = ["referred_on", "enterprise", "unit", "target", "case"]
    list_filter = ["target", "unit"]
    search_fields = ["enterprise__name", "note"]
    raw_id_fields = ["enterprise", "case", "inspection"]
    filter_horizontal = ["campaigns"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "link", "is_active"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["template", "code", "is_key", "text"]
    list_filter = ["template", "is_key"]
    search_fields = ["text"]


@admin.register(ChecklistAnswer)
class ChecklistAnswerAdmin(admin.ModelAdmin):
    list_display = ["inspection", "item", "result", "note"]
    list_filter = ["result"]
    raw_id_fields = ["inspection", "item"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "size", "inspection", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    raw_id_fields = ["inspection", "answer", "uploaded_by"]

from inspections.planning import admin as _planning_admin  # noqa: E402, F401  (planning models' admin)
