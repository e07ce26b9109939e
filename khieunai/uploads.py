"""Checks on files a citizen attaches: size, count, and the type read from the content.

The extension and the browser's content type are both claims; the first bytes of the
file are what it is. Accepted: PDF, JPEG, PNG and Word .docx (a ZIP with word/document.xml).
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENTS = 3
ALLOWED_EXTENSIONS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sniff(uploaded) -> str | None:
    """The content type the bytes show, or None if not one we accept."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return ALLOWED_EXTENSIONS["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ALLOWED_EXTENSIONS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return ALLOWED_EXTENSIONS["jpg"]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            uploaded.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return ALLOWED_EXTENSIONS["docx"]
    return None


def max_attachment_mb() -> int:
    return int(getattr(settings, "FEEDBACK_ATTACHMENT_MAX_MB", 5))


def check_attachments(files) -> list[tuple[object, str]]:
    """Validate a list of uploaded files; returns (file, content type) pairs."""
    files = [f for f in files if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("Chỉ được đính kèm tối đa %(n)s tệp.") % {"n": MAX_ATTACHMENTS})
    checked = []
    max_mb = max_attachment_mb()
    for uploaded in files:
        name = uploaded.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if uploaded.size > max_mb * 1024 * 1024:
            raise ValidationError(_("Tệp “%(name)s” lớn hơn %(mb)s MB.") % {"name": name, "mb": max_mb})
        if uploaded.size == 0:
            raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
        declared = ALLOWED_EXTENSIONS.get(extension)
        actual = sniff(uploaded)
        if declared is None or actual is None or declared != actual:
            raise ValidationError(
                _("Tệp “%(name)s” không đúng định dạng cho phép (PDF, JPG, PNG, DOCX).") % {"name": name}
            )
        checked.append((uploaded, actual))
    return checked
