"""重新计算 of a return that was approved: a reason, and the cell-by-cell differences shown before anything changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import Return
from reporting.services import return_approve, return_recompute, return_send_back, return_submit

from .factories import InspectionFactory
from .scenario import build

CUTOFF = dt.date(2023, 9, 30)
MASK = "医用口罩生产企业"
STERILE = "无菌和植入性医疗器械 / 生产"


@pytest.fixture
def s(forms, file_return):
    """五马所's 统计表一 approved, sent back; then a late-entered inspection of E1 (4 officers) before the cut-off."""
    data = build(forms)
    data["t1"] = forms["统计表一"]
    ret = file_return(campaign=data["campaign"], template=data["t1"], unit=data["unit_a"], cutoff=CUTOFF,
                      by=data["user_a"])
    return_submit(ret=ret, by=data["user_a"])
    return_approve(ret=ret, by=data["section"], comment="同意")
    return_send_back(ret=ret, by=data["section"], comment="补录九月检查")
    InspectionFactory(enterprise=data["e1"], unit=data["unit_a"], start_date=dt.date(2023, 9, 10), staff_count=4,
                      campaigns=[data["campaign"]])
    ret.refresh_from_db()
    data["ret"] = ret
    return data


# E1 sits in two rows of 统计表一: 出动人员人次 5 -> 9, 检查企业家次 2 -> 3 in each
EXPECTED_CHANGES = [
    ("", MASK, "出动人员人次", "5", "9"), ("", MASK, "检查企业家次", "2", "3"),
    ("", STERILE, "出动人员人次", "5", "9"), ("", STERILE, "检查企业家次", "2", "3"),
]


def _changes(page) -> list[tuple]:
    return [(c["sheet"], c["row"], c["column"], c["old"], c["new"]) for c in page.context["preview"]["changes"]]


def test_the_recompute_page_lists_every_changed_cell_and_changes_nothing(client, s):
    client.force_login(s["user_a"])

    page = client.get(reverse("reporting:return_recompute", args=[s["ret"].pk]))

    assert page.status_code == 200
    assert _changes(page) == EXPECTED_CHANGES
    html = page.content.decode()
    assert '<td>本表</td><td>医用口罩生产企业</td><td>出动人员人次</td><td class="text-end">5</td>' in html
    assert list(Return.objects.values_list("version", "status", "is_current")) == [(1, "returned", True)]


def test_recompute_without_a_reason_or_with_stale_numbers_replaces_nothing(client, s):
    client.force_login(s["user_a"])
    url = reverse("reporting:return_recompute", args=[s["ret"].pk])
    digest = client.get(url).context["preview"]["digest"]

    no_reason = client.post(url, {"reason": " ", "digest": digest})
    InspectionFactory(enterprise=s["e1"], unit=s["unit_a"], start_date=dt.date(2023, 9, 12), staff_count=1,
                      campaigns=[s["campaign"]])  # the world moves on after the user looked
    stale = client.post(url, {"reason": "补录九月检查", "digest": digest})

    assert "请填写重新计算的原因" in no_reason.content.decode()
    assert "数据在您核对后又有变化，请重新核对差异后再确认" in stale.content.decode()
    assert ("", MASK, "出动人员人次", "5", "10") in _changes(stale)  # the page now shows today's numbers
    assert list(Return.objects.values_list("version", "status", "is_current")) == [(1, "returned", True)]
    assert s["ret"].events.filter(action="recompute").count() == 0


def test_confirmed_recompute_stores_the_numbers_shown_and_records_the_reason(
        client, s, django_capture_on_commit_callbacks):
    client.force_login(s["user_a"])
    url = reverse("reporting:return_recompute", args=[s["ret"].pk])
    digest = client.get(url).context["preview"]["digest"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "补录九月检查", "digest": digest})

    new = Return.objects.get(is_current=True)
    assert response.status_code == 302 and response["Location"] == reverse("reporting:return_detail", args=[new.pk])
    assert (new.version, new.status) == (2, "draft")
    assert new.data["total"]["medical_mask_manufacturers"]["staff_dispatched"] == 9
    ws = load_workbook(new.jobs.get().xlsx.path).worksheets[0]
    assert (ws["D4"].value, ws["E4"].value) == (9, 3)  # the file shows the confirmed numbers
    assert [(e.action, e.by, e.comment) for e in new.events.all()] == [
        ("recompute", s["user_a"], "由第 1 版重新计算，原因：补录九月检查"), ("compute", s["user_a"], "")]
    old = s["ret"].events.order_by("pk").last()
    assert (old.action, old.comment) == ("recompute", "生成第 2 版，原因：补录九月检查")
    detail = client.get(reverse("reporting:return_detail", args=[new.pk])).content.decode()
    assert "由第 1 版重新计算，原因：补录九月检查" in detail


