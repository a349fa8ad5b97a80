"""The 药械科's evaluation services: late flag, scan (death/serious/cluster), credit, evaluate, measures, close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.choices import UnitKind
from enterprises.models import CreditRecord
from enterprises.tests.factories import UnitFactory
from inspections.choices import InspectionKind, InspectionStatus
from inspections.models import Inspection, Interview
from monitoring.choices import Causality, EvaluationStatus, EvaluationTrigger, EventOutcome
from monitoring.models import Evaluation, LateReportCredit, MonitoringSettings
from monitoring.services.evaluations import (
    evaluation_close,
    evaluation_evaluate,
    evaluation_inspection_create,
    evaluation_interview_create,
    evaluations_scan,
    report_is_late,
    reports_late_credit,
    section_unit,
)
from monitoring.services.settings import settings_for_year
from monitoring.tasks import evaluations_scan_task

from .evaluation_world import ReportFactory, build_district

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 4, 1)
D = dt.date


@pytest.fixture
def district():
    return build_district()


def _late(report):
    """What the report service stores: the flag computed by the one rule, under the year's settings."""
    report.is_late = report_is_late(report, settings_for_year(report.reported_on.year))
    report.save()
    return report


# ---------------------------------------------------------------- late flag

@pytest.mark.parametrize(("outcome", "learned", "reported", "late"), [
    (EventOutcome.DEATH, D(2024, 1, 1), D(2024, 1, 8), False),     # 7 days: on the limit
    (EventOutcome.DEATH, D(2024, 1, 1), D(2024, 1, 9), True),      # 8 days
    (EventOutcome.SERIOUS, D(2024, 1, 1), D(2024, 1, 21), False),  # 20 days
    (EventOutcome.SERIOUS, D(2024, 1, 1), D(2024, 1, 22), True),   # 21 days
    (EventOutcome.OTHER, D(2024, 1, 1), D(2024, 6, 1), False),     # other outcomes are never late
    (EventOutcome.DEATH, None, D(2024, 6, 1), False),              # no 获知日期: not late
])
def test_report_is_late_under_the_default_limits(outcome, learned, reported, late):
    report = ReportFactory.build(outcome=outcome, learned_on=learned, reported_on=reported)
    assert report_is_late(report, MonitoringSettings(year=2024)) is late


def test_report_is_late_reads_the_years_limits():
    settings = MonitoringSettings.objects.create(year=2024, death_limit_days=3, serious_limit_days=10)
    death = ReportFactory.build(outcome=EventOutcome.DEATH, learned_on=D(2024, 1, 1), reported_on=D(2024, 1, 5))
    serious = ReportFactory.build(outcome=EventOutcome.SERIOUS, learned_on=D(2024, 1, 1), reported_on=D(2024, 1, 11))
    assert report_is_late(death, settings) is True
    assert report_is_late(serious, settings_for_year(2024)) is False


def test_settings_for_year_returns_unsaved_defaults_or_the_row():
    default = settings_for_year(2030)
    MonitoringSettings.objects.create(year=2031, evaluation_due_days=9)
    assert default.pk is None
    assert (default.death_limit_days, default.serious_limit_days, default.evaluation_due_days) == (7, 20, 15)
    assert settings_for_year(2031).evaluation_due_days == 9


# ---------------------------------------------------------------- scan: death and serious

def test_scan_opens_one_evaluation_per_death_and_serious_report_once(district):
    death = ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_a)
    serious = ReportFactory(outcome=EventOutcome.SERIOUS, reporter=district.hospital_b)
    ReportFactory(outcome=EventOutcome.OTHER, reporter=district.hospital_a)

    opened = evaluations_scan(today=TODAY)
    again = evaluations_scan(today=TODAY + dt.timedelta(days=1))

    assert again == []
    assert Evaluation.objects.count() == 2
    by_report = {e.primary_report_id: e for e in opened}
    assert by_report[death.pk].trigger == EvaluationTrigger.DEATH
    assert by_report[serious.pk].trigger == EvaluationTrigger.SERIOUS
    for evaluation in opened:
        assert evaluation.unit == district.section
        assert evaluation.opened_on == TODAY
        assert evaluation.due_on == D(2024, 4, 16)  # 1 April + 15 days (default evaluation_due_days)
        assert evaluation.status == EvaluationStatus.OPEN
        assert list(evaluation.reports.values_list("pk", flat=True)) == [evaluation.primary_report_id]
        assert evaluation.history.first().history_change_reason.startswith("扫描报告")


