"""Uploaded files (attachments, evidence, filed reports): the one check of type, size and content.

A file is accepted when its extension is one the caller allows, it is not empty, it is within the size
limit, and its first bytes match the extension (so a renamed file is refused). Callers choose the kinds
and the limit; the words of the refusal name what the caller accepts.
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MB = 1024 * 1024
# The leading bytes each extension must start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}
SCANS = (".jpg", ".jpeg", ".png", ".pdf")  # photos and scanned documents
DOCUMENTS = (*SCANS, ".docx", ".doc")  # … and Word documents
OFFICE_FILES = (*DOCUMENTS, ".xlsx", ".xls")  # … and Excel workbooks


def validate_upload(upload: UploadedFile, *, allowed: tuple[str, ...] = SCANS, max_bytes: int = 10 * MB,
                    accepted: str = "") -> str:
    """The lower-case extension of an acceptable file, else a ``ValidationError`` in Chinese.

    ``accepted`` ends the wrong-type message (e.g. "只能上传 JPG、PNG 照片或 PDF 扫描件").
    """
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in allowed:
        raise ValidationError(_("“%(name)s”的文件类型不允许，%(accepted)s") % {
            "name": name, "accepted": accepted or _("只能上传 JPG、PNG 照片或 PDF 扫描件")})
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件") % {"name": name})
    if upload.size > max_bytes:
        raise ValidationError(_("“%(name)s”超过 %(mb)d MB") % {"name": name, "mb": max_bytes // MB})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in SIGNATURES[ext]):
        raise ValidationError(_("“%(name)s”的内容与扩展名不符") % {"name": name})
    return ext
