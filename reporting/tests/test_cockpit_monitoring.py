"""Cockpit indicators of monitoring (reporting/cockpit/ind_monitoring.py): hand-counted figures for the district
and two 所, the as-of cut-off, 未配置, the drill-down lists and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.tests import conftest as registry_fixtures
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory
from monitoring.choices import RiskStatus
from monitoring.filters_sampling import SampleFilterSet
from monitoring.models import PopulationFigure, Risk, Sample, SampleStep
from monitoring.risk_filters import RiskFilterSet
from monitoring.tests.factories import RiskFactory, RiskMeetingFactory, SampleFactory, SamplingTaskFactory
from monitoring.tests.quota_world import build_quota_district
from reporting.cockpit import ind_monitoring as ind
from reporting.cockpit.base import Period, Status, figure_status, indicator_by_code

pytestmark = pytest.mark.django_db
district = registry_fixtures.district  # the registry's small district (two 所, the 药械科), shared

TODAY = dt.date(2024, 8, 1)
Q1 = Period(2024, 1, TODAY)  # as of 31 March: 91 days of 366
Q2 = Period(2024, 2, TODAY)  # as of 30 June: 182 days of 366
TO_DATE = Period(2024, None, TODAY)  # 截至今日: 1 January to 1 August


def _figures(fig):
    return (fig.actual, fig.target, fig.expected, fig.numerator, fig.denominator)


# ------------------------------------------------------------------ adverse events (monitoring/tests/quota_world)

def test_reports_per_million_for_the_district_and_each_unit():
    w = build_quota_district()

    q2 = ind.ae_rate_compute(Q2, [w.jia, w.yi])
    q1 = ind.ae_rate_compute(Q1, [w.jia, w.yi])

    # By 30 June: district 150 reports / 1,250,000 people = 120.0 per million; 甲 130 / 1,200,000 = 108.33;
    # 乙 20 / 50,000 = 400.0. Expected: 480 × 182 / 366 = 238.69.
    assert _figures(q2[None]) == (Decimal("120.0"), Decimal("480"), Decimal("238.7"), 150, 1_250_000)
    assert _figures(q2[w.jia.pk]) == (Decimal("108.3"), Decimal("480"), Decimal("238.7"), 130, 1_200_000)
    assert _figures(q2[w.yi.pk]) == (Decimal("400.0"), Decimal("480"), Decimal("238.7"), 20, 50_000)
    # By 31 March (the July reports and Q2 do not count): 80 / 1.25 M = 64.0; 甲 70 / 1.2 M = 58.33; 乙 10 / 50,000
    # = 200.0. Expected 480 × 91 / 366 = 119.34.
    assert _figures(q1[None]) == (Decimal("64.0"), Decimal("480"), Decimal("119.3"), 80, 1_250_000)
    assert _figures(q1[w.jia.pk])[:4] == (Decimal("58.3"), Decimal("480"), Decimal("119.3"), 70)
    assert _figures(q1[w.yi.pk])[:4] == (Decimal("200.0"), Decimal("480"), Decimal("119.3"), 10)
    indicator = indicator_by_code("ae_reports_per_million")
    assert figure_status(indicator, q2[None]) == Status.BEHIND  # 120 < 0.9 × 238.7
    assert figure_status(indicator, q2[w.yi.pk]) == Status.ON_TRACK  # 400 ≥ 238.7, < 480
    assert q2[w.jia.pk].url == (f"{reverse('monitoring:ae_dashboard')}?year=2024&quarter=2&mode=cumulative"
                                f"&unit={w.jia.pk}")


def test_reports_per_million_not_configured_names_the_missing_subdistrict():
    w = build_quota_district()
    PopulationFigure.objects.filter(year=2024, subdistrict=w.sd_c).delete()

    figures = ind.ae_rate_compute(Q2, [w.jia, w.yi])

    assert figures[w.yi.pk].configured is False and figures[w.yi.pk].actual is None
    assert "乙一街道" in figures[w.yi.pk].note
    assert figures[None].configured is False and "乙一街道" in figures[None].note
    assert figures[w.jia.pk].actual == Decimal("108.3")  # 甲's own population is complete
    assert figure_status(indicator_by_code("ae_reports_per_million"), figures[None]) == Status.NOT_CONFIGURED


def test_registration_and_hospital_coverage():
    w = build_quota_district()

    reg_q2 = ind.ae_registration_compute(Q2, [w.jia, w.yi])
    reg_to_date = ind.ae_registration_compute(TO_DATE, [w.jia, w.yi])
    cov_q2 = ind.ae_coverage_compute(Q2, [w.jia, w.yi])

    # Registrants: 甲 R1 (2023), R5 (no date), R7 (March) registered, R2 not → 3/4; 乙 R3 unregistered, R4 only on
    # 1 August (after 30 June) → 0/2; district 3/6. Standing duty: expected = the target.
    assert _figures(reg_q2[None]) == (Decimal("50.0"), Decimal("100"), Decimal("100"), 3, 6)
    assert _figures(reg_q2[w.jia.pk]) == (Decimal("75.0"), Decimal("100"), Decimal("100"), 3, 4)
    assert _figures(reg_q2[w.yi.pk]) == (Decimal("0.0"), Decimal("100"), Decimal("100"), 0, 2)
    # Up to 1 August R4 counts: 乙 1/2, district 4/6.
    assert _figures(reg_to_date[w.yi.pk])[0] == Decimal("50.0")
    assert _figures(reg_to_date[None])[:1] + _figures(reg_to_date[None])[3:] == (Decimal("66.7"), 4, 6)
    # Hospitals 二级以上: 甲 H1 reported in 2024, H2 only in 2023 → 1/2; 乙 H3 yes, H4 never → 1/2.
    # Expected: 100 × 182 / 366 = 49.73.
    assert _figures(cov_q2[None]) == (Decimal("50.0"), Decimal("100"), Decimal("49.7"), 2, 4)
    assert _figures(cov_q2[w.jia.pk]) == (Decimal("50.0"), Decimal("100"), Decimal("49.7"), 1, 2)
    assert "figure=hospitals_zero" in cov_q2[w.yi.pk].url


def test_ae_indicators_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    w = build_quota_district()
    few = [w.jia, w.yi]
    many = few + [UnitFactory() for _ in range(4)]
    for unit in many[2:]:
        PopulationFigure.objects.create(year=2024, subdistrict=SubdistrictFactory(unit=unit), population=10_000)

    for compute in (ind.ae_rate_compute, ind.ae_registration_compute, ind.ae_coverage_compute):
        with django_assert_max_num_queries(10):
            compute(Q2, few)
        with django_assert_max_num_queries(10):
            compute(Q2, many)


# ------------------------------------------------------------------ sampling

@pytest.fixture
def sampling(district):
    """甲 (station_a): s1 sampled 20 Feb: 抽样 due 1 Mar done 28 Feb (on time), 数据录入 due 5 Mar done 10 Mar (late),
    收到检验报告 due 20 Jun not done (late), 复检申请期 due 1 May (automatic: never counted).
    乙 (station_b): s2 sampled 20 Jun: 抽样 due 25 Jun done 25 Jun (on time), 数据录入 due 5 Jul (after Q2).
    s3 (乙) sampled 10 Jul; a 2023 step due 20 Dec 2023 (before the year) on s0.
    Tasks of 2024: quotas 10 + 5 = 15."""
    shop_a = EnterpriseFactory(subdistrict=district.sub_a)
    shop_b = EnterpriseFactory(subdistrict=district.sub_b)
    t1 = SamplingTaskFactory(year=2024, quota=10)
    t2 = SamplingTaskFactory(year=2024, quota=5)
    old = SamplingTaskFactory(year=2023, quota=7)
    s0 = SampleFactory(task=old, enterprise=shop_a, sampled_on=dt.date(2023, 12, 1))
    s1 = SampleFactory(task=t1, enterprise=shop_a, sampled_on=dt.date(2024, 2, 20))
    s2 = SampleFactory(task=t2, enterprise=shop_b, sampled_on=dt.date(2024, 6, 20))
    s3 = SampleFactory(task=t2, enterprise=shop_b, sampled_on=dt.date(2024, 7, 10))

    def step(sample, kind, due, done=None):
        SampleStep.objects.create(sample=sample, step=kind, due_on=due, done_on=done)

    step(s0, "sampled", dt.date(2023, 12, 20))
    step(s1, "sampled", dt.date(2024, 3, 1), dt.date(2024, 2, 28))
    step(s1, "data_entered", dt.date(2024, 3, 5), dt.date(2024, 3, 10))
    step(s1, "report_received", dt.date(2024, 6, 20))
    step(s1, "retest_window", dt.date(2024, 5, 1))
    step(s2, "sampled", dt.date(2024, 6, 25), dt.date(2024, 6, 25))
    step(s2, "data_entered", dt.date(2024, 7, 5))
    return district, s1, s2, s3


def test_sampling_steps_on_time(sampling, django_assert_max_num_queries):
    district, s1, s2, _s3 = sampling
    units = [district.station_a, district.station_b]

    with django_assert_max_num_queries(1):
        q2 = ind.sampling_steps_compute(Q2, units)
    q1 = ind.sampling_steps_compute(Q1, units)

    # Q2 (due 1 Jan – 30 Jun): 甲 3 due, 1 on time = 33.3 %; 乙 1 of 1; district 2 of 4.
    assert _figures(q2[None]) == (Decimal("50.0"), Decimal("100"), Decimal("100"), 2, 4)
    assert _figures(q2[district.station_a.pk]) == (Decimal("33.3"), Decimal("100"), Decimal("100"), 1, 3)
    assert _figures(q2[district.station_b.pk]) == (Decimal("100.0"), Decimal("100"), Decimal("100"), 1, 1)
    # Q1 (due by 31 March): 甲 1 of 2; 乙 nothing due: no figure, and says so.
    assert _figures(q1[district.station_a.pk]) == (Decimal("50.0"), Decimal("100"), Decimal("100"), 1, 2)
    assert q1[district.station_b.pk].actual is None and q1[district.station_b.pk].note == "期内无到期抽检环节"
    assert q2[district.station_a.pk].url == (f"{reverse('monitoring:sample_list')}?late_from=2024-01-01"
                                             f"&late_to=2024-06-30&unit={district.station_a.pk}")


def test_samples_late_filter_lists_the_samples_behind_the_figure(sampling, client):
    district, s1, _s2, _s3 = sampling
    s0 = Sample.objects.get(task__year=2023)

    def late(**params):
        return set(SampleFilterSet(params, queryset=Sample.objects.all()).qs)

    assert late(late_from="2024-01-01", late_to="2024-06-30") == {s1}
    assert late(late_from="2024-01-01", late_to="2024-03-04") == set()  # only 抽样 (on time) was due
    assert late(late_to="2024-03-05") == {s0, s1}  # no start: s0's step of December 2023 counts too

    url = f"{reverse('monitoring:sample_list')}?late_from=2024-01-01&late_to=2024-06-30"
    client.force_login(district.section_user)
    page = client.get(url).content.decode()
    assert s1.sample_no in page
    client.force_login(district.inspector_b)  # 乙 does not see 甲's late sample
    page = client.get(f"{url}&unit={district.station_a.pk}").content.decode()
    assert s1.sample_no not in page


def test_sampling_batches_against_the_quota(sampling):
    q2 = ind.sampling_quota_compute(Q2, [])
    to_date = ind.sampling_quota_compute(TO_DATE, [])
    nothing = ind.sampling_quota_compute(Period(2025, 1, dt.date(2025, 5, 1)), [])

    # Samples of the 2024 tasks by 30 June: s1, s2 (s3 on 10 July) of 15; expected floor(15 × 182 / 366) = 7.
    assert _figures(q2[None]) == (2, 15, 7, 2, 15)
    assert to_date[None].actual == 3
    assert list(q2) == [None]  # district only
    assert nothing[None].configured is False and "2025" in nothing[None].note


# ------------------------------------------------------------------ risks

@pytest.fixture
def risks(district):
    """Meetings 2024 Q1 (held 28 Mar), Q2 (28 Jun), Q3 (27 Sep).
    r1 甲 Q1, due 31 May, closed 20 May; r2 甲 Q1, due 30 Apr, open; r3 乙 Q2, due 31 Jul, open;
    r4 乙 Q2, due 15 Jun, closed 5 Jul; r5 甲 Q3, open."""
    m1 = RiskMeetingFactory(year=2024, quarter=1, held_on=dt.date(2024, 3, 28))
    m2 = RiskMeetingFactory(year=2024, quarter=2, held_on=dt.date(2024, 6, 28))
    m3 = RiskMeetingFactory(year=2024, quarter=3, held_on=dt.date(2024, 9, 27))
    shop_a = EnterpriseFactory(subdistrict=district.sub_a)
    shop_b = EnterpriseFactory(subdistrict=district.sub_b)
    closed = {"status": RiskStatus.CLOSED}
    return district, {
        "r1": RiskFactory(meeting=m1, enterprise=shop_a, due_on=dt.date(2024, 5, 31), closed_on=dt.date(2024, 5, 20),
                          **closed),
        "r2": RiskFactory(meeting=m1, enterprise=shop_a, due_on=dt.date(2024, 4, 30)),
        "r3": RiskFactory(meeting=m2, enterprise=shop_b, due_on=dt.date(2024, 7, 31)),
        "r4": RiskFactory(meeting=m2, enterprise=shop_b, due_on=dt.date(2024, 6, 15), closed_on=dt.date(2024, 7, 5),
                          **closed),
        "r5": RiskFactory(meeting=m3, enterprise=shop_a, due_on=dt.date(2024, 12, 31)),
    }


def _counts(figures, district):
    return (figures[None].actual, figures[district.station_a.pk].actual, figures[district.station_b.pk].actual)


def test_risk_figures_by_quarter_and_to_date(risks, django_assert_max_num_queries):
    district, _r = risks
    units = [district.station_a, district.station_b]

    for compute in (ind.risks_new_compute, ind.risks_closed_compute, ind.risks_open_compute,
                    ind.risks_overdue_compute):
        with django_assert_max_num_queries(1):
            compute(Q2, units)

    # (district, 甲, 乙)
    assert _counts(ind.risks_new_compute(Q2, units), district) == (2, 0, 2)  # r3, r4
    assert _counts(ind.risks_closed_compute(Q2, units), district) == (1, 1, 0)  # r1 (r4 closed in July)
    assert _counts(ind.risks_open_compute(Q2, units), district) == (3, 1, 2)  # r2; r3, r4
    assert _counts(ind.risks_overdue_compute(Q2, units), district) == (2, 1, 1)  # r2 (30 Apr); r4 (15 Jun)
    assert _counts(ind.risks_new_compute(Q1, units), district) == (2, 2, 0)
    assert _counts(ind.risks_overdue_compute(Q1, units), district) == (0, 0, 0)  # nothing due by 31 March
    # 截至今日 (1 Jan – 1 Aug): new r1–r4 (r5's meeting not yet held); closed r1, r4; open r2, r3; overdue r2, r3.
    assert _counts(ind.risks_new_compute(TO_DATE, units), district) == (4, 2, 2)
    assert _counts(ind.risks_closed_compute(TO_DATE, units), district) == (2, 1, 1)
    assert _counts(ind.risks_open_compute(TO_DATE, units), district) == (2, 1, 1)
    assert _counts(ind.risks_overdue_compute(TO_DATE, units), district) == (2, 1, 1)

    overdue = indicator_by_code("risks_overdue")
    figures = ind.risks_overdue_compute(Q1, units)
    assert figure_status(overdue, figures[None]) == Status.MET
    assert figure_status(overdue, ind.risks_overdue_compute(Q2, units)[None]) == Status.BEHIND
    assert figure_status(indicator_by_code("risks_new"), ind.risks_new_compute(Q1, units)[None]) == Status.INFO


def test_risk_list_filters_match_the_figures(risks):
    _district, r = risks

    def listed(params):
        return {x.pk for x in RiskFilterSet(params, queryset=Risk.objects.all()).qs}

    fig = ind.risks_overdue_compute(Q2, [])[None]
    assert fig.url.endswith("?overdue_on=2024-06-30")
    assert listed({"overdue_on": "2024-06-30"}) == {r["r2"].pk, r["r4"].pk}
    assert listed({"open_on": "2024-06-30"}) == {r["r2"].pk, r["r3"].pk, r["r4"].pk}
    assert listed({"closed_from": "2024-04-01", "closed_to": "2024-06-30"}) == {r["r1"].pk}
    assert listed({"year": "2024", "quarter": "2", "carried": "false"}) == {r["r3"].pk, r["r4"].pk}
    assert listed({"meeting_year": "2024"}) == {x.pk for x in r.values()}


def test_risk_list_drill_down_respects_the_unit(risks, client):
    district, r = risks
    url = f"{reverse('monitoring:risk_list')}?overdue_on=2024-06-30"

    client.force_login(district.inspector_a)  # 甲 sees its r2, not 乙's r4
    page = client.get(url).content.decode()
    assert reverse("monitoring:risk_detail", args=[r["r2"].pk]) in page
    assert reverse("monitoring:risk_detail", args=[r["r4"].pk]) not in page
    client.force_login(district.section_user)
    page = client.get(url).content.decode()
    assert reverse("monitoring:risk_detail", args=[r["r4"].pk]) in page

    bad = client.get(f"{reverse('monitoring:risk_list')}?overdue_on=2024-13-45")
    assert bad.status_code == 200 and "日期" in bad.content.decode()
