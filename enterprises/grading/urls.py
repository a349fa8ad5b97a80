from django.urls import path

from enterprises.grading import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("scheme/create/", views.scheme_create, name="scheme_create"),
    path("propose/", views.propose, name="propose"),
    path("approve/", views.approve_unit, name="approve_unit"),
    path("grades/", views.grade_list, name="grade_list"),
    path("grades/export/", views.grade_export, name="grade_export"),
    path("grades/<int:pk>/", views.grade_detail, name="grade_detail"),
    path("grades/<int:pk>/change/", views.grade_change, name="grade_change"),
    path("grades/<int:pk>/approve/", views.grade_approve, name="grade_approve"),
    path("credit/", views.credit_list, name="credit_list"),
    path("credit/export/", views.credit_export, name="credit_export"),
]
