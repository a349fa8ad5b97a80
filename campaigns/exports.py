"""A plain list as an .xlsx, for a small list built in the request (the download centre's own list).

Lists that grow with the data are exported as download-centre jobs (regsys/exports.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from regsys.exports import Sheet, xlsx_bytes


def list_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "列表") -> bytes:
    return xlsx_bytes([Sheet(title=title, headers=headers, rows=rows)])


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
