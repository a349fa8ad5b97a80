"""Plain data describing a filled form, shared by the .xlsx and .docx exporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ColumnSpec:
    label: str
    decimals: int = 0
    width: int = 10


@dataclass(frozen=True)
class LabelCell:
    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class RowSpec:
    key: str
    label_cells: tuple[LabelCell, ...]


@dataclass(frozen=True)
class FormLayout:
    title: str
    header_label: str
    label_columns: int
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    footer: str
    preamble_labels: tuple[str, ...] = ("填报单位（盖章）：", "填报人：", "联系方式：")

    @property
    def total_columns(self) -> int:
        return self.label_columns + len(self.columns)


@dataclass(frozen=True)
class SheetData:
    """One filled copy of the form: a sheet name, the 填报 values and the numbers row by row."""

    name: str
    preamble_values: tuple[str, ...]
    values: tuple[tuple[int | Decimal | None, ...], ...]  # None: an empty cell, shown as EMPTY


@dataclass(frozen=True)
class Warning:
    sheet: str
    row: str
    rule: str
    detail: str
    url: str = ""  # where the user fixes it (shown on the return page; not written into the files)


@dataclass(frozen=True)
class ExportInput:
    layout: FormLayout
    sheets: tuple[SheetData, ...]  # the first is the return itself; more for a district's units
    warnings: tuple[Warning, ...] = field(default_factory=tuple)


def label_chars(layout: FormLayout, *, one_line: int = 10) -> tuple[int, ...]:
    """Characters per line of each label column, from its longest single-column label.

    A label up to ``one_line`` characters fits on one line; a longer one is given two lines.
    Labels spanning several columns (e.g. 医疗器械网络销售企业) are left to the columns they span.
    """
    longest = [2] * layout.label_columns
    for row in layout.rows:
        for cell in row.label_cells:
            if cell.colspan == 1 and cell.col < layout.label_columns:
                longest[cell.col] = max(longest[cell.col], len(cell.text))
    return tuple(n if n <= one_line else -(-n // 2) for n in longest)


def header_text(label: str) -> str:
    """A column label with its bracketed unit kept whole on a line of its own: 企业罚没款(万元) -> 企业罚没款\n(万元).

    Otherwise a narrow column breaks inside the brackets and leaves a lone ")" on the last line.
    """
    for opening in ("(", "（"):
        head, sep, unit = label.rpartition(opening)
        if sep and head and label.endswith((")", "）")) and len(unit) <= 6:
            return f"{head}\n{sep}{unit}"
    return label


def unit_width(label: str) -> int:
    """Width (Excel units: a CJK character counts 2) of a label's bracketed unit line, 0 when it has none."""
    text = header_text(label)
    if "\n" not in text:
        return 0
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.rsplit("\n", 1)[1])


EMPTY = "—"  # a cell without a number (not applicable, not entered, a formula that failed): never 0


def format_value(value: int | Decimal | None, decimals: int) -> str:
    if value is None:
        return EMPTY
    if decimals:
        return f"{Decimal(value):.{decimals}f}"
    return str(int(value))


def preamble_text(layout: FormLayout, values: tuple[str, ...]) -> str:
    return "    ".join(f"{label}{value}" for label, value in zip(layout.preamble_labels, values, strict=False))
