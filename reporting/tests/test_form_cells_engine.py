"""Issue 14's return engine on a small form: computed cells by column key, hand-entered values, corrections
with reasons (pending after a recomputation until confirmed), submission blocked by a missing value, and the
district's compilation of the approved units' entries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.choices import ReturnAction
from reporting.models import Return
from reporting.return_cells import (
    return_manual_save,
    return_override_confirm,
    return_override_set,
)
from reporting.services import compute_return_data, return_approve, return_recompute, return_submit

from .cells_engine_world import CUTOFF, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


@pytest.fixture
def unit_return(w, file_return):
    return file_return(campaign=w["campaign"], template=w["template"], unit=w["unit_a"], cutoff=CUTOFF,
                       by=w["user_a"])


def _rules(ret) -> list[tuple[str, str, str]]:
    return [(x["sheet"], x["rule"], x["detail"]) for x in ret.warnings]


def test_the_metrics_fill_the_computed_cells_by_column_key_and_nothing_else(w, unit_return):
    assert unit_return.data["computed"] == {
        "r1": {"computed": 2, "manual": None, "sum": None},
        "r2": {"computed": 1, "manual": None, "sum": None},
        "total": {"computed": None, "manual": None, "sum": None},
    }
    # nothing entered yet: manual cells empty, formulas read them as 0
    assert unit_return.data["total"] == {
        "r1": {"computed": 2, "manual": None, "sum": 2},
        "r2": {"computed": 1, "manual": None, "sum": 1},
        "total": {"computed": 3, "manual": 0, "sum": 3},
    }
    assert unit_return.data["units"] == {} and unit_return.data["computed_units"] == {}
    assert unit_return.manual == {} and unit_return.overrides == {}


def test_district_computation_per_unit(w):
    data = compute_return_data(campaign=w["campaign"], template=w["template"], unit=None, cutoff=CUTOFF)
    assert data["computed"]["r1"]["computed"] == 3 and data["computed"]["r2"]["computed"] == 1
    assert data["computed_units"] == {
        str(w["unit_a"].pk): {"r1": {"computed": 2, "manual": None, "sum": None},
                              "r2": {"computed": 1, "manual": None, "sum": None},
                              "total": {"computed": None, "manual": None, "sum": None}},
        str(w["unit_b"].pk): {"r1": {"computed": 1, "manual": None, "sum": None},
                              "r2": {"computed": 0, "manual": None, "sum": None},
                              "total": {"computed": None, "manual": None, "sum": None}},
    }
    assert data["total"]["total"] == {"computed": 4, "manual": 0, "sum": 4}


def test_invalid_manual_values_save_nothing_and_say_why_in_chinese(w, unit_return):
    with pytest.raises(ValidationError) as caught:
        return_manual_save(ret=unit_return, by=w["user_a"], values={"r1": {"manual": "-1"}, "r2": {"manual": "两次"}})
    assert caught.value.message_dict == {"r1.manual": ["生产 × 宣传活动次数：不能小于 0"],
                                         "r2.manual": ["经营 × 宣传活动次数：“两次”不是数字"]}
    with pytest.raises(ValidationError) as caught:
        return_manual_save(ret=unit_return, by=w["user_a"], values={"r1": {"manual": "3"}, "r2": {"manual": "1.5"}})
    assert caught.value.message_dict == {"r2.manual": ["经营 × 宣传活动次数：应填整数"]}
    unit_return.refresh_from_db()
    assert unit_return.manual == {}
    assert not unit_return.events.filter(action=ReturnAction.MANUAL).exists()


def test_submission_is_blocked_while_a_required_cell_is_empty(w, unit_return):
    return_manual_save(ret=unit_return, by=w["user_a"], values={"r1": {"manual": "3"}})
    with pytest.raises(ValidationError) as caught:
        return_submit(ret=unit_return, by=w["user_a"])
    assert "经营 × 宣传活动次数：必填，尚未填写" in caught.value.messages
    unit_return.refresh_from_db()
    assert unit_return.status == "draft"

    return_manual_save(ret=unit_return, by=w["user_a"], values={"r2": {"manual": "4"}})
    return_submit(ret=unit_return, by=w["user_a"])
    unit_return.refresh_from_db()
    assert unit_return.status == "submitted"
    assert unit_return.data["total"]["total"] == {"computed": 3, "manual": 7, "sum": 10}


def test_a_correction_needs_a_reason_shows_in_the_checks_and_history_and_waits_after_a_recompute(
        w, unit_return, django_capture_on_commit_callbacks):
    return_manual_save(ret=unit_return, by=w["user_a"], values={"r1": {"manual": "3"}, "r2": {"manual": "4"}})
    with pytest.raises(ValidationError) as caught:
        return_override_set(ret=unit_return, by=w["user_a"], row="r1", column="computed", value="5", reason=" ")
    assert caught.value.message_dict == {"reason": ["手工修正计算值必须填写原因"]}
    with pytest.raises(ValidationError):
        return_override_set(ret=unit_return, by=w["user_a"], row="r1", column="manual", value="5", reason="x")

    ret = return_override_set(ret=unit_return, by=w["user_a"], row="r1", column="computed", value="5",
                              reason="补录两次纸质检查")
    ret.refresh_from_db()
    assert ret.data["total"]["r1"] == {"computed": 5, "manual": 3, "sum": 8}
    assert ret.data["total"]["total"] == {"computed": 6, "manual": 7, "sum": 13}
    assert ret.data["computed"]["r1"]["computed"] == 2  # the metric's own number is kept
    assert (ret.unit.display_name, "手工修正计算值", "生产 × 检查家次：计算值 2，修正为 5；原因：补录两次纸质检查") in _rules(ret)
    event = ret.events.get(action=ReturnAction.OVERRIDE)
    assert event.comment == "生产 × 检查家次：计算值 2 修正为 5；原因：补录两次纸质检查"

    with django_capture_on_commit_callbacks(execute=True):
        new = return_recompute(ret=ret, by=w["user_a"])
    new.refresh_from_db()
    assert new.version == 2 and new.manual == {"r1": {"manual": "3"}, "r2": {"manual": "4"}}
    assert new.overrides["r1"]["computed"]["pending"] is True
    # pending: shown in the checks, not applied
    assert new.data["total"]["r1"] == {"computed": 2, "manual": 3, "sum": 5}
    assert [r for _s, r, _d in _rules(new) if r.startswith("手工修正")] == ["手工修正待重新确认"]

    new = return_override_confirm(ret=new, by=w["user_a"], row="r1", column="computed")
    new.refresh_from_db()
    assert new.data["total"]["r1"] == {"computed": 5, "manual": 3, "sum": 8}
    assert [r for _s, r, _d in _rules(new) if r.startswith("手工修正")] == ["手工修正计算值"]
    assert new.events.filter(action=ReturnAction.OVERRIDE_CONFIRM).count() == 1


def test_the_district_compiles_the_approved_units_entries_and_names_the_others(w, unit_return, file_return):
    return_manual_save(ret=unit_return, by=w["user_a"], values={"r1": {"manual": "3"}, "r2": {"manual": "4"}})
    return_submit(ret=unit_return, by=w["user_a"])
    return_approve(ret=unit_return, by=w["section"])
    other = file_return(campaign=w["campaign"], template=w["template"], unit=w["unit_b"], cutoff=CUTOFF,
                        by=w["user_b"])
    return_manual_save(ret=other, by=w["user_b"], values={"r1": {"manual": "9"}, "r2": {"manual": "9"}})

    district = file_return(campaign=w["campaign"], template=w["template"], unit=None, cutoff=CUTOFF,
                           by=w["section"])

    assert district.data["total"] == {
        "r1": {"computed": 3, "manual": 3, "sum": 6},
        "r2": {"computed": 1, "manual": 4, "sum": 5},
        "total": {"computed": 4, "manual": 7, "sum": 11},
    }
    assert ("全区", "手填数据未汇总", "大南所 本期报表尚未审核通过，其手填数据未计入全区合计") in _rules(district)
    assert not any("五马所" in d for _s, r, d in _rules(district) if r == "手填数据未汇总")
    # the unit sheets: the approved unit's entries, none for the other
    assert district.data["units"][str(w["unit_a"].pk)]["total"] == {"computed": 3, "manual": 7, "sum": 10}
    assert district.data["units"][str(w["unit_b"].pk)]["total"] == {"computed": 1, "manual": 0, "sum": 1}
    assert Return.objects.filter(unit=None).count() == 1


def test_the_drill_down_lists_the_records_of_a_computed_cell_only_and_only_to_its_unit(w, unit_return, client):
    url = reverse("reporting:return_cell", args=[unit_return.pk])
    client.force_login(w["user_a"])

    page = client.get(url, {"row": "r1", "column": "computed"})

    assert page.status_code == 200
    assert [values[1] for _url, values in page.context["table"]] == ["甲生产", "甲生产"]
    assert client.get(url, {"row": "r1", "column": "manual"}).status_code == 404
    assert client.get(url, {"row": "total", "column": "computed"}).status_code == 404  # a formula cell
    client.force_login(w["user_b"])
    assert client.get(url, {"row": "r1", "column": "computed"}).status_code == 404
