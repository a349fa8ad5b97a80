"""API of the registry-side AE inputs: scoping, versioned updates, validation in Chinese."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.tests.factories import EnterpriseFactory
from monitoring.models import PopulationFigure, RegistrantRegistration, TrainingCourse
from monitoring.services import registry as services
from monitoring.services.registry import AttendanceInput, PopulationRow

from .registry_fixtures import PNG, reg_fixture  # noqa: F401  (reg_fixture provides the `reg` fixture)

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ---------------------------------------------------------------- registrations


def test_registrations_list_every_registrant_of_the_unit_even_unedited(reg):
    newcomer = EnterpriseFactory(name="新注册人", subdistrict=reg.sub_a, is_registrant=True)

    rows = _results(_api(reg.user_a).get("/api/ae-registrations/"))
    unregistered = _results(_api(reg.manager).get("/api/ae-registrations/", {"registered": "no"}))

    assert [(r["id"], r["registered"], r["version"]) for r in rows] == [
        (reg.registrant_a.pk, False, 1), (newcomer.pk, False, 1)]
    assert {r["enterprise_name"] for r in unregistered} == {"五马医疗科技有限公司", "新注册人", "藤桥医疗器械有限公司"}


def test_registration_patch_needs_the_version_and_checks_it(reg):
    api = _api(reg.user_a)
    url = f"/api/ae-registrations/{reg.registrant_a.pk}/"

    missing = api.patch(url, {"registered": True, "registered_on": YESTERDAY.isoformat()}, format="json")
    saved = api.patch(url, {"registered": True, "registered_on": YESTERDAY.isoformat(), "version": 1}, format="json")
    stale = api.patch(url, {"note": "旧页面", "version": 1}, format="json")

    assert missing.status_code == 400
    assert missing.json() == {"version": ["修改时须提交读取时的版本号 version"]}
    assert saved.status_code == 200
    assert (saved.json()["registered"], saved.json()["registered_on"], saved.json()["version"]) == (
        True, YESTERDAY.isoformat(), 2)
    assert stale.status_code == 409
    assert RegistrantRegistration.objects.get().note == ""


def test_registration_api_refuses_a_future_date_in_chinese(reg):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _api(reg.user_a).patch(f"/api/ae-registrations/{reg.registrant_a.pk}/", {
        "registered": True, "registered_on": tomorrow.isoformat(), "version": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"registered_on": ["注册日期不能晚于今天"]}
    assert not RegistrantRegistration.objects.filter(registered=True).exists()


def test_registration_evidence_through_multipart(reg):
    response = _api(reg.user_a).patch(f"/api/ae-registrations/{reg.registrant_a.pk}/", {
        "registered": "true", "registered_on": YESTERDAY.isoformat(), "version": "1",
        "evidence": SimpleUploadedFile("截图.png", PNG, content_type="image/png")}, format="multipart")

    assert response.status_code == 200
    assert response.json()["evidence_name"] == "截图.png"
    assert response.json()["evidence_url"].startswith("/monitoring/registrations/evidence/")


def test_another_units_registrant_is_not_found_through_the_api(reg):
    api = _api(reg.user_a)
    url = f"/api/ae-registrations/{reg.registrant_b.pk}/"

    assert api.get(url).status_code == 404
    assert api.patch(url, {"registered": False, "version": 1}, format="json").status_code == 404
    assert not RegistrantRegistration.objects.exists()


# ---------------------------------------------------------------- population


def test_population_api_written_by_the_section_read_by_the_station(reg):
    created = _api(reg.manager).post("/api/population/", {"year": 2026, "subdistrict": reg.sub_a.pk,
                                                          "population": 120000, "source": "统计公报"}, format="json")
    _api(reg.manager).post("/api/population/", {"year": 2026, "subdistrict": reg.sub_b.pk, "population": 50000,
                                                "source": "七普"}, format="json")
    refused = _api(reg.user_a).post("/api/population/", {"year": 2026, "subdistrict": reg.sub_a2.pk,
                                                         "population": 1, "source": "x"}, format="json")
    seen = _results(_api(reg.user_a).get("/api/population/", {"year": 2026}))

    assert created.status_code == 201
    assert refused.status_code == 403
    assert [(r["subdistrict_name"], r["population"]) for r in seen] == [("五马街道", 120000)]
    other = PopulationFigure.objects.get(subdistrict=reg.sub_b)
    assert _api(reg.user_a).get(f"/api/population/{other.pk}/").status_code == 404


def test_population_api_validates_and_versions(reg):
    services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, 1000, "甲")])
    figure = PopulationFigure.objects.get()
    api = _api(reg.manager)

    negative = api.patch(f"/api/population/{figure.pk}/", {"population": -1, "version": 1}, format="json")
    sourceless = api.patch(f"/api/population/{figure.pk}/", {"source": "", "version": 1}, format="json")
    duplicate = api.post("/api/population/", {"year": 2026, "subdistrict": reg.sub_a.pk, "population": 5,
                                              "source": "乙"}, format="json")
    saved = api.patch(f"/api/population/{figure.pk}/", {"population": 2000, "version": 1}, format="json")
    stale = api.patch(f"/api/population/{figure.pk}/", {"population": 3000, "version": 1}, format="json")

    assert negative.status_code == 400
    assert sourceless.json() == {"non_field_errors": ["五马街道：请填写数据来源"]}
    assert duplicate.json() == {"subdistrict": ["该街道/镇本年度已有常住人口，请修改原记录"]}
    assert (saved.status_code, saved.json()["population"], saved.json()["version"]) == (200, 2000, 2)
    assert stale.status_code == 409
    assert PopulationFigure.objects.get().population == 2000


# ---------------------------------------------------------------- trainings


def test_training_api_create_scoped_enterprises(reg):
    api = _api(reg.user_a)
    payload = {"held_on": YESTERDAY.isoformat(), "topic": "培训", "attendances": [
        {"enterprise": reg.registrant_a.pk, "people": 2, "names": "张三、李四"}]}

    created = api.post("/api/trainings/", payload, format="json")
    foreign = api.post("/api/trainings/", {**payload, "attendances": [
        {"enterprise": reg.registrant_b.pk, "people": 1}]}, format="json")

    assert created.status_code == 201
    assert (created.json()["unit"], created.json()["attendances"][0]["people"]) == (reg.station_a.pk, 2)
    assert foreign.status_code == 400
    assert list(foreign.json()) == ["attendances"]
    assert TrainingCourse.objects.count() == 1


def test_training_api_update_is_versioned_and_scoped(reg):
    course = services.training_create(held_on=YESTERDAY, topic="培训", attendances=[
        AttendanceInput(reg.registrant_a, 2)], by=reg.user_a)
    url = f"/api/trainings/{course.pk}/"

    missing = _api(reg.user_a).patch(url, {"topic": "改"}, format="json")
    saved = _api(reg.user_a).patch(url, {"topic": "培训（更正）", "version": course.version}, format="json")
    other = _api(reg.user_b)

    assert missing.status_code == 400
    assert (saved.status_code, saved.json()["topic"], saved.json()["attendances"][0]["people"]) == (
        200, "培训（更正）", 2)
    assert other.get(url).status_code == 404
    assert other.patch(url, {"topic": "他所", "version": 2}, format="json").status_code == 404
    assert _api(reg.auditor).patch(url, {"topic": "审计", "version": 2}, format="json").status_code == 403
    course.refresh_from_db()
    assert course.topic == "培训（更正）"


def test_a_year_outside_the_calendar_is_a_400_not_a_server_error(reg):
    api = _api(reg.manager)

    for path in ("/api/trainings/", "/api/population/", "/api/ae-reports/"):
        for year in ("0", "0.0", "99999"):
            assert api.get(path, {"year": year}).status_code == 400, (path, year)
    assert api.get("/api/trainings/", {"year": "2025"}).status_code == 200


def test_training_list_writes_attendances_in_entry_order_in_a_constant_number_of_queries(reg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = _api(reg.user_a)
    enterprises = [reg.registrant_a] + [EnterpriseFactory(subdistrict=reg.registrant_a.subdistrict,
                                                          name=f"参训企业{i}") for i in range(3)]

    def listed():
        with CaptureQueriesContext(connection) as queries:
            rows = api.get("/api/trainings/").json()["results"]
        return rows, len(queries)

    services.training_create(held_on=YESTERDAY, topic="培训一", unit=None, location="", note="", by=reg.user_a,
                             attendances=[AttendanceInput(enterprise=enterprises[0], people=1, names="")])
    _rows, one = listed()
    services.training_create(held_on=YESTERDAY, topic="培训二", unit=None, location="", note="", by=reg.user_a,
                             attendances=[AttendanceInput(enterprise=e, people=i + 1, names=f"学员{i}")
                                          for i, e in enumerate(reversed(enterprises))])
    rows, two = listed()

    assert two == one
    second = next(r for r in rows if r["topic"] == "培训二")
    assert [(a["enterprise"], a["enterprise_name"], a["people"]) for a in second["attendances"]] == [
        (e.pk, e.name, i + 1) for i, e in enumerate(reversed(enterprises))]
