"""The return page's cells (手填, 修正, 再次确认, 撤销修正, blocked submission, the district's compilation) and the
API of the same, with the unit boundary on each."""

import pytest
from django.urls import reverse

from reporting import return_cells
from reporting.choices import ReturnAction, ReturnStatus
from reporting.models import Return

from .cells_world import build_world, make_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def _detail(client, ret, **params):
    return client.get(reverse("reporting:return_detail", args=[ret.pk]), params)


def test_the_page_shows_each_cells_kind_and_the_manual_form_and_blocks_submission(client, w):
    client.force_login(w["user_a"])

    response = _detail(client, w["ret_a"])
    page = response.content.decode()

    kinds = [c["kind"] for r in response.context["rows"] for c in r["cells"]]
    assert kinds == ["computed", "manual", "formula", "none", "manual", "formula"]
    values = [c["value"] for r in response.context["rows"] for c in r["cells"]]
    assert values == ["3", "", "3", "—", "", "0"]  # a formula reads an empty computed or — cell as 0
    assert 'id="manual-form"' in page and 'inputmode="numeric"' in page
    assert [f.label for f in response.context["manual_form"]] == ["宣传周 × 活动场次", "培训 × 活动场次"]
    assert response.context["submit_problems"] == ["宣传周 × 活动场次：必填，尚未填写", "培训 × 活动场次：必填，尚未填写"]
    assert 'id="submit-return" disabled' in page
    assert "宣传周 × 活动场次：必填，尚未填写" in page


def test_a_wrong_manual_value_saves_nothing_and_keeps_what_was_typed(client, w):
    client.force_login(w["user_a"])
    url = reverse("reporting:return_manual", args=[w["ret_a"].pk])

    bad = client.post(url, {"cell_0": "五", "cell_1": "2"})

    assert bad.status_code == 200
    assert bad.context["manual_form"].errors == {"cell_0": ["“五”不是数字"]}
    assert 'value="五"' in bad.content.decode() and 'value="2"' in bad.content.decode()
    w["ret_a"].refresh_from_db()
    assert w["ret_a"].manual == {} and not w["ret_a"].events.filter(action=ReturnAction.MANUAL).exists()

    negative = client.post(url, {"cell_0": "-1", "cell_1": "2.5"})
    assert negative.context["manual_form"].errors == {"cell_0": ["不能小于 0"], "cell_1": ["应填整数"]}

    good = client.post(url, {"cell_0": "5", "cell_1": "2"})

    assert good.status_code == 302
    w["ret_a"].refresh_from_db()
    assert w["ret_a"].manual == {"publicity": {"events": "5"}, "training": {"events": "2"}}
    assert w["ret_a"].data["total"]["publicity"] == {"inspected": 3, "events": 5, "total": 8}
    assert return_cells.submission_problems(w["ret_a"]) == []
    page = _detail(client, w["ret_a"]).content.decode()
    assert 'id="submit-return">' in page and "填写手填数据" in page
    assert "宣传周 × 活动场次：空 → 5" in page  # the history


def test_a_correction_needs_a_reason_then_shows_struck_through_and_can_be_withdrawn(client, w):
    client.force_login(w["user_a"])
    url = reverse("reporting:return_override", args=[w["ret_a"].pk])
    form = _detail(client, w["ret_a"], correct="publicity.inspected")
    assert form.context["override_form"].initial["value"] == 3
    assert form.context["correct_spec"].label == "宣传周 × 检查家次"

    refused = client.post(url, {"row": "publicity", "column": "inspected", "value": "6", "reason": " "})

    assert refused.status_code == 200
    assert refused.context["override_form"].errors == {"reason": ["手工修正计算值必须填写原因"]}
    assert "手工修正计算值必须填写原因" in refused.content.decode()
    w["ret_a"].refresh_from_db()
    assert w["ret_a"].overrides == {}

    assert client.post(url, {"row": "publicity", "column": "inspected", "value": "6",
                             "reason": "一家企业检查记录漏录"}).status_code == 302
    response = _detail(client, w["ret_a"])
    [cell] = [c for r in response.context["rows"] for c in r["cells"] if c["correction"]]
    page = response.content.decode()
    assert (cell["value"], cell["correction"]["computed_shown"], cell["correction"]["reason"]) == ("6", "3", "一家企业检查记录漏录")
    assert "已修正" in page and "<del" in page and "原因：一家企业检查记录漏录" in page
    assert "计算值 3 修正为 6；原因：一家企业检查记录漏录" in page  # the history
    assert any("手工修正计算值" in w_["rule"] for w_ in response.context["ret"].warnings)

    client.post(reverse("reporting:return_override_drop", args=[w["ret_a"].pk]),
                {"row": "publicity", "column": "inspected"})

    w["ret_a"].refresh_from_db()
    assert w["ret_a"].overrides == {} and w["ret_a"].data["total"]["publicity"]["inspected"] == 3
    assert w["ret_a"].events.filter(action=ReturnAction.OVERRIDE_DROP).count() == 1


