import datetime as dt

import pytest
from rest_framework.test import APIClient

from enterprises.choices import LicenceStatus, Role
from enterprises.tests.factories import LicenceFactory, UserFactory
from inspections.choices import InspectionStatus, ReferralTarget
from inspections.models import Case, Finding, Inspection, Interview, Rectification, Referral

from .factories import (
    CaseFactory,
    FindingFactory,
    InspectionFactory,
    RectificationFactory,
    station_with_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    data = {}
    for key in ("mine", "other"):
        unit, enterprise, (a, b) = station_with_staff()
        inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 3, 5))
        finding = FindingFactory(inspection=inspection)
        rect = RectificationFactory(inspection=inspection)
        case = CaseFactory(enterprise=enterprise, source_inspection=inspection)
        interview = Interview.objects.create(enterprise=enterprise, unit=unit, held_on=dt.date(2024, 3, 6),
                                             persons="张三")
        referral = Referral.objects.create(enterprise=enterprise, unit=unit, case=case, target=ReferralTarget.POLICE,
                                           referred_on=dt.date(2024, 6, 5))
        data[key] = {"unit": unit, "enterprise": enterprise, "a": a, "b": b, "inspection": inspection,
                     "finding": finding, "rect": rect, "case": case, "interview": interview, "referral": referral}
    return data


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


ENDPOINTS = [("inspections", "inspection"), ("findings", "finding"), ("rectifications", "rect"),
             ("interviews", "interview"), ("cases", "case"), ("referrals", "referral")]


@pytest.mark.parametrize(("path", "key"), ENDPOINTS)
def test_list_shows_only_own_unit(world, path, key):
    client = client_for(world["mine"]["a"])

    body = client.get(f"/api/{path}/").json()

    assert [row["id"] for row in body["results"]] == [world["mine"][key].pk]


@pytest.mark.parametrize(("path", "key"), ENDPOINTS)
def test_detail_of_other_unit_is_404(world, path, key):
    client = client_for(world["mine"]["a"])

    assert client.get(f"/api/{path}/{world['other'][key].pk}/").status_code == 404
    assert client.get(f"/api/{path}/{world['mine'][key].pk}/").status_code == 200


def test_district_user_sees_both(world):
    section_user = UserFactory(role=Role.SECTION_STAFF)

    body = client_for(section_user).get("/api/inspections/").json()

    assert body["count"] == 2


def test_filters_same_as_pages(world):
    InspectionFactory(enterprise=world["mine"]["enterprise"], kind="flight", start_date=dt.date(2024, 9, 1))
    client = client_for(world["mine"]["a"])

    flight = client.get("/api/inspections/", {"kind": "flight"}).json()
    ranged = client.get("/api/inspections/", {"date_from": "2024-03-01", "date_to": "2024-03-31"}).json()

    assert [r["start_date"] for r in flight["results"]] == ["2024-09-01"]
    assert [r["id"] for r in ranged["results"]] == [world["mine"]["inspection"].pk]


def test_create_inspection_via_api_and_finalise(world):
    d = world["mine"]
    client = client_for(d["a"])

    created = client.post("/api/inspections/", {
        "enterprise": d["enterprise"].pk, "kind": "routine", "start_date": "2024-05-10", "conclusion": "compliant",
        "officers": [{"user": d["a"].pk}, {"user": d["b"].pk}],
    }, format="json")
    pk = created.json()["id"]
    finalised = client.post(f"/api/inspections/{pk}/finalise/")

    assert created.status_code == 201
    assert created.json()["staff_count"] == 2
    assert created.json()["provincial_entry_due"] == "2024-06-10"
    assert finalised.status_code == 200
    assert Inspection.objects.get(pk=pk).status == InspectionStatus.FINALISED


def test_finalise_with_one_officer_answers_400_in_chinese(world):
    d = world["mine"]
    client = client_for(d["a"])
    created = client.post("/api/inspections/", {
        "enterprise": d["enterprise"].pk, "kind": "routine", "start_date": "2024-05-10", "conclusion": "compliant",
        "officers": [{"user": d["a"].pk}],
    }, format="json").json()

    response = client.post(f"/api/inspections/{created['id']}/finalise/")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["现场检查须有两名以上执法人员（当前 1 名）"]}
    assert Inspection.objects.get(pk=created["id"]).status == InspectionStatus.DRAFT


