from django.urls import path

from reporting import views, views_cells_edit, views_waiting
from reporting.cockpit import summary_views
from reporting.cockpit import views as cockpit_views

app_name = "reporting"

urlpatterns = [
    path("", views.return_list, name="return_list"),
    path("new/", views.return_create, name="return_create"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/cell/", views.return_cell, name="return_cell"),
    path("returns/<int:pk>/recompute/", views.return_recompute, name="return_recompute"),
    path("returns/<int:pk>/quick-review/", views_waiting.return_quick_review, name="return_quick_review"),
    path("returns/<int:pk>/manual/", views_cells_edit.return_manual, name="return_manual"),
    path("returns/<int:pk>/override/", views_cells_edit.return_override, name="return_override"),
    path("returns/<int:pk>/override/confirm/", views_cells_edit.return_override_action, {"action": "confirm"},
         name="return_override_confirm"),
    path("returns/<int:pk>/override/drop/", views_cells_edit.return_override_action, {"action": "drop"},
         name="return_override_drop"),
    path("returns/<int:pk>/<str:action>/", views.return_action, name="return_action"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("downloads/", views.downloads, name="downloads"),
    path("downloads/<int:pk>/row/", views.job_row, name="job_row"),
    path("downloads/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("downloads/<int:pk>/<str:kind>/", views.job_file, name="job_file"),
    path("cockpit/summary/", summary_views.cockpit_summary, name="cockpit_summary"),
    path("cockpit/", cockpit_views.cockpit, name="cockpit"),
    path("cockpit/snapshot/", cockpit_views.cockpit_snapshot, name="cockpit_snapshot"),
]
