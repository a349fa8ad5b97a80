from django.urls import path

from inspections.views import cases, inspections, outcomes

app_name = "inspections"

urlpatterns = [
    path("", inspections.inspection_list, name="list"),
    path("export/", inspections.inspection_export, name="export"),
    path("todo/", outcomes.todo, name="todo"),
    path("unit/", outcomes.unit_list, name="unit_list"),
    path("quick/", inspections.quick_create, name="quick"),
    path("new/", inspections.inspection_create, name="create"),
    path("enterprise-search/", inspections.enterprise_search, name="enterprise_search"),
    path("<int:pk>/", inspections.inspection_detail, name="detail"),
    path("<int:pk>/edit/", inspections.inspection_edit, name="edit"),
    path("<int:pk>/checklist/", inspections.checklist, name="checklist"),
    path("<int:pk>/findings/add/", inspections.finding_add, name="finding_add"),
    path("<int:pk>/findings/<int:finding_pk>/delete/", inspections.finding_delete, name="finding_delete"),
    path("<int:pk>/attachments/", inspections.attachments_upload, name="attachments_upload"),
    path("<int:pk>/finalise/", inspections.finalise, name="finalise"),
    path("<int:pk>/amend/", inspections.amend, name="amend"),
    path("<int:pk>/provincial-entry/", inspections.provincial_entry, name="provincial_entry"),
    path("<int:pk>/rectification/", outcomes.rectification_form, name="rectification"),
    path("<int:pk>/interview/", outcomes.interview_create, name="interview_create"),
    path("attachments/<int:pk>/", inspections.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", inspections.attachment_delete, name="attachment_delete"),
    path("rectifications/", outcomes.rectification_list, name="rectification_list"),
    path("rectifications/export/", outcomes.rectification_export, name="rectification_export"),
    path("rectifications/<int:pk>/complete/", outcomes.rectification_complete, name="rectification_complete"),
    path("interviews/", outcomes.interview_list, name="interview_list"),
    path("interviews/export/", outcomes.interview_export, name="interview_export"),
    path("referrals/", outcomes.referral_list, name="referral_list"),
    path("referrals/export/", outcomes.referral_export, name="referral_export"),
    path("referrals/new/", cases.referral_create, name="referral_create"),
    path("referrals/<int:pk>/delete/", cases.referral_delete, name="referral_delete"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/export/", cases.case_export, name="case_export"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/advance/", cases.case_advance, name="case_advance"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case_decide"),
]