def test_only_a_computed_cell_can_be_corrected(client, w):
    client.force_login(w["user_a"])

    response = client.post(reverse("reporting:return_override", args=[w["ret_a"].pk]),
                           {"row": "publicity", "column": "events", "value": "6", "reason": "x"})

    assert response.context["override_form"].non_field_errors() == ["只有计算单元格可以手工修正"]


def test_a_pending_correction_is_listed_and_confirmed_again(client, w):
    ret = w["ret_a"]
    ret.overrides = {"publicity": {"inspected": {"value": "9", "reason": "上版修正", "computed": "2", "by": "张所员",
                                                 "at": "2024-02-01T10:00:00+08:00", "pending": True}}}
    ret.save()
    return_cells.return_refill(ret, rebuild_files=False)
    client.force_login(w["user_a"])

    page = _detail(client, ret).content.decode()
    assert "待确认的修正" in page and "再次确认" in page and "上版修正" in page
    assert ret.data["total"]["publicity"]["inspected"] == 3  # not applied yet

    client.post(reverse("reporting:return_override_confirm", args=[ret.pk]), {"row": "publicity", "column": "inspected"})

    ret.refresh_from_db()
    assert ret.data["total"]["publicity"]["inspected"] == 9
    assert ret.overrides["publicity"]["inspected"]["pending"] is False
    assert "待确认的修正" not in _detail(client, ret).content.decode()


def test_another_station_gets_404_and_the_auditor_reads_only(client, w):
    ret = w["ret_a"]
    posts = [(reverse("reporting:return_manual", args=[ret.pk]), {"cell_0": "1"}),
             (reverse("reporting:return_override", args=[ret.pk]),
              {"row": "publicity", "column": "inspected", "value": "1", "reason": "r"}),
             (reverse("reporting:return_override_confirm", args=[ret.pk]), {"row": "publicity", "column": "inspected"}),
             (reverse("reporting:return_override_drop", args=[ret.pk]), {"row": "publicity", "column": "inspected"})]
    client.force_login(w["user_b"])
    assert [client.post(url, data).status_code for url, data in posts] == [404] * 4

    client.force_login(w["auditor"])
    page = _detail(client, ret)
    assert page.status_code == 200 and 'id="manual-form"' not in page.content.decode()
    assert not any(c["correct_url"] for r in page.context["rows"] for c in r["cells"])
    assert [client.post(url, data).status_code for url, data in posts[:2]] == [403, 403]
    ret.refresh_from_db()
    assert (ret.manual, ret.overrides) == ({}, {})


def test_a_submitted_return_cannot_be_typed_into(client, w):
    ret = w["ret_a"]
    Return.objects.filter(pk=ret.pk).update(status=ReturnStatus.SUBMITTED)
    client.force_login(w["user_a"])

    response = client.post(reverse("reporting:return_manual", args=[ret.pk]), {"cell_0": "1", "cell_1": "1"})

    assert "报表已上报或已审核，不能修改；如需修改须先由药械科退回" in response.content.decode()
    ret.refresh_from_db()
    assert ret.manual == {}


