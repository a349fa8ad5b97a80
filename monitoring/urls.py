from django.urls import path

from monitoring.views import (
    complaints,
    disposal,
    evaluations,
    leads,
    quotas,
    registry,
    reports,
    risk_report,
    risks,
    sampling,
)

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
    # --- AE reports, import and the unmatched queue (aeimport) ---
    path("reports/", reports.report_list, name="report_list"),
    path("reports/export.xlsx", reports.report_export, name="report_export"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/import/", reports.report_import, name="report_import"),
    path("reports/import/jobs/<int:pk>/", reports.import_job, name="import_job"),
    path("reports/import/jobs/<int:pk>/row/", reports.import_job_row, name="import_job_row"),
    path("reports/import/jobs/<int:pk>/confirm/", reports.import_confirm, name="import_confirm"),
    path("unmatched/", reports.unmatched, name="unmatched"),
    path("unmatched/<int:pk>/", reports.unmatched_resolve, name="unmatched_resolve"),
    # --- end aeimport ---
    # --- report: the quarterly risk-consultation report (Word, built in the download centre) ---
    path("risk-report/", risk_report.risk_report, name="risk_report"),
    # --- end report ---
    # --- complaints and public opinion (complaints) ---
    path("complaints/", complaints.complaint_list_page, name="complaint_list"),
    path("complaints/export/", complaints.complaint_export, name="complaint_export"),
    path("complaints/new/", complaints.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/edit/", complaints.complaint_edit, name="complaint_edit"),
    path("complaints/<int:pk>/delete/", complaints.complaint_delete, name="complaint_delete"),
    # --- end complaints ---
    # --- leads: online-sales monitoring leads ---
    path("leads/", leads.lead_list, name="lead_list"),
    path("leads/export.xlsx", leads.lead_export, name="lead_export"),
    path("leads/counts/", leads.lead_counts, name="lead_counts"),
    path("leads/queue/", leads.lead_queue, name="lead_queue"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/assign/", leads.lead_assign, name="lead_assign"),
    path("leads/import/", leads.lead_import, name="lead_import"),
    path("leads/import/jobs/<int:pk>/", leads.lead_import_job, name="lead_import_job"),
    path("leads/import/jobs/<int:pk>/row/", leads.lead_import_job_row, name="lead_import_job_row"),
    path("leads/import/jobs/<int:pk>/confirm/", leads.lead_import_confirm, name="lead_import_confirm"),
    # --- end leads ---
    # --- sampling: tasks, samples and their steps, step durations ---
    path("sampling/tasks/", sampling.sampling_task_list, name="sampling_task_list"),
    path("sampling/tasks/new/", sampling.sampling_task_create, name="sampling_task_create"),
    path("sampling/tasks/<int:pk>/edit/", sampling.sampling_task_edit, name="sampling_task_edit"),
    path("sampling/samples/", sampling.sample_list, name="sample_list"),
    path("sampling/samples/export/", sampling.sampling_export, name="sampling_export"),
    path("sampling/samples/new/", sampling.sample_create, name="sample_create"),
    path("sampling/samples/<int:pk>/", sampling.sample_detail, name="sample_detail"),
    path("sampling/samples/<int:pk>/edit/", sampling.sample_edit, name="sample_edit"),
    path("sampling/samples/<int:pk>/step/", sampling.sample_step, name="sample_step"),
    path("sampling/samples/<int:pk>/retest/", sampling.sample_retest, name="sample_retest"),
    path("sampling/samples/<int:pk>/retest-result/", sampling.sample_retest_result, name="sample_retest_result"),
    path("sampling/steps/<int:pk>/file/", sampling.sample_step_file, name="sample_step_file"),
    path("sampling/rules/", sampling.sampling_rules, name="sampling_rules"),
    # --- end sampling ---
    # --- risk: the quarterly consultation, its candidates and the register ---
    path("risk-meetings/", risks.meeting_list, name="risk_meeting_list"),
    path("risk-meetings/new/", risks.meeting_create, name="risk_meeting_create"),
    path("risk-meetings/<int:pk>/", risks.meeting_detail, name="risk_meeting_detail"),
    path("risk-meetings/<int:pk>/edit/", risks.meeting_edit, name="risk_meeting_edit"),
    path("risk-meetings/<int:pk>/minutes/", risks.meeting_minutes, name="risk_meeting_minutes"),
    path("risk-meetings/<int:pk>/accept/", risks.candidate_accept, name="risk_candidate_accept"),
    path("risk-meetings/<int:pk>/dismiss/", risks.candidate_dismiss, name="risk_candidate_dismiss"),
    path("risk-meetings/<int:pk>/dismissals/<int:dismissal_pk>/restore/", risks.candidate_restore,
         name="risk_candidate_restore"),
    path("risk-meetings/<int:pk>/notice/", risks.risk_create_manual, name="risk_create_manual"),
    path("risks/", risks.risk_list, name="risk_list"),
    path("risks/export/", risks.risk_export, name="risk_export"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/follow-up/", risks.risk_follow_up, name="risk_follow_up"),
    path("risks/<int:pk>/follow-up/<int:entry_pk>/file/", risks.follow_up_file, name="risk_follow_up_file"),
    path("risks/<int:pk>/closure/", risks.risk_closure_request, name="risk_closure_request"),
    path("risks/<int:pk>/closure/approve/", risks.risk_closure_approve, name="risk_closure_approve"),
    path("risks/<int:pk>/closure/return/", risks.risk_closure_return, name="risk_closure_return"),
    path("risks/<int:pk>/evidence/", risks.risk_evidence, name="risk_evidence"),
    # --- end risk ---
    # --- disposal: a failed sample's disposal (不合格处置) ---
    path("sampling/samples/<int:pk>/disposal/", disposal.sample_disposal, name="sample_disposal"),
    path("sampling/samples/<int:pk>/disposal/<slug:action>/", disposal.sample_disposal_action, name="sample_disposal_action"),
    path("sampling/controls/<int:pk>/delete/", disposal.sample_control_delete, name="sample_control_delete"),
    # --- end disposal ---
]
