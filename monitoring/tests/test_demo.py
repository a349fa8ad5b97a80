"""The AE demo year on the demo district: the situations it promises, asserted with direct queries.

Seeded for a fixed ``today`` (28 September 2026, day 271 of 365): the pro-rata line to date is
480 × population / 10⁶ × 271/365 for the district and for each 所.
"""

import datetime as dt
import difflib
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from enterprises import demo as enterprises_demo
from enterprises.choices import HOSPITAL_GRADES_2_PLUS, EnterpriseStatus, InstitutionType, Role
from enterprises.models import Enterprise, Subdistrict, Unit
from enterprises.reference import load_reference
from monitoring import demo as monitoring_demo
from monitoring.choices import EvaluationStatus, EvaluationTrigger, EventOutcome, ReporterKind, ReporterMatch
from monitoring.models import (
    AdverseEventReport,
    Evaluation,
    MonitoringSettings,
    PopulationFigure,
    RegistrantRegistration,
    ReporterAlias,
    TrainingCourse,
)
from regsys.bootstrap import DEMO_SEEDERS, DemoContext

pytestmark = pytest.mark.django_db

SEPTEMBER = dt.date(2026, 9, 28)
JANUARY = dt.date(2026, 1, 20)


def seed(today: dt.date) -> str:
    ctx = DemoContext(scale=0, seed=20240319, out=io.StringIO(), today=today)
    load_reference()
    enterprises_demo.seed(ctx)
    return monitoring_demo.seed(ctx)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


def active_hospitals_2_plus():
    return Enterprise.objects.filter(institution_type=InstitutionType.HOSPITAL, status=EnterpriseStatus.ACTIVE,
                                     hospital_grade__in=HOSPITAL_GRADES_2_PLUS)


