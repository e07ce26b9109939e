"""The files of papers: checked from their bytes, stored through Django's storage API.

Accepted: PDF, JPEG, PNG (core.uploads reads the content: a PDF is parsed, an image
verified; an .exe or a ZIP named .pdf is refused, a decompression bomb too), not empty, each
at most `ONLINE_PAPER_MAX_MB`, all the files of one filing at most
`ONLINE_FILING_MAX_TOTAL_MB`. Every file of a request is checked before any is stored, and
the rows are written in one transaction: a refused file or a failed write leaves nothing
(files stored before a database error are deleted again)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import ALLOWED_EXTENSIONS, sniff

from ..models import PaperFile

PAPER_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
assert all(ALLOWED_EXTENSIONS[ext] == kind for ext, kind in PAPER_TYPES.items())

MB = 1024 * 1024


@dataclass
class Upload:
    """One uploaded file for one paper, checked (`content_type` set by `check_uploads`)."""

    file: object
    name: str  # the paper's name
    procedure_document_id: int | None = None
    content_type: str = ""


def check_one(uploaded) -> str:
    """The content type of an acceptable paper file, or ValidationError (Vietnamese)."""
    name = (getattr(uploaded, "name", "") or "")[-255:]
    max_mb = settings.ONLINE_PAPER_MAX_MB
    if not uploaded.size:
        raise ValidationError(_("Tệp “%(name)s” rỗng (0 byte).") % {"name": name}, code="empty")
    if uploaded.size > max_mb * MB:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)s MB cho phép của một tệp.") % {"name": name, "mb": max_mb},
            code="too_big",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    declared = PAPER_TYPES.get(extension)
    actual = sniff(uploaded)
    if declared is None or actual != declared:
        raise ValidationError(
            _("Tệp “%(name)s” không phải tệp PDF, JPG hoặc PNG đọc được (nội dung không đúng định dạng).")
            % {"name": name},
            code="type",
        )
    return actual


def check_uploads(uploads: Sequence[Upload], *, already_bytes: int = 0) -> None:
    """Check every file, and their total with what the filing already holds."""
    total = already_bytes
    for upload in uploads:
        upload.content_type = check_one(upload.file)
        total += upload.file.size
    max_total = settings.ONLINE_FILING_MAX_TOTAL_MB
    if total > max_total * MB:
        raise ValidationError(
            _("Tổng dung lượng các tệp của hồ sơ vượt quá %(mb)s MB.") % {"mb": max_total}, code="total"
        )


def stored_bytes(**owner) -> int:
    return PaperFile.objects.filter(**owner).aggregate(total=Sum("size"))["total"] or 0


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def store(uploads: Sequence[Upload], *, purpose: str, **fields) -> list[PaperFile]:
    """Store checked uploads as PaperFile rows with `fields` (filing/dossier, owner, who
    added them). All or nothing."""
    saved_names: list[str] = []
    rows: list[PaperFile] = []
    try:
        with transaction.atomic():
            for upload in uploads:
                row = PaperFile(
                    original_name=(upload.file.name or "")[-255:],
                    content_type=upload.content_type,
                    size=upload.file.size,
                    sha256=_sha256(upload.file),
                    name=upload.name[:3000],
                    procedure_document_id=upload.procedure_document_id,
                    purpose=purpose,
                    added_at=timezone.now(),
                    **fields,
                )
                row.file.save("x", upload.file, save=False)  # the name comes from paper_upload_to
                saved_names.append(row.file.name)
                row.save()
                rows.append(row)
    except Exception:
        from django.core.files.storage import default_storage

        for name in saved_names:
            default_storage.delete(name)
        raise
    return rows


def reuse(
    source: PaperFile, *, name: str, procedure_document_id: int | None, purpose: str, **fields
) -> PaperFile:
    """Attach an already digitised paper again: a new row over the same stored file, its
    `reused_from` the original (recorded as data for the QĐ 766 figures)."""
    original = source.reused_from or source
    row = PaperFile(
        file=original.file.name,
        original_name=original.original_name,
        content_type=original.content_type,
        size=original.size,
        sha256=original.sha256,
        name=name[:3000],
        procedure_document_id=procedure_document_id,
        purpose=purpose,
        reused_from=original,
        valid_until=original.valid_until,
        added_at=timezone.now(),
        **fields,
    )
    row.save()
    return row
