"""Pages, export and API of the yearly filings: the unit boundary on each, the import job end to end, the
责令改正 proposal confirmed by the chief, the year's settings."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from enterprises.choices import Role, UnitKind
from enterprises.duties.choices import Sector
from enterprises.models import AnnualFiling, CreditRecord, DutyYear, FilingImportJob
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
Y = 2025


@pytest.fixture
def d():
    a, b = SubdistrictFactory(), SubdistrictFactory()
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION)
    ns = type("D", (), {})()
    ns.user_a, ns.user_b = UserFactory(unit=a.unit), UserFactory(unit=b.unit)
    ns.staff = UserFactory(unit=section, role=Role.SECTION_STAFF)
    ns.chief = UserFactory(unit=section, role=Role.LEADER)
    ns.ent_a = EnterpriseFactory(subdistrict=a, name="五马医疗器械商行")
    ns.ent_b = EnterpriseFactory(subdistrict=b, name="藤桥医疗器械商行")
    ns.unit_a, ns.unit_b = a.unit, b.unit
    return ns


def xlsx(*rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "提交日期", "环节"])
    for r in rows:
        ws.append(list(r))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("提交名单.xlsx", buffer.getvalue())


def test_station_list_progress_and_export_show_only_its_unit(client, d, export_file):
    AnnualFiling.objects.create(enterprise=d.ent_a, year=Y, kind="self_report", sector="operation",
                                submitted_on=datetime.date(Y, 4, 2))
    client.force_login(d.user_a)
    page = client.get(reverse("enterprises:filing_list"), {"year": Y})
    assert [(r.enterprise.name, r.status) for r in page.context["objects"]] == [("五马医疗器械商行", "late")]
    progress = client.get(reverse("enterprises:filing_progress"), {"year": Y})
    table = progress.context["table"]
    assert [(p.unit, p.owed, p.late) for p in table.units] == [(d.unit_a, 1, 1)]
    workbook = export_file(client, reverse("enterprises:filing_export"), {"year": Y})
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:8] == ("年度", "类别", "企业名称", "统一社会信用代码", "监管单位", "环节", "截止日期", "状态")
    assert [(r[2], r[5], r[7], r[8].date()) for r in rows[1:]] == [
        ("五马医疗器械商行", "经营", "逾期提交", datetime.date(Y, 4, 2))]


def test_district_filters_by_status_and_unit(client, d):
    client.force_login(d.staff)
    page = client.get(reverse("enterprises:filing_list"), {"year": Y, "status": "missing"})
    assert sorted(r.enterprise.name for r in page.context["objects"]) == ["五马医疗器械商行", "藤桥医疗器械商行"]
    page = client.get(reverse("enterprises:filing_list"), {"year": Y, "unit": d.unit_b.pk})
    assert [r.enterprise.name for r in page.context["objects"]] == ["藤桥医疗器械商行"]


def test_record_page_saves_and_refuses_another_unit(client, d):
    client.force_login(d.user_a)
    url = reverse("enterprises:filing_record", args=[d.ent_a.pk]) + f"?year={Y}&kind=self_report"
    response = client.post(url, {"sector": "operation", "submitted_on": f"{Y}-03-20",
                                 "file": SimpleUploadedFile("自查报告.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 302
    filing = AnnualFiling.objects.get(enterprise=d.ent_a)
    assert filing.submitted_on == datetime.date(Y, 3, 20) and filing.file
    assert client.get(reverse("enterprises:filing_file", args=[filing.pk])).status_code == 200
    bad = client.post(url, {"sector": "operation", "submitted_on": "2999-01-01", "version": filing.version})
    assert bad.status_code == 200 and bad.context["form"].errors["submitted_on"]
    other = reverse("enterprises:filing_record", args=[d.ent_b.pk]) + f"?year={Y}"
    assert client.post(other, {"sector": "operation", "submitted_on": f"{Y}-03-20"}).status_code == 404
    client.force_login(d.user_b)
    assert client.get(reverse("enterprises:filing_file", args=[filing.pk])).status_code == 404
    assert AnnualFiling.objects.count() == 1


def test_import_page_runs_the_job_and_progress_moves(client, d, django_capture_on_commit_callbacks):
    client.force_login(d.user_a)
    before = client.get(reverse("enterprises:filing_progress"), {"year": Y}).context["table"].total
    assert (before.owed, before.submitted, before.missing) == (1, 0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:filing_import"),
                               {"year": Y, "kind": "self_report", "file": xlsx((d.ent_a.credit_code, "", f"{Y}-03-02", ""))})
    job = FilingImportJob.objects.get()
    assert response["Location"] == reverse("enterprises:filing_import_job", args=[job.pk])
    assert (job.status, job.created, job.unit) == ("success", 1, d.unit_a)
    assert "导入成功" in client.get(response["Location"]).content.decode()
    after = client.get(reverse("enterprises:filing_progress"), {"year": Y}).context["table"].total
    assert (after.owed, after.on_time, after.missing, after.rate) == (1, 1, 0, 100.0)
    # another user does not see the job
    client.force_login(d.user_b)
    assert client.get(reverse("enterprises:filing_import_job", args=[job.pk])).status_code == 404


def test_import_of_another_units_enterprise_fails_with_the_row(client, d, django_capture_on_commit_callbacks):
    client.force_login(d.user_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:filing_import"),
                    {"year": Y, "kind": "self_report", "file": xlsx((d.ent_b.credit_code, "", f"{Y}-03-02", ""))})
    job = FilingImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors == [{"row": 2, "column": "统一社会信用代码", "message": "“藤桥医疗器械商行”不属于本单位监管，不能导入"}]
    assert not AnnualFiling.objects.exists()


def test_orders_station_proposes_only_the_chief_confirms(client, d):
    client.force_login(d.user_a)
    page = client.get(reverse("enterprises:filing_orders"), {"year": Y})
    assert [r.enterprise for r in page.context["objects"]] == [d.ent_a]
    propose = reverse("enterprises:filing_order_propose", args=[d.ent_a.pk])
    client.post(propose, {"year": Y, "sector": Sector.OPERATION})
    filing = AnnualFiling.objects.get()
    assert filing.order_proposed_on == datetime.date.today()
    awaiting = client.get(reverse("enterprises:filing_orders"), {"year": Y, "state": "proposed"})
    assert [r.enterprise for r in awaiting.context["objects"]] == [d.ent_a]
    assert list(client.get(reverse("enterprises:filing_orders"), {"year": Y, "state": "none"}).context["objects"]) == []
    assert client.post(reverse("enterprises:filing_order_propose", args=[d.ent_b.pk]),
                       {"year": Y, "sector": "operation"}).status_code == 404
    assert client.post(reverse("enterprises:filing_order_confirm", args=[filing.pk])).status_code == 403
    client.force_login(d.staff)
    assert client.post(reverse("enterprises:filing_order_confirm", args=[filing.pk])).status_code == 403
    assert not CreditRecord.objects.exists()
    client.force_login(d.chief)
    client.post(reverse("enterprises:filing_order_confirm", args=[filing.pk]), {"version": filing.version})
    filing.refresh_from_db()
    assert filing.order_confirmed_by == d.chief
    assert CreditRecord.objects.get().enterprise == d.ent_a


def test_settings_page_district_edits_station_reads(client, d):
    client.force_login(d.user_a)
    assert client.get(reverse("enterprises:duty_settings"), {"year": 2026}).context["form"] is None
    assert client.post(reverse("enterprises:duty_settings"), {"year": 2026}).status_code == 403
    client.force_login(d.staff)
    data = {"year": 2026, "self_report_due": "2026-04-15", "responsibility_due": "2026-03-31",
            "long_suspension_days": 365, "renewal_window_start": 90, "renewal_window_end": 30,
            "udi_target_on": "2026-12-31", "notes": ""}
    assert client.post(reverse("enterprises:duty_settings"), data).status_code == 302
    assert DutyYear.objects.get(year=2026).self_report_due == datetime.date(2026, 4, 15)
    bad = client.post(reverse("enterprises:duty_settings"), data | {"self_report_due": "2027-03-31"})
    assert bad.context["form"].errors["self_report_due"] == ["截止日期应在2026年内"]
    # a new year takes it over
    assert client.get(reverse("enterprises:duty_settings"), {"year": 2027}).context["record"].self_report_due == \
        datetime.date(2027, 4, 15)


def test_api_lists_scoped_records_and_progress(d):
    AnnualFiling.objects.create(enterprise=d.ent_a, year=Y, kind="self_report", sector="operation",
                                submitted_on=datetime.date(Y, 3, 1))
    AnnualFiling.objects.create(enterprise=d.ent_b, year=Y, kind="self_report", sector="operation",
                                submitted_on=datetime.date(Y, 3, 1))
    api = APIClient()
    api.force_authenticate(d.user_a)
    listed = api.get("/api/annual-filings/", {"year": Y}).json()
    assert [r["enterprise_name"] for r in listed["results"]] == ["五马医疗器械商行"]
    progress = api.get("/api/annual-filings/progress/", {"year": Y}).json()
    assert [(u["unit"], u["owed"], u["on_time"], u["rate"]) for u in progress["units"]] == [(d.unit_a.pk, 1, 1, 100.0)]
    assert progress["total"]["unit"] is None and progress["due"] == f"{Y}-03-31"
    created = api.post("/api/annual-filings/", {"enterprise": d.ent_a.pk, "year": 2026, "kind": "self_report",
                                                "sector": "operation", "submitted_on": "2026-03-05"}, format="json")
    assert created.status_code == 201, created.json()
    refused = api.post("/api/annual-filings/", {"enterprise": d.ent_a.pk, "year": 2026, "kind": "self_report",
                                                "sector": "production", "submitted_on": "2026-03-05"}, format="json")
    assert refused.status_code == 400 and "sector" in refused.json()
    assert api.get("/api/annual-filings/progress/", {"year": "abc"}).status_code == 400


def test_list_reads_in_a_fixed_number_of_queries(client, d, django_assert_max_num_queries):
    for i in range(30):
        EnterpriseFactory(subdistrict=d.ent_a.subdistrict, name=f"五马第{i}医疗器械商行")
    client.force_login(d.staff)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("enterprises:filing_list"), {"year": Y})
    assert page.context["total"] == 32
