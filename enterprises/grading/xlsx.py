"""A small Excel writer for one-object documents (a draw's result): data in, bytes out (no ORM here).

Lists are exported as download-centre jobs (regsys/exports.py), which write the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from regsys.exports import Sheet, xlsx_bytes


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One sheet per (title, headers, rows). A row may end with ``regsys.exports.row_fill(key)``; it
    colours the row."""
    return xlsx_bytes([Sheet(title=title, headers=headers, rows=rows) for title, headers, rows in sheets])


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

