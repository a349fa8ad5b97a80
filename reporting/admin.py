from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from regsys.admin import LockedRecordAdminMixin
from reporting.choices import ReturnStatus
from reporting.models import ExportJob, ReportingSettings, Return, ReturnEvent


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    readonly_fields = ["action", "by", "at", "comment"]


@admin.register(Return)
class ReturnAdmin(LockedRecordAdminMixin, SimpleHistoryAdmin):
    """A filed or approved return is read-only here; it changes only through 审核/退回 on its page."""

    list_display = ["__str__", "campaign", "status", "unscheduled", "is_current", "computed_at", "submitted_at"]
    list_filter = ["status", "unscheduled", "is_current", "template", "campaign"]
    readonly_fields = ["data", "warnings", "computed_at"]
    inlines = [ReturnEventInline]

    def record_locked(self, record) -> bool:
        return record.status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "created_by", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["error"]


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(admin.ModelAdmin):
    """One row: the bureau's 填报人 and 联系方式 for district returns written without them."""

    list_display = ["__str__", "district_filled_by", "district_contact"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not ReportingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
