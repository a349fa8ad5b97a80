"""UDI rollout pages (included under ``enterprises/udi/``; names in the ``enterprises`` namespace)."""

from django.urls import path

from enterprises.duties import udi_views as views

urlpatterns = [
    path("hospitals/", views.hospital_list, name="udi_hospitals"),
    path("hospitals/export/", views.hospital_export, name="udi_hospital_export"),
    path("hospitals/<int:pk>/edit/", views.hospital_edit, name="udi_hospital_edit"),
    path("hospitals/evidence/<int:pk>/", views.hospital_evidence, name="udi_hospital_evidence"),
    path("manufacturers/", views.manufacturer_list, name="udi_manufacturers"),
    path("manufacturers/export/", views.manufacturer_export, name="udi_manufacturer_export"),
    path("manufacturers/new/", views.manufacturer_create, name="udi_manufacturer_create"),
    path("manufacturers/<int:pk>/edit/", views.manufacturer_edit, name="udi_manufacturer_edit"),
]
