from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import ExportJob, Return, ReturnEvent


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    readonly_fields = ["action", "by", "at", "comment"]


@admin.register(Return)
class ReturnAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "campaign", "status", "is_current", "computed_at", "submitted_at"]
    list_filter = ["status", "is_current", "template", "campaign"]
    readonly_fields = ["data", "warnings", "computed_at"]
    inlines = [ReturnEventInline]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "created_by", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["error"]
