"""The AE quota dashboard, drill-down and export: figures shown, records behind them, 所 scoping."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from lxml import html
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from monitoring.tests.quota_world import YEAR, build_quota_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = build_quota_district()
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION)
    world.district_user = UserFactory(unit=section, role=Role.SECTION_STAFF)
    world.jia_user = UserFactory(unit=world.jia)
    world.yi_user = UserFactory(unit=world.yi)
    return world


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch):
    """The pages count up to today: hold today at 30 June 2024."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2024, 6, 30))


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(f"monitoring:{name}"), params)


def _text(tree, xpath) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def test_district_dashboard_shows_the_three_quotas(client, w):
    response = _get(client, w.district_user, "ae_dashboard")
    assert response.status_code == 200
    tree = html.fromstring(response.content)
    # the hand-computed figures of test_quotas: 150 reports, 120.0 per million, target 600, expected 298.4
    assert _text(tree, '//*[@id="card-reports"]//a[@class="ae-count"]') == ["150"]
    assert _text(tree, '//*[@id="card-reports"]//*[@class="ae-rate"]') == ["120.0"]
    assert _text(tree, '//*[@id="card-reports"]//*[@class="ae-expected"]') == ["298.4"]
    assert "目标 600.0" in _text(tree, '//*[@id="card-reports"]')[0]
    assert _text(tree, '//*[@id="card-registration"]//*[@class="ae-rate"]') == ["50.0%"]
    assert _text(tree, '//*[@id="card-coverage"]//*[@class="ae-rate"]') == ["50.0%"]
    rows = {r.get("data-unit"): _text(r, "./td") for r in tree.xpath('//*[@id="ae-by-unit"]/tbody/tr')}
    assert rows[str(w.jia.pk)][:3] == ["甲所", "1200000", "130"]
    assert rows[str(w.yi.pk)][:3] == ["乙所", "50000", "20"]
    assert rows[str(w.yi.pk)][7] == "进度正常"
    kinds = {r.get("data-kind"): _text(r, "./td")[1] for r in tree.xpath('//*[@id="ae-by-kind"]/tbody/tr')}
    assert kinds == {"use": "115", "operation": "20", "manufacture": "10", "individual": "5", "other": "0"}
    assert _text(tree, '//*[@id="ae-missing-registrants"]/tbody/tr/td[1]') == ["甲注册人二", "乙注册人三", "乙注册人四"]
    assert [_text(r, "./td") for r in tree.xpath('//*[@id="ae-zero-hospitals"]/tbody/tr')] == [
        ["甲区第二医院", "二级（未分等）", "甲所", "2023-11-20"], ["乙镇骨科医院", "三级（未分等）", "乙所", "从未报告"]]
    chart = json.loads(tree.xpath('//script[@id="ae-chart-data"]')[0].text)
    assert chart["month_reports"][:7] == [29, 29, 22, 24, 23, 23, None]
    assert chart["unit_reports"] == [130, 20]
    quarters = {r.get("data-quarter"): _text(r, "./td")[:2] for r in tree.xpath('//*[@id="ae-by-quarter"]/tbody/tr')}
    assert quarters == {"1": ["2024年第一季度", "80"], "2": ["2024年第二季度", "70"], "3": ["2024年第三季度", "0"],
                        "4": ["2024年第四季度", "0"]}
    assert not tree.xpath("//script[not(@src) and not(@type='application/json')]")


def test_quarter_selector(client, w):
    response = _get(client, w.district_user, "ae_dashboard", year=YEAR, quarter=2, mode="single")
    tree = html.fromstring(response.content)
    # Q2 alone: 70 reports, target 149.2 (see test_quotas)
    assert _text(tree, '//*[@id="card-reports"]//a[@class="ae-count"]') == ["70"]
    assert "目标 149.2" in _text(tree, '//*[@id="card-reports"]')[0]
    assert "2024年第二季度" in _text(tree, '//*[@id="ae-period"]')[0]


def test_station_user_sees_only_its_unit(client, w):
    response = _get(client, w.yi_user, "ae_dashboard")
    tree = html.fromstring(response.content)
    assert _text(tree, '//*[@id="card-reports"]//a[@class="ae-count"]') == ["20"]
    assert [r.get("data-unit") for r in tree.xpath('//*[@id="ae-by-unit"]/tbody/tr')] == [str(w.yi.pk)]
    assert _text(tree, '//*[@id="ae-missing-registrants"]/tbody/tr/td[1]') == ["乙注册人三", "乙注册人四"]
    assert _text(tree, '//*[@id="ae-zero-hospitals"]/tbody/tr/td[1]') == ["乙镇骨科医院"]
    # nothing of the other 所: its name, its 街道, its registrants and hospitals all start with 甲 (the menu's
    # "三甲医院" is not one of them)
    assert "甲" not in "".join(_text(tree, '//main | //body')).replace("三甲", "")
    # another 所 as parameter: refused on every page
    for name in ("ae_dashboard", "ae_drilldown", "ae_dashboard_export"):
        assert _get(client, w.yi_user, name, unit=w.jia.pk).status_code == 404
    # unassigned reports are district-only
    assert _get(client, w.yi_user, "ae_drilldown", figure="reports", unit="none").status_code == 404


