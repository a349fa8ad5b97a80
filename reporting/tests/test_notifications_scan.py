"""The daily deadline scan: 7/3/1 days before and once overdue, on exactly those days, never twice."""

import datetime as dt

import pytest

from enterprises.choices import Role
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.tests.factories import InspectionFactory, RectificationFactory
from regsys.choices import NotificationKind
from regsys.models import Notification, NotificationPreference
from reporting.choices import ReturnStatus
from reporting.models import Return
from reporting.notifications_scan import notifications_deadlines_scan

from .factories import CampaignFactory, DueDateFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 10)


@pytest.fixture
def rect():
    unit, other = UnitFactory(name="五马市场监管所"), UnitFactory(name="大南市场监管所")
    enterprise = EnterpriseFactory(subdistrict=SubdistrictFactory(unit=unit), name="五马医疗器械商行")
    a, b = UserFactory(unit=unit, full_name="甲"), UserFactory(unit=unit, full_name="乙")
    bystander, stranger = UserFactory(unit=unit, full_name="丙"), UserFactory(unit=other, full_name="丁")
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2026, 5, 18),
                                   provincial_entry_date=dt.date(2026, 5, 18))
    rectification = RectificationFactory(inspection=inspection, deadline=dt.date(2026, 6, 17))  # 7 days after DAY
    return {"a": a, "b": b, "bystander": bystander, "stranger": stranger, "rect": rectification, "unit": unit,
            "other": other}


def _inbox(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", "title"))


def test_reminders_fall_on_7_3_1_days_before_and_once_overdue(rect):
    sent = {}
    for offset in range(0, 11):  # 06-10 … 06-20, each day scanned twice
        day = DAY + dt.timedelta(days=offset)
        sent[day] = notifications_deadlines_scan(today=day)
        assert notifications_deadlines_scan(today=day) == 0  # a rerun the same day repeats nothing

    # 06-10 is 7 days before 06-17, 06-14 three, 06-16 one; 06-18 the first day overdue; two officers each
    assert {day: n for day, n in sent.items() if n} == {
        dt.date(2026, 6, 10): 2, dt.date(2026, 6, 14): 2, dt.date(2026, 6, 16): 2, dt.date(2026, 6, 18): 2}
    assert _inbox(rect["a"]) == [
        (NotificationKind.DEADLINE, "7 天后到期：责令改正：五马医疗器械商行"),
        (NotificationKind.DEADLINE, "3 天后到期：责令改正：五马医疗器械商行"),
        (NotificationKind.DEADLINE, "1 天后到期：责令改正：五马医疗器械商行"),
        (NotificationKind.OVERDUE, "已逾期：责令改正：五马医疗器械商行"),
    ]
    notice = Notification.objects.filter(user=rect["a"]).order_by("pk").last()
    assert notice.url == f"/inspections/{rect['rect'].inspection_id}/"
    assert notice.body == "整改期限 2026-06-17，已逾期 1 天。"
    # neither the colleague who was not on the inspection nor another 所 hears of it
    assert _inbox(rect["bystander"]) == [] and _inbox(rect["stranger"]) == []


def test_the_reminder_days_follow_each_users_preference(rect):
    NotificationPreference.objects.create(user=rect["b"], reminder_days=[1])

    for offset in range(0, 9):
        notifications_deadlines_scan(today=DAY + dt.timedelta(days=offset))

    assert [kind for kind, _title in _inbox(rect["b"])] == [NotificationKind.DEADLINE, NotificationKind.OVERDUE]
    assert _inbox(rect["b"])[0][1].startswith("1 天后到期")
    assert len(_inbox(rect["a"])) == 4


def test_a_completed_rectification_is_not_reminded(rect):
    rect["rect"].completed_on = DAY
    rect["rect"].save()

    assert notifications_deadlines_scan(today=DAY) == 0


def test_a_unit_that_has_not_filed_its_return_is_reminded_and_one_that_filed_is_not(forms, rect):
    template = forms["统计表一"]
    campaign = CampaignFactory(year=2026, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 12, 31),
                               units=[rect["unit"], rect["other"]], forms=[template])
    due = DueDateFactory(campaign=campaign, due_on=dt.date(2026, 6, 13))  # three days after DAY
    Return.objects.create(campaign=campaign, template=template, unit=rect["other"], cutoff=dt.date(2026, 6, 10),
                          due_date=due, status=ReturnStatus.SUBMITTED)
    section = UserFactory(unit=UnitFactory(name="药械科", kind="section"), role=Role.SECTION_STAFF)

    notifications_deadlines_scan(today=DAY)

    expected = [(NotificationKind.DEADLINE, f"3 天后到期：报送报表：{campaign.name} 统计表一")]
    assert _inbox(rect["bystander"]) == expected  # every user of the 所 that has not filed
    assert [t for _k, t in _inbox(rect["a"])] == [
        "7 天后到期：责令改正：五马医疗器械商行", f"3 天后到期：报送报表：{campaign.name} 统计表一"]
    assert _inbox(rect["stranger"]) == []  # its 所 filed
    assert _inbox(section) == []
