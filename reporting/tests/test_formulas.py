"""Formula cells: what parses, what is refused (in Chinese), and the values, by hand."""

from decimal import Decimal

import pytest

from reporting.formulas import FormulaError, evaluate, parse


def values(table: dict):
    return lambda row, column: table[(row, column)]


def test_references_fill_in_the_cells_own_row_and_column():
    formula = parse("{a.x} + {b.} * 2 - {.y}")
    assert formula.references("r", "c") == [("a", "x"), ("b", "c"), ("r", "y")]


@pytest.mark.parametrize(("text", "expected"), [
    ("{a.x} + {b.y}", Decimal("7")),
    ("{a.x} * {b.y} / 2", Decimal("6")),
    ("({a.x} + {b.y}) * 10", Decimal("70")),
    ("-{a.x} + 10", Decimal("7")),
    ("SUM({a.x}, {b.y}, 1)", Decimal("8")),
    ("MAX({a.x}, {b.y}) - MIN({a.x}, {b.y})", Decimal("1")),
    ("ROUND({a.x} / {b.y} * 100, 1)", Decimal("75.0")),
    ("ROUND(2 / 3 * 100)", Decimal("67")),
    ("ABS({a.x} - {b.y})", Decimal("1")),
    ("{a.x} × 2 ÷ （{b.y} － 1）".replace("－", "-"), Decimal("2")),
])
def test_values(text, expected):
    result = evaluate(parse(text), "r", "c", values({("a", "x"): Decimal(3), ("b", "y"): Decimal(4)}))
    assert result == expected


def test_a_constant_is_a_formula_too():  # e.g. a target set by the plan: 480 reports per million
    assert evaluate(parse("480"), "r", "c", values({})) == Decimal(480)


def test_division_by_zero_and_missing_values_give_none():
    cells = values({("a", "x"): Decimal(3), ("b", "y"): Decimal(0), ("n", "n"): None})
    assert evaluate(parse("{a.x} / {b.y}"), "r", "c", cells) is None
    assert evaluate(parse("{n.n} + 1"), "r", "c", cells) is None
    assert evaluate(parse("SUM({n.n}, {a.x})"), "r", "c", cells) is None


@pytest.mark.parametrize(("text", "message"), [
    ("", "公式不能为空"),
    ("{a.x} ** 2", "只能使用"),
    ("open({a.x})", "不支持的函数“open”"),
    ("__import__('os')", "不支持的函数"),
    ("{a.x}.real", "只能使用"),
    ("'text'", "只能出现数字"),
    ("{a.x} +", "写法有误"),
    ("{a} + 1", "{行代码.列代码}"),
    ("x + 1", "无法识别“x”"),
    ("ROUND()", "至少需要一个参数"),
    ("ABS(1, 2)", "只能有一个参数"),
])
def test_refused_with_a_chinese_reason(text, message):
    with pytest.raises(FormulaError) as error:
        parse(text)
    assert message in str(error.value)