def test_district_user_picks_a_unit(client, w):
    response = _get(client, w.district_user, "ae_dashboard", unit=w.jia.pk)
    tree = html.fromstring(response.content)
    assert _text(tree, '//*[@id="card-reports"]//a[@class="ae-count"]') == ["130"]
    assert "1200000" in _text(tree, '//*[@id="card-reports"]')[0]


def _drill_rows(client, user, **params):
    response = _get(client, user, "ae_drilldown", **params)
    assert response.status_code == 200
    tree = html.fromstring(response.content)
    return tree, [_text(r, "./td") for r in tree.xpath('//*[@id="drill-table"]/tbody/tr') if r.xpath("./td[2]")]


def test_drilldown_lists_match_the_figures(client, w):
    _, rows = _drill_rows(client, w.district_user, figure="reports", unit=w.yi.pk)
    assert len(rows) == 20
    tree, rows = _drill_rows(client, w.district_user, figure="reports")
    assert "共 150 条" in tree.text_content()
    _, rows = _drill_rows(client, w.district_user, figure="reports", kind="individual")
    assert len(rows) == 5 and {r[2] for r in rows} == {"个人"}
    _, rows = _drill_rows(client, w.district_user, figure="reports", month=3)
    # March: 甲 20 + 乙 2 (the 5 reports outside the district are not counted)
    assert len(rows) == 22
    _, rows = _drill_rows(client, w.district_user, figure="registrants_missing")
    assert [r[0] for r in rows] == ["甲注册人二", "乙注册人三", "乙注册人四"]
    assert [r[3] for r in rows] == ["无注册记录", "未注册", "统计截止日后注册"]
    _, rows = _drill_rows(client, w.district_user, figure="hospitals_zero")
    assert [(r[0], r[3], r[4]) for r in rows] == [("甲区第二医院", "0", "2023-11-20"), ("乙镇骨科医院", "0", "从未报告")]
    _, rows = _drill_rows(client, w.district_user, figure="hospitals_covered")
    # H1 files one a month January–June (6), H3 likewise (6)
    assert [(r[0], r[3]) for r in rows] == [("甲区人民医院", "6"), ("乙镇中心医院", "6")]
    _, rows = _drill_rows(client, w.district_user, figure="registrants")
    assert len(rows) == 6
    assert _get(client, w.district_user, "ae_drilldown", figure="nonsense").status_code == 404


def test_drilldown_is_scoped_for_a_station(client, w):
    tree, rows = _drill_rows(client, w.yi_user, figure="reports")
    assert len(rows) == 20 and {r[6] for r in rows} == {"乙所"}
    _, rows = _drill_rows(client, w.yi_user, figure="hospitals")
    assert [r[0] for r in rows] == ["乙镇中心医院", "乙镇骨科医院"]
    _, rows = _drill_rows(client, w.yi_user, figure="registrants")
    assert [r[0] for r in rows] == ["乙注册人三", "乙注册人四"]
    _, rows = _drill_rows(client, w.jia_user, figure="hospitals_zero")
    assert [r[0] for r in rows] == ["甲区第二医院"]


def _workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _sheet(book, title):
    return [list(r) for r in book[title].iter_rows(values_only=True)]


def test_export_reopens_with_the_figures(client, w):
    book = _workbook(_get(client, w.district_user, "ae_dashboard_export"))
    assert book.sheetnames == ["指标汇总", "按月份", "按季度", "按监管所", "按报告来源", "未注册注册人", "零报告医疗机构"]
    summary = {r[0]: r[1:] for r in _sheet(book, "指标汇总")[1:]}
    # count, period target, expected to date, projection, status (see test_quotas)
    assert summary["不良事件报告数"][:5] == [150, 600, 298.4, 301.6, "进度落后"]
    assert summary["每百万人口报告数"][:2] == [120, 480]
    assert summary["注册人注册率（%）"][:2] == [50, 100]
    assert summary["二级以上医疗机构报告覆盖率（%）"][:2] == [50, 100]
    assert summary["常住人口"][0] == 1_250_000
    # each quarter alone: Q1 80 reports, target 600 × 91 ÷ 366 = 149.2; Q2 70 (see test_quotas)
    assert [r[:4] for r in _sheet(book, "按季度")[1:3]] == [["2024年第一季度", 80, 64, 149.2],
                                                          ["2024年第二季度", 70, 56, 149.2]]
    months = _sheet(book, "按月份")
    assert [r[1] for r in months[1:8]] == [29, 29, 22, 24, 23, 23, None]
    units = {r[0]: r for r in _sheet(book, "按监管所")[1:]}
    assert (units["甲所"][1], units["甲所"][2], units["乙所"][2]) == (1_200_000, 130, 20)
    assert [r[0] for r in _sheet(book, "未注册注册人")[1:]] == ["甲注册人二", "乙注册人三", "乙注册人四"]
    assert [(r[0], r[4]) for r in _sheet(book, "零报告医疗机构")[1:]] == [
        ("甲区第二医院", "2023-11-20"), ("乙镇骨科医院", "从未报告")]
    assert re.search("attachment", _get(client, w.district_user, "ae_dashboard_export")["Content-Disposition"])


