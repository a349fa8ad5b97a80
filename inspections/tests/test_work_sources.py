"""Higher apps add sections to the work lists through ``inspections.work_sources`` (no upward import)."""

import datetime as dt

import pytest
from django.urls import reverse

from enterprises.tests.factories import UserFactory
from inspections import work_sources
from inspections.work_sources import WorkItem, WorkSection, extra_work, register_work_source

pytestmark = pytest.mark.django_db


def _probe(user, *, unit, personal, due_by, today):
    return WorkSection(key="probe", title="探针事项", items=[
        WorkItem(title=f"{'个人' if personal else '单位'}事项", url="/", due_on=today - dt.timedelta(days=1),
                 overdue=True, detail=f"截至{due_by}")])


def test_a_registered_source_appears_once_on_both_work_lists(client, monkeypatch):
    monkeypatch.setattr(work_sources, "_SOURCES", [])
    register_work_source(_probe)
    register_work_source(_probe)
    user = UserFactory()
    client.force_login(user)

    todo = client.get(reverse("inspections:todo")).content.decode()
    unit_list = client.get(reverse("inspections:unit_list"), {"overdue": "1"}).content.decode()

    assert todo.count('id="todo-probe"') == 1 and "个人事项" in todo and "逾期" in todo
    assert unit_list.count('id="todo-probe"') == 1 and "单位事项" in unit_list


def test_a_source_with_nothing_adds_no_section(monkeypatch):
    monkeypatch.setattr(work_sources, "_SOURCES", [lambda user, **kwargs: None])
    assert extra_work(None, unit=None, personal=True, due_by=None, today=dt.date(2024, 1, 1)) == []
