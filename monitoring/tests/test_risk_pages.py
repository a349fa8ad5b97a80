"""The consultation's pages, export and API end to end, and the unit boundary on each of them."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import Role
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from monitoring.choices import EventOutcome, RiskLevel, RiskSource, RiskStatus
from monitoring.models import AdverseEventReport, Risk, RiskMeeting

from .factories import RiskFactory, RiskMeetingFactory, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(district):
    return UserFactory(username="kezhang", full_name="科长", unit=district.section, role=Role.LEADER)


@pytest.fixture
def register(district):
    """Q1 and Q2 meetings of 2024; a risk of each 所 (五马's carried from Q1), one closed, one escalated."""
    shop_a = EnterpriseFactory(name="五马康宁医疗器械商行", subdistrict=district.sub_a, owning_unit=district.station_a)
    shop_b = EnterpriseFactory(name="藤桥仁和大药房", subdistrict=district.sub_b, owning_unit=district.station_b)
    q1 = RiskMeetingFactory(year=2024, quarter=1, held_on=dt.date(2024, 3, 28))
    q2 = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 6, 28))
    return {
        "shop_a": shop_a, "shop_b": shop_b, "q1": q1, "q2": q2,
        "a_carried": RiskFactory(meeting=q1, enterprise=shop_a, risk_point="五马：冷链温度记录缺失",
                                 due_on=dt.date(2024, 5, 31)),
        "a_closed": RiskFactory(meeting=q1, enterprise=shop_a, risk_point="五马：已销号", status=RiskStatus.CLOSED,
                                closed_on=dt.date(2024, 3, 30), level=RiskLevel.LOW),
        "b_new": RiskFactory(meeting=q2, enterprise=shop_b, risk_point="藤桥：网络销售未备案产品", escalated=True,
                             source_kind=RiskSource.ONLINE, due_on=dt.date(2099, 1, 1)),
    }


def _rows(response) -> list[str]:
    return [r.risk_point for r in response.context["objects"]]


def test_register_filters_quarter_with_carried_over_overdue_and_escalated(client, district, register):
    client.force_login(district.section_user)
    url = reverse("monitoring:risk_list")

    assert _rows(client.get(url, {"year": 2024, "quarter": 2})) == ["五马：冷链温度记录缺失", "藤桥：网络销售未备案产品"]
    assert _rows(client.get(url, {"year": 2024, "quarter": 2, "carried": "true"})) == ["五马：冷链温度记录缺失"]
    assert _rows(client.get(url, {"year": 2024, "quarter": 1})) == ["五马：冷链温度记录缺失", "五马：已销号"]
    assert _rows(client.get(url, {"overdue": "true"})) == ["五马：冷链温度记录缺失"]
    assert _rows(client.get(url, {"escalated": "true"})) == ["藤桥：网络销售未备案产品"]
    assert _rows(client.get(url, {"level": "low"})) == ["五马：已销号"]
    assert _rows(client.get(url, {"source_kind": "online", "owner_unit": district.station_b.pk})) == [
        "藤桥：网络销售未备案产品"]
    assert _rows(client.get(url, {"year": 0})) == []  # an invalid filter lists nothing
    page = client.get(url, {"year": 2024, "quarter": 2}).content.decode()
    assert "结转" in page and "逾期" in page