def test_the_demo_year_has_the_promised_situations():
    summary = seed(SEPTEMBER)
    assert "广化所" in summary

    # population: demo figures for every 街道/镇, both years; settings with the defaults
    subdistricts = Subdistrict.objects.count()
    assert subdistricts == 14
    for year in (2025, 2026):
        figures = PopulationFigure.objects.filter(year=year)
        assert figures.count() == subdistricts
        assert set(figures.values_list("source", flat=True)) == {"演示数据（虚构）"}
    assert PopulationFigure.objects.filter(year=2026).aggregate(s=Sum("population"))["s"] == 1_296_400
    assert 1_280_000 < PopulationFigure.objects.filter(year=2025).aggregate(s=Sum("population"))["s"] < 1_296_400
    assert [(s.year, s.per_million_target, s.evaluation_due_days) for s in MonitoringSettings.objects.order_by("year")] \
        == [(2025, 480, 15), (2026, 480, 15)]

    # the pace: the district near the pro-rata line, 广化所 clearly behind, every other 所 on or above it
    this_year = AdverseEventReport.objects.filter(reported_on__year=2026)
    assert not AdverseEventReport.objects.filter(reported_on__gt=SEPTEMBER).exists()
    fraction = 271 / 365  # 1 January … 28 September
    population = PopulationFigure.objects.filter(year=2026).aggregate(s=Sum("population"))["s"]
    district = this_year.count() / (480 * population / 1e6 * fraction)
    assert 0.93 < district < 1.07, district
    pace = {}
    for station in Unit.objects.filter(kind="station"):
        people = PopulationFigure.objects.filter(year=2026, subdistrict__unit=station).aggregate(s=Sum("population"))["s"]
        pace[station.short_name] = this_year.filter(unit=station).count() / (480 * people / 1e6 * fraction)
    assert [name for name, ratio in pace.items() if ratio < 0.9] == ["广化所"], pace
    assert pace["广化所"] < 0.65, pace

    # 二级以上 hospitals: three at zero this year (two of them in 广化所), each with a report last year;
    # every other one has reported this year
    hospitals = active_hospitals_2_plus().annotate(
        this_year=Count("ae_reports_filed", filter=Q(ae_reports_filed__reported_on__year=2026)),
        last=Max("ae_reports_filed__reported_on", filter=Q(ae_reports_filed__reported_on__year=2025)),
    )
    zero = [h for h in hospitals if h.this_year == 0]
    assert len(zero) == 3
    assert all(h.last is not None for h in zero)
    assert sorted(h.subdistrict.unit.short_name for h in zero).count("广化所") == 2
    assert len(hospitals) > len(zero) + 5

    # registrants: every one has a registration row, two are not registered, the others with a date
    registrants = Enterprise.objects.filter(is_registrant=True)
    assert RegistrantRegistration.objects.count() == registrants.count() > 40
    assert RegistrantRegistration.objects.filter(registered=False).count() == 2
    registered = RegistrantRegistration.objects.filter(registered=True)
    assert not registered.filter(registered_on__isnull=True).exists()
    assert not registered.filter(registered_on__gt=SEPTEMBER).exists()
    assert not RegistrantRegistration.objects.filter(registered=False, registered_on__isnull=False).exists()

    # a cluster: ≥3 reports of one product and batch within 30 days, under one open evaluation
    groups = defaultdict(list)
    for report in this_year.exclude(batch=""):
        groups[(report.product_name, report.batch)].append(report)
    clusters = [sorted(g, key=lambda r: r.reported_on) for g in groups.values() if len(g) >= 3]
    clusters = [g for g in clusters if (g[-1].reported_on - g[0].reported_on).days < 30]
    assert len(clusters) == 1
    cluster = clusters[0]
    assert len(cluster) == 4 and len({r.reporter_id for r in cluster if r.reporter_id}) == 4
    evaluation = Evaluation.objects.get(trigger=EvaluationTrigger.CLUSTER)
    assert evaluation.status == EvaluationStatus.OPEN
    assert set(evaluation.reports.all()) == set(cluster)
    assert evaluation.primary_report == cluster[0]
    assert evaluation.opened_on >= cluster[2].reported_on  # opened when the third report came in

    # one death, under an open evaluation by the 药械科 due 15 days after it opened
    death = AdverseEventReport.objects.get(outcome=EventOutcome.DEATH)
    evaluation = Evaluation.objects.get(trigger=EvaluationTrigger.DEATH)
    assert (evaluation.primary_report, evaluation.status, evaluation.unit.kind) == (death, EvaluationStatus.OPEN, "section")
    assert evaluation.due_on == evaluation.opened_on + dt.timedelta(days=15)
    assert death.reported_on <= evaluation.opened_on <= SEPTEMBER
    assert death.reporter.hospital_grade in HOSPITAL_GRADES_2_PLUS

    # every serious report has its evaluation; at least one is closed with opinion and causality
    serious = AdverseEventReport.objects.filter(outcome=EventOutcome.SERIOUS)
    assert serious.filter(reported_on__year=2026).exists()
    assert not serious.filter(evaluations__isnull=True).exists()
    closed = Evaluation.objects.filter(trigger=EvaluationTrigger.SERIOUS, status=EvaluationStatus.CLOSED)
    assert closed.exists()
    assert not closed.filter(Q(opinion="") | Q(causality="") | Q(closed_on__isnull=True) | Q(evaluated_on__isnull=True)).exists()
    assert not Evaluation.objects.filter(Q(closed_on__gt=SEPTEMBER) | Q(evaluated_on__gt=SEPTEMBER)).exists()
    late = AdverseEventReport.objects.get(is_late=True)
    assert late.outcome == EventOutcome.SERIOUS and (late.reported_on - late.learned_on).days > 20

    # reporters: mostly 使用单位, some 经营企业, a few 生产企业, two 个人; outcomes mostly 其他
    kinds = Counter(this_year.values_list("reporter_kind", flat=True))
    total = this_year.count()
    assert kinds[ReporterKind.USE] > 0.6 * total
    assert 0.1 * total < kinds[ReporterKind.OPERATION] < 0.3 * total
    assert 0 < kinds[ReporterKind.MANUFACTURE] < 0.12 * total
    assert kinds[ReporterKind.INDIVIDUAL] == 2
    assert this_year.filter(outcome=EventOutcome.OTHER).count() > 0.9 * total
    assert not this_year.filter(reporter_kind=ReporterKind.MANUFACTURE).exclude(registrant_id=F("reporter_id")).exists()

    # codes: 330302 + year + 7-digit serial, rising with the date
    codes = list(AdverseEventReport.objects.order_by("reported_on", "code").values_list("reported_on", "code"))
    assert all(len(code) == 17 and code.startswith(f"330302{day.year}") for day, code in codes)
    year_codes = [code for day, code in codes if day.year == 2026]
    assert year_codes == sorted(year_codes)
    assert max(int(code[-7:]) for _day, code in codes) < monitoring_demo.SAMPLE_SERIAL_START

    # placed as the import places them: the 所 of the 街道/镇; matched reports at their reporter's 街道/镇
    assert not AdverseEventReport.objects.filter(subdistrict__isnull=False).exclude(
        unit=F("subdistrict__unit")).exists()
    matched = AdverseEventReport.objects.exclude(reporter=None)
    assert not matched.exclude(subdistrict=F("reporter__subdistrict")).exists()
    assert not matched.filter(reporter_match=ReporterMatch.CREDIT_CODE).exclude(
        reporter_credit_code=F("reporter__credit_code")).exists()
    assert matched.filter(reporter_match=ReporterMatch.NAME, reporter_credit_code="").count() > 50

    # the unmatched queue: names the registry does not know, one a near-miss of a hospital at zero
    unmatched = AdverseEventReport.objects.filter(reporter=None, reporter_match=ReporterMatch.UNMATCHED)
    assert unmatched.count() == 4
    assert unmatched.filter(unit=None).count() == 1  # no 街道/镇 either: only district users see it
    names = set(Enterprise.objects.values_list("name", flat=True))
    near = [(r.reporter_name, difflib.get_close_matches(r.reporter_name, names, n=1, cutoff=0.85)) for r in unmatched]
    near = [(name, match[0]) for name, match in near if match]
    assert len(near) == 1
    assert near[0][0] not in names and near[0][1] in {h.name for h in zero}
    alias = ReporterAlias.objects.get()
    assert AdverseEventReport.objects.filter(reporter_match=ReporterMatch.ALIAS, reporter_name=alias.name,
                                             reporter=alias.enterprise).count() == 2

    # trainings with attending enterprises
    courses = TrainingCourse.objects.annotate(n=Count("attendances")).order_by("held_on")
    assert [(c.held_on, c.n > 10) for c in courses] == [(dt.date(2026, 3, 26), True), (dt.date(2026, 9, 17), True)]

    # history: one row per report, dated to its import (not after today), by a 药械科 user
    assert AdverseEventReport.history.count() == AdverseEventReport.objects.count()
    assert not AdverseEventReport.history.filter(history_date__gt=end_of(SEPTEMBER)).exists()
    assert not AdverseEventReport.objects.filter(created_at__gt=end_of(SEPTEMBER)).exists()
    assert set(AdverseEventReport.history.values_list("history_user__role", flat=True)) == {Role.SECTION_STAFF}
    assert not Evaluation.history.filter(history_date__gt=end_of(SEPTEMBER)).exists()
    assert not TrainingCourse.history.filter(history_date__gt=end_of(SEPTEMBER)).exists()
    assert not RegistrantRegistration.history.filter(history_date__gt=end_of(SEPTEMBER)).exists()


