"""The access matrix: every URL pattern (from the resolver) and every API operation (from the OpenAPI
schema) × anonymous, the read-only 审计 auditor, a 监管所 user and a district user (positive control).

Each URL kwarg is filled with an object of the *other* 所 (``regsys.tests.world``). A new URL pattern or
API path without a rule below fails ``test_every_url_and_operation_has_a_rule``: a new endpoint is
covered the day it lands.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from regsys.tests.world import build_world

pytestmark = pytest.mark.django_db

# URL name -> how to fill its kwargs: ``pk`` takes the named world object; other kwargs literal values.
# "shared" marks district reference data every signed-in user may read (a 所 user reads the other
# unit's entry too); "public" pages need no login; "own" pages show only the caller's own rows (an
# import's uploads and row errors), so nobody else, the district included, reads them.
PAGES: dict[str, dict] = {
    "home": {}, "login": {"public": True}, "logout": {"skip": "logging out ends the session under test"},
    "enterprises:list": {}, "enterprises:export": {}, "enterprises:create": {},
    "enterprises:detail": {"pk": "enterprise"}, "enterprises:edit": {"pk": "enterprise"},
    "enterprises:status": {"pk": "enterprise"}, "enterprises:licence_create": {"pk": "enterprise"},
    "enterprises:licence_edit": {"pk": "licence"}, "enterprises:licences_expiring": {},
    "enterprises:import": {}, "enterprises:import_template": {},
    "enterprises:import_job": {"pk": "import_job", "own": True},
    "enterprises:import_job_row": {"pk": "import_job", "own": True}, "favicon": {"public": True},
    "grading:overview": {}, "grading:scheme_create": {}, "grading:propose": {}, "grading:approve_unit": {},
    "grading:grade_list": {}, "grading:grade_export": {}, "grading:grade_detail": {"pk": "grade"},
    "grading:grade_change": {"pk": "grade"}, "grading:grade_approve": {"pk": "grade"},
    "grading:credit_list": {}, "grading:credit_export": {},
    # enterprises (zombies): the 僵尸企业 clean-up
    "enterprises:zombie_candidates": {}, "enterprises:zombie_case_start": {}, "enterprises:zombie_case_list": {},
    "enterprises:zombie_case_export": {}, "enterprises:zombie_case_detail": {"pk": "zombie_case"},
    "enterprises:zombie_case_evidence": {"pk": "zombie_case"},
    "enterprises:zombie_case_step": {"pk": "zombie_case", "step": "verify"}, "enterprises:zombie_tallies": {},
    "campaigns:list": {}, "campaigns:create": {}, "campaigns:detail": {"pk": "campaign", "shared": True},
    "campaigns:edit": {"pk": "campaign", "shared": True}, "campaigns:delete": {"pk": "campaign", "shared": True},
    "campaigns:due_date_toggle": {"pk": "due_date", "shared": True}, "campaigns:template_list": {},
    "campaigns:template_detail": {"pk": "template", "shared": True},
    # campaigns: the form designer (district writers only; a 所 user is refused every page)
    "campaigns:template_create": {}, "campaigns:template_design": {"pk": "template", "shared": True},
    "campaigns:template_settings": {"pk": "template", "shared": True},
    "campaigns:design_row_create": {"pk": "template", "shared": True},
    "campaigns:design_row_edit": {"pk": "template", "row_pk": 1, "shared": True},
    "campaigns:design_column_create": {"pk": "template", "shared": True},
    "campaigns:design_column_edit": {"pk": "template", "column_pk": 1, "shared": True},
    "campaigns:design_cell_edit": {"pk": "template", "row_pk": 1, "column_pk": 1, "shared": True},
    "campaigns:design_item_action": {"pk": "template", "what": "rows", "item_pk": 1, "action": "up", "shared": True},
    "inspections:list": {}, "inspections:export": {}, "inspections:todo": {}, "inspections:unit_list": {},
    "inspections:quick": {}, "inspections:quick_checklist": {}, "inspections:create": {},
    "inspections:enterprise_search": {}, "inspections:campaign_choices": {},
    "inspections:detail": {"pk": "inspection"}, "inspections:edit": {"pk": "inspection"},
    "inspections:checklist": {"pk": "inspection"}, "inspections:finding_add": {"pk": "inspection"},
    "inspections:finding_delete": {"pk": "inspection", "finding_pk": "finding"},
    "inspections:attachments_upload": {"pk": "inspection"}, "inspections:finalise": {"pk": "inspection"},
    "inspections:amend": {"pk": "inspection"}, "inspections:provincial_entry": {"pk": "inspection"},
    "inspections:campaigns": {"pk": "inspection"}, "inspections:interview_campaigns": {"pk": "interview"},
    "inspections:referral_campaigns": {"pk": "referral"},
    "inspections:rectification": {"pk": "inspection"}, "inspections:interview_create": {"pk": "inspection"},
    "inspections:attachment": {"pk": "attachment"}, "inspections:attachment_delete": {"pk": "attachment"},
    "inspections:rectification_list": {}, "inspections:rectification_export": {},
    "inspections:rectification_complete": {"pk": "rectification"}, "inspections:interview_list": {},
    "inspections:interview_export": {}, "inspections:referral_list": {}, "inspections:referral_export": {},
    "inspections:referral_create": {}, "inspections:referral_delete": {"pk": "referral"},
    "inspections:case_list": {}, "inspections:case_export": {}, "inspections:case_create": {},
    "inspections:case_detail": {"pk": "case"}, "inspections:case_edit": {"pk": "case"},
    "inspections:case_advance": {"pk": "case"}, "inspections:case_decide": {"pk": "case"},
    "planning:plan_list": {}, "planning:plan_export": {}, "planning:plan_generate": {},
    "planning:plan_detail": {"pk": "plan"}, "planning:plan_items_export": {"pk": "plan"},
    "planning:plan_submit": {"pk": "plan"}, "planning:plan_approve": {"pk": "plan"},
    "planning:plan_return": {"pk": "plan"}, "planning:plan_autolink": {"pk": "plan"},
    "planning:item_add": {"pk": "plan"}, "planning:item_edit": {"pk": "plan_item"},
    "planning:item_delete": {"pk": "plan_item"}, "planning:item_link": {"pk": "plan_item"},
    "planning:due_list": {}, "planning:due_export": {}, "planning:enterprise_panel": {"pk": "enterprise"},
    "planning:draw_list": {}, "planning:draw_detail": {"pk": "draw"}, "planning:draw_verify": {"pk": "draw"},
    "planning:draw_publish": {"pk": "draw"}, "planning:draw_export": {"pk": "draw"},
    "planning:draw_public": {"pk": "draw", "public": True},
    "planning:conflict_list": {}, "planning:conflict_export": {},
    "planning:conflict_deactivate": {"pk": "conflict"}, "planning:target_list": {},
    "planning:targets_create": {}, "planning:progress": {}, "planning:progress_export": {},
    "reporting:return_list": {}, "reporting:return_create": {}, "reporting:return_detail": {"pk": "return"},
    "reporting:return_cell": {"pk": "return", "query": "needs ?row=&col= (404 without)"}, "reporting:return_action": {"pk": "return", "action": "submit"},
    "reporting:return_recompute": {"pk": "return"}, "reporting:return_quick_review": {"pk": "return"},
    "reporting:return_manual": {"pk": "return"}, "reporting:return_override": {"pk": "return"},
    "reporting:return_override_confirm": {"pk": "return"}, "reporting:return_override_drop": {"pk": "return"},
    "reporting:calendar": {}, "reporting:downloads": {}, "reporting:job_row": {"pk": "export_job"},
    "reporting:job_retry": {"pk": "export_job"}, "reporting:job_file": {"pk": "export_job", "kind": "xlsx"},
    # reporting (summary): the cockpit's quarterly work summary (POST only; a 所 user files its own unit's)
    "reporting:cockpit_summary": {},
    # reporting (cockpit): the district for district users, its own unit for a 所; freezing: 药械科 and leaders
    "reporting:cockpit": {}, "reporting:cockpit_snapshot": {},
    "monitoring:evaluation_list": {}, "monitoring:evaluation_scan": {},
    "monitoring:evaluation_detail": {"pk": "ae_evaluation"}, "monitoring:evaluation_edit": {"pk": "ae_evaluation"},
    "monitoring:evaluation_interview": {"pk": "ae_evaluation"},
    "monitoring:evaluation_inspection": {"pk": "ae_evaluation"}, "monitoring:evaluation_close": {"pk": "ae_evaluation"},
    # monitoring (aequota): the AE quota dashboard; figures and lists are scoped by the caller's unit
    "monitoring:ae_dashboard": {}, "monitoring:ae_drilldown": {}, "monitoring:ae_dashboard_export": {},
    # monitoring: registry-side inputs of the AE quotas
    "monitoring:registration_list": {}, "monitoring:registration_export": {},
    "monitoring:registration_edit": {"pk": "registrant"}, "monitoring:registration_evidence": {"pk": "registration"},
    "monitoring:population": {}, "monitoring:monitoring_settings": {}, "monitoring:training_list": {},
    "monitoring:training_export": {}, "monitoring:training_create": {}, "monitoring:training_detail": {"pk": "training"},
    "monitoring:training_edit": {"pk": "training"},
    # monitoring: AE reports, their import and the unmatched queue (aeimport)
    "monitoring:report_list": {}, "monitoring:report_export": {}, "monitoring:report_create": {},
    "monitoring:report_detail": {"pk": "ae_report"}, "monitoring:report_edit": {"pk": "ae_report"},
    "monitoring:report_import": {}, "monitoring:import_job": {"pk": "ae_import_job", "own": True},
    "monitoring:import_job_row": {"pk": "ae_import_job", "own": True},
    "monitoring:import_confirm": {"pk": "ae_import_job", "own": True}, "monitoring:unmatched": {},
    "monitoring:unmatched_resolve": {"pk": "ae_report"},
    # monitoring: the quarterly risk-consultation report (a 所 user builds and sees its own unit's only)
    "monitoring:risk_report": {},
    # monitoring: complaints and public opinion (complaints)
    "monitoring:complaint_list": {}, "monitoring:complaint_export": {}, "monitoring:complaint_create": {},
    "monitoring:complaint_detail": {"pk": "complaint"}, "monitoring:complaint_edit": {"pk": "complaint"},
    "monitoring:complaint_delete": {"pk": "complaint"},
    # enterprises: the working-day calendar; everyone reads it, only the 药械科/administrators change it (complaints)
    "enterprises:calendar": {}, "enterprises:calendar_day_create": {},
    "enterprises:calendar_day_edit": {"pk": "calendar_day"}, "enterprises:calendar_day_delete": {"pk": "calendar_day"},
    # monitoring: online-sales leads (leads)
    "monitoring:lead_list": {}, "monitoring:lead_export": {}, "monitoring:lead_counts": {},
    "monitoring:lead_queue": {}, "monitoring:lead_detail": {"pk": "online_lead"},
    "monitoring:lead_assign": {"pk": "online_lead"}, "monitoring:lead_import": {},
    "monitoring:lead_import_job": {"pk": "lead_import_job", "own": True},
    "monitoring:lead_import_job_row": {"pk": "lead_import_job", "own": True},
    "monitoring:lead_import_confirm": {"pk": "lead_import_job", "own": True},
    # monitoring (sampling): tasks are district reference (read by all, written by the 药械科); samples scoped
    "monitoring:sampling_task_list": {}, "monitoring:sampling_task_create": {},
    "monitoring:sampling_task_edit": {"pk": "sampling_task", "shared": True},
    "monitoring:sample_list": {}, "monitoring:sampling_export": {}, "monitoring:sample_create": {},
    "monitoring:sample_detail": {"pk": "sample"}, "monitoring:sample_edit": {"pk": "sample"},
    "monitoring:sample_step": {"pk": "sample"}, "monitoring:sample_retest": {"pk": "sample"},
    "monitoring:sample_retest_result": {"pk": "sample"}, "monitoring:sample_step_file": {"pk": "sample_receipt"},
    "monitoring:sampling_rules": {},
    # monitoring (risk): meetings are read by every unit ("shared"); risks by their owner unit and the district
    "monitoring:risk_meeting_list": {}, "monitoring:risk_meeting_create": {},
    "monitoring:risk_meeting_detail": {"pk": "risk_meeting", "shared": True},
    "monitoring:risk_meeting_edit": {"pk": "risk_meeting", "shared": True},
    "monitoring:risk_meeting_minutes": {"pk": "risk_meeting", "shared": True},
    "monitoring:risk_candidate_accept": {"pk": "risk_meeting", "shared": True},
    "monitoring:risk_candidate_dismiss": {"pk": "risk_meeting", "shared": True},
    "monitoring:risk_candidate_restore": {"pk": "risk_meeting", "dismissal_pk": "risk_dismissal", "shared": True},
    "monitoring:risk_create_manual": {"pk": "risk_meeting", "shared": True},
    "monitoring:risk_list": {}, "monitoring:risk_export": {}, "monitoring:risk_detail": {"pk": "risk"},
    "monitoring:risk_edit": {"pk": "risk"}, "monitoring:risk_follow_up": {"pk": "risk"},
    "monitoring:risk_follow_up_file": {"pk": "risk", "entry_pk": "risk_follow_up"},
    "monitoring:risk_closure_request": {"pk": "risk"}, "monitoring:risk_closure_approve": {"pk": "risk"},
    "monitoring:risk_closure_return": {"pk": "risk"}, "monitoring:risk_evidence": {"pk": "risk"},
    # disposal: a failed sample's disposal page and actions; 停产/复产 pages of the registry
    "monitoring:sample_disposal": {"pk": "failed_sample"},
    "monitoring:sample_disposal_action": {"pk": "failed_sample", "action": "control"},
    "monitoring:sample_control_delete": {"pk": "sample_control"},
    "enterprises:suspension_list": {}, "enterprises:suspension_export": {},
    "enterprises:suspension_detail": {"pk": "suspension"}, "enterprises:suspension_rectify": {"pk": "suspension"},
    "enterprises:suspension_resume": {"pk": "suspension"}, "enterprises:suspension_start": {"pk": "enterprise"},
    # enterprises (filings): yearly self-reports and responsibility letters, their import, 责令改正, settings
    "enterprises:filing_list": {}, "enterprises:filing_export": {}, "enterprises:filing_progress": {},
    "enterprises:filing_record": {"pk": "enterprise"}, "enterprises:filing_file": {"pk": "annual_filing"},
    "enterprises:filing_import": {}, "enterprises:filing_import_template": {},
    "enterprises:filing_import_job": {"pk": "filing_import_job", "own": True}, "enterprises:filing_orders": {},
    "enterprises:filing_order_propose": {"pk": "enterprise"},
    "enterprises:filing_order_confirm": {"pk": "annual_filing"}, "enterprises:duty_settings": {},
    # enterprises.duties: 委托生产 pairs and 异地设库 warehouses (warehouses)
    "enterprises:contract_list": {}, "enterprises:contract_export": {}, "enterprises:contract_create": {},
    "enterprises:contract_detail": {"pk": "contract_pair"}, "enterprises:contract_edit": {"pk": "contract_pair"},
    "enterprises:warehouse_list": {}, "enterprises:warehouse_export": {}, "enterprises:warehouse_create": {},
    "enterprises:warehouse_detail": {"pk": "warehouse"}, "enterprises:warehouse_edit": {"pk": "warehouse"},
    "enterprises:warehouse_accept": {"pk": "warehouse"}, "enterprises:exchange_add": {"pk": "warehouse"},
    "enterprises:exchange_file": {"pk": "warehouse_exchange"},
    # enterprises: the UDI rollout (udi); a hospital's page takes the hospital (an enterprise), the evidence its row
    "enterprises:udi_hospitals": {}, "enterprises:udi_hospital_export": {},
    "enterprises:udi_hospital_edit": {"pk": "udi_hospital"}, "enterprises:udi_hospital_evidence": {"pk": "hospital_udi"},
    "enterprises:udi_manufacturers": {}, "enterprises:udi_manufacturer_export": {},
    "enterprises:udi_manufacturer_create": {}, "enterprises:udi_manufacturer_edit": {"pk": "manufacturer_udi"},
    # notifications: each user's own inbox; another user's notification is a 404 for everyone, the district too
    "notifications:list": {}, "notifications:settings": {}, "notifications:read_all": {},
    "notifications:open": {"pk": "notification", "own": True}, "notifications:read": {"pk": "notification", "own": True},
}

# API collection (first path segment) -> world object of its ``{id}``; None = district reference data.
API_OBJECTS: dict[str, str | None] = {
    "enterprises": "enterprise", "licences": "licence", "units": None, "subdistricts": None, "tags": None,
    "grades": "grade", "credit-records": "credit_record", "campaigns": None, "form-templates": None,
    "inspections": "inspection", "findings": "finding", "rectifications": "rectification",
    "interviews": "interview", "cases": "case", "referrals": "referral", "plans": "plan",
    "plan-items": "plan_item", "draws": "draw", "conflicts": "conflict", "targets": None,
    "returns": "return", "export-jobs": "export_job", "ownership-rules": None, "users": "user",
    "ae-evaluations": "ae_evaluation",
    "ae-quotas": None,  # the AE quota figures: a 所 user receives its own unit's only
    "ae-registrations": "registrant", "population": "population", "trainings": "training",
    "ae-reports": "ae_report",
    "complaints": "complaint",  # complaints
    "online-leads": "online_lead",  # leads
    "sampling-tasks": None, "samples": "sample",  # sampling
    "risk-meetings": None,  # risk: every unit reads the consultation; the 药械科 writes it
    "risks": "risk",
    "sample-controls": "sample_control", "sample-disposals": "failed_sample", "suspensions": "suspension",  # disposal
    "annual-filings": "annual_filing",  # filings: recorded filings; /progress/ gives a 所 user its own unit only
    "contract-pairs": "contract_pair", "warehouses": "warehouse",
    "zombie-cases": "zombie_case",
    "hospital-udi": "udi_hospital", "manufacturer-udi": "manufacturer_udi",  # udi
    "cockpit": None,  # the cockpit's figures (a 所 user receives its own unit's only) and quarter snapshots
    "notifications": "notification",  # the caller's own notifications only
}
# Collections that hold only the caller's own rows (the download centre): nobody else reads them.
API_OWN_ONLY = {"export-jobs", "notifications"}
API_SPECIAL = {"/api/auth/token/", "/api/schema/", "/api/docs/"}
WRITE_METHODS = ("post", "put", "patch", "delete")
REFUSED = {403, 404, 405}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def page_patterns() -> list[tuple[str, str | None]]:
    """Every non-admin, non-API URL pattern of the project."""
    return [(route, name) for route, name in _walk(get_resolver().url_patterns)
            if not route.startswith(("admin/", "api/"))]


def api_operations() -> list[tuple[str, str]]:
    """Every (path, method) of the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(path, method) for path, item in schema["paths"].items() for method in item
            if method in ("get", *WRITE_METHODS)]


