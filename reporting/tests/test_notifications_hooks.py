"""The return workflow notifies the right people and nobody else."""

import datetime as dt

import pytest

from enterprises.tests.factories import UserFactory
from regsys.choices import NotificationKind
from regsys.models import Notification
from reporting.services import return_approve, return_send_back, return_submit

from .scenario import build

CUTOFF = dt.date(2023, 9, 30)


@pytest.fixture
def s(forms):
    data = build(forms)
    data["t1"] = forms["统计表一"]
    data["colleague_a"] = UserFactory(unit=data["unit_a"], full_name="同所同事")
    return data


def _inbox():
    return sorted((n.user.full_name, n.kind, n.read_at is None) for n in Notification.objects.select_related("user"))


def test_a_submitted_return_waits_for_every_reviewer_and_nobody_else(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])

    return_submit(ret=ret, by=s["user_a"])

    assert _inbox() == [("王科员", NotificationKind.APPROVAL_WAITING, True),
                        ("赵科长", NotificationKind.APPROVAL_WAITING, True)]
    notice = Notification.objects.get(user=s["chief"])
    assert notice.url == f"/reporting/returns/{ret.pk}/"
    assert notice.title.startswith("报表待审核：")


def test_a_sent_back_return_tells_its_filer_the_comment_and_clears_the_waiting_notices(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])

    return_send_back(ret=ret, by=s["section"], comment="请核实无菌器械的检查家次")

    assert _inbox() == [
        ("张所员", NotificationKind.RETURN_SENT_BACK, True),
        ("王科员", NotificationKind.APPROVAL_WAITING, False),  # dealt with: no longer counted
        ("赵科长", NotificationKind.APPROVAL_WAITING, False),
    ]
    back = Notification.objects.get(kind=NotificationKind.RETURN_SENT_BACK)
    assert "退回意见：请核实无菌器械的检查家次" in back.body
    assert "王科员" in back.body
    # the other 所 (user_b) and the filer's colleague who did not file it are never told
    assert not Notification.objects.filter(user__in=[s["user_b"], s["colleague_a"]]).exists()


def test_an_approved_return_tells_its_filer(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])

    return_approve(ret=ret, by=s["chief"], comment="数据无误")

    approved = Notification.objects.get(kind=NotificationKind.RETURN_APPROVED)
    assert approved.user == s["user_a"]
    assert approved.body == "审核人：赵科长\n审核意见：数据无误"
    assert Notification.objects.filter(kind=NotificationKind.APPROVAL_WAITING, read_at__isnull=True).count() == 0


def test_a_refused_send_back_notifies_nobody(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])
    before = _inbox()

    with pytest.raises(Exception):  # noqa: B017 - the comment is required
        return_send_back(ret=ret, by=s["section"], comment=" ")

    assert _inbox() == before
