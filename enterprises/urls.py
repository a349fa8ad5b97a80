from django.urls import include, path

from enterprises import calendar_views, suspension_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/status/", views.enterprise_status, name="status"),
    path("<int:pk>/licences/new/", views.licence_create, name="licence_create"),
    path("licences/<int:pk>/edit/", views.licence_edit, name="licence_edit"),
    path("licences/expiring/", views.licences_expiring, name="licences_expiring"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/row/", views.import_job_row, name="import_job_row"),
    # --- working-day calendar (complaints helper, issue 11) ---
    path("calendar/", calendar_views.calendar_year, name="calendar"),
    path("calendar/new/", calendar_views.calendar_day_create, name="calendar_day_create"),
    path("calendar/<int:pk>/edit/", calendar_views.calendar_day_edit, name="calendar_day_edit"),
    path("calendar/<int:pk>/delete/", calendar_views.calendar_day_delete, name="calendar_day_delete"),
    # --- end calendar ---
    # 停产/复产 (disposal)
    path("suspensions/", suspension_views.suspension_list, name="suspension_list"),
    path("suspensions/export/", suspension_views.suspension_export, name="suspension_export"),
    path("suspensions/<int:pk>/", suspension_views.suspension_detail, name="suspension_detail"),
    path("suspensions/<int:pk>/rectify/", suspension_views.suspension_rectify, name="suspension_rectify"),
    path("suspensions/<int:pk>/resume/", suspension_views.suspension_resume, name="suspension_resume"),
    path("<int:pk>/suspensions/new/", suspension_views.suspension_start_view, name="suspension_start"),
    path("filings/", include("enterprises.duties.filing_urls")),
    path("", include("enterprises.duties.warehouses_urls")),  # 委托生产 pairs, 异地设库 warehouses
    path("zombies/", include("enterprises.duties.zombie_urls")),
    path("udi/", include("enterprises.duties.udi_urls")),
]
