"""The 待办 page and the home card run a fixed number of queries, however much work is listed (CI keeps these;
``benchmarks/bench_queries.py`` checks every page on a seeded data set)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.choices import InspectionStatus
from inspections.selectors import todo_counts, todo_for

from .factories import CaseFactory, InspectionFactory, RectificationFactory, station_with_staff

pytestmark = pytest.mark.django_db


def add_work(user, enterprise, n):
    """``n`` items of each 待办 kind for ``user``, plus finished work that must not be listed."""
    today = timezone.localdate()
    for _ in range(n):
        InspectionFactory(enterprise=enterprise, officers=[user], start_date=today)  # a draft
        entered_late = InspectionFactory(enterprise=enterprise, officers=[user], status=InspectionStatus.FINALISED,
                                         start_date=today - dt.timedelta(days=40))  # provincial entry overdue
        follow_up = InspectionFactory(enterprise=enterprise, officers=[user], start_date=today + dt.timedelta(days=3))
        RectificationFactory(inspection=entered_late, deadline=today + dt.timedelta(days=2), follow_up=follow_up)
        CaseFactory(enterprise=enterprise, handlers=[user], created_by=user)  # handler and creator: listed once
        # finished: entered provincially, rectified, a closed case
        done = InspectionFactory(enterprise=enterprise, officers=[user], status=InspectionStatus.FINALISED,
                                 start_date=today - dt.timedelta(days=40), provincial_entry_date=today)
        RectificationFactory(inspection=done, deadline=today, completed_on=today)
        CaseFactory(enterprise=enterprise, handlers=[user], status="closed")


def test_todo_page_and_home_card_run_the_same_queries_for_one_item_or_five(client):
    _unit, enterprise, (a, b) = station_with_staff()
    add_work(a, enterprise, 1)
    client.force_login(a)
    client.get(reverse("home"))  # the session's first request stamps its login time

    def queries():
        counts = []
        for url in (reverse("home"), reverse("inspections:todo")):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    one = queries()
    add_work(a, enterprise, 4)
    five = queries()

    assert five == one
    today = timezone.localdate()
    assert todo_counts(a, today=today) == {"drafts": 5, "follow_ups": 5, "provincial": 5, "rectifications": 5,
                                           "cases": 5}
    work = todo_for(a, today=today)
    assert {k: len(getattr(work, k)) for k in todo_counts(a, today=today)} == todo_counts(a, today=today)
    assert set(todo_counts(b, today=today).values()) == {0}


def test_home_card_counts_the_three_inspection_lists_in_one_statement(client):
    _unit, enterprise, (a, _b) = station_with_staff()
    add_work(a, enterprise, 2)

    with CaptureQueriesContext(connection) as captured:
        counts = todo_counts(a, today=timezone.localdate())

    # drafts, follow-ups and provincial entries in one pass; rectifications; cases
    assert len(captured) == 3
    assert counts == {"drafts": 2, "follow_ups": 2, "provincial": 2, "rectifications": 2, "cases": 2}
    assert all("DISTINCT" not in q["sql"].upper() for q in captured.captured_queries)


def test_unit_list_runs_the_same_queries_for_one_item_or_five(client):
    unit, enterprise, (a, chief) = station_with_staff()
    add_work(a, enterprise, 1)
    client.force_login(chief)
    client.get(reverse("home"))  # the session's first request stamps its login time

    def queries():
        counts = []
        for params in ({}, {"overdue": "1"}):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("inspections:unit_list"), params).status_code == 200
            counts.append(len(captured))
        return counts

    one = queries()
    add_work(a, enterprise, 4)
    five = queries()

    assert five == one
