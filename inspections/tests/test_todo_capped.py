"""The 待办 pages list the most urgent rows of each kind, the total, and a link to the whole list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import selectors
from inspections.choices import InspectionStatus
from inspections.tests.factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db


LIMIT = selectors.WORK_LIST_LIMIT  # rows shown per list


def unentered(user, enterprise, n, *, first_day):
    """``n`` finalised inspections of ``user`` not yet entered provincially, oldest first."""
    return [InspectionFactory(enterprise=enterprise, officers=[user], status=InspectionStatus.FINALISED,
                              start_date=first_day + dt.timedelta(days=i)) for i in range(n)]


def shown(response, section):
    return [i.pk for i in response.context["work"].__dict__[section].items]


def test_todo_lists_the_most_urgent_rows_with_the_total_and_a_link_to_all(client):
    _unit, enterprise, (user, _other) = station_with_staff()
    rows = unentered(user, enterprise, LIMIT + 2, first_day=timezone.localdate() - dt.timedelta(days=90))
    client.force_login(user)

    response = client.get(reverse("inspections:todo"), {"horizon": "all"})

    provincial = response.context["work"].provincial
    assert provincial.total == LIMIT + 2 and provincial.more == 2
    assert shown(response, "provincial") == [r.pk for r in rows[:LIMIT]]  # the oldest (most overdue) first
    html = response.content.decode()
    assert f"查看全部 {LIMIT + 2} 条" in html
    assert "?horizon=all&amp;all=provincial#todo-provincial" in html
    assert "查看全部" not in html.split('id="todo-drafts"')[1].split("</ul>")[0]  # no drafts: no link

    whole = client.get(reverse("inspections:todo"), {"horizon": "all", "all": "provincial"})
    assert shown(whole, "provincial") == [r.pk for r in rows]
    assert f"只看最紧急的 {LIMIT} 条" in whole.content.decode()
    assert "查看全部" not in whole.content.decode()


def test_capped_todo_shows_only_the_users_own_items_and_counts_only_them(client):
    unit, enterprise, (user, colleague) = station_with_staff()
    _other_unit, other_enterprise, (stranger, _) = station_with_staff()
    day = timezone.localdate() - dt.timedelta(days=90)
    mine = unentered(user, enterprise, LIMIT + 1, first_day=day)
    unentered(colleague, enterprise, 3, first_day=day - dt.timedelta(days=10))  # older, same 所
    unentered(stranger, other_enterprise, 3, first_day=day - dt.timedelta(days=20))  # older, other 所
    client.force_login(user)

    response = client.get(reverse("inspections:todo"), {"horizon": "all", "all": "provincial"})
    capped = client.get(reverse("inspections:todo"), {"horizon": "all"})

    assert shown(response, "provincial") == [r.pk for r in mine]
    assert capped.context["work"].provincial.total == LIMIT + 1
    assert shown(capped, "provincial") == [r.pk for r in mine[:LIMIT]]


def test_unit_list_caps_each_list_and_keeps_the_unit_in_the_link(client):
    unit, enterprise, (user, colleague) = station_with_staff()
    unentered(user, enterprise, LIMIT, first_day=dt.date(2026, 1, 5))
    unentered(colleague, enterprise, 2, first_day=dt.date(2026, 3, 9))
    chief = user
    client.force_login(chief)

    response = client.get(reverse("inspections:unit_list"), {"overdue": "1"})

    provincial = response.context["work"].provincial
    assert provincial.total == LIMIT + 2 and len(provincial.items) == LIMIT
    assert "?overdue=1&amp;all=provincial" in response.content.decode()


def test_capped_lists_run_one_statement_each_however_long_the_list(client):
    _unit, enterprise, (user, _other) = station_with_staff()
    client.force_login(user)
    client.get(reverse("home"))
    unentered(user, enterprise, 1, first_day=dt.date(2026, 1, 5))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inspections:todo"), {"horizon": "all"}).status_code == 200
        return len(captured)

    one = count()
    unentered(user, enterprise, LIMIT + 5, first_day=dt.date(2026, 2, 5))
    assert count() == one


def test_unknown_list_name_keeps_every_list_capped(client):
    _unit, enterprise, (user, _other) = station_with_staff()
    unentered(user, enterprise, LIMIT + 1, first_day=dt.date(2026, 1, 5))
    client.force_login(user)

    response = client.get(reverse("inspections:todo"), {"horizon": "all", "all": "nonsense"})

    assert response.status_code == 200
    assert len(response.context["work"].provincial.items) == LIMIT


def test_station_home_card_shows_five_drafts_and_counts_them_all(client):
    _unit, enterprise, (user, colleague) = station_with_staff()
    today = timezone.localdate()
    drafts = [InspectionFactory(enterprise=enterprise, officers=[user], start_date=today - dt.timedelta(days=i))
              for i in range(7)]
    InspectionFactory(enterprise=enterprise, officers=[colleague], start_date=today - dt.timedelta(days=30))
    client.force_login(user)

    response = client.get(reverse("home"))

    work = response.context["work"]
    assert work.drafts.total == 7
    assert [i.pk for i in work.drafts.items] == [d.pk for d in reversed(drafts)][:5]  # the oldest first
    assert "没有草稿" not in response.content.decode()