def test_a_station_sees_and_exports_only_its_own_risks(client, district, register, export_file):
    client.force_login(district.inspector_a)

    listed = _rows(client.get(reverse("monitoring:risk_list")))
    book = export_file(client, reverse("monitoring:risk_export"), {"year": 2024, "quarter": 2})
    other = register["b_new"]

    assert listed == ["五马：冷链温度记录缺失", "五马：已销号"]
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["会商季度", "风险点", "风险等级"]
    assert [[c.value for c in row][1] for row in sheet.iter_rows(min_row=2)] == ["五马：冷链温度记录缺失"]
    assert [c.value for c in sheet[2]][11:13] == ["是", "是"]  # 逾期, 结转
    for name in ("risk_detail", "risk_evidence", "risk_edit"):
        assert client.get(reverse(f"monitoring:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("monitoring:risk_follow_up", args=[other.pk]),
                       {"on": "2024-07-01", "text": "越权"}).status_code == 404
    assert other.follow_ups.count() == 0


def test_meeting_page_groups_candidates_and_the_section_accepts_one(client, district, register):
    report = AdverseEventReport.objects.create(
        code="AE-Q2-1", reported_on=dt.date(2024, 5, 3), reporter_kind="use", reporter=register["shop_a"],
        reporter_name=register["shop_a"].name, outcome=EventOutcome.DEATH, product_name="呼吸机",
        unit=district.station_a)
    meeting = register["q2"]
    identity = f"monitoring.adverseeventreport:{report.pk}"
    client.force_login(district.section_user)

    page = client.get(reverse("monitoring:risk_meeting_detail", args=[meeting.pk]))
    form = client.get(reverse("monitoring:risk_candidate_accept", args=[meeting.pk]), {"candidate": identity})
    response = client.post(reverse("monitoring:risk_candidate_accept", args=[meeting.pk]), {
        "candidate": identity, "risk_point": "呼吸机死亡事件", "level": "high", "enterprise": register["shop_a"].pk,
        "product": "呼吸机", "owner_unit": district.station_a.pk, "measures": "暂停使用该型号", "due_on": "2024-09-30",
        "key_supervision": "on"})

    assert [g.label for g in page.context["groups"]] == ["不良事件"]
    assert form.context["form"].initial["owner_unit"] == district.station_a.pk
    assert response.status_code == 302
    risk = Risk.objects.get(source_key=identity)
    assert (risk.meeting, risk.source, risk.owner_unit, risk.key_supervision, risk.credit_record.kind) == (
        meeting, report, district.station_a, True, "risk_named")
    again = client.get(reverse("monitoring:risk_meeting_detail", args=[meeting.pk]))
    assert again.context["candidate_count"] == 0
    assert set(again.context["new_risks"]) == {register["b_new"], risk}
    assert list(again.context["carried"]) == [register["a_carried"]]


def test_a_station_reads_meetings_but_cannot_write_them(client, district, register):
    meeting = register["q2"]
    client.force_login(district.inspector_a)

    page = client.get(reverse("monitoring:risk_meeting_detail", args=[meeting.pk]))
    refused = [client.post(reverse(f"monitoring:{name}", args=[meeting.pk]), {"reason": "x", "identity": "x"})
               .status_code for name in ("risk_meeting_edit", "risk_candidate_accept", "risk_candidate_dismiss",
                                         "risk_create_manual")]
    created = client.post(reverse("monitoring:risk_meeting_create"), {
        "year": 2024, "quarter": 3, "held_on": "2024-09-28", "chair": "某"}).status_code

    assert page.status_code == 200 and page.context["groups"] == [] and not page.context["can_manage"]
    assert [r.risk_point for r in page.context["new_risks"]] == []  # 藤桥's risk is not 五马's to see
    assert refused == [403, 403, 403, 403] and created == 403
    assert RiskMeeting.objects.count() == 2


def test_meeting_form_saves_with_minutes_and_refuses_a_renamed_file(client, district):
    client.force_login(district.section_user)
    url = reverse("monitoring:risk_meeting_create")
    data = {"year": 2024, "quarter": 3, "held_on": "2024-10-10", "chair": "王副局长",
            "units": [district.station_a.pk, district.section.pk], "summary": "会商三季度风险"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(url, {**data, "minutes": SimpleUploadedFile("纪要.pdf", b"not a pdf")})
    good = client.post(url, {**data, "minutes": pdf_upload("纪要.pdf")})

    assert bad.status_code == 200 and "内容与扩展名不符" in bad.content.decode()
    meeting = RiskMeeting.objects.get()
    assert good["Location"] == reverse("monitoring:risk_meeting_detail", args=[meeting.pk])
    assert set(meeting.units.all()) == {district.station_a, district.section}
    minutes = client.get(reverse("monitoring:risk_meeting_minutes", args=[meeting.pk]))
    assert minutes["Content-Type"] == "application/pdf" and b"".join(minutes.streaming_content).startswith(b"%PDF")


def test_closure_on_the_pages_station_requests_chief_approves(client, district, register, chief):
    risk = register["a_carried"]
    client.force_login(district.inspector_a)
    client.post(reverse("monitoring:risk_follow_up", args=[risk.pk]), {"on": "2024-07-01", "text": "已复查"})
    client.post(reverse("monitoring:risk_closure_request", args=[risk.pk]), {
        "version": risk.version, "closure_note": "温度记录已补齐并安装自动监测", "closure_evidence": pdf_upload()})
    risk.refresh_from_db()
    refused = client.post(reverse("monitoring:risk_closure_approve", args=[risk.pk]),
                          {"version": risk.version, "closed_on": dt.date.today().isoformat()})

    client.force_login(chief)
    detail = client.get(reverse("monitoring:risk_detail", args=[risk.pk]))
    client.post(reverse("monitoring:risk_closure_approve", args=[risk.pk]),
                {"version": risk.version, "closed_on": dt.date.today().isoformat()})

    assert refused.status_code == 403
    assert detail.context["approve_form"] is not None
    risk.refresh_from_db()
    assert (risk.status, risk.closed_by, risk.follow_ups.count()) == (RiskStatus.CLOSED, chief, 1)


def test_api_is_scoped_and_closure_needs_the_chief(district, register, chief):
    station, boss = APIClient(), APIClient()
    station.force_authenticate(district.inspector_a)
    boss.force_authenticate(chief)
    risk = register["a_carried"]

    listed = station.get("/api/risks/").json()
    other = station.get(f"/api/risks/{register['b_new'].pk}/")
    meetings = station.get("/api/risk-meetings/").json()
    no_evidence = station.post(f"/api/risks/{risk.pk}/request-closure/", {"note": "已整改", "version": risk.version},
                               format="multipart")
    follow = station.post(f"/api/risks/{risk.pk}/follow-ups/", {"on": "2024-07-02", "text": "已复查"}, format="json")
    asked = station.post(f"/api/risks/{risk.pk}/request-closure/",
                         {"note": "已整改", "version": risk.version, "evidence": pdf_upload()}, format="multipart")
    version = asked.json()["version"]
    self_approve = station.post(f"/api/risks/{risk.pk}/approve-closure/", {"version": version}, format="json")
    station_meeting = station.post("/api/risk-meetings/", {"year": 2024, "quarter": 3, "held_on": "2024-09-28",
                                                           "chair": "某"}, format="json")
    approved = boss.post(f"/api/risks/{risk.pk}/approve-closure/", {"version": version}, format="json")

    assert sorted(r["risk_point"] for r in listed["results"]) == ["五马：冷链温度记录缺失", "五马：已销号"]
    assert other.status_code == 404
    assert [m["quarter"] for m in meetings["results"]] == [2, 1]
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.json()
    assert follow.status_code == 201
    assert asked.status_code == 200 and asked.json()["status"] == "closing"
    assert self_approve.status_code == 403 and "审批" in self_approve.json()["detail"]
    assert station_meeting.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "closed"


def test_api_section_creates_a_meeting_and_edits_a_risk_with_its_version(district, register):
    api = APIClient()
    api.force_authenticate(district.section_user)
    risk = register["b_new"]

    bad = api.post("/api/risk-meetings/", {"year": 2024, "quarter": 3, "held_on": "2099-01-01", "chair": ""},
                   format="json")
    made = api.post("/api/risk-meetings/", {"year": 2024, "quarter": 3, "held_on": "2024-09-28", "chair": "王副局长",
                                            "units": [district.station_a.pk]}, format="json")
    stale = api.patch(f"/api/risks/{risk.pk}/", {"level": "medium", "version": risk.version + 5}, format="json")
    edited = api.patch(f"/api/risks/{risk.pk}/", {"level": "medium", "version": risk.version}, format="json")

    assert bad.status_code == 400 and set(bad.json()) >= {"chair"}
    assert made.status_code == 201 and made.json()["units"] == [district.station_a.pk]
    assert stale.status_code == 409
    assert edited.status_code == 200 and edited.json()["level_display"] == "中"


def test_work_list_page_shows_the_register(client, district, register, chief):
    client.force_login(district.inspector_a)
    page = client.get(reverse("inspections:todo")).content.decode()
    assert "五马：冷链温度记录缺失" in page
