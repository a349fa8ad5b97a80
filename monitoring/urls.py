from django.urls import path

from monitoring.views import evaluations, quotas

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
]
