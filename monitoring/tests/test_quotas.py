"""The three AE quota figures against hand computation (see ``quota_world`` for the records).

2024 has 366 days; 30 June is day 31+29+31+30+31+30 = 182 of the year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from enterprises.tests.factories import SubdistrictFactory, UnitFactory
from monitoring.choices import DistrictRule
from monitoring.models import MonitoringSettings, PopulationFigure
from monitoring.quotas import ae_quota_figures, quota_period
from monitoring.tests.quota_world import AS_OF, YEAR, build_quota_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_quota_district()


def _unit_row(figures, unit):
    return next(r for r in figures["by_unit"] if r["unit_id"] == unit.pk)


def test_period_days():
    year = quota_period(year=2024, as_of=AS_OF)
    assert (year.start, year.end, year.cutoff, year.days, year.elapsed) == (
        dt.date(2024, 1, 1), dt.date(2024, 12, 31), AS_OF, 366, 182)
    q2 = quota_period(year=2024, quarter=2, cumulative=False, as_of=dt.date(2024, 5, 15))
    # April 30 days + 15 days of May = 45 of the quarter's 30 + 31 + 30 = 91.
    assert (q2.start, q2.end, q2.days, q2.elapsed) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30), 91, 45)
    q2_cum = quota_period(year=2024, quarter=2, as_of=dt.date(2024, 9, 1))
    assert (q2_cum.start, q2_cum.cutoff, q2_cum.days, q2_cum.elapsed) == (dt.date(2024, 1, 1), AS_OF, 182, 182)
    q3 = quota_period(year=2024, quarter=3, cumulative=False, as_of=AS_OF)
    assert q3.elapsed == 0
    with pytest.raises(ValueError):
        quota_period(year=2024, quarter=5)


def test_district_year_to_30_june(w):
    f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    # population 800,000 + 400,000 + 50,000 = 1,250,000 (the 2023 figure is not used)
    assert f["population"] == 1_250_000
    assert f["population_missing"] == []
    r = f["reports"]
    # 甲 130 + 乙 20 = 150; the July reports, 2023 reports and the 5 reports outside the district are not counted
    assert r["count"] == 150
    # rate = 150 ÷ (1,250,000 ÷ 1,000,000) = 150 ÷ 1.25 = 120.0 per million
    assert r["rate_per_million"] == D("120.0")
    # target = 480 × 1,250,000 ÷ 1,000,000 = 600
    assert r["target_annual"] == D("600.0")
    assert r["target"] == D("600.0")
    # expected by day 182 of 366 = 600 × 182 ÷ 366 = 109,200 ÷ 366 = 298.36 → 298.4
    assert r["expected_to_date"] == D("298.4")
    # projection = 150 ÷ 182 × 366 = 54,900 ÷ 182 = 301.65 → 301.6
    assert r["projection"] == D("301.6")
    # 150 < 298.4
    assert (r["status"], r["status_label"]) == ("behind", "进度落后")
    assert (f["days_in_period"], f["days_elapsed"], f["days_in_year"]) == (366, 182, 366)
    assert f["unit_id"] is None and f["unit_name"] == "全区"
    assert f["unassigned_reports"] == 0
    assert f["settings"]["configured"] is False
    assert f["settings"]["per_million_target"] == D("480")


def test_district_by_unit_and_kind(w):
    f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    jia, yi = _unit_row(f, w.jia), _unit_row(f, w.yi)
    # 甲: 1,200,000 people, 130 reports
    assert jia["population"] == 1_200_000
    # rate 130 ÷ 1.2 = 108.33 → 108.3; target 480 × 1.2 = 576; expected 576 × 182 ÷ 366 = 104,832 ÷ 366 = 286.43
    # → 286.4; projection 130 × 366 ÷ 182 = 47,580 ÷ 182 = 261.43 → 261.4; 130 < 286.4 behind
    assert {k: jia["reports"][k] for k in ("count", "rate_per_million", "target", "expected_to_date", "projection",
                                            "status")} == {
        "count": 130, "rate_per_million": D("108.3"), "target": D("576.0"), "expected_to_date": D("286.4"),
        "projection": D("261.4"), "status": "behind"}
    # 乙: 50,000 people, 20 reports: rate 20 ÷ 0.05 = 400.0; target 480 × 0.05 = 24; expected 24 × 182 ÷ 366
    # = 4,368 ÷ 366 = 11.93 → 11.9; projection 20 × 366 ÷ 182 = 7,320 ÷ 182 = 40.22 → 40.2; 11.9 ≤ 20 < 24 on pace
    assert {k: yi["reports"][k] for k in ("count", "rate_per_million", "target", "expected_to_date", "projection",
                                           "status")} == {
        "count": 20, "rate_per_million": D("400.0"), "target": D("24.0"), "expected_to_date": D("11.9"),
        "projection": D("40.2"), "status": "on_pace"}
    # registrants 甲 R1 R2 R5 R7 (R1 R5 R7 registered), 乙 R3 R4 (R4 only from 1 August); hospitals 甲 H1 H2, 乙 H3 H4
    assert (jia["registrants"], jia["registered"], jia["hospitals"], jia["hospitals_covered"]) == (4, 3, 2, 1)
    assert (yi["registrants"], yi["registered"], yi["hospitals"], yi["hospitals_covered"]) == (2, 0, 2, 1)
    # kinds: use 100 + 15 = 115 (115 ÷ 150 = 76.7 %), operation 20 (13.3 %), manufacture 10 (6.7 %),
    # individual 5 (3.3 %), other 0
    kinds = {k["kind"]: (k["count"], k["share"]) for k in f["by_kind"]}
    assert kinds == {"use": (115, D("76.7")), "operation": (20, D("13.3")), "manufacture": (10, D("6.7")),
                     "individual": (5, D("3.3")), "other": (0, D("0.0"))}


def test_district_monthly_series(w):
    f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    months = f["monthly"]
    assert [m["month"] for m in months] == list(range(1, 13))
    assert [m["reports"] for m in months][:7] == [29, 29, 22, 24, 23, 23, 0]
    assert [m["cumulative"] for m in months][:6] == [29, 58, 80, 104, 127, 150]
    assert [m["elapsed"] for m in months] == [True] * 6 + [False] * 6
    # pro-rata at 31 January (day 31): 600 × 31 ÷ 366 = 50.82 → 50.8; at 30 June (day 182): 298.4; 31 Dec: 600
    assert months[0]["expected_cumulative"] == D("50.8")
    assert months[5]["expected_cumulative"] == D("298.4")
    assert months[11]["expected_cumulative"] == D("600.0")


def test_district_quarter_by_quarter(w):
    rows = ae_quota_figures(year=YEAR, as_of=AS_OF)["by_quarter"]
    # Q1 (91 days: 31 + 29 + 31) 80 reports: target 600 × 91 ÷ 366 = 149.2, over, so expected = target;
    # rate 80 ÷ 1.25 = 64.0; Q2 (91 days) 70 reports, target 149.2; Q3 and Q4 not started on 30 June
    assert [(r["quarter"], r["count"], r["target"], r["expected_to_date"], r["rate_per_million"], r["status"])
            for r in rows] == [
        (1, 80, D("149.2"), D("149.2"), D("64.0"), "behind"), (2, 70, D("149.2"), D("149.2"), D("56.0"), "behind"),
        # Q3: 92 days (31 + 31 + 30): 600 × 92 ÷ 366 = 150.8; Q4: 92 days (31 + 30 + 31): 150.8
        (3, 0, D("150.8"), D("0.0"), D("0.0"), "not_started"), (4, 0, D("150.8"), D("0.0"), D("0.0"), "not_started")]
    assert rows[0]["label"] == "2024年第一季度"
    # a single quarter's figures list that quarter only
    assert [r["quarter"] for r in ae_quota_figures(year=YEAR, quarter=2, cumulative=False, as_of=AS_OF)["by_quarter"]] == [2]
    assert [r["quarter"] for r in ae_quota_figures(year=YEAR, quarter=2, as_of=AS_OF)["by_quarter"]] == [1, 2]


def test_district_full_year_counts_july(w):
    f = ae_quota_figures(year=YEAR, as_of=dt.date(2025, 1, 15))
    # as of 31 December: 150 + 3 in July = 153; rate 153 ÷ 1.25 = 122.4; expected = target = 600;
    # projection = the count itself (the year is over)
    r = f["reports"]
    assert (r["count"], r["rate_per_million"], r["expected_to_date"], r["projection"], r["status"]) == (
        153, D("122.4"), D("600.0"), D("153.0"), "behind")
    assert f["as_of"] == dt.date(2024, 12, 31)
    # R4 registered on 1 August now counts: 4 of 6 = 66.7 %
    assert (f["registration"]["registered"], f["registration"]["rate"]) == (4, D("66.7"))


def test_district_quarters(w):
    q2 = ae_quota_figures(year=YEAR, quarter=2, cumulative=False, as_of=AS_OF)
    r = q2["reports"]
    # Q2 alone: 24 + 23 + 23 = 70 reports in 91 days (all elapsed); rate 70 ÷ 1.25 = 56.0;
    # target = 600 × 91 ÷ 366 = 54,600 ÷ 366 = 149.18 → 149.2 = expected; projection 70 × 91 ÷ 91 = 70
    assert (r["count"], r["rate_per_million"], r["target"], r["expected_to_date"], r["projection"], r["status"]) == (
        70, D("56.0"), D("149.2"), D("149.2"), D("70.0"), "behind")
    assert [m["month"] for m in q2["monthly"]] == [4, 5, 6]
    # pro-rata line of the quarter alone: 30 April is day 30 of it: 600 × 30 ÷ 366 = 49.18 → 49.2
    assert q2["monthly"][0]["expected_cumulative"] == D("49.2")

    q2_cum = ae_quota_figures(year=YEAR, quarter=2, as_of=AS_OF)
    # Q1–Q2: 150 in 182 days; target 600 × 182 ÷ 366 = 298.4 = expected; projection 150
    r = q2_cum["reports"]
    assert (r["count"], r["target"], r["expected_to_date"], r["projection"]) == (150, D("298.4"), D("298.4"),
                                                                                 D("150.0"))
    mid = ae_quota_figures(year=YEAR, quarter=2, cumulative=False, as_of=dt.date(2024, 5, 15))
    r = mid["reports"]
    # 15 May: day 30 + 15 = 45 of the quarter's 91; April 24 + May 23 (10 May) = 47 reports;
    # expected 600 × 45 ÷ 366 = 27,000 ÷ 366 = 73.77 → 73.8; projection 47 × 91 ÷ 45 = 4,277 ÷ 45 = 95.04 → 95.0
    assert (r["count"], r["expected_to_date"], r["projection"], r["target"]) == (47, D("73.8"), D("95.0"),
                                                                                 D("149.2"))
    q3 = ae_quota_figures(year=YEAR, quarter=3, cumulative=False, as_of=AS_OF)
    assert (q3["reports"]["count"], q3["reports"]["projection"], q3["reports"]["status"]) == (0, None, "not_started")


def test_unit_year_and_quarter(w):
    f = ae_quota_figures(year=YEAR, unit=w.jia, as_of=AS_OF)
    assert (f["unit_id"], f["unit_name"], f["population"]) == (w.jia.pk, "甲所", 1_200_000)
    assert f["reports"]["count"] == 130
    assert [r["unit_id"] for r in f["by_unit"]] == [w.jia.pk]
    # kinds of 甲 only: use 100, operation 20, manufacture 10
    assert {k["kind"]: k["count"] for k in f["by_kind"]} == {
        "use": 100, "operation": 20, "manufacture": 10, "individual": 0, "other": 0}
    # registration 甲: R1, R5 (no date), R7 registered; R2 has no record → 3 ÷ 4 = 75.0 %
    reg = f["registration"]
    assert (reg["total"], reg["registered"], reg["rate"], reg["status"]) == (4, 3, D("75.0"), "not_met")
    assert [(m["name"], m["reason"]) for m in reg["missing"]] == [("甲注册人二", "无注册记录")]
    # coverage 甲: H1 reported, H2 did not (last report 20 November 2023) → 1 ÷ 2 = 50.0 %
    cov = f["coverage"]
    assert (cov["total"], cov["covered"], cov["rate"]) == (2, 1, D("50.0"))
    assert [(z["name"], z["last_report_on"], z["grade_label"]) for z in cov["zero"]] == [
        ("甲区第二医院", dt.date(2023, 11, 20), "二级（未分等）")]

    q1 = ae_quota_figures(year=YEAR, quarter=1, cumulative=False, unit=w.yi, as_of=AS_OF)
    # 乙 Q1: 4 + 4 + 2 = 10 reports; target 24 × 91 ÷ 366 = 2,184 ÷ 366 = 5.97 → 6.0; 10 ≥ 6.0 met;
    # rate 10 ÷ 0.05 = 200.0
    r = q1["reports"]
    assert (r["count"], r["target"], r["rate_per_million"], r["status"]) == (10, D("6.0"), D("200.0"), "met")


def test_registration_and_coverage_lists(w):
    f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    reg = f["registration"]
    # 6 active registrants (R6 cancelled is out); registered by 30 June: R1, R5, R7 → 3 ÷ 6 = 50.0 %
    assert (reg["total"], reg["registered"], reg["missing_count"], reg["rate"]) == (6, 3, 3, D("50.0"))
    assert reg["target"] == D("100")
    assert {m["name"]: m["reason"] for m in reg["missing"]} == {
        "甲注册人二": "无注册记录", "乙注册人三": "未注册", "乙注册人四": "注册日期（2024-08-01）晚于统计截止日"}
    cov = f["coverage"]
    # 二级以上 active hospitals H1 H2 H3 H4 (not H6 一级, H7 cancelled, the clinic); H1, H3 reported → 2 ÷ 4 = 50.0 %
    assert (cov["total"], cov["covered"], cov["zero_count"], cov["rate"], cov["status"]) == (4, 2, 2, D("50.0"),
                                                                                            "not_met")
    assert {z["name"]: z["last_report_on"] for z in cov["zero"]} == {
        "甲区第二医院": dt.date(2023, 11, 20), "乙镇骨科医院": None}


def test_settings_row_changes_target_and_rule(w):
    MonitoringSettings.objects.create(year=YEAR, per_million_target=500, district_rule=DistrictRule.ALL_IMPORTED,
                                      coverage_target=50)
    f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    # all imported: 150 + 5 outside the district (no 所) = 155; target 500 × 1.25 = 625
    assert f["reports"]["count"] == 155
    assert f["unassigned_reports"] == 5
    assert f["reports"]["target"] == D("625.0")
    # rate 155 ÷ 1.25 = 124.0
    assert f["reports"]["rate_per_million"] == D("124.0")
    # coverage 50.0 % meets a 50 % target
    assert f["coverage"]["status"] == "met"
    assert f["settings"]["configured"] is True


def test_missing_population_is_not_made_up(w):
    SubdistrictFactory(name="乙二镇", unit=w.yi)
    f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    assert f["population"] is None
    assert f["population_missing"] == ["乙二镇"]
    r = f["reports"]
    assert (r["count"], r["rate_per_million"], r["target"], r["expected_to_date"], r["status"]) == (
        150, None, None, None, "no_population")
    assert r["status_label"] == "未配置人口"
    # 甲's own figures stay whole
    assert _unit_row(f, w.jia)["population"] == 1_200_000
    assert _unit_row(f, w.yi)["population"] is None
    assert ae_quota_figures(year=2022, unit=w.jia, as_of=AS_OF)["population"] is None


def test_bounded_queries(w, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        ae_quota_figures(year=YEAR, as_of=AS_OF)
    for n in range(5):
        sd = SubdistrictFactory(unit=UnitFactory())
        PopulationFigure.objects.create(year=YEAR, subdistrict=sd, population=1000 + n, source="统计年鉴")
    with django_assert_max_num_queries(10):
        f = ae_quota_figures(year=YEAR, as_of=AS_OF)
    assert len(f["by_unit"]) == 7