def test_export_is_scoped_for_a_station(client, w):
    book = _workbook(_get(client, w.jia_user, "ae_dashboard_export", quarter=1, mode="single"))
    summary = {r[0]: r[1:] for r in _sheet(book, "指标汇总")[1:]}
    # 甲 Q1 alone: 25 + 25 + 20 = 70
    assert summary["不良事件报告数"][0] == 70
    assert summary["统计范围"][0] == "甲所"
    assert [r[0] for r in _sheet(book, "按监管所")[1:]] == ["甲所"]
    assert [r[0] for r in _sheet(book, "未注册注册人")[1:]] == ["甲注册人二"]
    assert [r[0] for r in _sheet(book, "零报告医疗机构")[1:]] == ["甲区第二医院"]
    everything = " ".join(str(c) for title in book.sheetnames for row in _sheet(book, title) for c in row)
    assert "乙" not in everything


def test_population_missing_is_shown_not_guessed(client, w):
    from monitoring.models import PopulationFigure

    PopulationFigure.objects.filter(subdistrict=w.sd_c).delete()
    tree = html.fromstring(_get(client, w.district_user, "ae_dashboard").content)
    assert "乙一街道" in _text(tree, '//*[@id="ae-population-missing"]')[0]
    assert _text(tree, '//*[@id="card-reports"]//*[@class="ae-rate"]') == ["—"]
    book = _workbook(_get(client, w.district_user, "ae_dashboard_export"))
    summary = {r[0]: r[1:] for r in _sheet(book, "指标汇总")[1:]}
    assert summary["常住人口"][0] == "未配置"


def _api(user):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_api_gives_the_figures(w):
    data = _api(w.district_user).get("/api/ae-quotas/", {"year": YEAR}).json()
    # the hand-computed district figures of test_quotas
    assert (data["reports"]["count"], data["reports"]["rate_per_million"], data["reports"]["target"],
            data["reports"]["expected_to_date"], data["reports"]["status"]) == (150, "120.0", "600.0", "298.4", "behind")
    assert data["population"] == 1_250_000 and data["as_of"] == "2024-06-30"
    assert [u["unit_name"] for u in data["by_unit"]] == ["甲所", "乙所"]
    assert (data["registration"]["rate"], data["coverage"]["rate"]) == ("50.0", "50.0")
    assert [z["last_report_on"] for z in data["coverage"]["zero"]] == ["2023-11-20", None]
    assert [(q["quarter"], q["count"], q["target"]) for q in data["by_quarter"]][:2] == [(1, 80, "149.2"),
                                                                                        (2, 70, "149.2")]
    q2 = _api(w.district_user).get("/api/ae-quotas/", {"year": YEAR, "quarter": 2, "mode": "single"}).json()
    assert (q2["reports"]["count"], q2["reports"]["target"]) == (70, "149.2")
    jia = _api(w.district_user).get("/api/ae-quotas/", {"year": YEAR, "unit": w.jia.pk}).json()
    assert (jia["unit_name"], jia["reports"]["count"]) == ("甲所", 130)


def test_api_is_scoped(w):
    data = _api(w.yi_user).get("/api/ae-quotas/", {"year": YEAR}).json()
    assert (data["unit_id"], data["reports"]["count"]) == (w.yi.pk, 20)
    assert [m["name"] for m in data["registration"]["missing"]] == ["乙注册人三", "乙注册人四"]
    assert _api(w.yi_user).get("/api/ae-quotas/", {"year": YEAR, "unit": w.jia.pk}).status_code == 404
    assert _api(None).get("/api/ae-quotas/").status_code in (401, 403)
    bad = _api(w.district_user).get("/api/ae-quotas/", {"year": YEAR, "quarter": 5})
    assert bad.status_code == 400 and "quarter" in bad.json()