def test_every_url_and_operation_has_a_rule():
    assert WRITE_PAGES <= set(PAGES)
    missing_pages = sorted(name or route for route, name in page_patterns() if name not in PAGES)
    api_routes = {route for route, _ in _walk(get_resolver().url_patterns) if route.startswith("api/")}
    missing_api = sorted(
        path for path, _ in api_operations() if path not in API_SPECIAL and path.split("/")[2] not in API_OBJECTS
    )
    assert missing_pages == []
    assert missing_api == []
    assert api_routes  # the resolver sees the API too; its routes are checked through the schema


def _page_url(name: str, side) -> str:
    rule = PAGES[name]
    kwargs = {}
    for key, value in rule.items():
        if key in ("public", "shared", "skip", "query", "own"):
            continue
        if key in ("pk", "finding_pk", "entry_pk", "dismissal_pk"):
            kwargs[key] = (side.template.pk if value == "template" else side[value].pk)
        else:
            kwargs[key] = value
    return reverse(name, kwargs=kwargs)


def _api_url(path: str, side) -> str:
    key = API_OBJECTS.get(path.split("/")[2])
    if "{id}" not in path:
        return path
    if key is None:
        return path.replace("{id}", str(_reference_pk(path.split("/")[2], side)))
    return path.replace("{id}", str(side[key].pk))


