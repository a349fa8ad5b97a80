from django.urls import path

from monitoring.views import quotas

app_name = "monitoring"

urlpatterns = [
    # aequota: the AE quota dashboard, its drill-down lists and its Excel export
    path("quotas/", quotas.ae_dashboard, name="ae_dashboard"),
    path("quotas/records/", quotas.ae_drilldown, name="ae_drilldown"),
    path("quotas/export/", quotas.ae_dashboard_export, name="ae_dashboard_export"),
]
