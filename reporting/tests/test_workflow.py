"""Filing rules and the submit / approve / send back workflow."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns.services import campaign_due_date_reopen
from reporting.choices import ReturnStatus
from reporting.models import Return
from reporting.selectors import calendar
from reporting.services import return_approve, return_request, return_send_back, return_submit

from .scenario import build

CUTOFF = dt.date(2023, 9, 30)


@pytest.fixture
def s(forms):
    data = build(forms)
    data["t1"] = forms["统计表一"]
    return data


def test_an_approved_return_is_locked_until_it_is_sent_back(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])
    return_approve(ret=ret, by=s["section"], comment="数据无误")

    with pytest.raises(ValidationError) as info:
        return_request(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])

    assert info.value.messages == ["该报表已审核通过并锁定；如需重新计算，须先由药械科退回"]
    ret.refresh_from_db()
    assert (ret.status, ret.is_current, ret.version, ret.review_comment) == (ReturnStatus.APPROVED, True, 1, "数据无误")
    assert Return.objects.count() == 1
    assert [e.action for e in ret.events.all()] == ["compute", "submit", "approve"]


def test_an_approved_return_sent_back_can_be_recomputed_as_a_new_version(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])
    return_approve(ret=ret, by=s["section"], comment="数据无误")

    return_send_back(ret=ret, by=s["section"], comment="补报新增企业")
    again = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"],
                        reason="补报新增企业")

    ret.refresh_from_db()
    assert (ret.status, ret.is_current, ret.version, ret.review_comment) == (
        ReturnStatus.RETURNED, False, 1, "补报新增企业")
    assert (again.status, again.is_current, again.version) == (ReturnStatus.DRAFT, True, 2)
    assert [e.action for e in ret.events.all()] == ["compute", "submit", "approve", "send_back", "recompute"]
    assert ret.events.last().comment == "生成第 2 版，原因：补报新增企业"
    assert [(e.action, e.comment) for e in again.events.all()] == [
        ("recompute", "由第 1 版重新计算，原因：补报新增企业"), ("compute", "")]
    assert ret.history.count() >= 3


def test_send_back_needs_a_comment_and_changes_nothing_without_one(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])

    with pytest.raises(ValidationError):
        return_send_back(ret=ret, by=s["section"], comment="  ")

    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    return_send_back(ret=ret, by=s["section"], comment="口罩行数据需核实")
    ret.refresh_from_db()
    assert (ret.status, ret.review_comment) == (ReturnStatus.RETURNED, "口罩行数据需核实")
    return_submit(ret=ret, by=s["user_a"])  # a returned return can be filed again
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_a_submitted_return_cannot_be_recomputed(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])

    with pytest.raises(ValidationError):
        return_request(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])

    assert Return.objects.count() == 1


def test_another_unit_cannot_submit_and_a_station_cannot_approve(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])

    with pytest.raises(PermissionDenied):
        return_submit(ret=ret, by=s["user_b"])
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.DRAFT
    return_submit(ret=ret, by=s["user_a"])
    with pytest.raises(PermissionDenied):
        return_approve(ret=ret, by=s["user_a"])
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_a_station_cannot_file_for_another_unit_or_the_district(s):
    with pytest.raises(PermissionDenied):
        return_request(campaign=s["campaign"], template=s["t1"], unit=s["unit_b"], cutoff=CUTOFF, by=s["user_a"])
    with pytest.raises(PermissionDenied):
        return_request(campaign=s["campaign"], template=s["t1"], unit=None, cutoff=CUTOFF, by=s["user_a"])
    assert Return.objects.count() == 0


def test_no_return_for_a_cutoff_before_the_campaign_starts(s):
    with pytest.raises(ValidationError) as info:
        return_request(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 3, 31),
                       by=s["user_a"])
    assert info.value.message_dict == {"cutoff": [
        "截止日期不能早于专项整治开始日期（2023-04-01），专项整治期间为 2023-04-01 至 2023-12-31"]}
    assert Return.objects.count() == 0


def test_closed_due_date_refused_until_the_chief_reopens_it_then_late(s, file_return):
    june = s["campaign"].due_dates.get(due_on=dt.date(2023, 6, 25))

    with pytest.raises(ValidationError) as info:
        return_request(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 6, 20),
                       by=s["user_a"])
    assert "已关闭" in str(info.value)
    assert Return.objects.count() == 0
    with pytest.raises(PermissionDenied):
        campaign_due_date_reopen(due=june, by=s["section"])  # only the chief

    campaign_due_date_reopen(due=june, by=s["chief"])
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=dt.date(2023, 6, 20),
                      by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])

    ret.refresh_from_db()
    assert ret.due_date == june
    assert ret.submitted_on_time is False


def test_a_station_sees_only_its_own_row_in_the_calendar(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_b"], cutoff=CUTOFF, by=s["user_b"])
    return_submit(ret=ret, by=s["user_b"])

    blocks = calendar(s["campaign"], s["user_a"], today=dt.date(2023, 12, 21))

    assert {tuple(c["unit"].display_name for c in b["cells"]) for b in blocks} == {("五马所",)}


def test_the_section_that_compiles_the_district_total_has_no_row_in_the_calendar(s):
    s["campaign"].units.add(s["section"].unit)

    blocks = calendar(s["campaign"], s["section"], today=dt.date(2023, 12, 21))

    assert [c["unit"].display_name for c in blocks[0]["cells"]] == ["五马所", "大南所"]


def test_calendar_shows_on_time_late_and_missing(s, file_return):
    ret = file_return(campaign=s["campaign"], template=s["t1"], unit=s["unit_a"], cutoff=CUTOFF, by=s["user_a"])
    return_submit(ret=ret, by=s["user_a"])
    Return.objects.filter(pk=ret.pk).update(submitted_at=timezone.make_aware(dt.datetime(2023, 12, 20, 10)))

    blocks = calendar(s["campaign"], s["section"], today=dt.date(2023, 12, 21))

    december = next(b for b in blocks if b["template"] == s["t1"] and b["due"].due_on == dt.date(2023, 12, 25))
    assert [(c["unit"].display_name, c["state"]) for c in december["cells"]] == [("五马所", "on_time"),
                                                                                  ("大南所", "missing")]
    after_due = calendar(s["campaign"], s["section"], today=dt.date(2023, 12, 26))
    december = next(b for b in after_due if b["template"] == s["t1"] and b["due"].due_on == dt.date(2023, 12, 25))
    assert [c["state"] for c in december["cells"]] == ["on_time", "overdue"]
    assert december["missing"] == 1
    Return.objects.filter(pk=ret.pk).update(submitted_at=timezone.make_aware(dt.datetime(2023, 12, 26, 10)))
    blocks = calendar(s["campaign"], s["section"])
    december = next(b for b in blocks if b["template"] == s["t1"] and b["due"].due_on == dt.date(2023, 12, 25))
    assert december["cells"][0]["state"] == "late"
    assert len(blocks) == 6  # 2 forms x 3 due dates
