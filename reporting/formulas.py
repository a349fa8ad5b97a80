"""Formula cells of a form: ``{行代码.列代码}`` references, + − × ÷, brackets and a few functions.

A reference names a cell of the same filled copy: ``{row.col}``; an omitted part is the formula cell's own
row or column (``{.done} / {.due} * 100`` in a column default, ``{total.}`` for the same column of row
``total``). Functions: SUM, MIN, MAX, ABS and ROUND(x, digits). Numbers are exact decimals. Nothing else
is allowed (no names, attributes or calls of Python): a formula is parsed into Python's ``ast`` and
every node checked before it is evaluated by walking that tree, never by ``eval``.

Errors are Chinese sentences (``FormulaError``) the designer shows beside the formula.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

REF = re.compile(r"\{([^{}.]*)\.([^{}.]*)\}")
FUNCTIONS = ("SUM", "MIN", "MAX", "ABS", "ROUND")
MAX_LENGTH = 500


class FormulaError(ValueError):
    """A formula that cannot be parsed or evaluated; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.Expression
    refs: tuple[tuple[str, str], ...]  # as written: "" for the cell's own row or column

    def references(self, row: str, column: str) -> list[tuple[str, str]]:
        """The cells this formula reads when it sits in cell (``row``, ``column``)."""
        return [(r or row, c or column) for r, c in self.refs]


def parse(text: str) -> Formula:
    """Check a formula and keep its tree; raises ``FormulaError`` with what is wrong."""
    text = (text or "").strip()
    if not text:
        raise FormulaError("公式不能为空")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"公式过长（最多 {MAX_LENGTH} 个字符）")
    refs: list[tuple[str, str]] = []

    def placeholder(match: re.Match) -> str:
        refs.append((match.group(1).strip(), match.group(2).strip()))
        return f"__ref{len(refs) - 1}"

    source = REF.sub(placeholder, text)
    if "{" in source or "}" in source:
        raise FormulaError("单元格引用的写法应为 {行代码.列代码}，省略行代码或列代码表示本行、本列")
    source = source.replace("×", "*").replace("÷", "/").replace("（", "(").replace("）", ")").replace("，", ",")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"公式写法有误（第 {exc.offset or 1} 个字符附近）") from None
    functions = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if id(node) not in functions:
            _check_node(node, len(refs))
    return Formula(text=text, tree=tree, refs=tuple(refs))


def _check_node(node: ast.AST, ref_count: int) -> None:
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd,
               ast.Constant, ast.Name, ast.Call, ast.Load)
    if not isinstance(node, allowed):
        raise FormulaError("公式只能使用数字、单元格引用、+ - * / 、括号和 SUM、MIN、MAX、ABS、ROUND")
    if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float)):
        raise FormulaError("公式中只能出现数字")
    if isinstance(node, ast.Name):
        match = re.fullmatch(r"__ref(\d+)", node.id)
        if not match or int(match.group(1)) >= ref_count:
            raise FormulaError(f"无法识别“{node.id}”：单元格引用应写成 {{行代码.列代码}}")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id.upper() not in FUNCTIONS or node.keywords:
            name = getattr(node.func, "id", "?")
            raise FormulaError(f"不支持的函数“{name}”，可用：{'、'.join(FUNCTIONS)}")
        name = node.func.id.upper()
        if not node.args:
            raise FormulaError(f"{name} 至少需要一个参数")
        if name == "ABS" and len(node.args) != 1:
            raise FormulaError("ABS 只能有一个参数")
        if name == "ROUND" and len(node.args) not in (1, 2):
            raise FormulaError("ROUND 的写法为 ROUND(数值, 小数位数)")


Value = Decimal | None


def evaluate(formula: Formula, row: str, column: str, value: Callable[[str, str], Value]) -> Value:
    """The formula's value in cell (``row``, ``column``); ``value(row, col)`` reads another cell.

    A cell without a value (a 不适用 cell, an empty hand-entered cell) counts as 0; a referenced
    formula that could not be computed (None) makes this one None too, as does a division by zero.
    """
    cells = formula.references(row, column)

    def walk(node: ast.AST) -> Value:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            r, c = cells[int(node.id[5:])]
            return value(r, c)
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return None if operand is None else (-operand if isinstance(node.op, ast.USub) else operand)
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            try:
                if isinstance(node.op, ast.Add):
                    return left + right
                if isinstance(node.op, ast.Sub):
                    return left - right
                if isinstance(node.op, ast.Mult):
                    return left * right
                return left / right if right != 0 else None
            except (DivisionByZero, InvalidOperation):
                return None
        if isinstance(node, ast.Call):
            name = node.func.id.upper()
            args = [walk(a) for a in node.args]
            if any(a is None for a in args):
                return None
            if name == "SUM":
                return sum(args, Decimal(0))
            if name == "MIN":
                return min(args)
            if name == "MAX":
                return max(args)
            if name == "ABS":
                return abs(args[0])
            digits = int(args[1]) if len(args) == 2 else 0
            return args[0].quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        raise FormulaError("公式写法有误")

    return walk(formula.tree)