def test_the_district_return_compiles_approved_units_and_takes_its_own_entries(client, w):
    a = w["ret_a"]
    a.manual = {"publicity": {"events": "5"}, "training": {"events": "1"}}
    a.status = ReturnStatus.APPROVED
    a.save()
    district = make_return(w, unit=None, inspected=7, units={w["unit_a"]: 3, w["unit_b"]: 4})
    client.force_login(w["section"])

    client.post(reverse("reporting:return_manual", args=[district.pk]), {"cell_0": "2", "cell_1": ""})

    response = _detail(client, district)
    page = response.content.decode()
    assert "填写手填数据（区局本级）" in page
    assert [(u["unit"].name, u["compiled"]) for u in response.context["unit_compilation"]] == [
        ("五马市场监管所", True), ("大南市场监管所", False)]
    assert "已汇总（审核通过）" in page and "未汇总（待上报）" in page
    district.refresh_from_db()
    assert district.manual == {"publicity": {"events": "2"}}  # an empty cell left empty is no change
    assert district.data["total"]["publicity"] == {"inspected": 7, "events": 7, "total": 14}
    client.force_login(w["user_a"])
    assert _detail(client, district).status_code == 404


# --- API ------------------------------------------------------------------------------------------------

def test_api_manual_values_answer_400_in_chinese_and_save_when_right(client, w):
    client.force_login(w["user_a"])
    url = f"/api/returns/{w['ret_a'].pk}/manual/"

    bad = client.post(url, {"values": {"publicity": {"events": "abc"}, "training": {"inspected": "1"}}},
                      content_type="application/json")
    shape = client.post(url, {"values": "5"}, content_type="application/json")
    good = client.post(url, {"values": {"publicity": {"events": "4"}}}, content_type="application/json")

    assert bad.status_code == 400
    assert bad.json() == {"publicity.events": ["宣传周 × 活动场次：“abc”不是数字"],
                          "training.inspected": ["该单元格不是手填单元格"]}
    assert shape.status_code == 400 and "values" in shape.json()
    assert good.status_code == 200
    assert good.json()["manual"] == {"publicity": {"events": "4"}}
    assert good.json()["data"]["total"]["publicity"]["total"] == 7


def test_api_overrides_set_refuse_without_reason_and_delete(client, w):
    client.force_login(w["user_a"])
    url = f"/api/returns/{w['ret_a'].pk}/overrides/"

    no_reason = client.post(url, {"row": "publicity", "column": "inspected", "value": "5", "reason": ""},
                            content_type="application/json")
    not_a_number = client.post(url, {"row": "publicity", "column": "inspected", "value": "x", "reason": "r"},
                               content_type="application/json")
    good = client.post(url, {"row": "publicity", "column": "inspected", "value": "5", "reason": "漏录"},
                       content_type="application/json")

    assert no_reason.status_code == 400 and no_reason.json() == {"reason": ["手工修正计算值必须填写原因"]}
    assert not_a_number.status_code == 400 and not_a_number.json() == {"value": ["“x”不是数字"]}
    assert good.status_code == 200
    assert good.json()["overrides"]["publicity"]["inspected"]["reason"] == "漏录"
    assert client.delete(url).status_code == 400
    dropped = client.delete(f"{url}?row=publicity&column=inspected")
    assert dropped.status_code == 200 and dropped.json()["overrides"] == {}
    assert client.delete(f"{url}?row=publicity&column=inspected").json() == {"non_field_errors": ["该单元格没有手工修正"]}


def test_api_cells_keep_to_the_users_unit(client, w):
    ret = w["ret_a"]
    calls = [("post", f"/api/returns/{ret.pk}/manual/", {"values": {"publicity": {"events": "1"}}}),
             ("post", f"/api/returns/{ret.pk}/overrides/",
              {"row": "publicity", "column": "inspected", "value": "1", "reason": "r"}),
             ("delete", f"/api/returns/{ret.pk}/overrides/?row=publicity&column=inspected", None)]
    client.force_login(w["user_b"])
    assert [getattr(client, m)(u, d, content_type="application/json").status_code for m, u, d in calls] == [404] * 3
    client.force_login(w["auditor"])
    assert [getattr(client, m)(u, d, content_type="application/json").status_code for m, u, d in calls] == [403] * 3
    ret.refresh_from_db()
    assert (ret.manual, ret.overrides) == ({}, {})
