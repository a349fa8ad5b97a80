"""The numbers in the Word file, read back cell by cell against the hand-worked expected grids of test_scenario."""

import datetime as dt
from decimal import Decimal as D

import pytest
from docx import Document

from .scenario import build
from .test_scenario import T1_A, T1_B, T1_DISTRICT, T2_A, T2_B, T2_DISTRICT

CUTOFF = dt.date(2023, 9, 30)


def docx_values(path, label_columns: int, rows: int, columns: int) -> list[list]:
    """The data cells of the form's table as written: integers, money as 2-decimal Decimals."""
    table = Document(path).tables[0]
    flat, width = table._cells, len(table.columns)
    assert width == label_columns + columns and len(table.rows) == 1 + rows
    out = []
    for r in range(1, 1 + rows):
        values = []
        for c in range(label_columns, label_columns + columns):
            text = flat[r * width + c].text
            values.append(D(text) if "." in text else int(text))
        out.append(values)
    return out


def as_written(expected):
    return [[D(str(v)).quantize(D("0.01")) if isinstance(v, D) else v for v in row] for row in expected]


@pytest.mark.parametrize(("code", "unit_key", "expected"), [
    ("统计表一", "unit_a", T1_A), ("统计表一", "unit_b", T1_B), ("统计表一", None, T1_DISTRICT),
    ("统计表二", "unit_a", T2_A), ("统计表二", "unit_b", T2_B), ("统计表二", None, T2_DISTRICT),
])
def test_word_file_numbers_cell_by_cell(forms, file_return, code, unit_key, expected):
    s = build(forms)
    by = {"unit_a": s["user_a"], "unit_b": s["user_b"], None: s["section"]}[unit_key]
    template = forms[code]

    ret = file_return(campaign=s["campaign"], template=template, unit=s[unit_key] if unit_key else None,
                      cutoff=CUTOFF, by=by)

    path = ret.jobs.get().docx.path
    assert docx_values(path, template.label_columns, len(expected), len(expected[0])) == as_written(expected)
    assert any(v for row in expected for v in row)  # the scenario has non-zero cells: a file of zeros fails