def test_due_date_follows_the_report_years_setting(district):
    MonitoringSettings.objects.create(year=2024, evaluation_due_days=5)
    ReportFactory(outcome=EventOutcome.DEATH)

    [evaluation] = evaluations_scan(today=TODAY)

    assert evaluation.due_on == D(2024, 4, 6)


def test_the_evaluating_unit_is_the_first_section_by_sort_order(district):
    UnitFactory(name="综合科", kind=UnitKind.SECTION, sort_order=1)
    assert section_unit().name == "综合科"


def test_scan_without_a_section_unit_says_so_and_writes_nothing():
    ReportFactory(outcome=EventOutcome.DEATH)
    with pytest.raises(ValidationError, match="科室"):
        evaluations_scan(today=TODAY)
    assert Evaluation.objects.count() == 0


def test_scan_by_a_station_user_is_refused(district):
    ReportFactory(outcome=EventOutcome.DEATH)
    with pytest.raises(PermissionDenied):
        evaluations_scan(today=TODAY, by=district.user_a)
    assert Evaluation.objects.count() == 0


def test_the_daily_task_runs_the_scan(district):
    ReportFactory(outcome=EventOutcome.SERIOUS)
    assert evaluations_scan_task.delay().get() == 1
    assert evaluations_scan_task.delay().get() == 0
    assert Evaluation.objects.count() == 1


# ---------------------------------------------------------------- scan: clusters

MARCH_1 = D(2024, 3, 1)


def _batch(n, *, batch="L2024A", start=MARCH_1, step=5, **kwargs):
    return [ReportFactory(batch=batch, reported_on=start + dt.timedelta(days=i * step), **kwargs) for i in range(n)]


def test_three_reports_of_one_batch_within_thirty_days_open_one_cluster_evaluation(district):
    cluster = _batch(3, step=10)                     # 1, 11, 21 March: 20 days apart
    ReportFactory(batch="L2024B", reported_on=D(2024, 3, 2))  # same product, other batch
    ReportFactory(batch="L2024A", reported_on=D(2024, 3, 3), registration_number="浙械注准20202140999")

    opened = evaluations_scan(today=TODAY)
    again = evaluations_scan(today=TODAY)

    assert again == []
    [evaluation] = opened
    assert evaluation.trigger == EvaluationTrigger.CLUSTER
    assert evaluation.primary_report == cluster[0]
    assert set(evaluation.reports.all()) == set(cluster)
    assert Evaluation.objects.count() == 1


def test_reports_spread_wider_than_the_window_are_no_cluster(district):
    _batch(3, step=16)  # 1 March, 17 March, 2 April: first and last 32 days apart, any two within 30 ≤ 2 reports
    assert evaluations_scan(today=TODAY) == []


def test_two_reports_of_one_batch_are_no_cluster_under_the_defaults(district):
    _batch(2, step=1)
    assert evaluations_scan(today=TODAY) == []


def test_cluster_thresholds_are_data(district):
    MonitoringSettings.objects.create(year=2024, cluster_min_reports=2, cluster_window_days=5)
    near = _batch(2, batch="N1", step=5)   # 5 days apart: within the window
    _batch(2, batch="F1", step=6)          # 6 days apart: outside

    [evaluation] = evaluations_scan(today=TODAY)

    assert set(evaluation.reports.all()) == set(near)


def test_a_new_report_of_the_cluster_joins_the_open_evaluation(district):
    _batch(3)
    [evaluation] = evaluations_scan(today=TODAY)
    late_comer = ReportFactory(batch="L2024A", reported_on=D(2024, 5, 20))  # months later, same batch

    joined = evaluations_scan(reports=[late_comer], today=TODAY)

    assert joined == [evaluation]
    assert Evaluation.objects.count() == 1
    assert evaluation.reports.count() == 4
    assert evaluation.history.first().history_change_reason == "1份新报告并入聚集性信号评价"


def test_a_scan_of_some_reports_looks_at_their_whole_batch(district):
    first, second, third = _batch(3)
    [evaluation] = evaluations_scan(reports=[third], today=TODAY)
    assert set(evaluation.reports.all()) == {first, second, third}


