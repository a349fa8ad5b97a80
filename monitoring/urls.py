from django.urls import path

from monitoring.views import registry

app_name = "monitoring"

urlpatterns = [
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
]
