from django.urls import path

from monitoring.views import reports

app_name = "monitoring"

urlpatterns = [
    # --- AE reports, import and the unmatched queue (aeimport) ---
    path("reports/", reports.report_list, name="report_list"),
    path("reports/export.xlsx", reports.report_export, name="report_export"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/import/", reports.report_import, name="report_import"),
    path("reports/import/jobs/<int:pk>/", reports.import_job, name="import_job"),
    path("reports/import/jobs/<int:pk>/row/", reports.import_job_row, name="import_job_row"),
    path("reports/import/jobs/<int:pk>/confirm/", reports.import_confirm, name="import_confirm"),
    path("unmatched/", reports.unmatched, name="unmatched"),
    path("unmatched/<int:pk>/", reports.unmatched_resolve, name="unmatched_resolve"),
    # --- end aeimport ---
]
