"""Checks on the files attached to feedback: size, count, and the type read from the content
(core.uploads)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import ALLOWED_EXTENSIONS, sniff

MAX_ATTACHMENTS = 3


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
