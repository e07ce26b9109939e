"""Uploads: feedback attachments and the catalogue import file are checked by content and
size (from settings), stored under names nobody can guess, outside any URL the app serves,
and attachments are served only by the view that checks who asks."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khieunai.models import Feedback, FeedbackAttachment
from tests.khieunai.factories import feedback_form, make_png

from .hardening import PDF_BYTES

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200  # a Windows executable
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


@pytest.fixture
def justice(province, private_media, fresh_cache, settings):
    from thutuc.models import Agency

    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    return Agency.objects.get(code="000.00.11.H99")


def submit(client, justice, name, content, content_type="application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type)
    return client.post("/phan-anh/", {**feedback_form(justice), "attachments": [upload]})


def test_oversized_attachment_is_refused_with_the_limit_from_settings(client, justice, settings):
    settings.FEEDBACK_ATTACHMENT_MAX_MB = 1
    response = submit(client, justice, "don.pdf", padded_pdf(1024 * 1024))
    html = response.content.decode()
    assert response.status_code == 200 and "lớn hơn 1 MB" in html
    assert "mỗi tệp không quá 1 MB" in html  # the help text follows the setting
    assert "Niêm yết thủ tục chưa đầy đủ" in html  # the citizen's text is kept
    assert Feedback.objects.count() == 0 and FeedbackAttachment.objects.count() == 0
    # just under the limit passes
    assert submit(client, justice, "don.pdf", padded_pdf(1024 * 1000)).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("don.pdf", EXE, "application/pdf"),
        ("anh.png", ELF, "image/png"),
        ("to-trinh.docx", EXE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("don.exe", PDF_BYTES, "application/pdf"),  # a real PDF, but not an allowed extension
        ("trang.html", b"<script>alert(1)</script>", "text/html"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ],
)
def test_renamed_executables_and_scripts_are_refused(client, justice, name, content, content_type):
    response = submit(client, justice, name, content, content_type)
    assert response.status_code == 200
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert FeedbackAttachment.objects.count() == 0


def padded_pdf(extra: int) -> bytes:
    """The real PDF made `extra` bytes longer by a comment line before `startxref` (the
    cross-reference offsets stay right, the file still ends with %%EOF)."""
    return PDF_BYTES.replace(b"startxref", b"%" + b"0" * (extra - 2) + b"\nstartxref")


# Issue 14 §5: the first bytes said PDF, the rest was a web page and a Windows program.
FAKE_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n" + EXE


@pytest.mark.parametrize(
    ("label", "content"),
    [
        ("%PDF- then HTML and an executable", FAKE_PDF),
        ("the same ending with %%EOF", FAKE_PDF + b"\n%%EOF\n"),
        ("a real PDF with a web page appended", PDF_BYTES + b"<html><script>alert(1)</script></html>"),
        ("a real PDF cut in half", PDF_BYTES[: len(PDF_BYTES) // 2]),
        ("a PDF header and trailer without pages", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    ],
)
def test_a_pdf_is_opened_by_a_pdf_parser(client, justice, label, content):
    response = submit(client, justice, "don.pdf", content)
    assert response.status_code == 200, label
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert FeedbackAttachment.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>" + EXE),
        ("anh.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>" + EXE),
        ("anh.png", make_png()[:30]),  # cut in the middle of its chunks
    ],
)
def test_an_image_is_opened_by_an_image_reader(client, justice, name, content):
    response = submit(client, justice, name, content, "image/png" if name.endswith("png") else "image/jpeg")
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert FeedbackAttachment.objects.count() == 0
    assert submit(client, justice, "anh.png", make_png(), "image/png").status_code == 302


def test_a_real_pdf_passes_the_parser(client, justice):
    assert submit(client, justice, "don.pdf", PDF_BYTES).status_code == 302
    assert FeedbackAttachment.objects.get().content_type == "application/pdf"


def test_a_docx_unpacking_to_gigabytes_is_refused(client, justice):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/bomb.bin", b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros → ~60 KB
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = submit(client, justice, "to-trinh.docx", out.getvalue(), mime)
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert FeedbackAttachment.objects.count() == 0


def _multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand: the test client would strip the path itself."""
    boundary = "----hardening-boundary-7d1f"
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "filename",
    [
        "../../../../tmp/hardening-evil.pdf",
        "..\\..\\..\\hardening-evil.pdf",
        "/etc/cron.d/hardening-evil.pdf",
    ],
)
def test_path_traversal_filename_stays_inside_media_root(client, justice, private_media, filename):
    body, content_type = _multipart(
        {k: str(v) for k, v in feedback_form(justice).items()}, filename, PDF_BYTES
    )
    response = client.generic("POST", "/phan-anh/", body, content_type=content_type)
    assert response.status_code == 302, response.content.decode()[:500]
    attachment = FeedbackAttachment.objects.get()
    assert attachment.original_name == "hardening-evil.pdf"  # the path is gone
    stored = (private_media / attachment.file.name).resolve()
    assert stored.is_file() and stored.is_relative_to(private_media.resolve())
    assert "evil" not in attachment.file.name and ".." not in attachment.file.name
    # khieunai/<32 hex>/<16 hex>.pdf: nothing in the path comes from the citizen but the type
    folder, directory, leaf = attachment.file.name.split("/")
    assert folder == "khieunai" and len(directory) == 32 and len(leaf) == len("0123456789abcdef.pdf")