def _reference_pk(collection: str, side) -> int:
    """An existing row of a district reference collection (primary keys are not 1 on PostgreSQL)."""
    from enterprises.models import OwnershipRule, Tag
    from inspections.models import AnnualTarget

    picks = {
        "units": lambda: side.unit.pk, "subdistricts": lambda: side["subdistrict"].pk,
        "campaigns": lambda: side["campaign"].pk, "form-templates": lambda: side.template.pk,
        "risk-meetings": lambda: side["risk_meeting"].pk,
        "ownership-rules": lambda: OwnershipRule.objects.order_by("pk").values_list("pk", flat=True)[0],
        "tags": lambda: Tag.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[0],
        "targets": lambda: AnnualTarget.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[0],
        "sampling-tasks": lambda: side["sampling_task"].pk,
    }
    return picks[collection]()


def _fingerprint() -> list:
    """Every row of every project table (the world is small), to prove a refused write changed nothing.

    A list export the user asked for (a download-centre job of its own, kind ``list``) is a read, not a write.
    """
    rows = []
    for model in apps.get_models():
        if model._meta.app_label in {"enterprises", "campaigns", "inspections", "monitoring", "reporting"}:
            qs = model.objects.exclude(kind="list") if model._meta.label == "reporting.ExportJob" else model.objects
            rows.append((model._meta.label, sorted(map(repr, qs.values_list()))))
    return rows


