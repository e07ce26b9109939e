"""Helpers for the khieunai tests: aware moments and real file contents."""

import datetime as dt
import io

from thutuc.calendar import TZ


def at(*args) -> dt.datetime:
    """An aware moment in Asia/Ho_Chi_Minh: at(2026, 2, 10, 9)."""
    return dt.datetime(*args, tzinfo=TZ)


def pdf_bytes() -> bytes:
    """A real one-page PDF (attachments are opened by a PDF parser, khieunai.uploads)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_pdf() -> io.BytesIO:
    return io.BytesIO(pdf_bytes())


def make_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
