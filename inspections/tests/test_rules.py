from types import SimpleNamespace as NS

from inspections.rules import checklist_tally


def items(keys: int, general: int):
    return [NS(pk=i, is_key=i < keys) for i in range(keys + general)]


def answers(pairs):
    return [NS(item_id=pk, result=result) for pk, result in pairs]


def test_all_compliant_or_fixed_on_site_passes():
    tally = checklist_tally(items=items(5, 10), answers=answers([(0, "yes"), (6, "fixed_on_site")]))
    assert (tally.key_failed, tally.general_failed, tally.result) == (0, 0, "通过检查")


def test_limits_key_ten_general_twenty_percent():
    # 10 key items, 1 fails = 10.0%; 10 general items, 1 not applicable, 2 of 9 fail = 22.2%
    its = items(10, 10)
    tally = checklist_tally(items=its, answers=answers([(0, "no"), (10, "na"), (11, "no"), (12, "no")]))
    assert tally.key_rate == 10
    assert str(tally.general_rate) == "22.2"
    assert tally.result == "未通过检查"
    tally = checklist_tally(items=its, answers=answers([(0, "no"), (10, "na"), (11, "no")]))
    assert str(tally.general_rate) == "11.1"
    assert tally.result == "限期整改"


def test_key_above_ten_percent_fails():
    tally = checklist_tally(items=items(5, 5), answers=answers([(0, "no")]))  # 1 of 5 key = 20%
    assert tally.key_rate == 20
    assert tally.result == "未通过检查"
