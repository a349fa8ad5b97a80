"""Services and selectors of the registry-side AE inputs: registrations, population, settings, trainings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.choices import EnterpriseStatus
from enterprises.tests.factories import EnterpriseFactory
from monitoring import registry_selectors as selectors
from monitoring.choices import DistrictRule
from monitoring.models import MonitoringSettings, PopulationFigure, RegistrantRegistration, TrainingCourse
from monitoring.services import registry as services
from monitoring.services.registry import AttendanceInput, PopulationRow
from regsys.versioning import EditConflict

from .registry_fixtures import PDF, PNG, reg_fixture  # noqa: F401  (reg_fixture provides the `reg` fixture)

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


# ---------------------------------------------------------------- registrations


def test_a_new_registrant_appears_unregistered_without_anyone_doing_anything(reg):
    newcomer = EnterpriseFactory(name="新设注册人有限公司", subdistrict=reg.sub_a, is_manufacturer=True,
                                 is_registrant=True)
    EnterpriseFactory(name="普通经营企业", subdistrict=reg.sub_a, is_operator=True)
    EnterpriseFactory(name="已注销注册人", subdistrict=reg.sub_a, is_registrant=True, status=EnterpriseStatus.CANCELLED)

    listed = list(selectors.registrant_list(user=reg.user_a))
    unregistered = list(selectors.registrant_list(user=reg.user_a).filter(selectors.registered_q(False)))

    assert [e.name for e in listed] == ["五马医疗科技有限公司", "新设注册人有限公司"]
    assert newcomer in unregistered
    assert not RegistrantRegistration.objects.filter(enterprise=newcomer).exists()


def test_registration_ensure_creates_once_and_refuses_a_non_registrant(reg):
    first = services.registration_ensure(enterprise=reg.registrant_a)
    again = services.registration_ensure(enterprise=reg.registrant_a)
    operator = EnterpriseFactory(subdistrict=reg.sub_a, is_operator=True)

    with pytest.raises(ValidationError):
        services.registration_ensure(enterprise=operator)

    assert first.pk == again.pk
    assert (first.registered, first.version) == (False, 1)
    assert RegistrantRegistration.objects.count() == 1


def test_station_user_records_registration_with_date_and_history(reg):
    record = services.registration_update(enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY,
                                          note="已核实", by=reg.user_a)

    assert (record.registered, record.registered_on, record.note, record.updated_by) == (
        True, YESTERDAY, "已核实", reg.user_a)
    assert record.history.first().history_user == reg.user_a
    assert list(selectors.registrant_list(user=reg.manager).filter(selectors.registered_q(True))) == [
        reg.registrant_a]


@pytest.mark.parametrize(("registered", "day", "field_message"), [
    (True, None, "已注册的须填写注册日期"),
    (True, TODAY + dt.timedelta(days=1), "注册日期不能晚于今天"),
    (False, YESTERDAY, "未注册的不填写注册日期"),
])
def test_registration_date_rules_refuse_and_change_nothing(reg, registered, day, field_message):
    with pytest.raises(ValidationError) as refused:
        services.registration_update(enterprise=reg.registrant_a, registered=registered, registered_on=day,
                                     by=reg.user_a)

    assert refused.value.message_dict == {"registered_on": [field_message]}
    assert not RegistrantRegistration.objects.filter(registered=True).exists()


def test_registration_today_is_accepted(reg):
    record = services.registration_update(enterprise=reg.registrant_a, registered=True, registered_on=TODAY,
                                          by=reg.user_a)
    assert record.registered_on == TODAY


def test_another_units_registrant_and_the_auditor_are_refused(reg):
    with pytest.raises(PermissionDenied):
        services.registration_update(enterprise=reg.registrant_b, registered=True, registered_on=YESTERDAY,
                                     by=reg.user_a)
    with pytest.raises(PermissionDenied):
        services.registration_update(enterprise=reg.registrant_b, registered=True, registered_on=YESTERDAY,
                                     by=reg.auditor)
    assert RegistrantRegistration.objects.count() == 0


def test_evidence_upload_is_stored_with_its_name_and_replaced_by_the_next(reg, django_capture_on_commit_callbacks):
    first = services.registration_update(
        enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY, by=reg.user_a,
        evidence=SimpleUploadedFile("注册截图.png", PNG, content_type="image/png"))
    old_name = first.evidence.name

    with django_capture_on_commit_callbacks(execute=True):
        second = services.registration_update(
            enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY, by=reg.user_a,
            evidence=SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"), version=first.version)

    assert first.evidence_name == "注册截图.png"
    assert second.evidence_name == "证明.pdf"
    assert second.evidence.read() == PDF
    assert not default_storage.exists(old_name)
    assert second.history.first().history_change_reason == "上传佐证材料：证明.pdf"


@pytest.mark.parametrize(("name", "content"), [
    ("截图.png", b"not an image at all"),
    ("说明.docx", b"PK\x03\x04"),
    ("空.pdf", b""),
])
def test_bad_evidence_is_refused_and_nothing_is_saved(reg, name, content):
    with pytest.raises(ValidationError) as refused:
        services.registration_update(enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY,
                                     by=reg.user_a, evidence=SimpleUploadedFile(name, content))

    assert list(refused.value.message_dict) == ["evidence"]
    assert not RegistrantRegistration.objects.filter(registered=True).exists()


def test_clear_evidence_removes_the_file(reg, django_capture_on_commit_callbacks):
    record = services.registration_update(
        enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY, by=reg.user_a,
        evidence=SimpleUploadedFile("a.png", PNG))
    stored = record.evidence.name

    with django_capture_on_commit_callbacks(execute=True):
        record = services.registration_update(enterprise=reg.registrant_a, registered=True,
                                              registered_on=YESTERDAY, by=reg.user_a, clear_evidence=True,
                                              version=record.version)

    assert (record.evidence.name, record.evidence_name) == ("", "")
    assert not default_storage.exists(stored)


def test_stale_registration_edit_is_a_conflict(reg):
    record = services.registration_update(enterprise=reg.registrant_a, registered=True, registered_on=YESTERDAY,
                                          by=reg.user_a)

    with pytest.raises(EditConflict):
        services.registration_update(enterprise=reg.registrant_a, registered=False, registered_on=None,
                                     by=reg.manager, version=record.version - 1)

    record.refresh_from_db()
    assert record.registered is True


# ---------------------------------------------------------------- population


def test_population_saved_with_totals_per_unit_and_district(reg):
    services.population_save(year=2026, by=reg.manager, rows=[
        PopulationRow(reg.sub_a, 120000, "2025年统计公报"), PopulationRow(reg.sub_a2, 80000, "2025年统计公报"),
        PopulationRow(reg.sub_b, 50500, "七普数据"),
    ])

    table = selectors.population_table(year=2026, user=reg.manager)
    station_table = selectors.population_table(year=2026, user=reg.user_a)

    # 五马所 = 120,000 + 80,000 = 200,000; 藤桥所 = 50,500; 全区 = 250,500
    assert [(u.unit.short_name, u.total, u.missing) for u in table.units] == [("五马所", 200000, 0), ("藤桥所", 50500, 0)]
    assert table.district_total == 250500
    assert [(u.unit.short_name, u.total) for u in station_table.units] == [("五马所", 200000)]
    assert station_table.district_total is None


@pytest.mark.parametrize(("population", "source", "message"), [
    (-1, "统计公报", "五马街道：常住人口不能为负数"),
    (1000, "  ", "五马街道：请填写数据来源"),
    (None, "统计公报", "五马街道：填写了数据来源，请同时填写常住人口"),
    (services.MAX_POPULATION + 1, "统计公报", f"五马街道：常住人口不能超过{services.MAX_POPULATION}"),
])
def test_population_rows_are_checked_and_nothing_is_saved(reg, population, source, message):
    with pytest.raises(ValidationError) as refused:
        services.population_save(year=2026, by=reg.manager, rows=[
            PopulationRow(reg.sub_b, 50000, "七普数据"), PopulationRow(reg.sub_a, population, source)])

    assert refused.value.messages == [message]
    assert PopulationFigure.objects.count() == 0


def test_population_zero_is_a_figure_and_a_cleared_row_removes_it(reg):
    services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, 0, "无常住人口（开发区）")])
    figure = PopulationFigure.objects.get()

    services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, None, "", figure.version)])

    assert figure.population == 0
    assert PopulationFigure.objects.count() == 0
    assert PopulationFigure.history.filter(history_type="-").get().history_user == reg.manager


def test_population_only_by_the_district_section(reg):
    for user in (reg.user_a, reg.enforcement, reg.auditor):
        with pytest.raises(PermissionDenied):
            services.population_save(year=2026, by=user, rows=[PopulationRow(reg.sub_a, 1000, "x")])
    assert PopulationFigure.objects.count() == 0


def test_population_stale_version_is_a_conflict(reg):
    services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, 1000, "甲")])
    services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, 2000, "乙", 1)])

    with pytest.raises(EditConflict):
        services.population_save(year=2026, by=reg.manager, rows=[PopulationRow(reg.sub_a, 3000, "丙", 1)])

    assert PopulationFigure.objects.get().population == 2000


def test_start_values_copy_last_year_and_fall_back_to_the_subdistrict_figure(reg):
    services.population_save(year=2025, by=reg.manager, rows=[PopulationRow(reg.sub_a, 120000, "2024年统计公报")])
    reg.sub_b.population = 51000
    reg.sub_b.save()

    values = selectors.population_start_values(year=2026)

    assert values == {reg.sub_a.pk: (120000, "沿用2025年：2024年统计公报"), reg.sub_b.pk: (51000, "街道/镇基础资料")}
    assert not PopulationFigure.objects.filter(year=2026).exists()


# ---------------------------------------------------------------- settings


def test_settings_created_with_defaults_then_copied_to_the_next_year(reg):
    first = services.settings_ensure(year=2025)
    services.settings_update(record=first, changes={"per_million_target": Decimal("500.0"),
                                                    "late_report_counts_in_grading": True},
                             by=reg.manager, version=first.version)
    second = services.settings_ensure(year=2026)

    assert (first.per_million_target, first.death_limit_days, first.serious_limit_days) == (480, 7, 20)
    assert (second.per_million_target, second.late_report_counts_in_grading) == (Decimal("500.0"), True)
    assert services.settings_ensure(year=2026).pk == second.pk
    assert MonitoringSettings.objects.count() == 2


def test_settings_for_year_reads_without_writing(reg):
    record = selectors.settings_for_year(2026)
    assert record.pk is None
    assert record.district_rule == DistrictRule.REPORTER_IN_DISTRICT
    assert MonitoringSettings.objects.count() == 0


def test_settings_editable_only_by_the_district_section(reg):
    record = services.settings_ensure(year=2026)
    for user in (reg.user_a, reg.enforcement, reg.auditor):
        with pytest.raises(PermissionDenied):
            services.settings_update(record=record, changes={"per_million_target": 1}, by=user,
                                     version=record.version)
    record.refresh_from_db()
    assert record.per_million_target == 480


def test_settings_values_are_checked(reg):
    record = services.settings_ensure(year=2026)
    with pytest.raises(ValidationError) as refused:
        services.settings_update(record=record, changes={"coverage_target": Decimal("120"), "death_limit_days": 30,
                                                         "cluster_min_reports": 1}, by=reg.manager,
                                 version=record.version)
    assert set(refused.value.message_dict) == {"coverage_target", "death_limit_days", "cluster_min_reports"}
    record.refresh_from_db()
    assert (record.coverage_target, record.death_limit_days) == (100, 7)


# ---------------------------------------------------------------- training


def test_station_records_its_own_course_and_counts_per_year(reg):
    other = EnterpriseFactory(name="五马药店", subdistrict=reg.sub_a, is_operator=True)
    services.training_create(held_on=dt.date(2025, 5, 6), topic="不良事件报告要求", location="五马所会议室",
                             attendances=[AttendanceInput(reg.registrant_a, 2, "张三、李四"),
                                          AttendanceInput(other, 1, "王五")], by=reg.user_a)
    services.training_create(held_on=dt.date(2025, 9, 1), topic="可疑即报", attendances=[
        AttendanceInput(reg.registrant_a, 3)], by=reg.user_a)
    services.training_create(held_on=dt.date(2024, 3, 1), topic="上年培训", attendances=[
        AttendanceInput(other, 4)], by=reg.user_a)
    services.training_create(held_on=dt.date(2025, 6, 1), topic="藤桥所培训", attendances=[
        AttendanceInput(reg.registrant_b, 5)], by=reg.user_b)

    own = selectors.training_year_counts(selectors.training_list(user=reg.user_a))
    everything = selectors.training_year_counts(selectors.training_list(user=reg.manager))

    # 五马所 2025: 2 courses; enterprises {五马医疗, 五马药店} = 2; people 2 + 1 + 3 = 6. 2024: 1, 1, 4.
    assert own == [{"year": 2025, "courses": 2, "enterprises": 2, "people": 6},
                   {"year": 2024, "courses": 1, "enterprises": 1, "people": 4}]
    # 全区 2025 adds 藤桥所's course: 3 courses, 3 enterprises, 6 + 5 = 11 people.
    assert everything[0] == {"year": 2025, "courses": 3, "enterprises": 3, "people": 11}
    assert set(TrainingCourse.objects.values_list("unit__short_name", flat=True)) == {"五马所", "藤桥所"}


@pytest.mark.parametrize(("rows", "message"), [
    (lambda r: [], "请至少填写一家参训企业"),
    (lambda r: [AttendanceInput(r.registrant_b, 1)], "藤桥医疗器械有限公司：不在你的监管范围内"),
    (lambda r: [AttendanceInput(r.registrant_a, 0)], "五马医疗科技有限公司：参训人数须在1–9999之间"),
    (lambda r: [AttendanceInput(r.registrant_a, 1, "张三、李四")], "五马医疗科技有限公司：填写的参训人员多于参训人数"),
    (lambda r: [AttendanceInput(r.registrant_a, 1), AttendanceInput(r.registrant_a, 2)],
     "五马医疗科技有限公司：重复填写"),
])
def test_course_attendance_rows_are_checked(reg, rows, message):
    with pytest.raises(ValidationError) as refused:
        services.training_create(held_on=YESTERDAY, topic="培训", attendances=rows(reg), by=reg.user_a)

    assert refused.value.message_dict == {"attendances": [message]}
    assert TrainingCourse.objects.count() == 0


def test_course_for_another_unit_or_in_the_future_is_refused(reg):
    with pytest.raises(PermissionDenied):
        services.training_create(held_on=YESTERDAY, topic="培训", unit=reg.station_b,
                                 attendances=[AttendanceInput(reg.registrant_a, 1)], by=reg.user_a)
    with pytest.raises(ValidationError) as refused:
        services.training_create(held_on=TODAY + dt.timedelta(days=1), topic="培训",
                                 attendances=[AttendanceInput(reg.registrant_a, 1)], by=reg.user_a)
    assert refused.value.message_dict == {"held_on": ["培训日期不能晚于今天"]}
    assert TrainingCourse.objects.count() == 0


def test_course_update_replaces_attendances_and_checks_the_version(reg):
    course = services.training_create(held_on=YESTERDAY, topic="培训", attendances=[
        AttendanceInput(reg.registrant_a, 2)], by=reg.user_a)
    other = EnterpriseFactory(name="五马药店", subdistrict=reg.sub_a, is_operator=True)

    course = services.training_update(course=course, held_on=YESTERDAY, topic="培训（更正）",
                                      attendances=[AttendanceInput(other, 3, "王五")], by=reg.user_a,
                                      version=course.version)
    with pytest.raises(EditConflict):
        services.training_update(course=course, held_on=YESTERDAY, topic="旧版本", attendances=[
            AttendanceInput(other, 1)], by=reg.user_a, version=1)
    with pytest.raises(PermissionDenied):
        services.training_update(course=course, held_on=YESTERDAY, topic="他所", attendances=[
            AttendanceInput(other, 1)], by=reg.user_b, version=course.version)

    course.refresh_from_db()
    assert course.topic == "培训（更正）"
    assert [(a.enterprise.name, a.people, a.names) for a in course.attendances.all()] == [("五马药店", 3, "王五")]
