"""Formula injection: user text in every Excel export is stored as text, never as a live formula.

Each exporter is called with hostile text and the file is reopened with openpyxl.
"""

import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns.exports import list_xlsx
from enterprises.exporters import enterprises_sheet, licences_sheet
from enterprises.grading.xlsx import workbook_bytes
from enterprises.tests.factories import EnterpriseFactory, LicenceFactory, UserFactory
from inspections.exports import INTERVIEW_COLUMNS
from regsys import xlsx
from regsys.exports import Sheet, write_xlsx
from reporting.exporters.layout import (
    ColumnSpec,
    ExportInput,
    FormLayout,
    LabelCell,
    RowSpec,
    SheetData,
    Warning,
)
from reporting.exporters.xlsx import export_xlsx

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)"]


def _written(tmp_path, *sheets) -> bytes:
    """What the list-export job writes (streaming, write-only), as bytes."""
    path = tmp_path / "export.xlsx"
    write_xlsx(path, sheets)
    return path.read_bytes()


def _cells(content: bytes, sheet_index: int = 0):
    sheet = load_workbook(io.BytesIO(content)).worksheets[sheet_index]
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _assert_text(content: bytes, expected: list[str], sheet_index: int = 0) -> None:
    cells = _cells(content, sheet_index)
    found = {cell.value: cell.data_type for cell in cells if cell.value in expected}
    assert found == {text: "s" for text in expected}
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_the_helper_keeps_text_as_text_in_normal_and_write_only_sheets():
    for write_only in (False, True):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("表")
        sheet.append(xlsx.row(sheet, [*HOSTILE, Decimal("1.50"), 3, None, "控制\x07字符"]))
        buffer = io.BytesIO()
        book.save(buffer)

        reopened = load_workbook(io.BytesIO(buffer.getvalue()))["表"]
        values = [(c.value, c.data_type) for c in reopened[1]]
        assert values == [(t, "s") for t in HOSTILE] + [(1.5, "n"), (3, "n"), (None, "n"), ("控制字符", "s")]


def test_put_keeps_text_as_text():
    book = Workbook()
    sheet = book.active
    for column, text in enumerate(HOSTILE, start=1):
        xlsx.put(sheet, 1, column, text)
    buffer = io.BytesIO()
    book.save(buffer)
    _assert_text(buffer.getvalue(), HOSTILE)


@pytest.mark.django_db
def test_enterprise_and_licence_exports(tmp_path):
    enterprise = EnterpriseFactory(name=HOSTILE[0], phone=HOSTILE[1], legal_representative=HOSTILE[2],
                                   business_address=HOSTILE[3])
    licence = LicenceFactory(enterprise=enterprise, number="=1+1", issuer="@SUM(A1)")

    _assert_text(_written(tmp_path, enterprises_sheet([enterprise])), HOSTILE)
    _assert_text(_written(tmp_path, licences_sheet([licence], today=licence.issued_on)), [HOSTILE[0], "=1+1"])


@pytest.mark.django_db
def test_the_enterprise_list_page_export(client, export_file):
    enterprise = EnterpriseFactory(name=HOSTILE[0], phone="+86 577 1")
    user = UserFactory(unit=enterprise.owning_unit)
    client.force_login(user)

    export_file(client, reverse("enterprises:export"))

    with export_file.last_job.xlsx.open("rb") as handle:
        _assert_text(handle.read(), [HOSTILE[0], "+86 577 1"])


def test_inspection_list_exports_write_only(tmp_path):
    rows = [SimpleNamespace(held_on=None, enterprise=SimpleNamespace(name=HOSTILE[0]),
                            unit=SimpleNamespace(display_name=HOSTILE[1]), persons=HOSTILE[2], record=HOSTILE[3])]
    sheet = Sheet(title="约谈", headers=[name for name, _g, _w in INTERVIEW_COLUMNS],
                  rows=([getter(r) for _n, getter, _w in INTERVIEW_COLUMNS] for r in rows))

    _assert_text(_written(tmp_path, sheet), HOSTILE)


def test_campaign_and_grading_list_exports():
    _assert_text(list_xlsx(["名称", "说明"], [HOSTILE[:2], HOSTILE[2:]]), HOSTILE)
    _assert_text(workbook_bytes([("等级", ["企业", "理由"], [HOSTILE[:2], HOSTILE[2:]])]), HOSTILE)


def test_return_workbook():
    layout = FormLayout(
        title="统计表", header_label="项目", label_columns=1, columns=(ColumnSpec("检查家次"),),
        rows=(RowSpec("r1", (LabelCell(HOSTILE[0], 0),)),), footer=HOSTILE[1],
    )
    data = ExportInput(
        layout=layout, sheets=(SheetData("所", ("=A1", "", ""), ((3,),)),),
        warnings=(Warning(HOSTILE[2], "行", "规则", HOSTILE[3]),),
    )

    content = export_xlsx(data)

    _assert_text(content, HOSTILE[:2])
    _assert_text(content, HOSTILE[2:], sheet_index=1)


# The import template (enterprises/importers.py) writes only the template's own fixed headers and examples.
NO_USER_TEXT = {"enterprises/importers.py"}


def test_every_module_that_writes_a_workbook_uses_the_helper():
    root = settings.BASE_DIR
    writers = []
    packages = [top for top in root.iterdir() if (top / "__init__.py").exists()]  # the apps, not .venv
    for path in sorted(p for package in packages for p in package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(", text) and relative not in NO_USER_TEXT:
            writers.append((relative, "from regsys import xlsx" in text or "from regsys.xlsx import" in text))

    assert {name for name, _uses in writers} >= {
        "regsys/exports.py", "reporting/exporters/xlsx.py"}
    assert [name for name, uses in writers if not uses] == []
