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
    values: tuple[tuple[int | Decimal, ...], ...]


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


def format_value(value: int | Decimal, decimals: int) -> str:
    if decimals:
        return f"{Decimal(value):.{decimals}f}"
    return str(int(value))


def preamble_text(layout: FormLayout, values: tuple[str, ...]) -> str:
    return "    ".join(f"{label}{value}" for label, value in zip(layout.preamble_labels, values, strict=False))
