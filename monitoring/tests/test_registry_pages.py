"""Pages and exports of the registry-side AE inputs, end to end through the test client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory
from monitoring.models import MonitoringSettings, PopulationFigure, RegistrantRegistration, TrainingCourse
from monitoring.services import registry as services
from monitoring.services.registry import AttendanceInput, PopulationRow

from .registry_fixtures import PNG, reg_fixture  # noqa: F401  (reg_fixture provides the `reg` fixture)

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _rows(book) -> list[tuple]:
    sheet = book.active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# ---------------------------------------------------------------- registrations


def test_station_list_and_export_show_only_its_registrants(export_file, client, reg):
    services.registration_update(enterprise=reg.registrant_a, registered=True, registered_on=dt.date(2025, 3, 1),
                                 by=reg.user_a)
    client.force_login(reg.user_a)

    page = client.get(reverse("monitoring:registration_list"))
    export = export_file(client, reverse("monitoring:registration_export"))

    assert [e.name for e in page.context["objects"]] == ["五马医疗科技有限公司"]
    assert (page.context["registered_count"], page.context["unregistered_count"], page.context["rate"]) == (1, 0, 100.0)
    rows = _rows(export)
    assert rows[0][:7] == ("企业名称", "统一社会信用代码", "监管单位", "街道/镇", "经营状态", "注册情况", "注册日期")
    assert [(r[0], r[5], r[6]) for r in rows[1:]] == [("五马医疗科技有限公司", "已注册", "2025-03-01")]


def test_district_filter_lists_the_unregistered_with_a_newcomer(export_file, client, reg):
    services.registration_update(enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY,
                                 by=reg.user_a)
    EnterpriseFactory(name="新注册人", subdistrict=reg.sub_b, is_registrant=True)
    client.force_login(reg.manager)

    page = client.get(reverse("monitoring:registration_list"), {"registered": "no"})
    export = export_file(client, reverse("monitoring:registration_export"), {"registered": "no"})

    # 3 registrants, 1 registered: the summary counts the filtered list (2 unregistered, 0 registered)
    assert sorted(e.name for e in page.context["objects"]) == ["新注册人", "藤桥医疗器械有限公司"]
    assert sorted(r[0] for r in _rows(export)[1:]) == ["新注册人", "藤桥医疗器械有限公司"]
    all_page = client.get(reverse("monitoring:registration_list"))
    assert (all_page.context["registered_count"], all_page.context["unregistered_count"],
            all_page.context["rate"]) == (1, 2, 33.3)


def test_registration_edit_page_uploads_evidence_and_shows_history(client, reg):
    client.force_login(reg.user_a)
    url = reverse("monitoring:registration_edit", args=[reg.registrant_a.pk])

    form = client.get(url)
    response = client.post(url, {"registered": "True", "registered_on": YESTERDAY.isoformat(), "note": "截图已存",
                                 "version": form.context["form"].initial["version"],
                                 "evidence": SimpleUploadedFile("注册页面.png", PNG, content_type="image/png")})

    assert response.status_code == 302
    record = RegistrantRegistration.objects.get(enterprise=reg.registrant_a)
    assert (record.registered, record.registered_on, record.evidence_name) == (True, YESTERDAY, "注册页面.png")
    download = client.get(reverse("monitoring:registration_evidence", args=[record.pk]))
    assert b"".join(download.streaming_content) == PNG
    assert "注册页面.png" in client.get(url).content.decode()


def test_registration_edit_page_shows_the_date_error_and_saves_nothing(client, reg):
    client.force_login(reg.user_a)
    url = reverse("monitoring:registration_edit", args=[reg.registrant_a.pk])

    response = client.post(url, {"registered": "True", "registered_on": "", "version": 1})

    assert response.status_code == 200
    assert response.context["form"].errors["registered_on"] == ["已注册的须填写注册日期"]
    assert not RegistrantRegistration.objects.exists()


def test_another_units_registrant_and_evidence_are_not_found(client, reg):
    record = services.registration_update(enterprise=reg.registrant_b, registered=True, registered_on=YESTERDAY,
                                          by=reg.user_b, evidence=SimpleUploadedFile("b.png", PNG))
    client.force_login(reg.user_a)

    assert client.get(reverse("monitoring:registration_edit", args=[reg.registrant_b.pk])).status_code == 404
    assert client.post(reverse("monitoring:registration_edit", args=[reg.registrant_b.pk]),
                       {"registered": "False", "version": record.version}).status_code == 404
    assert client.get(reverse("monitoring:registration_evidence", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.registered is True


# ---------------------------------------------------------------- population


def _population_post(reg, rows: list[tuple], year: int = 2026) -> dict:
    data = {"year": year, "pop-TOTAL_FORMS": len(rows), "pop-INITIAL_FORMS": len(rows)}
    for index, (sd, population, source, version) in enumerate(rows):
        data.update({f"pop-{index}-subdistrict": sd.pk, f"pop-{index}-population": population,
                     f"pop-{index}-source": source, f"pop-{index}-version": version or ""})
    return data


def test_district_saves_the_year_in_one_form_and_sees_totals(client, reg):
    client.force_login(reg.manager)
    url = reverse("monitoring:population")

    form = client.get(url, {"year": 2026})
    response = client.post(url, _population_post(reg, [(reg.sub_a, 120000, "统计公报", None),
                                                       (reg.sub_a2, 80000, "统计公报", None),
                                                       (reg.sub_b, "", "", None)]))
    page = client.get(url, {"year": 2026})

    assert len(form.context["formset"].forms) == 3
    assert response.status_code == 302
    assert dict(PopulationFigure.objects.values_list("subdistrict__name", "population")) == {
        "五马街道": 120000, "松台街道": 80000}
    # 全区 = 120,000 + 80,000; 藤桥镇 not entered yet
    assert page.context["table"].district_total == 200000
    assert page.context["table"].missing == 1
    assert "本年度还有1个街道/镇未填写常住人口" in page.content.decode()


def test_population_form_refuses_negative_and_sourceless_rows(client, reg):
    client.force_login(reg.manager)

    response = client.post(reverse("monitoring:population"), _population_post(reg, [
        (reg.sub_a, -5, "统计公报", None), (reg.sub_a2, 80000, "", None), (reg.sub_b, 50000, "七普", None)]))

    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[0].errors["population"] == ["常住人口不能为负数"]
    assert forms[1].errors["source"] == ["请填写数据来源"]
    assert PopulationFigure.objects.count() == 0


def test_population_start_from_last_year_prefills_without_saving(client, reg):
    services.population_save(year=2025, by=reg.manager, rows=[PopulationRow(reg.sub_a, 118000, "2024年公报")])
    client.force_login(reg.manager)

    page = client.get(reverse("monitoring:population"), {"year": 2026, "start": "previous"})

    first = page.context["formset"].forms[0]
    assert (first.initial["population"], first.initial["source"]) == (118000, "沿用2025年：2024年公报")
    assert not PopulationFigure.objects.filter(year=2026).exists()


def test_station_reads_its_own_population_and_cannot_write(client, reg):
    services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, 1000, "甲"),
                                                               PopulationRow(reg.sub_b, 2000, "乙")])
    client.force_login(reg.user_a)

    page = client.get(reverse("monitoring:population"), {"year": 2026})
    refused = client.post(reverse("monitoring:population"), _population_post(reg, [(reg.sub_b, 1, "改", 1)]))

    assert page.context["formset"] is None
    assert [u.unit.short_name for u in page.context["table"].units] == ["五马所"]
    assert "藤桥镇" not in page.content.decode()
    assert refused.status_code == 403
    assert PopulationFigure.objects.get(subdistrict=reg.sub_b).population == 2000


# ---------------------------------------------------------------- settings


def test_settings_page_creates_defaults_for_the_section_and_saves(client, reg):
    client.force_login(reg.manager)
    url = reverse("monitoring:monitoring_settings")

    page = client.get(url, {"year": 2026})
    record = MonitoringSettings.objects.get(year=2026)
    data = {"year": 2026, "version": record.version, "district_rule": "all_imported", "per_million_target": "500",
            "registration_target": "100", "coverage_target": "95", "death_limit_days": 7, "serious_limit_days": 20,
            "evaluation_due_days": 10, "cluster_min_reports": 3, "cluster_window_days": 30,
            "late_report_counts_in_grading": "on"}
    response = client.post(url, data)

    assert "哪些报告计入本区" in page.content.decode()
    assert "默认值，可修改" in page.content.decode()
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.district_rule, record.per_million_target, record.coverage_target,
            record.late_report_counts_in_grading, record.updated_by) == ("all_imported", 500, 95, True, reg.manager)


def test_settings_page_is_read_only_for_stations_and_writes_nothing(client, reg):
    client.force_login(reg.user_a)
    url = reverse("monitoring:monitoring_settings")

    page = client.get(url, {"year": 2026})
    refused = client.post(url, {"year": 2026, "per_million_target": "1"})

    assert page.status_code == 200
    assert page.context["form"] is None
    assert "本年度设置尚未由药械科确认" in page.content.decode()
    assert refused.status_code == 403
    assert not MonitoringSettings.objects.exists()


# ---------------------------------------------------------------- training


def _training_post(rows: list[tuple], **fields) -> dict:
    data = {"held_on": YESTERDAY.isoformat(), "topic": "不良事件监测培训", "location": "会议室", "note": "",
            "att-TOTAL_FORMS": len(rows), "att-INITIAL_FORMS": 0, **fields}
    for index, (enterprise, people, names) in enumerate(rows):
        data.update({f"att-{index}-enterprise": f"{enterprise.credit_code} {enterprise.name}",
                     f"att-{index}-people": people, f"att-{index}-names": names})
    return data


def test_station_records_a_course_with_its_enterprises(client, reg):
    other = EnterpriseFactory(name="五马药店", subdistrict=reg.sub_a, is_operator=True)
    client.force_login(reg.user_a)

    form = client.get(reverse("monitoring:training_create"))
    response = client.post(reverse("monitoring:training_create"),
                           _training_post([(reg.registrant_a, 2, "张三、李四"), (other, 1, "王五")]))

    course = TrainingCourse.objects.get()
    assert response.status_code == 302
    assert f"{reg.registrant_a.credit_code} {reg.registrant_a.name}" in form.context["options"]
    assert f"{reg.registrant_b.credit_code} {reg.registrant_b.name}" not in form.context["options"]
    assert (course.unit, course.topic) == (reg.station_a, "不良事件监测培训")
    assert sorted(course.attendances.values_list("enterprise__name", "people")) == [
        ("五马医疗科技有限公司", 2), ("五马药店", 1)]
    detail = client.get(reverse("monitoring:training_detail", args=[course.pk]))
    assert "2家企业，3人" in detail.content.decode()


def test_course_form_refuses_another_units_enterprise(client, reg):
    client.force_login(reg.user_a)

    response = client.post(reverse("monitoring:training_create"), _training_post([(reg.registrant_b, 1, "")]))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["enterprise"] == ["请从列表中选择企业（按名称或统一社会信用代码）"]
    assert not TrainingCourse.objects.exists()


def test_course_edit_and_export_stay_within_the_unit(export_file, client, reg):
    mine = services.training_create(held_on=YESTERDAY, topic="五马培训", attendances=[
        AttendanceInput(reg.registrant_a, 2)], by=reg.user_a)
    theirs = services.training_create(held_on=YESTERDAY, topic="藤桥培训", attendances=[
        AttendanceInput(reg.registrant_b, 4)], by=reg.user_b)
    client.force_login(reg.user_a)

    edited = client.post(reverse("monitoring:training_edit", args=[mine.pk]),
                         _training_post([(reg.registrant_a, 5, "")], topic="五马培训（补）", version=mine.version,
                                        **{"att-INITIAL_FORMS": 1}))
    export = _rows(export_file(client, reverse("monitoring:training_export")))
    listed = client.get(reverse("monitoring:training_list"))

    assert edited.status_code == 302
    mine.refresh_from_db()
    assert (mine.topic, mine.attendances.get().people) == ("五马培训（补）", 5)
    assert [r[1] for r in export[1:]] == ["五马培训（补）"]
    assert listed.context["year_counts"] == [{"year": YESTERDAY.year, "courses": 1, "enterprises": 1, "people": 5}]
    for name in ("monitoring:training_detail", "monitoring:training_edit"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("name", ["monitoring:training_create", "monitoring:registration_edit"])
def test_auditor_cannot_open_write_pages(client, reg, name):
    client.force_login(reg.auditor)
    args = [reg.registrant_a.pk] if name == "monitoring:registration_edit" else []
    assert client.get(reverse(name, args=args)).status_code == 403
