from django.contrib import admin

from .models import ImportProfile, MonitoringSettings


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "sheet_name", "header_row", "updated_at")


@admin.register(MonitoringSettings)
class MonitoringSettingsAdmin(admin.ModelAdmin):
    list_display = ("year", "district_rule", "per_million_target", "registration_target", "coverage_target")
