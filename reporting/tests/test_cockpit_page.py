"""The cockpit page: targets table (colours, trends, snapshot vs live), league table, period selector,
scoping (a 所 sees only itself), the freeze form and its refusals. Today is held at 15 August 2025."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from lxml import html

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting.cockpit.service import snapshot_take
from reporting.models import QuarterSnapshot
from reporting.tests.cockpit_world import YEAR, inspect, use_test_indicators

pytestmark = pytest.mark.django_db

TODAY = dt.date(YEAR, 8, 15)


@pytest.fixture(autouse=True)
def _today_and_indicators(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    use_test_indicators(monkeypatch)


@pytest.fixture
def district():
    """甲所 and 乙所; 甲所 inspected once in Q2 last year, once in Q1 and twice in Q2 (one 不符合); 乙所 never."""
    section = UnitFactory(kind=UnitKind.SECTION, name="药械科", short_name="药械科")
    bureau = UnitFactory(kind=UnitKind.BUREAU, name="区局", short_name="区局")
    jia = UnitFactory(name="甲市场监管所", short_name="甲所", sort_order=1)
    yi = UnitFactory(name="乙市场监管所", short_name="乙所", sort_order=2)
    inspect(jia, dt.date(YEAR - 1, 5, 10))
    inspect(jia, dt.date(YEAR, 2, 10))
    inspect(jia, dt.date(YEAR, 4, 15))
    inspect(jia, dt.date(YEAR, 6, 20), conclusion="non_compliant")
    inspect(jia, dt.date(YEAR, 7, 2))  # Q3: not in Q2's figures
    return type("D", (), {
        "jia": jia, "yi": yi,
        "staff": UserFactory(unit=section, role=Role.SECTION_STAFF),
        "leader": UserFactory(unit=section, role=Role.LEADER),
        "auditor": UserFactory(unit=bureau, role=Role.AUDITOR),
        "jia_user": UserFactory(unit=jia, role=Role.STATION_STAFF),
    })


def _page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reporting:cockpit"), params)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def _cells(tree, code: str) -> dict[str, str]:
    row = tree.xpath(f'//*[@id="cockpit-targets"]//tr[@data-code="{code}"]')[0]
    return {td.get("data-label"): " ".join(td.text_content().split()) for td in row.xpath("./th|./td")}


def test_q2_targets_table_figures_status_and_trends(client, district):
    tree = _page(client, district.staff, year=YEAR, quarter=2)

    # 3 inspections by 30 June; 8 × 181/365 = 3.97 → 3 due: on track (blue); Q1 had 1, Q2 last year 1
    cells = _cells(tree, "t_inspections")
    assert cells["实际"] == "3 家"
    assert cells["目标"] == "≥ 8"
    assert cells["按进度应达"] == "3"
    assert cells["状态"] == "进度正常"
    assert cells["较上季度"] == "+2"
    assert cells["较去年同期"] == "+2"
    row = tree.xpath('//tr[@data-code="t_inspections"]')[0]
    assert row.xpath('.//span[contains(@class,"cockpit-status")]')[0].get("class").split()[1] == "text-bg-primary"
    assert row.xpath('.//td[@data-label="较上季度"]/span')[0].get("class").split()[-1] == "text-success"
    assert row.xpath('.//td[@data-label="较上季度"]/span')[0].get("data-direction") == "up"
    link = row.xpath('.//a[contains(@class,"cockpit-figure")]')[0].get("href")
    assert link == reverse("inspections:list") + f"?date_from={YEAR}-01-01&date_to={YEAR}-06-30"

    # one 不符合 against a target of 0 (lower is better): red, and up is worse (red arrow)
    cells = _cells(tree, "t_open")
    assert (cells["实际"], cells["目标"], cells["状态"], cells["较上季度"]) == ("1 家", "≤ 0", "滞后", "+1")
    row = tree.xpath('//tr[@data-code="t_open"]')[0]
    assert "text-bg-danger" in row.xpath('.//span[contains(@class,"cockpit-status")]')[0].get("class")
    assert "text-danger" in row.xpath('.//td[@data-label="较上季度"]/span')[0].get("class")

    cells = _cells(tree, "t_missing")
    assert cells["实际"] == "未配置未导入省局系统数据"
    assert cells["状态"] == "未配置"

    # sections in order, no snapshot columns before a snapshot exists
    assert [" ".join(t.text_content().split()) for t in tree.xpath('//tr[@class="cockpit-section"]')] == [
        "检查", "系统录入"]
    assert "快照值" not in tree.xpath('//*[@id="cockpit-targets"]/thead')[0].text_content()


def test_league_table_colours_each_unit_and_links_to_its_records(client, district):
    tree = _page(client, district.leader, year=YEAR, quarter=2)
    league = tree.xpath('//*[@id="cockpit-league"]')[0]
    # per-unit indicators only (t_open is assessed for the district alone)
    assert [th.get("data-code") for th in league.xpath("./thead/tr/th")[1:]] == ["t_inspections", "t_missing"]
    rows = {r.get("data-unit"): r for r in league.xpath("./tbody/tr")}
    assert list(rows) == [str(district.jia.pk), str(district.yi.pk)]
    jia, yi = rows[str(district.jia.pk)].xpath("./td")[0], rows[str(district.yi.pk)].xpath("./td")[0]
    # unit target 4, 4 × 181/365 = 1.98 → 1 due: 甲所 3 on track, 乙所 0 behind (red)
    assert "status-primary" in jia.get("class") and jia.xpath("./a")[0].text == "3"
    assert "status-danger" in yi.get("class") and yi.xpath("./a")[0].text == "0"
    assert yi.xpath("./a")[0].get("href") == (
        reverse("inspections:list") + f"?date_from={YEAR}-01-01&date_to={YEAR}-06-30&unit={district.yi.pk}")
    assert "未配置" in rows[str(district.yi.pk)].xpath("./td")[1].text_content()


def test_snapshot_keeps_the_reported_figure_when_a_late_record_arrives(client, district):
    # given Q2 frozen after its end (3 inspections in the district, 乙所 0)
    snapshot_take(year=YEAR, quarter=2, today=TODAY)
    # when 乙所 records an inspection of 5 May afterwards
    inspect(district.yi, dt.date(YEAR, 5, 5))
    # then live says 4, the snapshot still 3, and the page shows the difference
    tree = _page(client, district.staff, year=YEAR, quarter=2)
    cells = _cells(tree, "t_inspections")
    assert (cells["实际"], cells["快照值"], cells["差异"]) == ("4 家", "3", "+1")
    diff = tree.xpath('//tr[@data-code="t_inspections"]/td[@data-label="差异"]')[0]
    assert "table-warning" in diff.get("class")
    assert _cells(tree, "t_open")["差异"] == "0"
    assert "table-warning" not in tree.xpath('//tr[@data-code="t_open"]/td[@data-label="差异"]')[0].get("class")
    # the snapshot itself did not move
    data = QuarterSnapshot.objects.get(year=YEAR, quarter=2).data["t_inspections"]
    assert data["district"]["actual"] == 3
    assert data["units"][str(district.yi.pk)]["actual"] == 0
    assert "已于" in tree.xpath('//*[@id="snapshot-current"]')[0].text_content()
    # and the quarter trend reports the frozen Q2 (3 of 8 = 37.5%), Q3 live (5 of 8 by 15 August)
    chart = json.loads(tree.xpath('//script[@id="cockpit-chart-data"]')[0].text)
    assert chart["quarters"] == ["第一季度", "第二季度", "第三季度"]
    assert chart["trend"][0] == {"name": "日常检查企业数", "values": [12.5, 37.5, 62.5]}


def test_period_selector_offers_begun_quarters_and_defaults_to_today(client, district):
    tree = _page(client, district.staff)
    assert tree.xpath('//form[@id="cockpit-period"]//select[@name="quarter"]/option[@selected]')[0].get("value") == "now"
    assert [o.get("value") for o in tree.xpath('//form[@id="cockpit-period"]//select[@name="quarter"]/option')] == ["now", "1", "2", "3"]
    assert tree.xpath('//form[@id="cockpit-period"]//select[@name="year"]/option[@selected]')[0].get("value") == str(YEAR)
    # 截至今日: 1 + 2 + 1 (2 July) = 4 inspections; compared with the last ended quarter (Q2: 3)
    assert _cells(tree, "t_inspections")["实际"] == "4 家"
    assert _cells(tree, "t_inspections")["较上季度"] == "+1"
    assert "不冻结" in tree.xpath('//*[@id="cockpit-snapshots"]')[0].text_content()
    # a running quarter explains when it freezes
    tree = _page(client, district.staff, year=YEAR, quarter=3)
    assert "将于2025年9月30日季度结束后自动冻结" in tree.xpath('//*[@id="snapshot-running"]')[0].text_content()
    assert not tree.xpath('//*[@id="snapshot-form"]')


def test_a_quarter_not_begun_is_refused_with_a_chinese_message(client, district):
    client.force_login(district.staff)
    response = client.get(reverse("reporting:cockpit"), {"year": YEAR, "quarter": 4}, follow=True)
    assert response.status_code == 200
    assert "2025年第四季度尚未开始" in response.content.decode()
    assert response.context["period"].quarter is None


def test_station_user_sees_only_its_own_unit(client, district):
    inspect(district.yi, dt.date(YEAR, 3, 3))
    tree = _page(client, district.jia_user, year=YEAR, quarter=2)
    assert "本所进度" in tree.xpath("//h1")[0].text_content()
    # its own figure (3), not the district's (4); no district-only indicator, no league table, no freeze
    assert _cells(tree, "t_inspections")["实际"] == "3 家"
    assert _cells(tree, "t_inspections")["目标"] == "≥ 4"
    assert not tree.xpath('//tr[@data-code="t_open"]')
    assert not tree.xpath('//*[@id="cockpit-league"]')
    assert "乙所" not in tree.text_content()
    assert not tree.xpath('//*[@id="snapshot-form"]')
    chart = json.loads(tree.xpath('//script[@id="cockpit-chart-data"]')[0].text)
    assert chart["units"] == ["甲所"]


def test_the_other_station_sees_its_own_red_figure(client, district):
    yi_user = UserFactory(unit=district.yi, role=Role.STATION_STAFF)
    tree = _page(client, yi_user, year=YEAR, quarter=2)
    assert _cells(tree, "t_inspections")["实际"] == "0 家"
    assert _cells(tree, "t_inspections")["状态"] == "滞后"
    assert "甲所" not in tree.text_content()


def test_freeze_form_for_the_section_not_for_the_auditor(client, district):
    tree = _page(client, district.staff, year=YEAR, quarter=2)
    assert tree.xpath('//*[@id="snapshot-form"]//button')[0].text_content() == "立即冻结"
    tree = _page(client, district.auditor, year=YEAR, quarter=2)
    assert not tree.xpath('//*[@id="snapshot-form"]')
    assert not tree.xpath(f'//form[@action="{reverse("reporting:cockpit_snapshot")}"]')
    assert _cells(tree, "t_inspections")["实际"] == "3 家"  # the auditor reads the district


def test_freeze_on_demand_then_again_with_a_reason(client, district):
    client.force_login(district.staff)
    url = reverse("reporting:cockpit_snapshot")
    response = client.post(url, {"year": YEAR, "quarter": 2})
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:cockpit") + f"?year={YEAR}&quarter=2"
    first = QuarterSnapshot.objects.get()
    assert (first.taken_by, first.trigger, first.as_of) == (district.staff, "manual", dt.date(YEAR, 6, 30))

    # again without a reason: refused in Chinese, nothing changed
    response = client.post(url, {"year": YEAR, "quarter": 2, "reason": "  "}, follow=True)
    assert "该季度已有快照，重新冻结须填写原因" in response.content.decode()
    assert list(QuarterSnapshot.objects.values_list("pk", "is_current")) == [(first.pk, True)]

    # with a reason: a new current snapshot, the first kept
    tree = _page(client, district.staff, year=YEAR, quarter=2)
    assert tree.xpath('//*[@id="snapshot-form"]//button')[0].text_content() == "重新冻结"
    client.post(url, {"year": YEAR, "quarter": 2, "reason": "补录迟报检查"})
    assert QuarterSnapshot.objects.filter(is_current=True).get().reason == "补录迟报检查"
    assert QuarterSnapshot.objects.get(pk=first.pk).is_current is False
    tree = _page(client, district.staff, year=YEAR, quarter=2)
    assert len(tree.xpath('//*[@id="snapshot-history"]/tbody/tr')) == 2


def test_freeze_refusals_change_nothing(client, district):
    url = reverse("reporting:cockpit_snapshot")
    for user in (district.auditor, district.jia_user):
        client.force_login(user)
        assert client.post(url, {"year": YEAR, "quarter": 2}).status_code == 403
    client.force_login(district.staff)
    response = client.post(url, {"year": YEAR, "quarter": 3}, follow=True)  # running quarter
    assert "该季度尚未结束，季度结束后才能冻结数据" in response.content.decode()
    response = client.post(url, {"year": "", "quarter": 9}, follow=True)
    assert response.status_code == 200
    assert QuarterSnapshot.objects.count() == 0


def test_an_empty_indicator_registry_still_renders(client, district, monkeypatch):
    use_test_indicators(monkeypatch, indicators=[])
    tree = _page(client, district.staff, year=YEAR, quarter=2)
    assert "暂无可显示的考核指标" in tree.xpath('//*[@id="cockpit-empty"]')[0].text_content()
    assert not tree.xpath('//*[@id="cockpit-league"]')
    assert tree.xpath('//*[@id="snapshot-form"]')


def test_no_inline_scripts(client, district):
    tree = _page(client, district.staff, year=YEAR, quarter=2)
    assert not tree.xpath("//script[not(@src) and not(@type='application/json')]")
