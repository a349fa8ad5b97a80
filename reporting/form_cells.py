"""The cells of a form: how each gets its value, the checks of hand-entered values, and filling a copy.

Each cell is **computed** by a metric (``reporting.form_metrics``), **hand-entered** (手填, with its
checks: required, minimum, maximum, decimals), a **formula** over other cells (``reporting.formulas``),
or **not applicable** (—). A column says what its cells are; a ``FormCell`` sets one cell otherwise.

A filled copy (one sheet of a return) is assembled from the computed numbers, the hand-entered values
and the hand corrections (覆盖, each with its reason) in that order; formulas are evaluated last, so a
total of corrected cells adds up. The rules live here once: the designer, the return page, submission
and the exporters all call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import CellKind, FormTemplate
from reporting.formulas import Formula, FormulaError, evaluate, parse

Number = int | Decimal | None
Grid = dict[str, dict[str, Number]]  # row key -> column key -> value


@dataclass(frozen=True)
class CellSpec:
    row: str
    column: str
    kind: str
    metric: str
    formula: str
    decimals: int
    min_value: Decimal | None
    max_value: Decimal | None
    required: bool
    row_label: str
    column_label: str
    own: bool  # set on the cell itself (a FormCell), not inherited from the column

    @property
    def label(self) -> str:
        return f"{self.row_label} × {self.column_label}"


@dataclass(frozen=True)
class FormCells:
    """A template's cells in form order, with the parsed formulas."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    specs: dict[tuple[str, str], CellSpec]
    formulas: dict[tuple[str, str], Formula]

    def of_kind(self, kind: str) -> list[CellSpec]:
        return [s for s in self.specs.values() if s.kind == kind]

    @property
    def has_manual(self) -> bool:
        return any(s.kind == CellKind.MANUAL for s in self.specs.values())


def template_cells(template: FormTemplate, *, check: bool = False) -> FormCells:
    """Every cell's effective definition (three queries). ``check``: raise on a broken formula instead of
    leaving it out (the designer checks; a return built from a broken template shows the cell empty)."""
    rows = list(template.rows.order_by("order"))
    columns = list(template.columns.order_by("order"))
    own = {(c.row_id, c.column_id): c for c in template.cells.all()}
    specs: dict[tuple[str, str], CellSpec] = {}
    formulas: dict[tuple[str, str], Formula] = {}
    for row in rows:
        for column in columns:
            source = own.get((row.pk, column.pk), column)
            spec = CellSpec(
                row=row.key, column=column.key, kind=source.kind, metric=source.metric, formula=source.formula,
                decimals=column.decimals, min_value=source.min_value, max_value=source.max_value,
                required=source.required, row_label=row.display_label, column_label=column.label,
                own=source is not column,
            )
            specs[(row.key, column.key)] = spec
            if spec.kind == CellKind.FORMULA:
                try:
                    formulas[(row.key, column.key)] = parse(spec.formula)
                except FormulaError:
                    if check:
                        raise
    return FormCells(rows=tuple(r.key for r in rows), columns=tuple(c.key for c in columns), specs=specs,
                     formulas=formulas)


def template_problems(template: FormTemplate) -> list[str]:
    """What keeps a template from being used, as Chinese sentences (empty: it can be used).

    Computed cells need a known metric; formulas must parse, name existing cells and not refer to
    themselves through other formulas; a minimum may not exceed the maximum.
    """
    from reporting.form_metrics import metric_exists

    problems: list[str] = []
    cells = template_cells(template)
    if not cells.rows:
        problems.append(_("报表至少需要一行"))
    if not cells.columns:
        problems.append(_("报表至少需要一列"))
    for key, spec in cells.specs.items():
        if spec.kind == CellKind.COMPUTED:
            if not spec.metric:
                problems.append(_("%(cell)s：计算单元格须选择指标") % {"cell": spec.label})
            elif not metric_exists(spec.metric, template.year):
                problems.append(_("%(cell)s：指标“%(m)s”不存在") % {"cell": spec.label, "m": spec.metric})
        if spec.kind == CellKind.FORMULA:
            try:
                formula = parse(spec.formula)
            except FormulaError as exc:
                problems.append(_("%(cell)s：%(error)s") % {"cell": spec.label, "error": exc})
                continue
            for ref in formula.references(*key):
                if ref not in cells.specs:
                    problems.append(_("%(cell)s：公式引用的单元格 {%(r)s.%(c)s} 不存在") % {
                        "cell": spec.label, "r": ref[0], "c": ref[1]})
        if spec.min_value is not None and spec.max_value is not None and spec.min_value > spec.max_value:
            problems.append(_("%(cell)s：最小值大于最大值") % {"cell": spec.label})
    cycle = _formula_cycle(cells)
    if cycle:
        names = " → ".join(cells.specs[k].label for k in cycle)
        problems.append(_("公式循环引用：%(cycle)s") % {"cycle": names})
    return problems


def _formula_cycle(cells: FormCells) -> list[tuple[str, str]]:
    """One cycle among the formula cells (empty when there is none)."""
    state: dict[tuple[str, str], int] = {}
    stack: list[tuple[str, str]] = []

    def visit(key) -> list[tuple[str, str]]:
        state[key] = 1
        stack.append(key)
        for ref in cells.formulas[key].references(*key):
            if ref not in cells.formulas:
                continue
            if state.get(ref) == 1:
                return stack[stack.index(ref):] + [ref]
            if ref not in state:
                found = visit(ref)
                if found:
                    return found
        stack.pop()
        state[key] = 2
        return []

    for key in cells.formulas:
        if key not in state:
            found = visit(key)
            if found:
                return found
    return []


