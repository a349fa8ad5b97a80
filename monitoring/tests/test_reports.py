"""AE reports by hand, through the API and within each 所's scope: services, pages, export, API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import InstitutionType
from enterprises.tests.factories import EnterpriseFactory
from monitoring.choices import EventOutcome, ReporterKind, ReporterMatch
from monitoring.models import AdverseEventReport, MonitoringSettings, ReporterAlias
from monitoring.services.evaluations import report_is_late
from monitoring.services.reports import (
    normalise_name,
    report_create,
    report_update,
    reporter_resolve,
)
from monitoring.services.settings import settings_for_year

pytestmark = pytest.mark.django_db


def _fields(**overrides) -> dict:
    fields = {"code": "AE-M-001", "reported_on": dt.date(2025, 5, 20), "learned_on": dt.date(2025, 5, 10),
              "occurred_on": dt.date(2025, 5, 9), "reporter_kind": ReporterKind.USE, "reporter_name": "某医院",
              "outcome": EventOutcome.OTHER, "product_name": "一次性使用注射器"}
    fields.update(overrides)
    return fields


@pytest.fixture
def reports(district):
    """One report of each 所: 五马 (by its 街道) and 藤桥 (by its matched reporting unit)."""
    clinic_b = EnterpriseFactory(name="藤桥镇卫生院", subdistrict=district.sub_b, is_operator=False,
                                 is_user_unit=True, institution_type=InstitutionType.HEALTH_CENTRE)
    mine = report_create(by=district.section_user, **_fields(code="AE-A-1", reporter_name="五马某诊所",
                                                             subdistrict=district.sub_a))
    other = report_create(by=district.section_user, **_fields(code="AE-B-1", reporter_name="藤桥镇卫生院",
                                                              product_name="藤桥的产品"))
    assert (mine.unit, other.unit, other.reporter) == (district.station_a, district.station_b, clinic_b)
    return mine, other


@pytest.mark.parametrize(("outcome", "days", "late"), [
    (EventOutcome.DEATH, 7, False), (EventOutcome.DEATH, 8, True),
    (EventOutcome.SERIOUS, 20, False), (EventOutcome.SERIOUS, 21, True), (EventOutcome.OTHER, 90, False),
])
def test_the_legal_limits_flag_a_late_report(outcome, days, late):
    report = AdverseEventReport(outcome=outcome, learned_on=dt.date(2025, 3, 1),
                                reported_on=dt.date(2025, 3, 1) + dt.timedelta(days=days))

    assert report_is_late(report, settings_for_year(report.reported_on.year)) is late


def test_the_years_settings_change_the_limits(district):
    MonitoringSettings.objects.create(year=2025, death_limit_days=10)

    report = report_create(by=district.section_user, **_fields(
        outcome=EventOutcome.DEATH, learned_on=dt.date(2025, 5, 11), reported_on=dt.date(2025, 5, 20),
        occurred_on=None, subdistrict=district.sub_a))
    later = report_update(report=report, by=district.section_user, version=report.version,
                          reported_on=dt.date(2025, 5, 22))

    assert (report.is_late, later.is_late) == (False, True)  # 9 days, then 11 days > 10


def test_a_station_user_enters_a_report_of_its_own_street(district):
    report = report_create(by=district.inspector_a, **_fields(subdistrict=district.sub_a, reporter_name="某诊所"))

    assert (report.unit, report.reporter_match) == (district.station_a, ReporterMatch.UNMATCHED)
    assert report.history.first().history_user == district.inspector_a


def test_a_station_user_cannot_enter_a_report_of_another_jurisdiction(district):
    with pytest.raises(ValidationError) as refused:
        report_create(by=district.inspector_a, **_fields(subdistrict=district.sub_b, reporter_name="某诊所"))

    assert "本所将无法查看" in refused.value.message_dict["subdistrict"][0]
    assert AdverseEventReport.objects.count() == 0


def test_bad_dates_and_a_taken_code_are_refused(district, reports):
    with pytest.raises(ValidationError) as dates:
        report_create(by=district.section_user, **_fields(code="AE-X", learned_on=dt.date(2025, 6, 1)))
    with pytest.raises(ValidationError) as taken:
        report_create(by=district.section_user, **_fields(code="AE-A-1"))

    assert dates.value.message_dict["reported_on"] == ["报告日期不能早于获知日期"]
    assert taken.value.message_dict["code"] == ["报告编码“AE-A-1”已存在，请打开该报告修改"]
    assert AdverseEventReport.objects.count() == 2


def test_names_are_compared_without_width_or_spaces():
    assert normalise_name(" 温州康复（藤桥） 有限公司 ") == normalise_name("温州康复(藤桥)有限公司")


def test_a_manual_match_survives_an_edit_of_other_fields(district, reports):
    mine, _other = reports
    firm = EnterpriseFactory(name="五马某诊所（总店）", subdistrict=district.sub_a)
    reporter_resolve(report=mine, enterprise=firm, by=district.section_user)
    mine.refresh_from_db()

    edited = report_update(report=mine, by=district.section_user, version=mine.version, batch="X1")

    assert (edited.reporter, edited.reporter_match, edited.batch) == (firm, ReporterMatch.MANUAL, "X1")
    assert ReporterAlias.objects.get(name="五马某诊所").enterprise == firm


def test_only_the_district_resolves_a_reporting_unit(district, reports):
    mine, _other = reports
    firm = EnterpriseFactory(subdistrict=district.sub_a)

    with pytest.raises(PermissionDenied):
        reporter_resolve(report=mine, enterprise=firm, by=district.inspector_a)

    mine.refresh_from_db()
    assert (mine.reporter, ReporterAlias.objects.count()) == (None, 0)


def test_the_form_on_a_phone_saves_a_report(client, district):
    client.force_login(district.inspector_a)
    data = {"code": "AE-P-1", "reported_on": "2025-05-20", "occurred_on": "", "learned_on": "2025-04-25",
            "reporter_kind": "use", "reporter_name": "五马某药店", "reporter_credit_code": "",
            "subdistrict": district.sub_a.pk, "outcome": "serious", "product_name": "血压计",
            "registration_number": "", "registrant_name": "", "model_spec": "", "batch": "", "description": "头晕"}

    page = client.get(reverse("monitoring:report_create")).content.decode()
    response = client.post(reverse("monitoring:report_create"), data)

    assert 'type="date"' in page and 'name="viewport"' in page
    report = AdverseEventReport.objects.get(code="AE-P-1")
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:report_detail",
                                                                          args=[report.pk])
    assert (report.unit, report.is_late) == (district.station_a, True)  # serious: 4-25 to 5-20 is 25 days > 20
    detail = client.get(response["Location"]).content.decode()
    assert 'id="report-late"' in detail and "获知后第 25 日报告" in detail


def test_the_list_filters_and_its_export_show_the_same_rows(export_file, client, district, reports):
    mine, other = reports
    client.force_login(district.section_user)

    page = client.get(reverse("monitoring:report_list"), {"matched": "unmatched", "year": 2025}).content.decode()
    response = export_file(client, reverse("monitoring:report_export"), {"matched": "unmatched", "year": 2025})

    assert mine.code in page and other.code not in page
    sheet = response.active
    assert [c.value for c in sheet[1]][:3] == ["报告编码", "报告日期", "事件发生日期"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["AE-A-1"]


@pytest.mark.parametrize(("params", "codes"), [
    ({"q": "藤桥的产品"}, ["AE-B-1"]), ({"quarter": 2}, ["AE-B-1", "AE-A-1"]), ({"quarter": 3}, []),
    ({"late": "yes"}, []), ({"reporter_kind": "use"}, ["AE-B-1", "AE-A-1"]), ({"outcome": "death"}, []),
])
def test_each_filter(district, reports, params, codes):
    api = APIClient()
    api.force_authenticate(district.section_user)

    assert [r["code"] for r in api.get("/api/ae-reports/", params).json()["results"]] == codes


def test_a_station_user_sees_only_its_reports_through_page_export_and_api(export_file, client, district, reports):
    mine, other = reports
    client.force_login(district.inspector_a)
    api = APIClient()
    api.force_authenticate(district.inspector_a)

    listing = client.get(reverse("monitoring:report_list")).content.decode()
    export = export_file(client, reverse("monitoring:report_export")).active
    api_codes = [r["code"] for r in api.get("/api/ae-reports/").json()["results"]]

    assert mine.code in listing and other.code not in listing
    assert [row[0] for row in export.iter_rows(min_row=2, values_only=True)] == [mine.code]
    assert api_codes == [mine.code]
    assert client.get(reverse("monitoring:report_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("monitoring:report_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("monitoring:unmatched_resolve", args=[mine.pk])).status_code == 403
    assert api.get(f"/api/ae-reports/{other.pk}/").status_code == 404
    assert api.patch(f"/api/ae-reports/{other.pk}/", {"batch": "X", "version": 1}, format="json").status_code == 404
    assert api.post(f"/api/ae-reports/{mine.pk}/resolve-reporter/",
                    {"enterprise": EnterpriseFactory(subdistrict=district.sub_a).pk},
                    format="json").status_code == 403
    other.refresh_from_db()
    assert (other.batch, other.version) == ("", 1)


def test_the_api_creates_and_updates_with_the_version(district):
    api = APIClient()
    api.force_authenticate(district.inspector_a)
    payload = {**_fields(code="AE-API-1", subdistrict=district.sub_a.pk), "reported_on": "2025-05-20",
               "learned_on": "2025-05-10", "occurred_on": "2025-05-09"}

    created = api.post("/api/ae-reports/", payload, format="json")
    pk = created.json()["id"]
    without_version = api.patch(f"/api/ae-reports/{pk}/", {"batch": "B9"}, format="json")
    updated = api.patch(f"/api/ae-reports/{pk}/", {"batch": "B9", "version": 1}, format="json")
    stale = api.patch(f"/api/ae-reports/{pk}/", {"batch": "B10", "version": 1}, format="json")
    duplicate = api.post("/api/ae-reports/", payload, format="json")

    assert created.status_code == 201 and created.json()["unit"] == district.station_a.pk
    assert without_version.status_code == 400 and "version" in without_version.json()
    assert updated.status_code == 200 and (updated.json()["batch"], updated.json()["version"]) == ("B9", 2)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert duplicate.status_code == 400 and duplicate.json()["code"] == ["报告编码“AE-API-1”已存在，请打开该报告修改"]
    assert AdverseEventReport.objects.get(pk=pk).batch == "B9"


def test_the_district_resolves_through_the_api(district, reports):
    mine, _other = reports
    firm = EnterpriseFactory(subdistrict=district.sub_a)
    api = APIClient()
    api.force_authenticate(district.section_user)

    response = api.post(f"/api/ae-reports/{mine.pk}/resolve-reporter/", {"enterprise": firm.pk}, format="json")

    assert response.status_code == 200 and response.json() == {"matched": 1}
    mine.refresh_from_db()
    assert (mine.reporter, mine.reporter_match) == (firm, ReporterMatch.MANUAL)