def test_after_closing_a_cluster_only_enough_new_reports_open_another(district, settings):
    _batch(3)
    [closed] = evaluations_scan(today=TODAY)
    evaluation_evaluate(evaluation=closed, opinion="批次质量问题可能", causality=Causality.POSSIBLE,
                        evaluated_on=TODAY, by=district.chief)
    evaluation_close(evaluation=closed, closed_on=TODAY, closure_note="企业已召回该批次", by=district.chief)
    one = ReportFactory(batch="L2024A", reported_on=D(2024, 3, 25))

    assert evaluations_scan(reports=[one], today=TODAY) == []

    more = _batch(2, start=D(2024, 3, 26), step=1)
    [second] = evaluations_scan(today=TODAY)
    assert second.pk != closed.pk
    assert set(second.reports.all()) == {one, *more}
    assert closed.reports.count() == 3


def test_a_death_report_in_a_cluster_gets_both_evaluations(district):
    reports = _batch(2) + _batch(1, outcome=EventOutcome.DEATH, start=D(2024, 3, 12))
    evaluations_scan(today=TODAY)
    assert sorted(Evaluation.objects.values_list("trigger", flat=True)) == ["cluster", "death"]
    cluster = Evaluation.objects.get(trigger=EvaluationTrigger.CLUSTER)
    assert set(cluster.reports.all()) == set(reports)


# ---------------------------------------------------------------- late report → credit

def test_late_report_writes_one_credit_record_when_the_switch_is_on(district):
    MonitoringSettings.objects.create(year=2024, late_report_counts_in_grading=True)
    late = _late(ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_a,
                               learned_on=D(2024, 2, 1), reported_on=D(2024, 2, 20)))
    _late(ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_b,  # in time
                        learned_on=D(2024, 2, 1), reported_on=D(2024, 2, 5)))
    _late(ReportFactory(outcome=EventOutcome.SERIOUS, reporter=None, reporter_name="外区诊所",  # unmatched
                        learned_on=D(2024, 1, 1), reported_on=D(2024, 3, 1)))

    evaluations_scan(today=TODAY)
    evaluations_scan(today=TODAY)
    assert reports_late_credit() == 0

    [record] = CreditRecord.objects.all()
    assert record.enterprise == district.hospital_a
    assert record.kind == "bad_credit"
    assert record.recorded_on == D(2024, 2, 20)
    assert late.code in record.reason and "时限7日" in record.reason
    assert record.created_by is None
    assert LateReportCredit.objects.get().report == late


def test_late_report_writes_nothing_when_the_switch_is_off(district):
    MonitoringSettings.objects.create(year=2024, late_report_counts_in_grading=False)
    report = _late(ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_a,
                                 learned_on=D(2024, 2, 1), reported_on=D(2024, 2, 20)))
    assert report.is_late is True

    evaluations_scan(today=TODAY)

    assert CreditRecord.objects.count() == 0
    assert LateReportCredit.objects.count() == 0


def test_switch_is_off_by_default(district):
    _late(ReportFactory(outcome=EventOutcome.SERIOUS, reporter=district.hospital_a,
                        learned_on=D(2024, 1, 1), reported_on=D(2024, 3, 1)))
    assert reports_late_credit() == 0
    assert CreditRecord.objects.count() == 0


# ---------------------------------------------------------------- evaluate, measures, close

@pytest.fixture
def death_evaluation(district):
    ReportFactory(outcome=EventOutcome.DEATH, reporter=district.hospital_a, registrant=district.registrant)
    [evaluation] = evaluations_scan(today=TODAY)
    return evaluation


def test_evaluate_records_opinion_and_causality(district, death_evaluation):
    evaluation = evaluation_evaluate(
        evaluation=death_evaluation, opinion="与器械可能有关", causality=Causality.POSSIBLE,
        evaluated_on=D(2024, 4, 3), measures="要求企业排查同批次产品", by=district.chief,
        version=death_evaluation.version,
    )
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.causality, evaluation.evaluated_on) == (
        EvaluationStatus.EVALUATED, "possible", D(2024, 4, 3))
    assert evaluation.history.first().history_user == district.chief
    assert evaluation.history.first().history_change_reason == "评价"


def test_evaluate_without_opinion_is_refused_and_changes_nothing(district, death_evaluation):
    with pytest.raises(ValidationError) as exc:
        evaluation_evaluate(evaluation=death_evaluation, opinion=" ", causality="", evaluated_on=D(2024, 4, 3),
                            by=district.chief)
    assert set(exc.value.message_dict) == {"opinion", "causality"}
    death_evaluation.refresh_from_db()
    assert (death_evaluation.status, death_evaluation.opinion, death_evaluation.version) == ("open", "", 1)