def test_media_url_is_not_served_by_the_app(client, pii, login, settings):
    path = settings.MEDIA_URL + pii.attachment.file.name
    assert (settings.MEDIA_ROOT / pii.attachment.file.name).is_file()
    assert client.get(path).status_code == 404
    # not for the visitor who unlocked the case, nor for staff who may see it
    client.post("/phan-anh/tra-cuu/", {"code": pii.feedback.code, "pin": pii.feedback_pin})
    assert client.get(path).status_code == 404
    login("lanhdao")
    assert client.get(path).status_code == 404
    # the checked view serves it, as a download, never rendered inline
    response = client.get(f"/phan-anh/tep/{pii.attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_attachment_view_refuses_a_stranger(client, pii):
    assert client.get(f"/phan-anh/tep/{pii.attachment.pk}/").status_code == 404
    client.post("/phan-anh/tra-cuu/", {"code": pii.feedback.code, "pin": "ZZZZZZ"})
    assert client.get(f"/phan-anh/tep/{pii.attachment.pk}/").status_code == 404


# --- catalogue import upload (admin) ----------------------------------------------------------


def _xlsx_bytes() -> bytes:
    from tests.thutuc.excel_helpers import export_bytes

    return export_bytes()


def _import(client, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post("/quan-tri/thutuc/procedure/import/", {"import_file": upload, "format": "0"})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-muc.xlsx", EXE, "không phải bảng tính Excel"),
        ("danh-muc.xlsx", b"PK\x03\x04 broken zip", "không phải bảng tính Excel"),
        ("danh-muc.xlsx", "docx", "không phải bảng tính Excel"),  # a Word file renamed
        ("danh-muc.xlsx", b"Ma thu tuc;Ten\n1.001;=cmd|' /C calc'!A0\n", "không phải bảng tính Excel"),
    ],
)
def test_catalogue_import_checks_the_content(client, province, login, name, content, message):
    login("quantri")
    if content == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        content = buffer.getvalue()
    response = _import(client, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Xác nhận nhập" not in html


def test_catalogue_import_size_from_settings(client, province, login, settings):
    login("quantri")
    content = _xlsx_bytes()
    settings.CATALOGUE_IMPORT_MAX_MB = 0
    too_big = _import(client, "danh-muc.xlsx", content)
    assert "lớn hơn 0 MB" in too_big.content.decode() and "Xác nhận nhập" not in too_big.content.decode()
    settings.CATALOGUE_IMPORT_MAX_MB = 5
    ok = _import(client, "danh-muc.xlsx", content)
    assert ok.status_code == 200 and "không phải bảng tính Excel" not in ok.content.decode()
    assert "Xem trước" in ok.content.decode()


def test_catalogue_import_confirm_cannot_read_another_file(client, province, login):
    """The confirm step names the temporary file: a name import-export did not make
    (a path, another file) is refused before anything is read."""
    login("quantri")
    for name in ("../../../../etc/passwd", "passwd", "tmp../../x"):
        response = client.post(
            "/quan-tri/thutuc/procedure/process_import/",
            {"import_file_name": name, "original_file_name": "danh-muc.xlsx", "format": "0"},
        )
        assert response.status_code == 403 and b"root:" not in response.content


def test_catalogue_import_confirmed_twice_is_not_a_500(client, pii, login):
    """Bug found: pressing "Xác nhận nhập" a second time read a temporary file already
    removed and answered 500; now the officer is sent back to the upload with a message."""
    login("quantri")
    preview = _import(client, "danh-muc.xlsx", _xlsx_bytes())
    confirm = preview.context["confirm_form"].initial
    first = client.post("/quan-tri/thutuc/procedure/process_import/", confirm)
    assert first.status_code == 302
    second = client.post("/quan-tri/thutuc/procedure/process_import/", confirm, follow=True)
    assert second.status_code == 200
    assert second.redirect_chain[-1][0].endswith("/quan-tri/thutuc/procedure/import/")
    assert "Vui lòng tải tệp lên lại" in second.content.decode()
