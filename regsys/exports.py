"""List exports as background jobs: each app declares what its lists export, one streaming writer writes them.

A list page's 导出 link calls :func:`export_start`: the filters the user applied (the querystring) and the
user are filed as a job in the download centre (the service named by ``REGSYS_EXPORT_JOB_SERVICE``; the
centre lives in a higher app, so nothing here imports it) and the user is sent there. The worker then
rebuilds the same scoped, filtered queryset for that user (:class:`ExportRequest` stands in for the page's
request) and streams it into an .xlsx with openpyxl's write-only mode: rows go to disk as they are read, so
memory stays flat whatever the number of rows.

Each app registers its exports in ``<app>/list_exports.py`` (found like ``admin.py``):

    register(ListExport(name="inspections", title="监督检查", sheets=inspection_sheets))
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.utils.module_loading import autodiscover_modules, import_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from regsys import xlsx

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
ROW_FILL = "__fill__"  # a row may end with (ROW_FILL, key): it colours the whole row (see STATUS_FILLS)
STATUS_FILLS = {
    "success": "C6EFCE", "info": "DDEBF7", "warning": "FFEB9C", "danger": "FFC7CE", "secondary": "EDEDED",
}
WIDTH_SAMPLE = 200  # rows read ahead to size columns that have no fixed width
CHUNK = 2000  # rows fetched per round trip (``QuerySet.iterator(chunk_size=CHUNK)``)


def row_fill(key: str) -> tuple[str, str]:
    """The marker that colours a row: append it as the row's last value."""
    return (ROW_FILL, key)


@dataclass
class Sheet:
    """One worksheet: headers, lazily produced rows (never a list of a million), widths and formats."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    total: int | None = None  # rows expected (for the progress bar); None: unknown
    widths: Sequence[float] | None = None  # None: from the headers and the first rows
    number_formats: dict[int, str] = field(default_factory=dict)  # 1-based column → Excel format
    auto_filter: bool = False


@dataclass(frozen=True)
class ListExport:
    """What a list exports: ``sheets(request)`` builds the sheets for the job's user and filters."""

    name: str
    title: str
    sheets: Callable[[ExportRequest], list[Sheet]]


class ExportRequest:
    """What an export reads of the page's request, rebuilt in the worker: the user, the filters, the object."""

    method = "GET"
    htmx = None

    def __init__(self, *, user, query: str = "", pk: int | None = None) -> None:
        self.user = user
        self.GET = QueryDict(query)
        self.pk = pk


_REGISTRY: dict[str, ListExport] = {}
_discovered = False


def register(export: ListExport) -> ListExport:
    _REGISTRY[export.name] = export
    return export


def export_get(name: str) -> ListExport:
    global _discovered
    if not _discovered:  # every app's list_exports.py, once per process (the web's and the worker's)
        autodiscover_modules("list_exports")
        _discovered = True
    try:
        return _REGISTRY[name]
    except KeyError:
        raise Http404(name) from None


def export_start(request, name: str, *, pk: int | None = None):
    """File the export of this list (as filtered) as a job and send the user to the download centre."""
    export_get(name)  # an unknown list: 404 before anything is filed
    service = import_string(settings.REGSYS_EXPORT_JOB_SERVICE)
    job = service(user=request.user, name=name, query=request.GET.urlencode(), pk=pk)
    messages.success(request, _("已加入下载中心：%(title)s，生成后可在下载中心下载") % {"title": job.title})
    return redirect(settings.REGSYS_DOWNLOADS_URL)


def _sized(sheet: Sheet) -> tuple[list[float], Iterator[Sequence]]:
    """Column widths and the rows (the sample read ahead is put back in front)."""
    rows = iter(sheet.rows)
    if sheet.widths is not None:
        return list(sheet.widths), rows
    widths = [max(8, len(str(h)) * 2 + 2) for h in sheet.headers]
    sample = list(islice(rows, WIDTH_SAMPLE))
    for values in sample:
        for i, value in enumerate(values[: len(widths)]):
            if not (isinstance(value, tuple) and value[:1] == (ROW_FILL,)):
                widths[i] = min(60, max(widths[i], len(str("" if value is None else value)) * 2 + 2))
    return widths, chain(sample, rows)


def _cells(ws, values: Sequence, formats: dict[int, str]) -> list:
    values = list(values)
    fill = None
    if values and isinstance(values[-1], tuple) and values[-1][:1] == (ROW_FILL,):
        fill = STATUS_FILLS.get(values.pop()[1])
    if fill or formats:
        cells = xlsx.row(ws, values)
        for index, number_format in formats.items():
            if index <= len(cells):
                cells[index - 1].number_format = number_format
        if fill:
            pattern = PatternFill("solid", fgColor=fill)
            for c in cells:
                c.fill = pattern
        return cells
    # Plain values go in as they are (openpyxl reuses one cell for them: a third of the time per row);
    # only text that openpyxl would take for a formula (``=…``) needs a cell of its own marked as text.
    plain = []
    for value in values:
        value = xlsx.clean(value)
        plain.append(xlsx.cell(ws, value) if isinstance(value, str) and value.startswith("=") else value)
    return plain


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A small workbook as bytes (a one-object document such as a draw's result); lists go through jobs."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


def write_xlsx(path: Path | str | BinaryIO, sheets: Sequence[Sheet], *, progress: Callable[[int, int | None], None] | None = None,
               every: int = 5000) -> int:
    """Stream ``sheets`` into an .xlsx at ``path`` (a path or a binary file; write-only mode); returns the number
    of rows written.

    ``progress(done, total)`` is called every ``every`` rows. Bold shaded header, frozen first row,
    landscape fit-to-width printing, as the exports always had.
    """
    book = Workbook(write_only=True)
    total = sum(s.total for s in sheets) if all(s.total is not None for s in sheets) else None
    done = 0
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        widths, rows = _sized(sheet)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        header = []
        for name in sheet.headers:
            cell = xlsx.cell(ws, name)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
            header.append(cell)
        ws.append(header)
        count = 0
        for values in rows:
            ws.append(_cells(ws, values, sheet.number_formats))
            count += 1
            done += 1
            if progress and done % every == 0:
                progress(done, total)
        if sheet.auto_filter:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{count + 1}"
    if not sheets:
        book.create_sheet(title=_("列表"))
    book.save(path if hasattr(path, "write") else str(path))
    return done
