"""Checks on files a citizen or an officer uploads: the type read from the content.

Shared by the feedback attachments (khieunai.uploads) and the papers of a dossier or an
online filing (motcua.services.papers).

The extension and the browser's content type are both claims; the content is what the file
is. Accepted: PDF, JPEG, PNG and Word .docx (a ZIP with word/document.xml). A PDF is opened
by a PDF parser (pypdf) and must end with its end-of-file marker: the first bytes alone let
"%PDF-" followed by HTML and an executable through (issue 14 §5); an image is opened and
verified by Pillow for the same reason. A .docx's declared
uncompressed size is bounded (a small ZIP can unpack to gigabytes).
"""

from __future__ import annotations

import io
import logging
import zipfile

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 500
MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024
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
        return ALLOWED_EXTENSIONS["pdf"] if is_whole_pdf(uploaded) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ALLOWED_EXTENSIONS["png"] if is_whole_image(uploaded, "PNG") else None
    if head.startswith(b"\xff\xd8\xff"):
        return ALLOWED_EXTENSIONS["jpg"] if is_whole_image(uploaded, "JPEG") else None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                entries = archive.infolist()
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            uploaded.seek(0)
        names = {entry.filename for entry in entries}
        unpacked = sum(entry.file_size for entry in entries)
        if (
            "word/document.xml" in names
            and "[Content_Types].xml" in names
            and unpacked <= MAX_DOCX_UNCOMPRESSED
        ):
            return ALLOWED_EXTENSIONS["docx"]
    return None


def is_whole_image(uploaded, kind: str) -> bool:
    """An image Pillow opens as `kind` and whose structure it verifies (a PNG's chunks and
    checksums); more pixels than Pillow's decompression-bomb limit is refused."""
    import warnings

    from PIL import Image

    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                if image.format != kind:
                    return False
                image.verify()
    except Exception as error:  # any failure to read it refuses the file
        logger.info("Attachment refused, not a readable %s: %s", kind, error)
        return False
    finally:
        uploaded.seek(0)
    return True


def is_whole_pdf(uploaded) -> bool:
    """A PDF a reader can open: pypdf parses its cross-reference table and every page
    (at least one, at most MAX_PDF_PAGES), and the file ends with %%EOF (nothing is
    appended after the document, ISO 32000-1 §7.5.5)."""
    from pypdf import PdfReader

    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if not data.rstrip(b" \t\r\n\x00\x0c").endswith(b"%%EOF"):
        return False
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return False  # a password the portal cannot open: staff could not read it either
        pages = len(reader.pages)
        if not 1 <= pages <= MAX_PDF_PAGES:
            return False
        for page in reader.pages:
            page.mediabox  # noqa: B018  (reads each page's dictionary)
    except Exception as error:  # pypdf raises many kinds on a broken file; any one refuses it
        logger.info("Attachment refused, not a readable PDF: %s", error)
        return False
    return True
