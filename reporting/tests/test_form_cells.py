"""Cell definitions of a form: effective specs, the designer's checks, hand-entered values and assembling a copy."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import CellKind, FormCell, FormColumn, FormRow, FormTemplate
from reporting.form_cells import assemble, manual_parse, manual_problems, template_cells, template_problems

pytestmark = pytest.mark.django_db


def small_form() -> FormTemplate:
    """Rows r1, r2, total; columns done (computed), extra (manual integer ≥ 0, required), sum (formula)."""
    template = FormTemplate.objects.create(code="测试表", year=2024, title_template="{year}年测试表",
                                           footer_template="备注")
    r1 = FormRow.objects.create(template=template, order=1, key="r1", path=["生产"])
    FormRow.objects.create(template=template, order=2, key="r2", path=["经营"])
    total = FormRow.objects.create(template=template, order=3, key="total", path=["合计"])
    FormColumn.objects.create(template=template, order=1, key="done", label="检查家次",
                              metric="enterprises_inspected")
    extra = FormColumn.objects.create(template=template, order=2, key="extra", label="宣传活动", kind=CellKind.MANUAL,
                                      required=True, min_value=0)
    FormColumn.objects.create(template=template, order=3, key="sum", label="合计", kind=CellKind.FORMULA,
                              formula="{.done} + {.extra}")
    done = template.columns.get(key="done")
    FormCell.objects.create(template=template, row=total, column=done, kind=CellKind.FORMULA, formula="{r1.} + {r2.}")
    FormCell.objects.create(template=template, row=total, column=extra, kind=CellKind.FORMULA,
                            formula="{r1.} + {r2.}")
    FormCell.objects.create(template=template, row=r1, column=extra, kind=CellKind.NONE)
    return template


def test_a_cell_follows_its_column_unless_set_itself():
    cells = template_cells(small_form())
    assert cells.rows == ("r1", "r2", "total") and cells.columns == ("done", "extra", "sum")
    assert cells.specs[("r2", "done")].kind == CellKind.COMPUTED and not cells.specs[("r2", "done")].own
    assert cells.specs[("total", "done")].kind == CellKind.FORMULA and cells.specs[("total", "done")].own
    assert cells.specs[("r1", "extra")].kind == CellKind.NONE
    assert cells.specs[("r2", "extra")].required and cells.specs[("r2", "extra")].label == "经营 × 宣传活动"


def test_template_problems():
    template = small_form()
    assert template_problems(template) == []
    column = template.columns.get(key="done")
    column.metric = "no_such_metric"
    column.save()
    template.columns.filter(key="sum").update(formula="{.done} + {.missing}")
    cell = template.cells.get(row__key="total", column__key="done")
    cell.formula = "{total.sum}"  # total.sum reads total.done: a cycle
    cell.save()
    problems = template_problems(template)
    assert "生产 × 检查家次：指标“no_such_metric”不存在" in problems
    assert "生产 × 合计：公式引用的单元格 {r1.missing} 不存在" in problems
    assert any(p.startswith("公式循环引用：") for p in problems)


def test_manual_values_are_checked_in_chinese():
    spec = template_cells(small_form()).specs[("r2", "extra")]
    assert manual_parse(spec, " 12 ") == 12
    assert manual_parse(spec, "") is None
    for text, message in [("abc", "“abc”不是数字"), ("1.5", "应填整数"), ("-1", "不能小于 0")]:
        with pytest.raises(ValidationError) as error:
            manual_parse(spec, text)
        assert error.value.messages == [message]


def test_required_manual_cells_block_submission():
    cells = template_cells(small_form())
    assert manual_problems(cells, {}) == ["经营 × 宣传活动：必填，尚未填写"]
    assert manual_problems(cells, {"r2": {"extra": "x"}}) == ["经营 × 宣传活动：“x”不是数字"]
    assert manual_problems(cells, {"r2": {"extra": "3"}}) == []


def test_assemble_applies_manual_values_corrections_then_formulas():
    cells = template_cells(small_form())
    computed = {"r1": {"done": 5}, "r2": {"done": 7}}
    overrides = {"r1": {"done": {"value": "6", "reason": "补录一家", "computed": "5", "pending": False}},
                 "r2": {"done": {"value": "100", "reason": "旧修正", "computed": "7", "pending": True}}}
    grid, notes = assemble(cells, computed=computed, manual={"r2": {"extra": "3"}}, overrides=overrides)
    assert grid == {
        "r1": {"done": 6, "extra": None, "sum": 6},
        "r2": {"done": 7, "extra": 3, "sum": 10},
        "total": {"done": 13, "extra": 3, "sum": 16},
    }
    assert [(n.row, n.column, n.rule) for n in notes] == [("r1", "done", "手工修正计算值")]
    assert "计算值 5，修正为 6；原因：补录一家" in notes[0].detail


def test_a_formula_dividing_by_zero_is_empty():
    template = small_form()
    template.columns.filter(key="sum").update(formula="{.extra} / {.done} * 100", decimals=1)
    cells = template_cells(template)
    grid, notes = assemble(cells, computed={"r1": {"done": 0}, "r2": {"done": 4}}, manual={"r2": {"extra": "1"}})
    assert grid["r2"]["sum"] == Decimal("25.0")
    assert grid["r1"]["sum"] is None
    assert notes == []  # nothing due is not a fault of the return