def test_the_detail_page_and_the_form_lead_to_the_comparison(client, s):
    client.force_login(s["user_a"])

    detail = client.get(reverse("reporting:return_detail", args=[s["ret"].pk])).content.decode()
    form = client.post(reverse("reporting:return_create"), {
        "campaign": s["campaign"].pk, "template": s["t1"].pk, "unit": s["unit_a"].pk, "cutoff": "2023-09-30"})
    plain_post = client.post(reverse("reporting:return_action", args=[s["ret"].pk, "recompute"]))  # no reason

    recompute_url = reverse("reporting:return_recompute", args=[s["ret"].pk])
    assert f'id="recompute-return" href="{recompute_url}"' in detail
    assert form.status_code == 302 and form["Location"] == recompute_url
    assert plain_post.status_code == 200 and "请填写重新计算的原因" in plain_post.content.decode()
    assert Return.objects.count() == 1


def test_the_service_needs_a_reason_and_the_digest(s):
    with pytest.raises(ValidationError) as info:
        return_recompute(ret=s["ret"], by=s["user_a"])
    assert info.value.message_dict == {"reason": ["请填写重新计算的原因"]}
    with pytest.raises(ValidationError):
        return_recompute(ret=s["ret"], by=s["user_a"], reason="补录", digest="0" * 64)
    assert Return.objects.count() == 1


def test_a_return_never_approved_is_recomputed_at_once(client, forms, file_return):
    data = build(forms)
    ret = file_return(campaign=data["campaign"], template=forms["统计表一"], unit=data["unit_a"], cutoff=CUTOFF,
                      by=data["user_a"])
    client.force_login(data["user_a"])

    response = client.post(reverse("reporting:return_recompute", args=[ret.pk]))

    new = Return.objects.get(is_current=True)
    assert response["Location"] == reverse("reporting:return_detail", args=[new.pk])
    assert new.version == 2 and not new.events.filter(action="recompute").exists()


def test_another_unit_cannot_open_or_post_the_recompute_page(client, s):
    client.force_login(s["user_b"])
    url = reverse("reporting:return_recompute", args=[s["ret"].pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "digest": "x"}).status_code == 404
    assert Return.objects.count() == 1


def test_district_return_changes_name_the_unit_sheet(client, forms, file_return):
    data = build(forms)
    ret = file_return(campaign=data["campaign"], template=forms["统计表一"], unit=None, cutoff=CUTOFF,
                      by=data["section"])
    return_submit(ret=ret, by=data["section"])
    return_approve(ret=ret, by=data["chief"])
    return_send_back(ret=ret, by=data["chief"], comment="补录")
    InspectionFactory(enterprise=data["e1"], unit=data["unit_a"], start_date=dt.date(2023, 9, 10), staff_count=4,
                      campaigns=[data["campaign"]])
    client.force_login(data["section"])

    page = client.get(reverse("reporting:return_recompute", args=[ret.pk]))

    changes = _changes(page)
    assert ("全区", MASK, "出动人员人次", "5", "9") in changes
    assert ("五马所", MASK, "出动人员人次", "5", "9") in changes
    assert not [c for c in changes if c[0] == "大南所"]


def test_the_recompute_page_dates_the_approval_not_the_later_send_back(client, s):
    approved_on = dt.datetime(2023, 10, 8, 10, tzinfo=dt.UTC)
    s["ret"].events.filter(action="approve").update(at=approved_on)  # sent back (reviewed_at) later: today
    client.force_login(s["user_a"])

    html = client.get(reverse("reporting:return_recompute", args=[s["ret"].pk])).content.decode()

    assert "第 1 版已于 2023-10-08 审核通过" in html