def formula_order(cells: FormCells) -> list[tuple[str, str]]:
    """The formula cells in an order where each comes after the formula cells it reads (cycles left out)."""
    done: set[tuple[str, str]] = set()
    order: list[tuple[str, str]] = []
    visiting: set[tuple[str, str]] = set()

    def visit(key) -> None:
        if key in done or key in visiting:
            return
        visiting.add(key)
        for ref in cells.formulas[key].references(*key):
            if ref in cells.formulas:
                visit(ref)
        visiting.discard(key)
        done.add(key)
        order.append(key)

    for key in cells.formulas:
        visit(key)
    return order


# --- hand-entered values ------------------------------------------------------------------------------

def manual_parse(spec: CellSpec, text: str | None) -> Decimal | int | None:
    """A hand-entered value checked against its cell; raises ``ValidationError`` (Chinese) when wrong.

    Empty is None (allowed here; ``manual_problems`` reports a required cell left empty at submission).
    """
    text = (str(text) if text is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(text)s”不是数字") % {"text": text}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(text)s”不是数字") % {"text": text})
    if spec.decimals == 0:
        if value != value.to_integral_value():
            raise ValidationError(_("应填整数"))
        value = int(value)
    elif -value.as_tuple().exponent > spec.decimals:
        raise ValidationError(_("最多 %(n)s 位小数") % {"n": spec.decimals})
    if spec.min_value is not None and value < spec.min_value:
        raise ValidationError(_("不能小于 %(min)s") % {"min": _plain(spec.min_value)})
    if spec.max_value is not None and value > spec.max_value:
        raise ValidationError(_("不能大于 %(max)s") % {"max": _plain(spec.max_value)})
    return value


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def manual_problems(cells: FormCells, manual: dict) -> list[str]:
    """Why these hand-entered values cannot be submitted (Chinese, one per cell; empty: they can)."""
    problems: list[str] = []
    for spec in cells.of_kind(CellKind.MANUAL):
        raw = manual.get(spec.row, {}).get(spec.column)
        try:
            value = manual_parse(spec, raw)
        except ValidationError as exc:
            problems.append(f"{spec.label}：{exc.messages[0]}")
            continue
        if value is None and spec.required:
            problems.append(_("%(cell)s：必填，尚未填写") % {"cell": spec.label})
    return problems


# --- assembling a filled copy ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Note:
    """Something the 校验提示 sheet lists about an assembled copy (a correction, a formula that failed)."""

    row: str
    column: str
    rule: str
    detail: str


def assemble(cells: FormCells, *, computed: Grid, manual: dict | None = None,
             overrides: dict | None = None) -> tuple[Grid, list[Note]]:
    """One filled copy: computed values, hand-entered values, applied corrections, then formulas.

    A formula that divides by zero (a rate with nothing due) is empty, shown as "—".

    ``computed``: the metrics' numbers by cell; ``manual``: ``{row: {col: text}}``; ``overrides``:
    ``{row: {col: {"value", "reason", "computed", "pending"}}}`` — a pending correction (carried from an
    earlier version, not yet confirmed again) is not applied. Invalid hand-entered text counts as empty.
    """
    manual = manual or {}
    overrides = overrides or {}
    grid: Grid = {row: {} for row in cells.rows}
    notes: list[Note] = []
    for (row, column), spec in cells.specs.items():
        value: Number = None
        if spec.kind == CellKind.COMPUTED:
            value = computed.get(row, {}).get(column)
            correction = overrides.get(row, {}).get(column)
            if correction and not correction.get("pending"):
                corrected = _number(correction["value"], spec.decimals)
                notes.append(Note(row, column, _("手工修正计算值"), _(
                    "%(cell)s：计算值 %(old)s，修正为 %(new)s；原因：%(reason)s") % {
                    "cell": spec.label, "old": _show(value), "new": _show(corrected), "reason": correction["reason"]}))
                value = corrected
        elif spec.kind == CellKind.MANUAL:
            try:
                value = manual_parse(spec, manual.get(row, {}).get(column))
            except ValidationError:
                value = None
        grid[row][column] = value
    for row, column in formula_order(cells):
        spec = cells.specs[(row, column)]

        def read(r: str, c: str) -> Decimal | None:
            found = grid.get(r, {}).get(c)
            if found is None:
                return None if (r, c) in cells.formulas else Decimal(0)
            return Decimal(found)

        # a rate with nothing due (division by zero) has no value: shown as "—", as the cockpit's 暂无应办
        result = evaluate(cells.formulas[(row, column)], row, column, read)
        grid[row][column] = None if result is None else _number(result, spec.decimals)
    return grid, notes


def _number(value, decimals: int) -> int | Decimal:
    from decimal import ROUND_HALF_UP

    number = Decimal(str(value))
    if decimals == 0:
        return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _show(value: Number) -> str:
    return "—" if value is None else str(value)


def grid_to_json(grid: Grid) -> dict:
    return {row: {c: (str(v) if isinstance(v, Decimal) else v) for c, v in values.items()} for row, values in grid.items()}


def grid_from_json(data: dict) -> Grid:
    return {row: {c: (Decimal(v) if isinstance(v, str) else v) for c, v in values.items()} for row, values in data.items()}
