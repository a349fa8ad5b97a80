"""The working-day calendar pages: every user reads the year and uses the calculator; only the 药械科 and
administrators add, change and delete days (a 所 user and the auditor are refused, nothing changes)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from enterprises.holidays import holidays_load
from enterprises.models import CalendarDay

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def holidays():
    holidays_load()


def _rows():
    return sorted(CalendarDay.objects.values_list("date", "kind", "name", "source", "is_default"))


def test_station_user_reads_the_year_without_edit_controls(client, district):
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:calendar"), {"year": 2024})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2024-02-12" data-working="0"' in html
    assert 'data-date="2024-02-04" data-working="1"' in html
    assert "国办发明电〔2023〕7号" in html
    assert html.count('title="默认值，可修改">默认</span>') == 36
    assert "calendar-add" not in html and "/calendar/new/" not in html
    assert not re.search(r"/calendar/\d+/(edit|delete)/", html)
    assert len(response.context["days"]) == 36


@pytest.mark.parametrize("who", ["inspector_a", "auditor"])
def test_station_user_and_auditor_cannot_change_the_calendar(client, district, who):
    client.force_login(getattr(district, who))
    day = CalendarDay.objects.get(date=D(2024, 10, 1))
    before = _rows()

    responses = [
        client.get(reverse("enterprises:calendar_day_create")),
        client.post(reverse("enterprises:calendar_day_create"), {"date": "2024-12-30", "kind": "holiday",
                                                                  "name": "加假"}),
        client.post(reverse("enterprises:calendar_day_edit", args=[day.pk]), {
            "date": "2024-10-01", "kind": "holiday", "name": "改名", "version": day.version}),
        client.post(reverse("enterprises:calendar_day_delete", args=[day.pk])),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert _rows() == before


def test_section_adds_a_day_and_it_moves_the_clock(client, district):
    client.force_login(district.section_user)
    assert CalendarDay.objects.filter(date=D(2030, 1, 1)).count() == 0

    response = client.post(reverse("enterprises:calendar_day_create"), {
        "date": "2030-01-01", "kind": "holiday", "name": "元旦", "source": "国务院办公厅关于2030年部分节假日安排的通知"})

    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:calendar") + "?year=2030"
    day = CalendarDay.objects.get(date=D(2030, 1, 1))
    assert (day.kind, day.name, day.is_default, day.updated_by) == ("holiday", "元旦", False, district.section_user)
    page = client.get(reverse("enterprises:calendar"), {"year": 2030, "start": "2029-12-31", "days": "1",
                                                        "direction": "add"})
    assert page.context["calc"]["result"] == D(2030, 1, 2)
    assert "新增 2030-01-01 元旦" in page.content.decode()


def test_bad_days_are_refused_with_chinese_errors(client, district):
    client.force_login(district.section_user)
    before = _rows()

    weekday_workday = client.post(reverse("enterprises:calendar_day_create"), {
        "date": "2030-01-02", "kind": "workday", "name": "调休"})
    duplicate = client.post(reverse("enterprises:calendar_day_create"), {
        "date": "2024-10-01", "kind": "holiday", "name": "国庆节"})
    blank = client.post(reverse("enterprises:calendar_day_create"), {"date": "", "kind": "holiday", "name": ""})

    assert weekday_workday.context["form"].errors["kind"] == ["调休上班日应为周六或周日（周一至周五本来就是工作日）"]
    assert duplicate.context["form"].errors["date"] == ["2024-10-01 已有记录，请修改原记录"]
    assert set(blank.context["form"].errors) == {"date", "name"}
    assert _rows() == before


def test_section_edits_a_default_day_with_history_and_version(client, district):
    client.force_login(district.section_user)
    day = CalendarDay.objects.get(date=D(2024, 6, 10))
    url = reverse("enterprises:calendar_day_edit", args=[day.pk])

    response = client.post(url, {"date": "2024-06-10", "kind": "holiday", "name": "端午节（调整）",
                                 "source": day.source, "version": day.version})
    stale = client.post(url, {"date": "2024-06-10", "kind": "holiday", "name": "又改", "version": day.version})

    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.name, day.is_default, day.version) == ("端午节（调整）", False, 2)
    assert stale.status_code == 200
    assert "你的修改未保存" in stale.content.decode()
    assert CalendarDay.objects.get(pk=day.pk).name == "端午节（调整）"
    page = client.get(url)
    assert [row.action for row in page.context["history"]][:1] == ["修改"]
    assert holidays_load() == 0
    assert CalendarDay.objects.get(pk=day.pk).name == "端午节（调整）"


def test_section_deletes_a_day(client, district):
    client.force_login(district.section_user)
    day = CalendarDay.objects.get(date=D(2024, 9, 14))

    response = client.post(reverse("enterprises:calendar_day_delete", args=[day.pk]))

    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2024, 9, 14)).exists()
    assert holidays_load() == 0
    page = client.get(reverse("enterprises:calendar"), {"year": 2024})
    assert "删除 2024-09-14" in page.content.decode()


def test_calculator_subtracts_and_warns_for_an_unconfigured_year(client, district):
    client.force_login(district.inspector_a)

    back = client.get(reverse("enterprises:calendar"), {"start": "2024-10-08", "days": "3", "direction": "subtract"})
    later = client.get(reverse("enterprises:calendar"), {"start": "2031-03-03", "days": "5", "direction": "add"})
    bad = client.get(reverse("enterprises:calendar"), {"start": "2024-10-08", "days": "-1", "direction": "add"})

    assert back.context["calc"]["result"] == D(2024, 9, 27)
    assert "2024-09-27（星期五）" in back.content.decode()
    assert later.context["calc"]["unconfigured"] == [2031]
    assert "2031年尚未录入节假日" in later.content.decode()
    assert bad.context["calc"] is None
    assert bad.context["calc_form"].errors["days"]


def test_unconfigured_year_says_so(client, district):
    client.force_login(district.section_user)

    html = client.get(reverse("enterprises:calendar"), {"year": 2031}).content.decode()

    assert "2031年尚未录入法定节假日" in html
    assert "calendar-add" in html


def test_bad_year_falls_back_to_this_year(client, district):
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:calendar"), {"year": "99999"})

    assert response.context["year"] == dt.date.today().year


def test_admin_change_list(admin_client):
    response = admin_client.get(reverse("admin:enterprises_calendarday_changelist"))
    assert response.status_code == 200
