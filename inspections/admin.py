"""Django admin for the inspections models (planning models are registered by the planning package)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
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
from regsys.admin import LockedParentInlineMixin, LockedRecordAdminMixin

LOCKED_INSPECTION = _("检查记录已完成并锁定，不能在后台修改；如需更正请在检查页面办理更正（须填写理由）")


class InspectionChildAdmin(LockedRecordAdminMixin):
    """A record belonging to an inspection: read-only, and not addable, once the inspection is finalised."""

    lock_parent_field = "inspection"
    locked_message = LOCKED_INSPECTION


class OfficerInline(LockedParentInlineMixin, admin.TabularInline):
    model = InspectionOfficer
    extra = 0
    raw_id_fields = ["user"]


class FindingInline(LockedParentInlineMixin, admin.TabularInline):
    model = Finding
    extra = 0
    raw_id_fields = ["checklist_item"]


class AttachmentInline(LockedParentInlineMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]


@admin.register(Inspection)
class InspectionAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    """A draft is editable here; a finalised inspection is read-only with a link to its amendment page."""

    list_display = ["start_date", "enterprise", "unit", "kind", "conclusion", "status", "staff_count",
                    "provincial_entry_due", "provincial_entry_date"]
    list_filter = ["status", "kind", "conclusion", "unit"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    date_hierarchy = "start_date"
    raw_id_fields = ["enterprise", "plan_item", "created_by", "finalised_by"]
    filter_horizontal = ["campaigns"]
    inlines = [OfficerInline, FindingInline, AttachmentInline]
    readonly_fields = ["amendment_link"]

    @admin.display(description=_("更正"))
    def amendment_link(self, obj) -> str:
        if obj is None or not obj.is_locked:
            return _("草稿，可直接修改")
        return format_html('{}<br><a href="{}">{}</a>', LOCKED_INSPECTION,
                           reverse("inspections:amend", args=[obj.pk]), _("办理更正"))


@admin.register(InspectionOfficer)
class InspectionOfficerAdmin(InspectionChildAdmin, admin.ModelAdmin):
    list_display = ["name", "cert_kind", "cert_no", "inspection"]
    search_fields = ["name", "cert_no"]
    raw_id_fields = ["inspection", "user"]


@admin.register(InspectionAmendment)
class InspectionAmendmentAdmin(admin.ModelAdmin):
    """Amendments are the audit trail: made on the inspection page (inspection_amend), only viewed here."""

    list_display = ["inspection", "amended_by", "amended_at", "reason"]
    raw_id_fields = ["inspection", "amended_by"]
    readonly_fields = ["amended_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Finding)
class FindingAdmin(InspectionChildAdmin, SimpleHistoryAdmin):
    list_display = ["inspection", "severity", "text"]
    list_filter = ["severity"]
    search_fields = ["text", "inspection__enterprise__name"]
    raw_id_fields = ["inspection", "checklist_item"]


@admin.register(Rectification)
class RectificationAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    """A completed order (完成整改) is read-only, as in rectification_order."""

    list_display = ["inspection", "ordered_on", "deadline", "completed_on"]
    list_filter = ["completed_on"]
    search_fields = ["inspection__enterprise__name", "requirements"]
    raw_id_fields = ["inspection", "follow_up", "ordered_by"]

    def record_locked(self, record) -> bool:
        return record.completed_on is not None


@admin.register(Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "enterprise", "unit", "persons"]
    list_filter = ["unit"]
    search_fields = ["enterprise__name", "persons"]
    raw_id_fields = ["enterprise", "inspection"]
    filter_horizontal = ["campaigns"]


class PenalisedPersonInline(LockedParentInlineMixin, admin.TabularInline):
    model = CasePenalisedPerson
    extra = 0


@admin.register(Case)
class CaseAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    """A closed case (结案) is read-only here, as on its pages."""

    list_display = ["number", "enterprise", "unit", "filed_on", "procedure", "status", "fine_amount",
                    "confiscation_amount", "suspension_ordered", "listed_serious_dishonest"]
    list_filter = ["status", "procedure", "unit", "suspension_ordered", "listed_serious_dishonest"]
    search_fields = ["number", "enterprise__name"]
    date_hierarchy = "filed_on"
    raw_id_fields = ["enterprise", "source_inspection", "revoked_licence", "created_by"]
    filter_horizontal = ["campaigns", "handlers"]
    inlines = [PenalisedPersonInline]


@admin.register(CasePenalisedPerson)
class CasePenalisedPersonAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    lock_parent_field = "case"
    locked_message = _("案件已结案，不能修改")

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
class ChecklistAnswerAdmin(InspectionChildAdmin, SimpleHistoryAdmin):
    list_display = ["inspection", "item", "result", "note"]
    list_filter = ["result"]
    raw_id_fields = ["inspection", "item"]


@admin.register(Attachment)
class AttachmentAdmin(InspectionChildAdmin, admin.ModelAdmin):
    list_display = ["original_name", "kind", "size", "inspection", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    raw_id_fields = ["inspection", "answer", "uploaded_by"]

from inspections.planning import admin as _planning_admin  # noqa: E402, F401  (planning models' admin)
