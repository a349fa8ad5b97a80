from django.urls import path

from monitoring.views import disposal, evaluations, quotas, registry, reports

app_name = "monitoring"

urlpatterns = [
    # --- aeeval: the 药械科's evaluations ---
    path("evaluations/", evaluations.evaluation_list, name="evaluation_list"),
    path("evaluations/scan/", evaluations.evaluation_scan, name="evaluation_scan"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/evaluate/", evaluations.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/interview/", evaluations.evaluation_interview, name="evaluation_interview"),
    path("evaluations/<int:pk>/inspection/", evaluations.evaluation_inspection, name="evaluation_inspection"),
    path("evaluations/<int:pk>/close/", evaluations.evaluation_close, name="evaluation_close"),
    # --- end aeeval ---
    # aequota: the AE quota dashboard, its drill-down lists and its Excel export
    path("quotas/", quotas.ae_dashboard, name="ae_dashboard"),
    path("quotas/records/", quotas.ae_drilldown, name="ae_drilldown"),
    path("quotas/export/", quotas.ae_dashboard_export, name="ae_dashboard_export"),
    # --- registry-side inputs of the AE quotas (aereg): registrations, population, settings, training ---
    path("registrations/", registry.registration_list, name="registration_list"),
    path("registrations/export/", registry.registration_export, name="registration_export"),
    path("registrations/<int:pk>/edit/", registry.registration_edit, name="registration_edit"),
    path("registrations/evidence/<int:pk>/", registry.registration_evidence, name="registration_evidence"),
    path("population/", registry.population, name="population"),
    path("settings/", registry.monitoring_settings, name="monitoring_settings"),
    path("trainings/", registry.training_list, name="training_list"),
    path("trainings/export/", registry.training_export, name="training_export"),
    path("trainings/new/", registry.training_create, name="training_create"),
    path("trainings/<int:pk>/", registry.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", registry.training_edit, name="training_edit"),
    # --- end aereg ---
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
    # --- disposal: a failed sample's disposal (不合格处置) ---
    path("samples/<int:pk>/disposal/", disposal.sample_disposal, name="sample_disposal"),
    path("samples/<int:pk>/disposal/<slug:action>/", disposal.sample_disposal_action, name="sample_disposal_action"),
    path("sample-controls/<int:pk>/delete/", disposal.sample_control_delete, name="sample_control_delete"),
    # --- end disposal ---
]
