"""Shared steps of the online-filing tests: a signed-in citizen, real PDF/PNG files, an
online procedure received at the demo centre."""

from __future__ import annotations

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from core.sms import LocmemSmsBackend
from motcua.citizen.identity import CitizenIdentity
from tests.khieunai.factories import make_png, pdf_bytes

PHONE = "0912345678"


def identity(phone: str = PHONE, email: str = "") -> CitizenIdentity:
    return CitizenIdentity(provider="otp", phone=phone, email=email)


def pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png(name: str = "cccd.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_png(), content_type="image/png")


def exe_named_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("giay-to.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def zip_bomb_named_pdf() -> SimpleUploadedFile:
    """A small ZIP that claims to unpack to far more than it is, named .pdf."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
        archive.writestr("[Content_Types].xml", "<Types/>")
    return SimpleUploadedFile("ban-sao.pdf", buffer.getvalue(), content_type="application/pdf")


def last_sms_code(phone: str = PHONE) -> str:
    for message in reversed(LocmemSmsBackend.outbox):
        if message.to == phone:
            found = re.search(r"\b(\d{6})\b", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no code sent to {phone}")


def sign_in(client, capture, phone: str = PHONE) -> None:
    """Through the pages: ask for a code, read it from the SMS outbox, type it. `capture`:
    pytest-django's django_capture_on_commit_callbacks (the message leaves after commit)."""
    with capture(execute=True):
        client.post("/cong-dan/dang-nhap/", {"contact": phone})
    response = client.post("/cong-dan/dang-nhap/ma/", {"code": last_sms_code(phone)})
    assert response.status_code == 302, response.content.decode()[:500]