class _OtherSide:
    """The other 所's objects, with the shared FormTemplate for ``template`` kwargs."""

    def __init__(self, side, template):
        self._side, self.template, self.unit = side, template, side.unit

    def __getitem__(self, key):
        return self._side[key]


@pytest.fixture
def world(db):
    w = build_world()
    w.other_view = _OtherSide(w.other, w.template)
    w.mine_view = _OtherSide(w.mine, w.template)
    return w


def _pages():
    return [name for _, name in page_patterns() if name in PAGES and "skip" not in PAGES[name]]


def test_anonymous_is_sent_to_login_everywhere(client, world):
    leaks = []
    before = _fingerprint()
    for name in _pages():
        url = _page_url(name, world.other_view)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if PAGES[name].get("public"):
                ok = response.status_code < 500
            else:
                ok = response.status_code in (401, 403) or (
                    response.status_code == 302 and response["Location"].startswith("/accounts/login/"))
            if not ok:
                leaks.append((method, url, response.status_code))
    api = APIClient()
    for path, method in api_operations():
        if path == "/api/auth/token/":
            continue
        response = getattr(api, method)(_api_url(path, world.other_view))
        if response.status_code not in (401, 403):
            leaks.append((method, path, response.status_code))
    assert leaks == [], "\n".join(map(str, leaks))
    assert _fingerprint() == before


