"""Printable PDFs (WeasyPrint) and QR codes (segno), shared by every form of the portal."""

import threading

import segno
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def qr_svg(data: str, *, scale: int = 3) -> str:
    """An inline <svg> QR code for `data` (error correction M)."""
    return segno.make(data, error="m").svg_inline(scale=scale, border=2, dark="#000")


_local = threading.local()


def _font_config():
    """One WeasyPrint FontConfiguration per thread, reused by every render: building it
    (fontconfig + Pango font map, the system fonts looked up again) is about a third of
    a warm A5 form. Per thread because it wraps C objects that are not thread-safe. The
    forms use installed fonts only (no @font-face), so nothing accumulates in it."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a Django template to PDF bytes. Templates extend "pdf/base.html"."""
    from weasyprint import HTML  # imported lazily: it loads Pango at import time

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config())


def pdf_response(pdf: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