def test_bad_input_400_with_field_details(world):
    client = client_for(world["mine"]["a"])

    response = client.post("/api/inspections/", {"enterprise": world["mine"]["enterprise"].pk, "kind": "nope",
                                                 "start_date": "x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "start_date"}
    assert response.json()["kind"] == ["“nope” 不是合法选项。"]


def test_create_for_other_units_enterprise_refused(world):
    client = client_for(world["mine"]["a"])
    before = Inspection.objects.count()

    response = client.post("/api/inspections/", {"enterprise": world["other"]["enterprise"].pk, "kind": "routine",
                                                 "start_date": "2024-05-10"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"enterprise": [f"对象 {world['other']['enterprise'].pk} 不存在或不在你的权限范围内"]}
    assert Inspection.objects.count() == before


def test_writes_to_other_unit_refused(world):
    client = client_for(world["mine"]["a"])
    other = world["other"]

    responses = [
        client.patch(f"/api/inspections/{other['inspection'].pk}/", {"conclusion": "non_compliant"}, format="json"),
        client.put(f"/api/findings/{other['finding'].pk}/", {"inspection": other["inspection"].pk,
                                                             "severity": "serious", "text": "x"}, format="json"),
        client.post("/api/findings/", {"inspection": other["inspection"].pk, "severity": "serious", "text": "x"},
                    format="json"),
        client.post(f"/api/rectifications/{other['rect'].pk}/complete/",
                    {"completed_on": "2024-04-01", "evidence": "x"}, format="json"),
        client.post(f"/api/cases/{other['case'].pk}/advance/", {"to_status": "investigating",
                                                                "on_date": "2024-06-02"}, format="json"),
        client.delete(f"/api/referrals/{other['referral'].pk}/"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 400, 404, 404, 404]
    other["inspection"].refresh_from_db()
    assert other["inspection"].conclusion == "compliant"
    assert Finding.objects.get(pk=other["finding"].pk).text == "进货查验记录不完整"
    assert Finding.objects.filter(inspection=other["inspection"]).count() == 1
    assert Rectification.objects.get(pk=other["rect"].pk).completed_on is None
    assert Case.objects.get(pk=other["case"].pk).status == "filed"
    assert Referral.objects.filter(pk=other["referral"].pk).exists()


def test_rectification_via_api_creates_follow_up_once(world):
    d = world["mine"]
    inspection = InspectionFactory(enterprise=d["enterprise"], officers=[d["a"], d["b"]],
                                   start_date=dt.date(2024, 5, 10))
    client = client_for(d["a"])
    payload = {"inspection": inspection.pk, "ordered_on": "2024-05-10", "deadline": "2024-06-10",
               "requirements": "整改"}

    first = client.post("/api/rectifications/", payload, format="json")
    second = client.post("/api/rectifications/", {**payload, "deadline": "2024-06-15"}, format="json")

    assert first.status_code == second.status_code == 201
    assert first.json()["follow_up"] == second.json()["follow_up"]
    assert Inspection.objects.filter(kind="follow_up", enterprise=d["enterprise"]).count() == 1


def test_case_open_advance_decide_via_api(world):
    d = world["mine"]
    licence = LicenceFactory(enterprise=d["enterprise"])
    client = client_for(d["a"])

    case = client.post("/api/cases/", {"enterprise": d["enterprise"].pk, "filed_on": "2024-06-01",
                                       "procedure": "simple", "violation": "未按规定备案",
                                       "handlers": [d["a"].pk, d["b"].pk]}, format="json").json()
    decided = client.post(f"/api/cases/{case['id']}/decide/", {
        "decided_on": "2024-06-02", "fine_amount": "3000", "revoked_licence": licence.pk,
        "persons": [{"name": "赵六", "position": "法定代表人", "fine_amount": "10000"}],
    }, format="json")
    bad = client.post(f"/api/cases/{case['id']}/advance/", {"to_status": "closed", "on_date": "2024-06-03"},
                      format="json")

    assert decided.status_code == 200
    assert decided.json()["penalised_persons"] == [{"name": "赵六", "position": "法定代表人", "fine_amount": "10000.00"}]
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert bad.status_code == 400
    assert bad.json() == {"to_status": ["案件当前为“决定”，不能直接转为“结案”"]}


def test_referral_via_api_police_needs_case(world):
    d = world["mine"]
    client = client_for(d["a"])

    response = client.post("/api/referrals/", {"enterprise": d["enterprise"].pk, "target": "police",
                                               "referred_on": "2024-06-05"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"case": ["移送公安机关须关联案件"]}


def test_auditor_cannot_write(world):
    auditor = UserFactory(role=Role.AUDITOR)
    client = client_for(auditor)

    response = client.post(f"/api/inspections/{world['mine']['inspection'].pk}/finalise/")

    assert response.status_code == 403