def test_auditor_reads_everything_and_writes_nothing(client, world):
    client.force_login(world.auditor)
    api = APIClient()
    api.force_authenticate(world.auditor)
    leaks = []
    before = _fingerprint()
    for name in _pages():
        url = _page_url(name, world.other_view)
        response = client.get(url)
        if response.status_code >= 500 or (response.status_code in (401, 403, 404) and not (
                _is_write_only(name) or PAGES[name].get("public") or PAGES[name].get("query")
                or PAGES[name].get("own"))):
            leaks.append(("get", url, response.status_code))
        if name == "login":
            continue
        response = client.post(url, {})
        if response.status_code >= 500:
            leaks.append(("post", url, response.status_code))
    for path, method in api_operations():
        if path in API_SPECIAL:
            continue
        response = getattr(api, method)(_api_url(path, world.other_view), {}, format="json")
        refused = response.status_code in (403, 405)
        collection = path.split("/")[2]
        if method == "get" and response.status_code >= 400 and collection not in API_OWN_ONLY:
            leaks.append((method, path, response.status_code))
        if method in WRITE_METHODS and not refused:
            leaks.append((method, path, response.status_code))
    assert leaks == [], "\n".join(map(str, leaks))
    assert _fingerprint() == before


# Pages that exist only to write (a form or an action): the auditor may be refused them outright.
WRITE_PAGES = {
    "enterprises:create", "enterprises:edit", "enterprises:status", "enterprises:licence_create",
    "enterprises:licence_edit", "enterprises:import", "grading:scheme_create", "grading:propose",
    "grading:approve_unit", "grading:grade_change", "grading:grade_approve", "campaigns:create", "campaigns:edit",
    "campaigns:delete", "campaigns:due_date_toggle", "campaigns:template_create", "campaigns:template_design",
    "campaigns:template_settings", "campaigns:design_row_create", "campaigns:design_row_edit",
    "campaigns:design_column_create", "campaigns:design_column_edit", "campaigns:design_cell_edit",
    "campaigns:design_item_action", "inspections:quick", "inspections:create",
    "inspections:edit", "inspections:checklist", "inspections:finding_add", "inspections:finding_delete",
    "inspections:attachments_upload", "inspections:finalise", "inspections:amend", "inspections:provincial_entry",
    "inspections:rectification", "inspections:interview_create", "inspections:attachment_delete",
    "inspections:rectification_complete", "inspections:referral_create", "inspections:referral_delete",
    "inspections:case_create", "inspections:case_edit", "inspections:case_advance", "inspections:case_decide",
    "inspections:campaigns", "inspections:interview_campaigns", "inspections:referral_campaigns",
    "planning:plan_generate", "planning:plan_submit", "planning:plan_approve", "planning:plan_return",
    "planning:plan_autolink", "planning:item_add", "planning:item_edit", "planning:item_delete",
    "planning:item_link", "planning:draw_publish", "planning:conflict_deactivate", "planning:targets_create",
    "reporting:return_create", "reporting:return_action", "reporting:return_recompute", "reporting:job_retry",
    "reporting:return_manual", "reporting:return_override", "reporting:return_override_confirm",
    "reporting:return_override_drop",
    "reporting:cockpit_summary",
    "reporting:cockpit_snapshot",
    "reporting:return_quick_review",
    "monitoring:evaluation_scan", "monitoring:evaluation_edit", "monitoring:evaluation_interview",
    "monitoring:evaluation_inspection", "monitoring:evaluation_close",
    "monitoring:registration_edit", "monitoring:training_create", "monitoring:training_edit",
    "monitoring:report_create", "monitoring:report_edit", "monitoring:report_import", "monitoring:import_confirm",
    "monitoring:unmatched_resolve",
    "monitoring:complaint_create", "monitoring:complaint_edit", "monitoring:complaint_delete",  # complaints
    "enterprises:calendar_day_create", "enterprises:calendar_day_edit", "enterprises:calendar_day_delete",
    "monitoring:lead_assign", "monitoring:lead_import", "monitoring:lead_import_confirm",  # leads
    "monitoring:sampling_task_create", "monitoring:sampling_task_edit", "monitoring:sample_create",
    "monitoring:sample_edit", "monitoring:sample_step", "monitoring:sample_retest", "monitoring:sample_retest_result",
    "monitoring:risk_meeting_create", "monitoring:risk_meeting_edit", "monitoring:risk_candidate_accept",
    "monitoring:risk_candidate_dismiss", "monitoring:risk_candidate_restore", "monitoring:risk_create_manual",
    "monitoring:risk_edit", "monitoring:risk_follow_up", "monitoring:risk_closure_request",
    "monitoring:risk_closure_approve", "monitoring:risk_closure_return",
    "monitoring:sample_disposal_action", "monitoring:sample_control_delete", "enterprises:suspension_rectify",
    "enterprises:suspension_resume", "enterprises:suspension_start",
    "enterprises:filing_record", "enterprises:filing_import", "enterprises:filing_order_propose",
    "enterprises:filing_order_confirm",
    "enterprises:contract_create", "enterprises:contract_edit", "enterprises:warehouse_create",
    "enterprises:warehouse_edit", "enterprises:warehouse_accept", "enterprises:exchange_add",
    "enterprises:zombie_case_start", "enterprises:zombie_case_step",
    "enterprises:udi_hospital_edit", "enterprises:udi_manufacturer_create", "enterprises:udi_manufacturer_edit",  # udi
    "notifications:read_all", "notifications:read",  # marking read: the auditor only reads
}


