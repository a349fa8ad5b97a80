"""僵尸企业 clean-up pages, export and API: the workflow through the forms, scoping on every endpoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.choices import EnterpriseStatus
from enterprises.duties.choices import ZombieReason, ZombieStage
from enterprises.models import AnnualFiling, EnterpriseStatusChange, ZombieCase

from .factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def lost(district):
    """Two 失联 enterprises, one per 所, with this year's self-report (only the 失联 reason applies)."""
    found = []
    for name, sub in (("五马失联商行", district.sub_a), ("藤桥失联商行", district.sub_b)):
        e = EnterpriseFactory(name=name, subdistrict=sub, status=EnterpriseStatus.ABNORMAL,
                              status_since=TODAY - dt.timedelta(days=500))
        AnnualFiling.objects.create(enterprise=e, year=YEAR, kind="self_report", sector="operation",
                                    submitted_on=dt.date(YEAR, 3, 1))
        found.append(e)
    return found


def test_candidates_page_shows_own_units_candidates_with_reasons(client, district, lost):
    client.force_login(district.inspector_a)
    response = client.get(reverse("enterprises:zombie_candidates"), {"year": YEAR})
    body = response.content.decode()
    assert response.status_code == 200
    assert "五马失联商行" in body and "藤桥失联商行" not in body
    assert "检查发现失联" in body and "发起核查" in body

    client.force_login(district.section_user)
    body = client.get(reverse("enterprises:zombie_candidates"), {"year": YEAR, "reason": "unreachable"}).content.decode()
    assert "五马失联商行" in body and "藤桥失联商行" in body
    body = client.get(reverse("enterprises:zombie_candidates"),
                      {"year": YEAR, "reason": ZombieReason.LONG_SUSPENDED}).content.decode()
    assert "五马失联商行" not in body