def test_seeded_in_january_the_cluster_and_the_death_are_recent_and_nothing_is_after_today():
    seed(JANUARY)

    assert not AdverseEventReport.objects.filter(reported_on__gt=JANUARY).exists()
    assert not AdverseEventReport.history.filter(history_date__gt=end_of(JANUARY)).exists()
    assert AdverseEventReport.objects.filter(reported_on__year=2026).count() > 20
    assert AdverseEventReport.objects.filter(reported_on__year=2025).count() > 550
    assert Evaluation.objects.get(trigger=EvaluationTrigger.DEATH).status == EvaluationStatus.OPEN
    cluster = Evaluation.objects.get(trigger=EvaluationTrigger.CLUSTER)
    assert cluster.status == EvaluationStatus.OPEN and cluster.reports.count() == 4
    assert not Evaluation.objects.filter(Q(opened_on__gt=JANUARY) | Q(closed_on__gt=JANUARY)).exists()
    # last year's trainings (this year's have not happened yet)
    assert sorted(TrainingCourse.objects.values_list("held_on__year", flat=True)) == [2025, 2025]
    zero = [h for h in active_hospitals_2_plus() if not h.ae_reports_filed.filter(reported_on__year=2026).exists()]
    assert len(zero) >= 3
    assert all(h.ae_reports_filed.filter(reported_on__year=2025).exists() for h in zero)


def test_seed_demo_runs_the_monitoring_seeder_and_stays_idempotent_with_if_empty():
    assert DEMO_SEEDERS.index("monitoring.demo.seed") > DEMO_SEEDERS.index("inspections.planning.demo.seed")
    assert DEMO_SEEDERS.index("monitoring.demo.seed") < DEMO_SEEDERS.index("reporting.demo.seed")
    seed(SEPTEMBER)
    before = (AdverseEventReport.objects.count(), Evaluation.objects.count(), PopulationFigure.objects.count(),
              RegistrantRegistration.objects.count(), TrainingCourse.objects.count())
    out = io.StringIO()

    call_command("seed_demo", if_empty=True, stdout=out, stderr=io.StringIO())

    assert "保持不变" in out.getvalue()
    assert before == (AdverseEventReport.objects.count(), Evaluation.objects.count(), PopulationFigure.objects.count(),
                      RegistrantRegistration.objects.count(), TrainingCourse.objects.count())

