"""URLs of the yearly filings (included under ``enterprises/filings/`` in the enterprises namespace)."""

from django.urls import path

from enterprises.duties import filing_views as views

urlpatterns = [
    path("", views.filing_list, name="filing_list"),
    path("export.xlsx", views.filing_export, name="filing_export"),
    path("progress/", views.filing_progress, name="filing_progress"),
    path("record/<int:pk>/", views.filing_record, name="filing_record"),
    path("<int:pk>/file/", views.filing_file, name="filing_file"),
    path("import/", views.filing_import, name="filing_import"),
    path("import/template.xlsx", views.filing_import_template, name="filing_import_template"),
    path("import/jobs/<int:pk>/", views.filing_import_job, name="filing_import_job"),
    path("orders/", views.filing_orders, name="filing_orders"),
    path("orders/propose/<int:pk>/", views.filing_order_propose, name="filing_order_propose"),
    path("orders/<int:pk>/confirm/", views.filing_order_confirm, name="filing_order_confirm"),
    path("settings/", views.duty_settings, name="duty_settings"),
]
