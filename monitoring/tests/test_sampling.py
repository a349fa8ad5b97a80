"""Sampling services: steps in order, due dates from the rules, the 7-working-day 复检 window, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import CalendarDay, CalendarDayKind
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from monitoring.choices import RetestStatus
from monitoring.models import Sample, SampleStep, SamplingStepRule, SamplingTask
from monitoring.services import sampling as services

from .factories import SamplingTaskFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 receipt"


def receipt(name: str = "送达回执.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def mid_autumn_2024() -> None:
    """中秋 2024: 9/15–9/17 off, Saturday 9/14 worked in exchange (国办发明电〔2023〕7号; the defaults hold them too)."""
    for day in (15, 16, 17):
        CalendarDay.objects.update_or_create(date=dt.date(2024, 9, day), defaults={"kind": CalendarDayKind.HOLIDAY, "name": "中秋节"})
    CalendarDay.objects.update_or_create(date=dt.date(2024, 9, 14), defaults={"kind": CalendarDayKind.WORKDAY, "name": "中秋节调休"})


@pytest.fixture
def officers(district):
    return [district.inspector_a, UserFactory(username="wuma2", full_name="五马检查员二", unit=district.station_a)]


@pytest.fixture
def shop(district):
    return EnterpriseFactory(name="温州五马大药房有限公司", subdistrict=district.sub_a)


def make_sample(district, shop, officers, **extra) -> Sample:
    fields = dict(task=SamplingTaskFactory(), sample_no="SC2024-0001", enterprise=shop, link="operation",
                  product_name="一次性使用无菌注射器", registrant_name="浙江康康医疗器械有限公司", model_spec="5ml",
                  batch="20240305", quantity="200支", sampled_on=dt.date(2024, 8, 1))
    fields.update(extra)
    return services.sample_create(by=district.inspector_a, officers=officers, **fields)


def record(sample, step, day, by, **extra):
    return services.sample_step_record(sample=Sample.objects.get(pk=sample.pk), step=step, done_on=day, by=by,
                                       **extra)


def walk_to_delivery(district, sample, *, conclusion="failed", delivered=dt.date(2024, 9, 12)):
    by = district.inspector_a
    record(sample, "data_entered", dt.date(2024, 8, 2), by)
    record(sample, "report_received", dt.date(2024, 9, 5), by, lab="浙江省医疗器械检验研究院", report_no="QW2024-118",
           conclusion=conclusion, failed_items="无菌" if conclusion == "failed" else "")
    record(sample, "report_delivered", delivered, by)
    return Sample.objects.get(pk=sample.pk)


def test_defaults_are_loaded_by_the_migration():
    rules = {r.step: (r.days, r.working_days) for r in SamplingStepRule.objects.all()}
    assert rules == {"data_entered": (5, False), "report_received": (30, False), "report_delivered": (5, True),
                     "receipt_uploaded": (3, True), "retest_window": (7, True), "concluded": (5, True)}


def test_create_records_the_sampling_step_and_the_next_due_date(district, shop, officers):
    sample = make_sample(district, shop, officers)
    assert sample.unit == district.station_a
    steps = list(sample.steps.order_by("id").values_list("step", "due_on", "done_on"))
    # 数据录入: 5 calendar days after 2024-08-01
    assert steps == [("sampled", None, dt.date(2024, 8, 1)), ("data_entered", dt.date(2024, 8, 6), None)]
    assert (sample.next_step, sample.next_due_on) == ("data_entered", dt.date(2024, 8, 6))


def test_the_retest_window_is_seven_working_days_skipping_mid_autumn(district, shop, officers):
    mid_autumn_2024()
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    # Thu 9/12 delivery: 9/13 (1), Sat 9/14 调休 (2), 9/15–17 holiday, 9/18 (3), 19 (4), 20 (5), 23 (6), 24 (7)
    assert services.retest_last_day(sample) == dt.date(2024, 9, 24)
    # 送达回执: 3 working days: 9/13, 9/14, 9/18
    assert (sample.next_step, sample.next_due_on) == ("receipt_uploaded", dt.date(2024, 9, 18))
    # 结论确认: 5 working days after the window's last day 9/24: 25, 26, 27, Sun 9/29 (国庆调休, from the
    # default calendar the migrations load), 30
    assert sample.steps.get(step="concluded").due_on == dt.date(2024, 9, 30)


def test_without_the_calendar_the_window_counts_weekdays_only(district, shop, officers):
    CalendarDay.objects.filter(date__year=2024).delete()  # the year's defaults, loaded by the migrations
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    # 9/13, 16, 17, 18, 19, 20, 23
    assert services.retest_last_day(sample) == dt.date(2024, 9, 23)


def test_steps_must_follow_in_order_and_dates_may_not_go_back(district, shop, officers):
    sample = make_sample(district, shop, officers)
    with pytest.raises(ValidationError) as exc:
        record(sample, "report_received", dt.date(2024, 8, 3), district.inspector_a, lab="所", report_no="1",
               conclusion="passed")
    assert exc.value.message_dict == {"step": ["请按顺序办理：当前应办理“数据录入”"]}
    with pytest.raises(ValidationError) as exc:
        record(sample, "data_entered", dt.date(2024, 7, 30), district.inspector_a)
    assert exc.value.message_dict == {"done_on": ["完成日期不能早于“抽样”的日期（2024-08-01）"]}
    with pytest.raises(ValidationError) as exc:
        record(sample, "data_entered", dt.date.today() + dt.timedelta(days=1), district.inspector_a)
    assert exc.value.message_dict == {"done_on": ["完成日期不能晚于今天"]}
    assert SampleStep.objects.filter(sample=sample, done_on__isnull=False).count() == 1


def test_report_received_carries_the_result_and_failed_items_are_required(district, shop, officers):
    sample = make_sample(district, shop, officers)
    record(sample, "data_entered", dt.date(2024, 8, 2), district.inspector_a)
    with pytest.raises(ValidationError) as exc:
        record(sample, "report_received", dt.date(2024, 9, 5), district.inspector_a, lab="浙江省医疗器械检验研究院",
               report_no="QW1", conclusion="failed")
    assert exc.value.message_dict == {"failed_items": ["检验结论为不合格时须填写不合格项目"]}
    sample.refresh_from_db()
    assert (sample.conclusion, sample.next_step) == ("pending", "report_received")
    record(sample, "report_received", dt.date(2024, 9, 5), district.inspector_a, lab="浙江省医疗器械检验研究院",
           report_no="QW1", conclusion="failed", failed_items="无菌；标签")
    sample.refresh_from_db()
    # 送达: 5 working days after Thu 9/5 → 9/12
    assert (sample.conclusion, sample.failed_items, sample.next_step, sample.next_due_on) == (
        "failed", "无菌；标签", "report_delivered", dt.date(2024, 9, 12))


def test_receipt_needs_a_real_scan(district, shop, officers):
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    with pytest.raises(ValidationError) as exc:
        record(sample, "receipt_uploaded", dt.date(2024, 9, 13), district.inspector_a,
               file=receipt("回执.pdf", b"MZ not a pdf"))
    assert exc.value.message_dict == {"file": ["“回执.pdf”的内容与扩展名不符"]}
    with pytest.raises(ValidationError):
        record(sample, "receipt_uploaded", dt.date(2024, 9, 13), district.inspector_a)
    row = record(sample, "receipt_uploaded", dt.date(2024, 9, 13), district.inspector_a, file=receipt())
    assert row.file.read() == PDF


def test_a_retest_is_accepted_only_inside_the_window(district, shop, officers):
    mid_autumn_2024()
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    with pytest.raises(ValidationError) as exc:
        services.sample_retest_request(sample=sample, requested_on=dt.date(2024, 9, 25), by=district.inspector_a)
    assert exc.value.message_dict == {"requested_on": [
        "复检申请期已于2024-09-24届满（检验报告书送达后7个工作日），不能受理2024-09-25的复检申请"]}
    sample.refresh_from_db()
    assert sample.retest == RetestStatus.NONE
    services.sample_retest_request(sample=sample, requested_on=dt.date(2024, 9, 24), by=district.inspector_a,
                                   note="企业向省局提出复检申请")
    sample.refresh_from_db()
    assert (sample.retest, sample.retest_requested_on) == ("requested", dt.date(2024, 9, 24))


def test_conclusion_of_a_failure_waits_for_the_window_then_for_the_retest(district, shop, officers):
    mid_autumn_2024()
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    record(sample, "receipt_uploaded", dt.date(2024, 9, 13), district.inspector_a, file=receipt())
    sample.refresh_from_db()
    # 5 working days after 9/24 counting the 国庆调休 Sunday 9/29 (the default 2024 calendar)
    assert (sample.next_step, sample.next_due_on) == ("concluded", dt.date(2024, 9, 30))
    with pytest.raises(ValidationError) as exc:
        record(sample, "concluded", dt.date(2024, 9, 24), district.inspector_a)
    assert exc.value.message_dict == {"done_on": ["复检申请期至2024-09-24届满，届满后方可确认不合格结论"]}
    services.sample_retest_request(sample=sample, requested_on=dt.date(2024, 9, 20), by=district.inspector_a)
    with pytest.raises(ValidationError) as exc:
        record(sample, "concluded", dt.date(2024, 10, 20), district.inspector_a)
    assert exc.value.message_dict == {"step": ["已申请复检，请先记录复检结论"]}
    services.sample_retest_result(sample=sample, result="overturned", by=district.inspector_a,
                                  note="复检机构：浙江省医疗器械检验研究院（宁波）")
    record(sample, "concluded", dt.date(2024, 10, 20), district.inspector_a)
    sample.refresh_from_db()
    window = sample.steps.get(step="retest_window")
    assert (sample.conclusion, sample.retest, sample.next_step, sample.next_due_on) == ("passed", "overturned", "", None)
    assert (window.done_on, window.note) == (dt.date(2024, 9, 24), "已申请复检")


def test_a_passed_sample_concludes_without_waiting(district, shop, officers):
    sample = walk_to_delivery(district, make_sample(district, shop, officers), conclusion="passed")
    record(sample, "receipt_uploaded", dt.date(2024, 9, 13), district.inspector_a, file=receipt())
    record(sample, "concluded", dt.date(2024, 9, 13), district.inspector_a)
    sample.refresh_from_db()
    assert (sample.conclusion, sample.next_step) == ("passed", "")
    with pytest.raises(ValidationError):
        services.sample_retest_request(sample=sample, requested_on=dt.date(2024, 9, 13), by=district.inspector_a)


def test_the_window_is_not_recorded_by_hand(district, shop, officers):
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    with pytest.raises(ValidationError) as exc:
        record(sample, "retest_window", dt.date(2024, 9, 13), district.inspector_a)
    assert exc.value.message_dict == {"step": ["复检申请期届满由系统按日历自动记录，无需办理"]}


def test_sample_needs_two_officers_of_its_unit_and_a_unique_number(district, shop, officers):
    with pytest.raises(ValidationError) as exc:
        make_sample(district, shop, officers[:1])
    assert exc.value.message_dict == {"officers": ["抽样人员不少于两名"]}
    with pytest.raises(ValidationError) as exc:
        make_sample(district, shop, [officers[0], district.inspector_b])
    assert exc.value.message_dict == {"officers": ["抽样人员须为抽样单位（五马所）的工作人员：藤桥检查员不是"]}
    make_sample(district, shop, officers)
    with pytest.raises(ValidationError) as exc:
        make_sample(district, shop, officers, sample_no=" SC2024-0001 ")
    assert exc.value.message_dict == {"sample_no": ["抽样单号“SC2024-0001”已存在"]}
    with pytest.raises(ValidationError) as exc:
        make_sample(district, shop, officers, sample_no="SC2024-0009", sampled_on=dt.date.today() + dt.timedelta(1))
    assert exc.value.message_dict == {"sampled_on": ["抽样日期不能晚于今天"]}
    assert Sample.objects.count() == 1


def test_a_station_cannot_sample_for_another_unit_or_a_task_of_another(district, shop, officers):
    other_shop = EnterpriseFactory(subdistrict=district.sub_b)
    with pytest.raises(PermissionDenied):
        services.sample_create(by=district.inspector_a, officers=officers, task=SamplingTaskFactory(),
                               sample_no="X1", enterprise=other_shop, link="operation", product_name="口罩",
                               batch="1", quantity="10只", sampled_on=dt.date(2024, 8, 1))
    task = SamplingTaskFactory(unit=district.station_b)
    with pytest.raises(ValidationError) as exc:
        make_sample(district, shop, officers, task=task)
    assert exc.value.message_dict == {"task": ["该抽检任务由藤桥所承担，不能录入其他单位的样品"]}
    assert Sample.objects.count() == 0


def test_district_user_picks_the_unit(district, shop):
    officers_b = [district.inspector_b, UserFactory(unit=district.station_b)]
    sample = services.sample_create(
        by=district.section_user, officers=officers_b, unit=district.station_b, task=SamplingTaskFactory(),
        sample_no="Q1", enterprise=shop, link="use", product_name="医用外科口罩", batch="B1", quantity="50只",
        sampled_on=dt.date(2024, 8, 1))
    assert sample.unit == district.station_b


def test_editing_the_sampling_date_moves_the_open_due_date(district, shop, officers):
    sample = make_sample(district, shop, officers)
    services.sample_update(sample=sample, by=district.inspector_a, version=sample.version,
                           sampled_on=dt.date(2024, 8, 3))
    sample.refresh_from_db()
    assert sample.next_due_on == dt.date(2024, 8, 8)
    assert sample.steps.get(step="sampled").done_on == dt.date(2024, 8, 3)


def test_tasks_and_rules_are_the_sections(district):
    with pytest.raises(PermissionDenied):
        services.sampling_task_create(by=district.inspector_a, level="provincial", year=2024, name="省抽", quota=5)
    task = services.sampling_task_create(by=district.section_user, level="national", year=2024,
                                         name="2024年国家医疗器械抽检", quota=8)
    assert SamplingTask.objects.get().quota == 8
    with pytest.raises(ValidationError) as exc:
        services.sampling_task_update(task=task, by=district.section_user, version=task.version, year=1900)
    assert exc.value.message_dict == {"year": ["计划年度应在2000至2100之间"]}
    with pytest.raises(PermissionDenied):
        services.step_rules_update(rows=[{"step": "data_entered", "days": 7}], by=district.inspector_a)


def test_changing_a_rule_recounts_open_steps_and_keeps_history(district, shop, officers):
    sample = make_sample(district, shop, officers)
    services.step_rules_update(rows=[{"step": "data_entered", "days": 3, "working_days": True,
                                      "basis": "区局2024年抽检工作方案"}], by=district.section_user)
    sample.refresh_from_db()
    # 3 working days after Thu 2024-08-01: 8/2, 8/5, 8/6
    assert sample.next_due_on == dt.date(2024, 8, 6)
    rule = SamplingStepRule.objects.get(step="data_entered")
    latest = rule.history.first()  # the migration's rows have no history row; every edit adds one
    assert (latest.days, latest.working_days, latest.history_user) == (3, True, district.section_user)
    with pytest.raises(ValidationError) as exc:
        services.step_rules_update(rows=[{"step": "data_entered", "days": 0}], by=district.section_user)
    assert exc.value.messages == ["“数据录入”的时限应为1至365天"]



def test_the_daily_task_records_ended_windows_once(district, shop, officers):
    from monitoring.tasks import sampling_windows_close_task

    mid_autumn_2024()
    sample = walk_to_delivery(district, make_sample(district, shop, officers))
    assert services.sampling_windows_close(today=dt.date(2024, 9, 24)) == 0  # the last day is still open
    assert sampling_windows_close_task.delay().get() == 1
    assert sampling_windows_close_task.delay().get() == 0
    window = sample.steps.get(step="retest_window")
    assert (window.done_on, window.note) == (dt.date(2024, 9, 24), "未申请复检")
    sample.refresh_from_db()
    assert sample.next_step == "receipt_uploaded"  # the window is no one's step: the receipt is still due