def test_a_station_works_the_case_through_the_pages(client, district, lost):
    mine, _theirs = lost
    client.force_login(district.inspector_a)
    response = client.post(reverse("enterprises:zombie_case_start"), {"enterprise": mine.pk, "year": YEAR})
    case = ZombieCase.objects.get(enterprise=mine)
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:zombie_case_detail",
                                                                          args=[case.pk])

    def step(name, data, status=302):
        case.refresh_from_db()
        response = client.post(reverse("enterprises:zombie_case_step", args=[case.pk, name]),
                                {**data, "version": case.version})
        assert response.status_code == status, response.content.decode()[:3000]
        return response

    bad = step("notify", {"notice_kind": "public", "notice_on": days_ago(1), "notice_ref": "告1"})  # not verified
    step("verify", {"verified_on": days_ago(10), "verification": "两次上门无人"})
    bad = step("notify", {"notice_kind": "public", "notice_on": days_ago(11), "notice_ref": "告1"}, status=400)
    assert "日期不能早于核查日期" in bad.content.decode()
    step("notify", {"notice_kind": "public", "notice_on": days_ago(8), "notice_ref": "鹿市监械告〔2026〕9号"})
    evidence = SimpleUploadedFile("决定书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    step("clear", {"clearance_kind": "cancel_filing", "decision_no": "鹿市监械注〔2026〕9号",
                   "decision_on": days_ago(1), "evidence": evidence})

    case.refresh_from_db()
    mine.refresh_from_db()
    assert (case.stage, mine.status) == (ZombieStage.CLEARED, EnterpriseStatus.CANCELLED)
    detail = client.get(reverse("enterprises:detail", args=[mine.pk])).content.decode()
    assert "僵尸企业清理：取消备案，决定文号鹿市监械注〔2026〕9号（列为候选原因：检查发现失联）" in detail
    download = client.get(reverse("enterprises:zombie_case_evidence", args=[case.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    # a step the stage no longer allows changes nothing
    step("conclude", {"outcome": "regularised", "decided_on": days_ago(0), "note": "x"})
    assert ZombieCase.objects.get(pk=case.pk).stage == ZombieStage.CLEARED


def test_a_renamed_file_is_refused_and_nothing_changes(client, district, lost):
    mine = lost[0]
    client.force_login(district.inspector_a)
    case = ZombieCase.objects.create(enterprise=mine, year=YEAR, unit=district.station_a, reasons=["unreachable"],
                                     stage="notified", verified_on=TODAY - dt.timedelta(days=9),
                                     notice_kind="notice", notice_on=TODAY - dt.timedelta(days=8), notice_ref="告")
    response = client.post(reverse("enterprises:zombie_case_step", args=[case.pk, "clear"]), {
        "clearance_kind": "cancel_filing", "decision_no": "注1", "decision_on": days_ago(1), "version": case.version,
        "evidence": SimpleUploadedFile("决定书.pdf", b"MZ not a pdf")})
    assert response.status_code == 400
    assert "内容与扩展名不符" in response.content.decode()
    mine.refresh_from_db()
    assert (ZombieCase.objects.get(pk=case.pk).stage, mine.status) == ("notified", EnterpriseStatus.ABNORMAL)
    assert not EnterpriseStatusChange.objects.exists()


def test_case_list_filters_and_export_are_scoped(client, district, lost, export_file):
    for e, unit, stage in ((lost[0], district.station_a, "cleared"), (lost[1], district.station_b, "verifying")):
        ZombieCase.objects.create(enterprise=e, year=YEAR, unit=unit, reasons=["unreachable"], stage=stage,
                                  decision_no="注1" if stage == "cleared" else "")
    client.force_login(district.inspector_a)
    body = client.get(reverse("enterprises:zombie_case_list")).content.decode()
    assert "五马失联商行" in body and "藤桥失联商行" not in body
    book = export_file(client, reverse("enterprises:zombie_case_export"))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:6] == ("清理年度", "企业名称", "统一社会信用代码", "承办单位", "列为候选原因", "进度")
    assert [r[1] for r in rows[1:]] == ["五马失联商行"]
    assert rows[1][4:6] == ("检查发现失联", "已注销/取消备案")

    client.force_login(district.section_user)
    body = client.get(reverse("enterprises:zombie_case_list"), {"stage": "verifying"}).content.decode()
    assert "藤桥失联商行" in body and "五马失联商行" not in body
    book = export_file(client, reverse("enterprises:zombie_case_export"), {"unit": district.station_b.pk})
    assert [r[1] for r in list(book.active.iter_rows(values_only=True))[1:]] == ["藤桥失联商行"]


def test_other_units_case_and_candidate_are_out_of_reach(client, district, lost):
    theirs = lost[1]
    case = ZombieCase.objects.create(enterprise=theirs, year=YEAR, unit=district.station_b, reasons=["unreachable"])
    client.force_login(district.inspector_a)
    assert client.get(reverse("enterprises:zombie_case_detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("enterprises:zombie_case_step", args=[case.pk, "verify"]),
                       {"verified_on": days_ago(1), "verification": "x", "version": 1}).status_code == 404
    assert client.post(reverse("enterprises:zombie_case_start"),
                       {"enterprise": lost[1].pk, "year": YEAR - 1}).status_code == 404
    client.force_login(district.auditor)
    assert client.post(reverse("enterprises:zombie_case_start"),
                       {"enterprise": lost[0].pk, "year": YEAR}).status_code == 403
    assert ZombieCase.objects.count() == 1


def test_tallies_page_shows_own_unit_for_a_station(client, district, lost):
    ZombieCase.objects.create(enterprise=lost[0], year=YEAR, unit=district.station_a, reasons=["unreachable"],
                              stage="cleared", decision_on=TODAY)
    client.force_login(district.inspector_a)
    body = client.get(reverse("enterprises:zombie_tallies"), {"year": YEAR}).content.decode()
    assert "五马所" in body and "藤桥所" not in body and "合计" not in body
    client.force_login(district.section_user)
    body = client.get(reverse("enterprises:zombie_tallies"), {"year": YEAR}).content.decode()
    assert "藤桥所" in body and "合计" in body


def test_api_runs_the_workflow_and_is_scoped(district, lost):
    api = APIClient()
    api.force_authenticate(district.inspector_a)
    created = api.post("/api/zombie-cases/", {"enterprise": lost[0].pk, "year": YEAR}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api.post("/api/zombie-cases/", {"enterprise": lost[1].pk, "year": YEAR}, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["enterprise"]

    verified = api.post(f"/api/zombie-cases/{pk}/verify/", {"verified_on": days_ago(5), "verification": "无人",
                                                            "version": created.json()["version"]}, format="json")
    assert verified.status_code == 200
    stale = api.post(f"/api/zombie-cases/{pk}/notify/", {"notice_kind": "notice", "notice_on": days_ago(4),
                                                         "notice_ref": "告", "version": 1}, format="json")
    assert stale.status_code == 409
    bad = api.post(f"/api/zombie-cases/{pk}/conclude/", {"outcome": "upgraded", "decided_on": days_ago(6),
                                                         "note": "提升", "version": verified.json()["version"]},
                   format="json")
    assert bad.status_code == 400 and "decided_on" in bad.json()
    done = api.post(f"/api/zombie-cases/{pk}/conclude/", {"outcome": "upgraded", "decided_on": days_ago(1),
                                                          "note": "完善质量管理体系后提升", "version":
                                                          verified.json()["version"]}, format="json")
    assert done.status_code == 200 and done.json()["stage"] == "upgraded"

    listed = api.get("/api/zombie-cases/").json()
    ids = [row["id"] for row in (listed["results"] if isinstance(listed, dict) else listed)]
    assert ids == [pk]
    candidates = api.get("/api/zombie-cases/candidates/", {"year": YEAR}).json()
    assert [(c["enterprise_name"], c["stage"]) for c in candidates] == [("五马失联商行", "upgraded")]
    tallies = api.get("/api/zombie-cases/tallies/", {"year": YEAR}).json()
    assert [(t["unit_name"], t["upgraded"], t["candidates_open"]) for t in tallies] == [("五马所", 1, 0)]
    assert api.get("/api/zombie-cases/tallies/", {"year": "0"}).status_code == 400

    other = APIClient()
    other.force_authenticate(district.inspector_b)
    assert other.get(f"/api/zombie-cases/{pk}/").status_code == 404
    assert other.post(f"/api/zombie-cases/{pk}/verify/", {}, format="json").status_code == 404


def test_case_filter_by_reason_and_year(district, lost):
    ZombieCase.objects.create(enterprise=lost[0], year=YEAR, unit=district.station_a,
                              reasons=["no_self_report", "unreachable"])
    ZombieCase.objects.create(enterprise=lost[1], year=YEAR - 1, unit=district.station_b, reasons=["long_suspended"])
    api = APIClient()
    api.force_authenticate(district.section_user)

    def names(**params):
        body = api.get("/api/zombie-cases/", params).json()
        return sorted(row["enterprise_name"] for row in (body["results"] if isinstance(body, dict) else body))

    assert names(reason="unreachable") == ["五马失联商行"]
    assert names(reason="long_suspended") == ["藤桥失联商行"]
    assert names(reason="licence_expired") == []
    assert names(year=YEAR - 1) == ["藤桥失联商行"]
    assert api.get("/api/zombie-cases/", {"reason": "nonsense"}).status_code == 400