def _is_write_only(name: str) -> bool:
    return name in WRITE_PAGES


def test_station_user_reaches_nothing_of_another_unit(client, world):
    user = world.mine.user
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    leaks = []
    before = _fingerprint()
    for name in _pages():
        rule = PAGES[name]
        if "pk" not in rule or rule.get("shared") or rule.get("public"):
            continue
        url = _page_url(name, world.other_view)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"inspection": world.mine["inspection"].pk})
            if response.status_code not in REFUSED:
                leaks.append((method, url, response.status_code))
    for path, method in api_operations():
        key = API_OBJECTS.get(path.split("/")[2]) if path not in API_SPECIAL else None
        if key is None or "{id}" not in path:
            continue
        response = getattr(api, method)(_api_url(path, world.other_view), {}, format="json")
        if response.status_code not in REFUSED:
            leaks.append((method, path, response.status_code))
    assert leaks == [], "\n".join(map(str, leaks))
    assert _fingerprint() == before


def test_station_user_and_district_user_reach_their_objects(client, world):
    """Positive control: the same URLs work for the owner, and for the district for the other unit."""
    failures = []
    for user, side in ((world.mine.user, world.mine_view), (world.district_user, world.other_view)):
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        for name in _pages():
            rule = PAGES[name]
            if "pk" not in rule or rule.get("public") or rule.get("query") or _is_write_only(name):
                continue
            if rule.get("own") and user != world.mine.user:
                continue
            url = _page_url(name, side)
            response = client.get(url)
            if response.status_code >= 400:
                failures.append((user.username, url, response.status_code))
        for path, method in api_operations():
            if method != "get" or path in API_SPECIAL or re.search(r"\{(?!id\})", path):
                continue
            if path.split("/")[2] in API_OWN_ONLY and user != world.mine.user:
                continue
            response = api.get(_api_url(path, side))
            if response.status_code >= 400:
                failures.append((user.username, path, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