def test_station_user_cannot_change_an_evaluation_of_its_own_report(district, death_evaluation):
    with pytest.raises(PermissionDenied):
        evaluation_evaluate(evaluation=death_evaluation, opinion="x", causality=Causality.CERTAIN,
                            evaluated_on=TODAY, by=district.user_a)
    with pytest.raises(PermissionDenied):
        evaluation_interview_create(evaluation=death_evaluation, enterprise=district.hospital_a, held_on=TODAY,
                                    persons="院长", by=district.user_a)
    death_evaluation.refresh_from_db()
    assert death_evaluation.status == EvaluationStatus.OPEN
    assert Interview.objects.count() == 0


def test_close_needs_an_opinion_and_causality(district, death_evaluation):
    with pytest.raises(ValidationError, match="评价意见"):
        evaluation_close(evaluation=death_evaluation, closed_on=TODAY, closure_note="已处置", by=district.chief)
    death_evaluation.refresh_from_db()
    assert death_evaluation.status == EvaluationStatus.OPEN

    evaluation_evaluate(evaluation=death_evaluation, opinion="很可能有关", causality=Causality.PROBABLE,
                        evaluated_on=TODAY, by=district.chief)
    evaluation = evaluation_close(evaluation=death_evaluation, closed_on=D(2024, 4, 2), closure_note="企业已整改",
                                  by=district.chief)
    assert (evaluation.status, evaluation.closed_on, evaluation.closure_note) == ("closed", D(2024, 4, 2), "企业已整改")
    reasons = list(evaluation.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["评价", "关闭"]
    with pytest.raises(ValidationError, match="已关闭"):
        evaluation_evaluate(evaluation=evaluation, opinion="再改", causality=Causality.CERTAIN, evaluated_on=TODAY,
                            by=district.chief)


def test_interview_measure_creates_a_real_interview_through_the_inspections_service(district, death_evaluation):
    interview = evaluation_interview_create(
        evaluation=death_evaluation, enterprise=district.registrant, held_on=D(2024, 4, 2),
        persons="质量负责人李四", record="告知风险", by=district.chief,
    )
    death_evaluation.refresh_from_db()
    assert death_evaluation.interview == interview
    assert Interview.objects.get() == interview
    assert (interview.enterprise, interview.unit, interview.persons) == (
        district.registrant, district.section, "质量负责人李四")
    assert interview.history.first().history_user == district.chief
    assert "约谈甲医疗器械制造有限公司" in death_evaluation.measures
    with pytest.raises(ValidationError, match="已关联约谈"):
        evaluation_interview_create(evaluation=death_evaluation, enterprise=district.registrant, held_on=TODAY,
                                    persons="法人", by=district.chief)


def test_inspection_measure_creates_a_for_cause_draft_through_the_inspections_service(district, death_evaluation):
    inspection = evaluation_inspection_create(evaluation=death_evaluation, enterprise=district.hospital_a,
                                              start_date=D(2024, 4, 5), by=district.chief)
    death_evaluation.refresh_from_db()
    assert death_evaluation.inspection == inspection
    assert Inspection.objects.get() == inspection
    assert inspection.kind == InspectionKind.FOR_CAUSE
    assert inspection.status == InspectionStatus.DRAFT
    assert inspection.unit == district.station_a  # the hospital's owning 所 inspects
    assert inspection.created_by == district.chief
    assert death_evaluation.primary_report.code in inspection.summary
    assert inspection.provincial_entry_due is not None  # set by the inspections service, not here


def test_measures_only_for_enterprises_of_the_reports(district, death_evaluation):
    with pytest.raises(ValidationError, match="报告单位或注册人"):
        evaluation_inspection_create(evaluation=death_evaluation, enterprise=district.hospital_b,
                                     start_date=TODAY, by=district.chief)
    assert Inspection.objects.count() == 0
    death_evaluation.refresh_from_db()
    assert death_evaluation.inspection is None


def test_a_future_inspection_date_is_refused_by_the_inspections_service(district, death_evaluation):
    with pytest.raises(ValidationError):
        evaluation_inspection_create(evaluation=death_evaluation, enterprise=district.hospital_a,
                                     start_date=dt.date.today() + dt.timedelta(days=30), by=district.chief)
    assert Inspection.objects.count() == 0


def test_scan_reads_a_bounded_number_of_queries(district):
    def queries(n_batches):
        for i in range(n_batches):
            ReportFactory(batch=f"Q{n_batches}-{i}")
            ReportFactory(batch=f"Q{n_batches}-{i}", reported_on=D(2024, 3, 2))
        with CaptureQueriesContext(connection) as ctx:
            assert evaluations_scan(today=TODAY) == []
        return len(ctx.captured_queries)

    assert queries(3) == queries(12)
