"""Pages of the 僵尸企业 clean-up, included under ``enterprises/zombies/`` (names ``enterprises:zombie_*``)."""

from django.urls import path

from enterprises.duties import zombie_views as views

urlpatterns = [
    path("candidates/", views.candidate_list, name="zombie_candidates"),
    path("start/", views.case_start, name="zombie_case_start"),
    path("", views.case_list, name="zombie_case_list"),
    path("export.xlsx", views.case_export, name="zombie_case_export"),
    path("<int:pk>/", views.case_detail, name="zombie_case_detail"),
    path("<int:pk>/evidence/", views.case_evidence, name="zombie_case_evidence"),
    path("<int:pk>/<slug:step>/", views.case_step, name="zombie_case_step"),
    path("tallies/", views.tallies, name="zombie_tallies"),
]
