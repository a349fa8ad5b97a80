"""Online-sales leads: the import (idempotent, all-or-nothing), routing to the 所, disposal, counts, scoping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory
from inspections.choices import ReferralTarget
from inspections.models import Referral
from monitoring.leads_choices import LeadMatch, LeadResult, LeadStatus
from monitoring.leads_work import lead_candidates, lead_work
from monitoring.models import LeadImportJob, OnlineLead
from monitoring.risk_sources import candidates_for
from monitoring.services.leads import lead_assign, lead_dispose

pytestmark = pytest.mark.django_db

HEADERS = ["线索编号", "平台名称", "店铺名称", "经营主体名称", "统一社会信用代码", "商品链接", "涉及产品", "涉嫌问题",
           "推送日期", "处置期限"]
TODAY = timezone.localdate()
PUSHED = TODAY - dt.timedelta(days=20)


def lead_file(rows: list[dict], *, headers=HEADERS, name="线索清单.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "线索"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def firms(district):
    wuma = EnterpriseFactory(name="温州市五马康健医疗器械有限公司", subdistrict=district.sub_a,
                             owning_unit=district.station_a)
    tengqiao = EnterpriseFactory(name="温州藤桥百草堂医疗器械商行", subdistrict=district.sub_b,
                                 owning_unit=district.station_b)
    return wuma, tengqiao


def rows(wuma, tengqiao) -> list[dict]:
    return [
        {"线索编号": "XS2026001", "平台名称": "淘宝", "店铺名称": "康健医疗器械专营店", "经营主体名称": "某某名称",
         "统一社会信用代码": wuma.credit_code, "商品链接": "https://item.taobao.com/item.htm?id=1",
         "涉及产品": "医用外科口罩", "涉嫌问题": "销售未经注册的第二类医疗器械", "推送日期": PUSHED,
         "处置期限": PUSHED + dt.timedelta(days=15)},
        {"线索编号": "XS2026002", "平台名称": "京东", "店铺名称": "百草堂旗舰店", "经营主体名称": tengqiao.name,
         "涉及产品": "电子血压计", "涉嫌问题": "夸大宣传", "推送日期": PUSHED.isoformat(),
         "处置期限": (TODAY + dt.timedelta(days=2)).isoformat()},
        {"线索编号": "XS2026003", "平台名称": "拼多多", "店铺名称": "小王家居日用", "经营主体名称": "王小明（个人）",
         "涉及产品": "助听器", "涉嫌问题": "无证经营第二类医疗器械", "推送日期": PUSHED,
         "处置期限": PUSHED + dt.timedelta(days=10)},
    ]


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    class Jobs:
        @staticmethod
        def upload(client, file) -> LeadImportJob:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("monitoring:lead_import"), {"file": file})
            assert response.status_code == 302, response.content.decode()[:2000]
            return LeadImportJob.objects.order_by("-pk").first()

        @staticmethod
        def confirm(client, job) -> LeadImportJob:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("monitoring:lead_import_confirm", args=[job.pk]))
            assert response.status_code == 302
            job.refresh_from_db()
            return job

    return Jobs


def _import(client, jobs, file) -> LeadImportJob:
    job = jobs.upload(client, file)
    assert (job.status, job.errors) == ("success", [])
    return jobs.confirm(client, job)


def test_import_routes_leads_and_a_second_import_is_idempotent(client, district, firms, jobs):
    wuma, tengqiao = firms
    client.force_login(district.section_user)
    job = jobs.upload(client, lead_file(rows(wuma, tengqiao)))
    assert (job.status, job.rows, job.created, job.unmatched) == ("success", 3, 3, 1)
    assert OnlineLead.objects.count() == 0  # the preview writes nothing
    page = client.get(reverse("monitoring:lead_import_job", args=[job.pk])).content.decode()
    assert "XS2026003" in page and "未匹配，待分派" in page
    job = jobs.confirm(client, job)
    assert job.applied_at is not None and job.created == 3
    by_code = {lead.code: lead for lead in OnlineLead.objects.all()}
    assert (by_code["XS2026001"].enterprise, by_code["XS2026001"].match, by_code["XS2026001"].unit) == (
        wuma, LeadMatch.CREDIT_CODE, district.station_a)
    assert (by_code["XS2026002"].enterprise, by_code["XS2026002"].match, by_code["XS2026002"].unit) == (
        tengqiao, LeadMatch.NAME, district.station_b)
    assert (by_code["XS2026003"].enterprise, by_code["XS2026003"].unit, by_code["XS2026003"].status) == (
        None, None, LeadStatus.QUEUED)
    # the 所 disposes one lead; the platform then pushes the same list with one changed deadline
    lead = by_code["XS2026001"]
    lead_dispose(lead=lead, by=district.inspector_a, version=lead.version, result=LeadResult.SUBSTANTIATED,
                 checked_on=TODAY, check_note="已下架", feedback_on=TODAY)
    again = rows(wuma, tengqiao)
    again[0]["处置期限"] = PUSHED + dt.timedelta(days=20)
    job = _import(client, jobs, lead_file(again))
    assert (job.created, job.updated, job.unchanged) == (0, 1, 2)
    assert OnlineLead.objects.count() == 3
    lead.refresh_from_db()
    assert lead.deadline == PUSHED + dt.timedelta(days=20)
    assert (lead.result, lead.check_note, lead.feedback_on, lead.status) == (
        LeadResult.SUBSTANTIATED, "已下架", TODAY, LeadStatus.DONE)
    job = _import(client, jobs, lead_file(again))
    assert (job.created, job.updated, job.unchanged) == (0, 0, 3)


def test_a_bad_row_among_good_ones_changes_nothing_and_names_row_and_column(client, district, firms, jobs):
    wuma, tengqiao = firms
    client.force_login(district.section_user)
    bad = rows(wuma, tengqiao)
    bad[1]["推送日期"] = "上周三"
    bad[2]["处置期限"] = PUSHED - dt.timedelta(days=1)
    bad.append(dict(bad[0]))
    job = jobs.upload(client, lead_file(bad))
    assert job.status == "failed"
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (3, "推送日期", "“上周三”不是有效日期，请填写如 2024-03-01"),
        (4, "处置期限", "处置期限不能早于推送日期"),
        (5, "线索编号", "与第2行的线索编号重复"),
    ]
    assert OnlineLead.objects.count() == 0
    page = client.get(reverse("monitoring:lead_import_job", args=[job.pk])).content.decode()
    assert "第 3 行" in page and "一行也没有导入" in page
    assert f'<a href="{reverse("monitoring:lead_import")}">重新上传</a>' in page


def test_a_missing_required_column_is_reported(client, district, firms, jobs):
    client.force_login(district.section_user)
    job = jobs.upload(client, lead_file([{"线索编号": "X1"}], headers=["线索编号", "平台名称", "店铺名称"]))
    assert job.status == "failed"
    assert {e["column"] for e in job.errors} == {"涉嫌问题、问题描述、违法违规情形", "推送日期、推送时间",
                                                  "处置期限、办结期限、反馈期限"}
    assert OnlineLead.objects.count() == 0


def test_only_the_section_imports(client, district, firms):
    client.force_login(district.inspector_a)
    assert client.get(reverse("monitoring:lead_import")).status_code == 403
    response = client.post(reverse("monitoring:lead_import"), {"file": lead_file(rows(*firms))})
    assert response.status_code == 403
    assert LeadImportJob.objects.count() == 0


def _lead(unit, enterprise=None, **kwargs) -> OnlineLead:
    values = {"code": f"XS-{OnlineLead.objects.count() + 1}", "platform": "淘宝", "shop_name": "某某专营店",
              "problem": "销售未经注册的医疗器械", "pushed_on": PUSHED, "deadline": PUSHED + dt.timedelta(days=15),
              "enterprise": enterprise, "unit": unit, "match": LeadMatch.NAME if enterprise else LeadMatch.UNMATCHED,
              "status": LeadStatus.OPEN if unit else LeadStatus.QUEUED}
    values.update(kwargs)
    return OnlineLead.objects.create(**values)


def test_referral_to_the_telecom_authority_is_created_through_the_inspections_service(client, district, firms):
    wuma, _t = firms
    lead = _lead(district.station_a, wuma)
    lead = lead_dispose(lead=lead, by=district.inspector_a, version=lead.version, result=LeadResult.SUBSTANTIATED,
                        checked_on=TODAY, refer_telecom=True, correction_ordered_on=TODAY,
                        correction_note="责令立即下架涉案商品", feedback_on=TODAY)
    referral = Referral.objects.get()
    assert (referral.enterprise, referral.target, referral.unit, referral.referred_on) == (
        wuma, ReferralTarget.TELECOM, district.station_a, TODAY)
    assert lead.referral == referral and lead.status == LeadStatus.DONE
    client.force_login(district.inspector_a)
    # the page shows the referral as done; saving again does not refer twice
    page = client.get(reverse("monitoring:lead_detail", args=[lead.pk])).content.decode()
    assert "已移交通信管理部门" in page and 'name="refer_telecom"' in page and "disabled" in page
    lead_dispose(lead=lead, by=district.inspector_a, version=lead.version, result=LeadResult.SUBSTANTIATED,
                 checked_on=TODAY, refer_telecom=True, feedback_on=TODAY)
    assert Referral.objects.count() == 1


def test_disposal_refusals_change_nothing(district, firms):
    wuma, tengqiao = firms
    lead = _lead(district.station_a, wuma)
    queued = _lead(None)
    cases = [
        (lead, district.inspector_a, {"result": LeadResult.UNSUBSTANTIATED, "checked_on": TODAY,
                                      "correction_ordered_on": TODAY, "correction_note": "下架"},
         "correction_ordered_on"),
        (lead, district.inspector_a, {"feedback_on": TODAY}, "result"),
        (lead, district.inspector_a, {"result": LeadResult.SUBSTANTIATED, "checked_on": TODAY + dt.timedelta(days=1)},
         "checked_on"),
        (lead, district.inspector_a, {"result": LeadResult.UNSUBSTANTIATED, "checked_on": TODAY,
                                      "refer_telecom": True}, "refer_telecom"),
    ]
    for target, user, fields, field in cases:
        with pytest.raises(ValidationError) as exc:
            lead_dispose(lead=target, by=user, version=target.version, **fields)
        assert field in exc.value.message_dict
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        lead_dispose(lead=lead, by=district.inspector_b, version=lead.version, result=LeadResult.SUBSTANTIATED,
                     checked_on=TODAY)
    with pytest.raises(ValidationError):
        lead_dispose(lead=queued, by=district.section_user, version=queued.version,
                     result=LeadResult.SUBSTANTIATED, checked_on=TODAY)
    lead.refresh_from_db()
    queued.refresh_from_db()
    assert (lead.result, lead.version, queued.result, Referral.objects.count()) == ("", 1, "", 0)


def test_the_section_assigns_a_queued_lead(client, district, firms):
    wuma, tengqiao = firms
    lead = _lead(None)
    client.force_login(district.inspector_b)
    assert client.get(reverse("monitoring:lead_queue")).status_code == 403
    assert client.post(reverse("monitoring:lead_assign", args=[lead.pk]),
                       {"enterprise": tengqiao.pk, "version": 1}).status_code == 403
    client.force_login(district.section_user)
    assert "XS-1" in client.get(reverse("monitoring:lead_queue")).content.decode()
    response = client.post(reverse("monitoring:lead_assign", args=[lead.pk]),
                           {"enterprise": tengqiao.pk, "version": lead.version})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.enterprise, lead.match, lead.unit, lead.status) == (
        tengqiao, LeadMatch.MANUAL, district.station_b, LeadStatus.OPEN)
    other = _lead(None)
    lead_assign(lead=other, by=district.section_user, unit=district.station_a, version=other.version)
    other.refresh_from_db()
    assert (other.enterprise, other.unit) == (None, district.station_a)


def test_counts_by_platform_outcome_and_unit(client, district, firms):
    wuma, tengqiao = firms
    late = TODAY - dt.timedelta(days=1)
    _lead(district.station_a, wuma, platform="淘宝", result=LeadResult.SUBSTANTIATED, checked_on=TODAY,
          feedback_on=TODAY, status=LeadStatus.DONE, deadline=late)  # fed back after the deadline
    _lead(district.station_a, wuma, platform="淘宝", deadline=late)  # overdue
    _lead(district.station_b, tengqiao, platform="京东", result=LeadResult.UNSUBSTANTIATED, checked_on=TODAY,
          deadline=TODAY)  # due today: not yet overdue
    _lead(None, platform="京东", deadline=TODAY + dt.timedelta(days=5))
    _lead(district.station_b, tengqiao, platform="京东", pushed_on=dt.date(2020, 3, 1),
          deadline=dt.date(2020, 3, 20))  # another year
    client.force_login(district.section_user)
    response = client.get(reverse("monitoring:lead_counts"), {"year": PUSHED.year})
    platforms = {row["platform"]: row for row in response.context["by_platform"]}
    assert [(p, r["total"], r["r_substantiated"], r["r_unsubstantiated"], r["unchecked"], r["done"], r["overdue"],
             r["late_feedback"]) for p, r in sorted(platforms.items())] == [
        ("京东", 2, 0, 1, 1, 0, 0, 0), ("淘宝", 2, 1, 0, 1, 1, 1, 1)]
    units = {row["unit_id"]: row["total"] for row in response.context["by_unit"]}
    assert units == {district.station_a.pk: 2, district.station_b.pk: 1, None: 1}
    assert response.context["totals"]["total"] == 4
    this_year = client.get(reverse("monitoring:lead_counts")).context  # this year unless asked otherwise
    assert (this_year["filter"].data["year"], this_year["totals"]["total"]) == (
        str(TODAY.year), OnlineLead.objects.filter(pushed_on__year=TODAY.year).count())
    client.force_login(district.inspector_b)
    response = client.get(reverse("monitoring:lead_counts"), {"year": PUSHED.year})
    assert response.context["totals"]["total"] == 1
    assert [r["platform"] for r in response.context["by_platform"]] == ["京东"]


def test_a_station_sees_only_its_leads_on_pages_export_and_api(client, district, firms, export_file):
    wuma, tengqiao = firms
    mine = _lead(district.station_a, wuma, code="XS-A")
    theirs = _lead(district.station_b, tengqiao, code="XS-B")
    queued = _lead(None, code="XS-Q")
    client.force_login(district.inspector_a)
    listed = [lead.code for lead in client.get(reverse("monitoring:lead_list")).context["objects"]]
    assert listed == ["XS-A"]
    assert client.get(reverse("monitoring:lead_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("monitoring:lead_detail", args=[queued.pk])).status_code == 404
    assert client.post(reverse("monitoring:lead_detail", args=[theirs.pk]),
                       {"result": "substantiated", "checked_on": TODAY, "version": 1}).status_code == 404
    sheet = export_file(client, reverse("monitoring:lead_export")).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["XS-A"]
    api = APIClient()
    api.force_authenticate(district.inspector_a)
    assert [row["code"] for row in api.get("/api/online-leads/").json()["results"]] == ["XS-A"]
    assert api.get(f"/api/online-leads/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/online-leads/{theirs.pk}/dispose/", {"version": 1}, format="json").status_code == 404
    response = api.post(f"/api/online-leads/{mine.pk}/dispose/",
                        {"version": 1, "result": "substantiated", "checked_on": "2099-01-01"}, format="json")
    assert response.status_code == 400 and "核查日期不能晚于今天" in str(response.json())
    response = api.post(f"/api/online-leads/{mine.pk}/assign/", {"version": 1, "unit": district.station_a.pk},
                        format="json")
    assert response.status_code == 403
    response = api.post(f"/api/online-leads/{mine.pk}/dispose/",
                        {"version": 1, "result": "substantiated", "checked_on": TODAY.isoformat(),
                         "feedback_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    client.force_login(district.section_user)
    assert {lead.code for lead in client.get(reverse("monitoring:lead_list")).context["objects"]} == {
        "XS-A", "XS-B", "XS-Q"}


def test_work_lists_and_risk_candidates(district, firms):
    wuma, tengqiao = firms
    soon = _lead(district.station_a, wuma, deadline=TODAY + dt.timedelta(days=2))
    overdue = _lead(district.station_a, wuma, deadline=TODAY - dt.timedelta(days=1))
    _lead(district.station_a, wuma, deadline=TODAY + dt.timedelta(days=30))  # not yet due
    queued = _lead(None, deadline=TODAY + dt.timedelta(days=1))
    section = lead_work(district.inspector_a, unit=district.station_a, personal=True, due_by=None, today=TODAY)
    assert [(i.url.rstrip("/").split("/")[-1], i.overdue) for i in section.items] == [
        (str(overdue.pk), True), (str(soon.pk), False)]
    section = lead_work(district.section_user, unit=district.section, personal=True, due_by=None, today=TODAY)
    assert [i.url for i in section.items] == [reverse("monitoring:lead_detail", args=[queued.pk])]
    found = _lead(district.station_b, tengqiao, result=LeadResult.SUBSTANTIATED, checked_on=TODAY)
    _lead(district.station_b, tengqiao, result=LeadResult.UNSUBSTANTIATED, checked_on=TODAY)
    quarter_start = dt.date(TODAY.year, (TODAY.month - 1) // 3 * 3 + 1, 1)
    candidates = list(lead_candidates(start=quarter_start, end=TODAY, today=TODAY))
    assert [(c.source, c.enterprise_id, c.unit_id) for c in candidates] == [(found, tengqiao.pk, district.station_b.pk)]
    assert [c.source for c in candidates_for(start=quarter_start, end=TODAY, today=TODAY)
            if c.source_kind == "online"] == [found]
    assert list(lead_candidates(start=dt.date(2020, 1, 1), end=dt.date(2020, 3, 31), today=TODAY)) == []


def test_the_sample_lead_list_imports_and_a_second_import_adds_nothing(district, firms, tmp_path):
    from django.core.management import call_command

    from monitoring.leads_import import default_lead_profile, leads_import

    wuma, tengqiao = firms  # two operating enterprises of the 所 (the factory's default)
    known = _lead(district.station_a, wuma, code="XS-OLD", pushed_on=TODAY - dt.timedelta(days=1),
                  deadline=TODAY + dt.timedelta(days=10))
    out = tmp_path / "线索.xlsx"
    call_command("lead_sample_export", out=str(out), today=TODAY)
    profile = default_lead_profile()

    with out.open("rb") as handle:
        first = leads_import(file=handle, profile=profile, by=district.section_user, apply=True)
    with out.open("rb") as handle:
        second = leads_import(file=handle, profile=profile, by=district.section_user, apply=True)

    assert first.errors == [] and (first.created, first.unchanged, first.unmatched) == (5, 1, 3)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 6)
    assert OnlineLead.objects.count() == 6
    assert set(OnlineLead.objects.exclude(unit=None).exclude(pk=known.pk).values_list("unit", flat=True)) == {
        district.station_a.pk, district.station_b.pk}


def test_a_substantiated_lead_links_a_case_of_its_enterprise_only(district, firms):
    from inspections.models import Case

    wuma, tengqiao = firms
    lead = _lead(district.station_a, wuma)
    own = Case.objects.create(number="五马所械案〔2026〕1号", enterprise=wuma, unit=district.station_a,
                              filed_on=TODAY, procedure="ordinary", violation="网络销售未注册医疗器械")
    foreign = Case.objects.create(number="藤桥所械案〔2026〕1号", enterprise=tengqiao, unit=district.station_b,
                                  filed_on=TODAY, procedure="ordinary", violation="无证经营")
    with pytest.raises(ValidationError) as exc:
        lead_dispose(lead=lead, by=district.section_user, version=lead.version, result=LeadResult.SUBSTANTIATED,
                     checked_on=TODAY, case=foreign)
    assert exc.value.message_dict == {"case": ["案件的当事企业须是该线索的对应企业"]}
    lead = lead_dispose(lead=lead, by=district.inspector_a, version=lead.version,
                        result=LeadResult.SUBSTANTIATED, checked_on=TODAY, case=own)
    lead.refresh_from_db()
    assert (lead.case, lead.status, lead.version) == (own, LeadStatus.OPEN, 2)
