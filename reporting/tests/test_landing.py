"""The start page by role, 等待我处理 and the quick review of a return from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignDueDate, FormTemplate
from campaigns.reference import load_reference as load_forms
from enterprises.choices import Role, UnitKind
from enterprises.grading.choices import GradeStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import EnterpriseGrade
from enterprises.reference import load_reference as load_tags
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import PlanStatus
from inspections.models import InspectionPlan, PlanItem
from inspections.selectors import plan_items_due
from inspections.tests.factories import InspectionFactory
from monitoring.models import Risk, RiskMeeting
from reporting.choices import ReturnStatus
from reporting.landing import landing_kind
from reporting.models import Return
from reporting.waiting import waiting_for

TODAY = dt.date(2026, 6, 10)  # a Wednesday: the week ends on Sunday 14 June
YEAR = TODAY.year


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def town(db):
    load_tags()
    load_forms()
    bureau = UnitFactory(name="测试区市场监督管理局", short_name="区局", kind=UnitKind.BUREAU)
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION, parent=bureau)
    enforcement = UnitFactory(name="执法队", short_name="执法队", kind=UnitKind.ENFORCEMENT, parent=bureau)
    a = SubdistrictFactory(unit=UnitFactory(name="五马市场监管所", short_name="五马所")).unit
    b = SubdistrictFactory(unit=UnitFactory(name="大南市场监管所", short_name="大南所")).unit
    template = FormTemplate.objects.filter(is_active=True).order_by("pk").first()
    campaign = Campaign.objects.create(name="年度专项", year=YEAR, start_date=dt.date(YEAR, 1, 1),
                                       end_date=dt.date(YEAR, 12, 31))
    t = {
        "section": section, "a": a, "b": b, "template": template,
        "leader": UserFactory(unit=section, role=Role.LEADER, username="kz"),
        "staff": UserFactory(unit=section, role=Role.SECTION_STAFF, username="yx"),
        "ua": UserFactory(unit=a, username="wm"), "ub": UserFactory(unit=b, username="dn"),
        "auditor": UserFactory(unit=bureau, role=Role.AUDITOR, username="sj"),
        "enforcer": UserFactory(unit=enforcement, username="zf"),
    }

    def ret(unit, cutoff, status, comment=""):
        due, _ = CampaignDueDate.objects.get_or_create(campaign=campaign, due_on=cutoff + dt.timedelta(days=5))
        return Return.objects.create(campaign=campaign, template=template, unit=unit, cutoff=cutoff, status=status,
                                     due_date=due,
                                     review_comment=comment, submitted_at=timezone.now(),
                                     data={"total": {}, "units": {}})

    t["ret_a"] = ret(a, dt.date(YEAR, 3, 31), ReturnStatus.SUBMITTED)
    t["ret_b"] = ret(b, dt.date(YEAR, 3, 31), ReturnStatus.SUBMITTED)
    t["back_a"] = ret(a, dt.date(YEAR, 5, 31), ReturnStatus.RETURNED, "五马所口罩行数据需核实")
    t["back_b"] = ret(b, dt.date(YEAR, 5, 31), ReturnStatus.RETURNED, "大南所漏报两家企业")
    for unit, key in ((a, "ea"), (b, "eb")):
        t[key] = EnterpriseFactory(subdistrict=unit.subdistricts.first(), name=f"{unit.short_name}医疗器械商行")
    t["plan_a"] = InspectionPlan.objects.create(unit=a, year=YEAR, kind="routine", status=PlanStatus.SUBMITTED)
    t["plan_b"] = InspectionPlan.objects.create(unit=b, year=YEAR, kind="routine", status=PlanStatus.DRAFT)
    return t


def _item(plan, enterprise, kind="routine", **kw):
    return PlanItem.objects.create(plan=plan, enterprise=enterprise, kind=kind, **kw)


def test_the_landing_kind_follows_the_role(town):
    assert [landing_kind(town[k]) for k in ("leader", "staff", "ua", "auditor", "enforcer")] == [
        "chief", "section", "station", "auditor", "enforcement"]


def test_plan_items_due_are_bucketed_by_hand_worked_dates(town):
    plan, ea = town["plan_a"], town["ea"]
    others = [EnterpriseFactory(subdistrict=town["a"].subdistricts.first(), name=f"企业{n}") for n in range(6)]
    _item(plan, others[0], due_date=dt.date(2026, 6, 9))  # yesterday: overdue
    _item(plan, others[1], target_month=5)  # May ended 31 May: overdue
    _item(plan, others[2], due_date=TODAY)  # today
    _item(plan, others[3], due_date=dt.date(2026, 6, 14))  # Sunday: this week
    _item(plan, others[4], due_date=dt.date(2026, 6, 15))  # next Monday: not shown
    _item(plan, others[5], target_month=6)  # 30 June: not this week
    done = _item(plan, ea, due_date=dt.date(2026, 6, 1))  # fulfilled by a finalised inspection: not shown
    InspectionFactory(enterprise=ea, plan_item=done, start_date=dt.date(2026, 6, 1), status="finalised")
    _item(town["plan_b"], town["eb"], due_date=TODAY)  # the other 所's plan

    due = plan_items_due(town["ua"], unit=town["a"], today=TODAY)

    assert [i.enterprise.name for i in due.overdue] == ["企业1", "企业0"]  # 31 May, then 9 June
    assert [i.enterprise.name for i in due.today] == ["企业2"]
    assert [i.enterprise.name for i in due.this_week] == ["企业3"]
    assert len(due) == 4


def test_the_station_landing_shows_its_own_plan_items_returns_sent_back_and_progress(client, town):
    _item(town["plan_a"], town["ea"], due_date=TODAY)
    _item(town["plan_b"], town["eb"], due_date=TODAY)
    client.force_login(town["ua"])

    page = client.get(reverse("home")).content.decode()

    assert 'id="home-plan-items"' in page and "五马所医疗器械商行" in page
    assert "大南所医疗器械商行" not in page
    assert "五马所口罩行数据需核实" in page and "大南所漏报两家企业" not in page
    # 本所进度: the unit's own cells of the cockpit (its inspection rate reads 暂无应办: nothing due yet)
    assert 'id="home-progress"' in page and "省局系统一个月内录入率" in page
    assert 'id="waiting"' not in page  # a 所 user decides nothing
    assert 'id="all-functions"' in page and reverse("reporting:return_list") in page


def test_the_chief_landing_lists_what_waits_for_their_decision(client, town):
    client.force_login(town["leader"])

    page = client.get(reverse("home")).content.decode()

    assert 'id="home-alerts"' in page and 'id="waiting-returns"' in page and 'id="waiting-plans"' in page
    assert reverse("reporting:return_quick_review", args=[town["ret_a"].pk]) in page
    assert reverse("reporting:return_quick_review", args=[town["ret_b"].pk]) in page
    assert reverse("planning:plan_detail", args=[town["plan_a"].pk]) in page
    assert reverse("planning:plan_detail", args=[town["plan_b"].pk]) not in page  # a draft waits for nobody


def test_waiting_sections_for_each_role(town):
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=town["a"], by=None)
    pending = EnterpriseGrade.objects.filter(year=YEAR).exclude(status=GradeStatus.APPROVED).count()
    meeting = RiskMeeting.objects.create(year=YEAR, quarter=1, held_on=dt.date(YEAR, 3, 25), chair="王副局长")
    risk = Risk.objects.create(meeting=meeting, source_kind="notice", risk_point="冷链储存风险", level="high",
                               owner_unit=town["a"], measures="每月检查", due_on=dt.date(YEAR, 12, 31),
                               status="closing", closure_requested_on=dt.date(YEAR, 6, 1))

    chief = {s.key: s for s in waiting_for(town["leader"])}
    staff = {s.key: s for s in waiting_for(town["staff"])}

    assert pending == 1  # the one enterprise of 五马所
    assert {k: s.total for k, s in chief.items()} == {"returns": 2, "plans": 1, "grades": 1, "risks": 1}
    assert chief["grades"].items[0].title == f"{YEAR}年 · 五马所"
    assert chief["risks"].items[0].url == reverse("monitoring:risk_detail", args=[risk.pk])
    assert {k: s.total for k, s in staff.items()} == {"returns": 2}  # staff review returns, approve nothing else
    assert waiting_for(town["ua"]) == [] and waiting_for(town["auditor"]) == []


def test_the_auditor_landing_is_read_only(client, town):
    client.force_login(town["auditor"])

    page = client.get(reverse("home")).content.decode()

    assert 'id="home-progress"' in page
    for write in ("quick-review", reverse("reporting:return_create"), reverse("inspections:quick"),
                  reverse("inspections:create")):
        assert write not in page


def test_the_section_landing_says_which_horizon_its_counts_use(client, town):
    client.force_login(town["staff"])

    page = client.get(reverse("home")).content.decode()

    assert "到期项按今后7天计" in page and 'id="waiting-returns"' in page and 'id="waiting-plans"' not in page


def test_the_enforcement_landing_lists_its_cases(client, town):
    client.force_login(town["enforcer"])

    page = client.get(reverse("home")).content.decode()

    assert 'id="home-cases"' in page and 'id="home-todo"' in page


# ------------------------------------------------------------------ quick review

def _quick(client, ret, **data):
    return client.post(reverse("reporting:return_quick_review", args=[ret.pk]), {"next": "/", **data})


def test_quick_approve_locks_the_return_and_records_the_event(client, town):
    client.force_login(town["leader"])

    response = _quick(client, town["ret_a"], action="approve", HTTP_HX_REQUEST="true")
    response = client.post(reverse("reporting:return_quick_review", args=[town["ret_b"].pk]),
                           {"action": "approve"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and "已审核通过" in response.content.decode()
    for key in ("ret_a", "ret_b"):
        ret = Return.objects.get(pk=town[key].pk)
        assert (ret.status, ret.reviewed_by) == (ReturnStatus.APPROVED, town["leader"])
        assert [e.action for e in ret.events.all()] == ["approve"]


def test_quick_send_back_without_a_comment_is_refused_and_changes_nothing(client, town):
    client.force_login(town["staff"])

    response = client.post(reverse("reporting:return_quick_review", args=[town["ret_a"].pk]),
                           {"action": "send_back", "comment": "  "}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and "退回时必须填写意见" in response.content.decode()
    ret = Return.objects.get(pk=town["ret_a"].pk)
    assert (ret.status, ret.events.count()) == (ReturnStatus.SUBMITTED, 0)

    response = _quick(client, ret, action="send_back", comment="表二数据需核实")
    assert response.status_code == 302 and response["Location"] == "/"
    ret.refresh_from_db()
    assert (ret.status, ret.review_comment) == (ReturnStatus.RETURNED, "表二数据需核实")


@pytest.mark.parametrize("who", ["ua", "ub", "auditor"])
def test_a_station_user_or_the_auditor_may_not_quick_review(client, town, who):
    client.force_login(town[who])

    for action in ("approve", "send_back"):
        assert _quick(client, town["ret_a"], action=action, comment="看过").status_code == 403

    ret = Return.objects.get(pk=town["ret_a"].pk)
    assert (ret.status, ret.events.count()) == (ReturnStatus.SUBMITTED, 0)


def test_quick_review_refuses_an_unknown_action_and_a_get(client, town):
    client.force_login(town["leader"])

    assert _quick(client, town["ret_a"], action="delete").status_code == 404
    assert client.get(reverse("reporting:return_quick_review", args=[town["ret_a"].pk])).status_code == 405
    assert Return.objects.get(pk=town["ret_a"].pk).status == ReturnStatus.SUBMITTED


def test_quick_review_ignores_a_foreign_next(client, town):
    client.force_login(town["leader"])

    response = client.post(
        reverse("reporting:return_quick_review", args=[town["ret_a"].pk]),
        {"action": "approve", "next": "https://evil.example/"})

    assert response["Location"] == "/"
