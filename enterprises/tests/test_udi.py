"""UDI rollout: coverage worked out by hand, hospitals without a row, evidence checks, the services' rules,
scoping of every page, export and API endpoint, manufacturers' coding records and their counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.choices import EnterpriseStatus
from enterprises.duties import udi_selectors as selectors
from enterprises.duties import udi_services as services
from enterprises.duties.udi_rules import BATCHES
from enterprises.models import DutyYear, HospitalUdi, ManufacturerUdi
from enterprises.tests.factories import EnterpriseFactory
from regsys.versioning import EditConflict

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1  # a finished year: every status date lies in the past
PDF = b"%PDF-1.4 acceptance letter"


def _hospital(sub, unit, name, grade="3a", **extra):
    return EnterpriseFactory(subdistrict=sub, owning_unit=unit, name=name, is_operator=False, is_user_unit=True,
                             institution_type="hospital", hospital_grade=grade, **extra)


def _row(hospital, status, on, year=YEAR):
    return HospitalUdi.objects.create(enterprise=hospital, year=year, status=status, status_on=on)


@pytest.fixture
def scene(district):
    """Station A supervises three 三甲 hospitals, station B one; plus hospitals that must not count."""
    a, b = district.station_a, district.station_b
    h1 = _hospital(district.sub_a, a, "温州市第一人民医院")
    h2 = _hospital(district.sub_a, a, "温州市中心医院")
    h3 = _hospital(district.sub_a, a, "温州医科大学附属眼视光医院")
    h4 = _hospital(district.sub_b, b, "温州市人民医院")
    _row(h1, "applied", dt.date(YEAR, 3, 1))
    _row(h2, "applied", dt.date(YEAR, 10, 1))
    _row(h3, "deploying", dt.date(YEAR, 5, 1))
    _row(h4, "applied", dt.date(YEAR - 1, 12, 1), year=YEAR - 1)  # last year's row: not this year's
    _row(_hospital(district.sub_b, b, "温州市第三人民医院", grade="3b"), "applied", dt.date(YEAR, 2, 1))
    _row(_hospital(district.sub_b, b, "温州市老城医院", status=EnterpriseStatus.CANCELLED), "applied",
         dt.date(YEAR, 2, 1))
    EnterpriseFactory(subdistrict=district.sub_a, owning_unit=a, name="五马社区诊所", is_user_unit=True,
                      institution_type="clinic")
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4}


# ---------------------------------------------------------------- coverage


def test_coverage_by_hand_for_the_district_and_each_unit(district, scene):
    # counted: h1, h2, h3 (station A) and h4 (station B); the 三乙 and the cancelled hospital are not
    mid_year = selectors.udi_coverage(YEAR, as_of=dt.date(YEAR, 6, 30))
    year_end = selectors.udi_coverage(YEAR)
    unit_a = selectors.udi_coverage(YEAR, unit=district.station_a)
    unit_b = selectors.udi_coverage(YEAR, unit=district.station_b)

    # on 30 June only h1 had applied (h2 from 1 October): 1 of 4 = 25.0%; h3 deploying since 1 May
    assert (mid_year.hospitals, mid_year.applied, mid_year.deploying, mid_year.not_started) == (4, 1, 1, 2)
    assert mid_year.percent == Decimal("25.0")
    # at the year's end: h1 and h2 of 4 = 50.0%
    assert (year_end.as_of, year_end.hospitals, year_end.applied, year_end.percent) == (
        dt.date(YEAR, 12, 31), 4, 2, Decimal("50.0"))
    assert (unit_a.hospitals, unit_a.applied, unit_a.percent) == (3, 2, Decimal("66.7"))  # 2/3
    assert (unit_b.hospitals, unit_b.applied, unit_b.percent) == (1, 0, Decimal("0.0"))  # last year's row ignored
    assert not year_end.met and year_end.overdue  # target 100% by 31 December not reached


def test_coverage_target_date_is_the_years_setting_and_met_at_100_percent(district, scene):
    DutyYear.objects.update_or_create(year=YEAR, defaults=dict(
        self_report_due=dt.date(YEAR, 3, 31), responsibility_due=dt.date(YEAR, 3, 31),
        udi_target_on=dt.date(YEAR, 11, 30)))
    HospitalUdi.objects.filter(enterprise=scene["h3"]).update(status="applied")

    coverage = selectors.udi_coverage(YEAR, unit=district.station_a)
    before_target = selectors.udi_coverage(YEAR, unit=district.station_b, as_of=dt.date(YEAR, 11, 1))

    assert coverage.target_on == dt.date(YEAR, 11, 30)
    assert (coverage.applied, coverage.hospitals, coverage.percent, coverage.met) == (3, 3, Decimal("100.0"), True)
    assert (before_target.met, before_target.overdue) == (False, False)


def test_no_hospital_gives_no_percentage(district):
    coverage = selectors.udi_coverage(YEAR, unit=district.station_a)
    assert (coverage.hospitals, coverage.percent, coverage.met) == (0, None, False)
    assert coverage.target_on == dt.date(YEAR, 12, 31)  # the default without a DutyYear row


def test_hospital_without_a_row_reads_not_started(district, scene):
    rows = {h.name: h for h in selectors.hospital_udi_list(user=district.section_user, year=YEAR)}

    assert sorted(rows) == ["温州医科大学附属眼视光医院", "温州市中心医院", "温州市人民医院", "温州市第一人民医院"]
    assert (rows["温州市人民医院"].udi_status, rows["温州市人民医院"].udi_record) == ("not_started", None)
    assert rows["温州医科大学附属眼视光医院"].udi_status == "deploying"
    assert not HospitalUdi.objects.filter(enterprise=scene["h4"], year=YEAR).exists()


# ---------------------------------------------------------------- recording a status


def test_recording_creates_the_years_row_with_evidence_and_history(district, scene):
    upload = SimpleUploadedFile("验收报告.pdf", PDF, content_type="application/pdf")

    record = services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="applied",
                                          status_on=dt.date(YEAR, 9, 1), note="已接入SPD系统", evidence=upload,
                                          by=district.inspector_b, version=1)

    assert (record.status, record.status_on, record.note, record.version) == (
        "applied", dt.date(YEAR, 9, 1), "已接入SPD系统", 2)
    assert record.evidence.read() == PDF
    assert [h.history_type for h in record.history.all()] == ["~", "+"]
    assert selectors.udi_coverage(YEAR, unit=district.station_b).applied == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("截图.pdf", b"just text", "内容与扩展名不符"),
    ("系统.exe", b"MZ\x90\x00", "文件类型不允许"),
    ("空.pdf", b"", "空文件"),
])
def test_bad_evidence_is_refused_and_nothing_is_saved(district, scene, name, content, message):
    upload = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as refused:
        services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="applied",
                                     status_on=dt.date(YEAR, 9, 1), evidence=upload, by=district.section_user,
                                     version=1)

    assert message in refused.value.message_dict["evidence"][0]
    assert not HospitalUdi.objects.filter(enterprise=scene["h4"], year=YEAR).exists()


def test_applied_needs_evidence_and_deploying_needs_a_date(district, scene):
    with pytest.raises(ValidationError) as no_file:
        services.hospital_udi_record(enterprise=scene["h3"], year=YEAR, status="applied",
                                     status_on=dt.date(YEAR, 9, 1), by=district.section_user, version=1)
    with pytest.raises(ValidationError) as no_date:
        services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="deploying", status_on=None,
                                     by=district.section_user, version=1)
    with pytest.raises(ValidationError) as future:
        services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="deploying",
                                     status_on=dt.date.today() + dt.timedelta(days=3), by=district.section_user,
                                     version=1)

    assert no_file.value.message_dict["evidence"] == ["已应用的须上传佐证材料（如UDI系统应用截图或验收文件）"]
    assert no_date.value.message_dict["status_on"] == ["部署中或已应用的须填写状态日期"]
    assert "status_on" in future.value.message_dict
    assert HospitalUdi.objects.get(enterprise=scene["h3"], year=YEAR).status == "deploying"
    assert not HospitalUdi.objects.filter(enterprise=scene["h4"], year=YEAR).exists()


def test_other_unit_auditor_and_non_counted_hospital_are_refused(district, scene):
    with pytest.raises(PermissionDenied):
        services.hospital_udi_record(enterprise=scene["h1"], year=YEAR, status="not_started", status_on=None,
                                     by=district.inspector_b, version=2)
    with pytest.raises(PermissionDenied):
        services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="not_started", status_on=None,
                                     by=district.auditor, version=1)
    clinic = _hospital(district.sub_a, district.station_a, "五马医院", grade="2a")
    with pytest.raises(ValidationError):
        services.hospital_udi_record(enterprise=clinic, year=YEAR, status="not_started", status_on=None,
                                     by=district.section_user, version=1)
    assert HospitalUdi.objects.get(enterprise=scene["h1"], year=YEAR).status == "applied"
    assert not HospitalUdi.objects.filter(enterprise__in=[scene["h4"], clinic], year=YEAR).exists()


def test_two_first_edits_conflict(district, scene):
    services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="deploying",
                                 status_on=dt.date(YEAR, 4, 1), by=district.section_user, version=1)

    with pytest.raises(EditConflict):
        services.hospital_udi_record(enterprise=scene["h4"], year=YEAR, status="not_started", status_on=None,
                                     by=district.inspector_b, version=1)

    assert HospitalUdi.objects.get(enterprise=scene["h4"], year=YEAR).status == "deploying"


# ---------------------------------------------------------------- pages and export


def test_list_page_shows_coverage_and_only_the_units_hospitals(client, district, scene):
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:udi_hospitals"), {"year": YEAR})

    page = response.content.decode()
    assert response.status_code == 200
    assert [h.name for h in response.context["objects"]] == [
        "温州医科大学附属眼视光医院", "温州市中心医院", "温州市第一人民医院"]
    assert "66.7%" in page and "按全部三级甲等医院统计" in page
    assert "温州市人民医院" not in page


def test_district_filters_by_status_and_sees_every_unit(client, district, scene):
    client.force_login(district.section_user)

    response = client.get(reverse("enterprises:udi_hospitals"), {"year": YEAR, "status": "not_started"})

    assert [h.name for h in response.context["objects"]] == ["温州市人民医院"]
    assert response.context["coverage"].hospitals == 4
    assert [(u.pk, c.applied) for u, c in response.context["by_unit"]] == [
        (district.station_a.pk, 2), (district.station_b.pk, 0)]


def test_edit_page_records_a_status_with_evidence(client, district, scene):
    client.force_login(district.inspector_b)
    url = reverse("enterprises:udi_hospital_edit", args=[scene["h4"].pk]) + f"?year={YEAR}"

    response = client.post(url, {"status": "applied", "status_on": f"{YEAR}-08-08", "note": "已应用", "version": "1",
                                 "evidence": SimpleUploadedFile("截图.png", b"\x89PNG\r\n\x1a\n0000")})

    assert response.status_code == 302
    record = HospitalUdi.objects.get(enterprise=scene["h4"], year=YEAR)
    assert (record.status, record.status_on, record.updated_by) == ("applied", dt.date(YEAR, 8, 8),
                                                                   district.inspector_b)
    evidence = client.get(reverse("enterprises:udi_hospital_evidence", args=[record.pk]))
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/png"
    history = client.get(url).context["history"]
    assert history[0]["reason"].startswith("上传佐证材料")


def test_edit_page_shows_field_errors_and_keeps_the_record(client, district, scene):
    client.force_login(district.section_user)
    url = reverse("enterprises:udi_hospital_edit", args=[scene["h3"].pk]) + f"?year={YEAR}"

    response = client.post(url, {"status": "applied", "status_on": f"{YEAR}-08-08", "version": "1",
                                 "evidence": SimpleUploadedFile("a.pdf", b"not a pdf")})

    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == ["“a.pdf”的内容与扩展名不符"]
    assert HospitalUdi.objects.get(enterprise=scene["h3"], year=YEAR).status == "deploying"


def test_station_user_cannot_open_or_change_another_units_hospital(client, district, scene):
    client.force_login(district.inspector_b)
    record = HospitalUdi.objects.get(enterprise=scene["h1"], year=YEAR)
    record.evidence.save("e.pdf", ContentFile(PDF))

    edit = client.post(reverse("enterprises:udi_hospital_edit", args=[scene["h1"].pk]),
                       {"status": "not_started", "version": "2"})
    evidence = client.get(reverse("enterprises:udi_hospital_evidence", args=[record.pk]))

    assert (edit.status_code, evidence.status_code) == (404, 404)
    assert HospitalUdi.objects.get(pk=record.pk).status == "applied"


def test_export_is_scoped_and_filtered(client, district, scene, export_file):
    client.force_login(district.inspector_a)

    book = export_file(client, reverse("enterprises:udi_hospital_export"), {"year": YEAR, "status": "applied"})

    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:7] == ("年度", "医院名称", "统一社会信用代码", "监管单位", "街道/镇", "UDI应用状态", "状态日期")
    assert [(r[1], r[5]) for r in rows[1:]] == [("温州市中心医院", "已应用"), ("温州市第一人民医院", "已应用")]


# ---------------------------------------------------------------- API


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_defaults_and_updates_with_version(district, scene):
    api = _api(district.inspector_b)

    listed = api.get("/api/hospital-udi/", {"year": YEAR}).json()
    updated = api.patch(f"/api/hospital-udi/{scene['h4'].pk}/?year={YEAR}",
                        {"status": "deploying", "status_on": f"{YEAR}-07-01", "version": 1}, format="json")
    stale = api.patch(f"/api/hospital-udi/{scene['h4'].pk}/?year={YEAR}", {"status": "not_started", "version": 1},
                      format="json")
    foreign = api.patch(f"/api/hospital-udi/{scene['h1'].pk}/?year={YEAR}", {"status": "not_started", "version": 2},
                        format="json")

    results = listed.get("results", listed)
    assert [(r["hospital_name"], r["status"], r["version"]) for r in results] == [("温州市人民医院", "not_started", 1)]
    assert updated.status_code == 200 and (updated.json()["status"], updated.json()["version"]) == ("deploying", 2)
    assert stale.status_code == 409
    assert foreign.status_code == 404
    assert HospitalUdi.objects.get(enterprise=scene["h1"], year=YEAR).status == "applied"


def test_api_refuses_applied_without_evidence_with_a_chinese_message(district, scene):
    response = _api(district.section_user).patch(f"/api/hospital-udi/{scene['h4'].pk}/?year={YEAR}",
                                                 {"status": "applied", "status_on": f"{YEAR}-07-01", "version": 1},
                                                 format="json")

    assert response.status_code == 400
    assert "佐证材料" in str(response.json()["evidence"])
    assert not HospitalUdi.objects.filter(enterprise=scene["h4"], year=YEAR).exists()


def test_api_coverage_is_the_callers_unit_or_the_district(district, scene):
    station = _api(district.inspector_a).get("/api/hospital-udi/coverage/", {"year": YEAR}).json()
    whole = _api(district.section_user).get("/api/hospital-udi/coverage/", {"year": YEAR}).json()

    assert (station["hospitals"], station["applied"], station["percent"]) == (3, 2, "66.7")
    assert (whole["hospitals"], whole["applied"], whole["percent"], whole["met"]) == (4, 2, "50.0", False)


# ---------------------------------------------------------------- manufacturers


@pytest.fixture
def makers(district):
    m1 = EnterpriseFactory(subdistrict=district.sub_a, owning_unit=district.station_a, name="温州康泰医疗器械有限公司",
                           is_manufacturer=True, is_registrant=True, max_device_class="3")
    m2 = EnterpriseFactory(subdistrict=district.sub_b, owning_unit=district.station_b, name="温州瑞达医用耗材有限公司",
                           is_manufacturer=True, max_device_class="2")
    EnterpriseFactory(subdistrict=district.sub_b, owning_unit=district.station_b, name="温州新华医疗器械科技有限公司",
                      is_registrant=True)
    return m1, m2


def test_manufacturer_counts_by_hand(district, makers):
    m1, m2 = makers
    ManufacturerUdi.objects.create(enterprise=m1, batch="2", coding="coded", checked_on=dt.date(YEAR, 3, 1))
    ManufacturerUdi.objects.create(enterprise=m1, batch="3", coding="partial", checked_on=dt.date(YEAR + 1, 1, 5))
    ManufacturerUdi.objects.create(enterprise=m2, batch="3", coding="not_coded")

    district_now = selectors.manufacturer_udi_counts()
    district_year = selectors.manufacturer_udi_counts(YEAR)
    unit_b = selectors.manufacturer_udi_counts(unit=district.station_b)

    batch = {c.batch: (c.coded, c.partial, c.not_coded) for c in district_now.batches}
    assert batch == {"1": (0, 0, 0), "2": (1, 0, 0), "3": (0, 1, 1), "none": (0, 0, 0)}
    # three manufacturers/registrants; the registrant 新华 has no record
    assert (district_now.manufacturers, district_now.without_record) == (3, 1)
    # by the year's end the partial record (checked next January) did not exist yet
    assert {c.batch: c.total for c in district_year.batches}["3"] == 1
    assert (unit_b.manufacturers, unit_b.without_record) == (2, 1)


def test_manufacturer_record_create_duplicate_and_edit(client, district, makers):
    m1, _ = makers
    client.force_login(district.inspector_a)
    data = {"enterprise": m1.pk, "batch": "2", "coding": "partial", "products": "血管支架", "checked_on": f"{YEAR}-05-05"}

    created = client.post(reverse("enterprises:udi_manufacturer_create"), data)
    duplicate = client.post(reverse("enterprises:udi_manufacturer_create"), data)
    record = ManufacturerUdi.objects.get(enterprise=m1)
    edited = client.post(reverse("enterprises:udi_manufacturer_edit", args=[record.pk]),
                         {**data, "coding": "coded", "version": "1"})

    assert created.status_code == 302
    assert duplicate.context["form"].errors["batch"] == ["该企业此批次已有记录，请修改原记录"]
    assert edited.status_code == 302
    record.refresh_from_db()
    assert (record.coding, record.version, ManufacturerUdi.objects.count()) == ("coded", 2, 1)


def test_manufacturer_list_shows_batch_dates_and_is_scoped(client, district, makers):
    m1, m2 = makers
    ManufacturerUdi.objects.create(enterprise=m1, batch="2", coding="coded")
    ManufacturerUdi.objects.create(enterprise=m2, batch="3", coding="partial")
    client.force_login(district.inspector_b)

    response = client.get(reverse("enterprises:udi_manufacturers"))

    page = response.content.decode()
    assert [r.enterprise.name for r in response.context["objects"]] == ["温州瑞达医用耗材有限公司"]
    assert all(b.starts_on.isoformat() in page for b in BATCHES if b.starts_on)
    assert [b.starts_on for b in BATCHES] == [dt.date(2021, 1, 1), dt.date(2022, 6, 1), dt.date(2024, 6, 1), None]


def test_manufacturer_api_refuses_another_units_enterprise_and_duplicates(district, makers):
    m1, m2 = makers
    api = _api(district.inspector_a)

    own = api.post("/api/manufacturer-udi/", {"enterprise": m1.pk, "batch": "3", "coding": "coded"}, format="json")
    again = api.post("/api/manufacturer-udi/", {"enterprise": m1.pk, "batch": "3", "coding": "coded"}, format="json")
    foreign = api.post("/api/manufacturer-udi/", {"enterprise": m2.pk, "batch": "3", "coding": "coded"}, format="json")

    assert own.status_code == 201
    assert again.status_code == 400 and again.json() == {"batch": ["该企业此批次已有记录，请修改原记录"]}
    assert foreign.status_code == 400 and list(foreign.json()) == ["enterprise"]
    assert list(ManufacturerUdi.objects.values_list("enterprise__name", "batch")) == [("温州康泰医疗器械有限公司", "3")]


def test_manufacturer_export_is_scoped(client, district, makers, export_file):
    m1, m2 = makers
    ManufacturerUdi.objects.create(enterprise=m1, batch="2", coding="coded", checked_on=dt.date(YEAR, 3, 1))
    ManufacturerUdi.objects.create(enterprise=m2, batch="3", coding="partial")
    client.force_login(district.inspector_a)

    book = export_file(client, reverse("enterprises:udi_manufacturer_export"))

    rows = list(book.active.iter_rows(values_only=True))
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [("温州康泰医疗器械有限公司", "第二批（其余第三类）", "已赋码并上传数据库")]


def test_demo_puts_the_hospitals_at_mixed_status_and_codes_a_few_manufacturers(district, scene, makers):
    import io

    from enterprises.duties.udi_demo import seed
    from regsys.bootstrap import DemoContext

    HospitalUdi.objects.all().delete()
    ctx = DemoContext(scale=0, seed=7, out=io.StringIO())

    summary = seed(ctx)

    year = ctx.year
    coverage = selectors.udi_coverage(year)
    # four counted hospitals by name: 已应用, 部署中, 未启动 (no row), 已应用
    assert (coverage.hospitals, coverage.applied, coverage.deploying, coverage.not_started) == (4, 2, 1, 1)
    assert all(r.evidence for r in HospitalUdi.objects.filter(year=year, status="applied"))
    # the class III maker gets batches 2 and 3, the class II maker batch 3
    assert sorted(ManufacturerUdi.objects.values_list("enterprise__name", "batch")) == [
        ("温州康泰医疗器械有限公司", "2"), ("温州康泰医疗器械有限公司", "3"), ("温州瑞达医用耗材有限公司", "3")]
    assert summary == "4 家三甲医院的UDI应用情况，3 条生产企业赋码记录"
