"""Attachments of an inspection: photos and scans, type and size checked, several at once."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import User
from inspections.models import Attachment, ChecklistAnswer, Inspection
from regsys.scoping import require_edit
from regsys.uploads import MB, SCANS, SIGNATURES
from regsys.uploads import validate_upload as check_upload

from ._common import save_with_history

MAX_ATTACHMENT_BYTES = 10 * MB
MAX_FILES_PER_UPLOAD = 20
# Allowed extensions and the leading bytes each must start with (so a renamed file is refused).
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {ext: SIGNATURES[ext] for ext in SCANS}


def validate_upload(upload: UploadedFile) -> str:
    """Return the lower-case extension of an acceptable file (JPG, PNG or PDF ≤ 10 MB), or raise in Chinese."""
    return check_upload(upload, allowed=SCANS, max_bytes=MAX_ATTACHMENT_BYTES)


@transaction.atomic
def attachments_add(
    *, inspection: Inspection, files: list[UploadedFile], kind: str, by: User,
    answer: ChecklistAnswer | None = None,
) -> list[Attachment]:
    """Attach several files at once; if any is refused, none is stored."""
    require_edit(by, inspection)
    if not files:
        raise ValidationError({"files": _("请选择要上传的文件")})
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise ValidationError({"files": _("一次最多上传 %(n)d 个文件") % {"n": MAX_FILES_PER_UPLOAD}})
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("附件类型无效")})
    if inspection.is_locked and kind != Attachment.Kind.EVIDENCE:
        raise ValidationError(_("检查记录已锁定，只能补充整改完成证据"))
    if answer is not None and answer.inspection_id != inspection.pk:
        raise ValidationError({"answer": _("检查项目不属于本次检查")})
    errors = []
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})
    created = []
    for index, upload in enumerate(files):
        ext = os.path.splitext(upload.name)[1].lower()
        attachment = Attachment(
            inspection=inspection, answer=answer, kind=kind, original_name=os.path.basename(upload.name)[:200],
            size=upload.size, uploaded_by=by,
        )
        attachment.file.save(f"{kind}-{index}{ext}", upload, save=False)
        attachment.save()
        created.append(attachment)
    names = "、".join(a.original_name for a in created)
    save_with_history(inspection, by=by, reason=_("上传附件：%(names)s") % {"names": names}, update_fields=[])
    return created


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    require_edit(by, attachment.inspection)
    if attachment.inspection.is_locked:
        raise ValidationError(_("检查记录已锁定，附件不能删除"))
    storage, name = attachment.file.storage, attachment.file.name
    save_with_history(attachment.inspection, by=by,
                      reason=_("删除附件：%(name)s") % {"name": attachment.original_name}, update_fields=[])
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
