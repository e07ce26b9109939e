"""The electronic result: attached by the officer at the result step (PDF checked by its
bytes), downloaded only through checked views (staff visibility, the citizen's tracking
session; an access-log row each), and verified by anyone on /xac-minh/<token>/, which shows
only what the result shows."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.models import ElectronicResult, ResultDelivery, Status
from motcua.services.results import ResultError, result_attach
from thutuc.models import AccessLog

from ..factories import UserFactory
from .factories import ADDRESS, ID_NUMBER, PHONE, DossierFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(content=PDF, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ready(**kwargs):
    return DossierFactory(status=Status.RESULT_READY, result_delivery=ResultDelivery.ONLINE, **kwargs)


def attach(dossier, upload=None, **kwargs):
    return result_attach(
        dossier=dossier,
        actor=dossier.received_by,
        number=kwargs.pop("number", "125/QĐ-UBND"),
        issued_on=kwargs.pop("issued_on", timezone.localdate()),
        upload=upload or pdf(),
        **kwargs,
    )


def test_attached_result_is_stored_with_its_hash_and_an_unguessable_token(settings):
    dossier = ready()
    result = attach(dossier)
    assert result.sha256 == hashlib.sha256(PDF).hexdigest() and len(result.token) >= 32
    assert result.file.name.startswith("ket-qua/") and result.file.read() == PDF
    assert ElectronicResult.objects.exclude(token=result.token).count() == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: pdf(b"MZ\x90\x00 this is a program", name="ket-qua.pdf"), "không phải PDF"),
        (lambda: pdf(b"%PDF-1.4 truncated"), "không phải PDF"),
        (lambda: pdf(b""), "Chọn tệp kết quả"),
        (lambda: pdf(b"%PDF-" + b"0" * (1024 * 1024 + 10) + b"%%EOF"), "quá lớn"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(make, message, settings):
    settings.RESULT_FILE_MAX_MB = 1
    dossier = ready()
    with pytest.raises(ResultError, match=message):
        attach(dossier, make())
    assert not ElectronicResult.objects.exists()
    assert not [f for f in Path(settings.MEDIA_ROOT).rglob("*") if f.is_file()]


def test_only_an_approved_result_of_an_electronic_procedure_and_only_once():
    with pytest.raises(ResultError, match="không trả kết quả điện tử"):
        attach(DossierFactory(status=Status.RESULT_READY))  # result at the counter, not "toàn trình"
    with pytest.raises(ResultError, match="đã được phê duyệt"):
        attach(DossierFactory(status=Status.PROCESSING, result_delivery=ResultDelivery.ONLINE))
    dossier = ready()
    attach(dossier)
    with pytest.raises(ResultError, match="đã có kết quả điện tử"):
        attach(dossier, number="126/QĐ-UBND")
    with pytest.raises(ResultError, match="sau ngày hôm nay"):
        attach(ready(), issued_on=timezone.localdate() + dt.timedelta(days=1))
    assert ElectronicResult.objects.count() == 1


def test_the_officer_uploads_on_the_dossier_page_and_downloads_with_an_access_log(client):
    dossier = ready()
    client.force_login(dossier.received_by)
    page = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert "Đính kèm kết quả điện tử" in page
    url = reverse("motcua:result_upload", args=[dossier.code])
    data = {"ket-qua-number": "125/QĐ-UBND", "ket-qua-issued_on": timezone.localdate().isoformat()}
    bad = client.post(url, {**data, "ket-qua-file": pdf(b"not a pdf")})
    assert bad.status_code == 409 and "không phải PDF" in bad.content.decode()
    assert client.post(url, {**data, "ket-qua-file": pdf()}).status_code == 302
    page = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert "Kết quả số 125/QĐ-UBND" in page and "<svg" in page
    download = client.get(reverse("motcua:result_download", args=[dossier.code]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AccessLog.objects.filter(action="download", object_ref__contains=dossier.code).count() == 1
    stranger = UserFactory(roles=["Cán bộ một cửa"])
    client.force_login(stranger)
    assert client.get(reverse("motcua:result_download", args=[dossier.code])).status_code == 404


def test_the_citizen_downloads_only_within_the_tracking_session(client):
    dossier = ready()
    attach(dossier)
    url = reverse("motcua:result_download_citizen", args=[dossier.code])
    assert client.get(url).status_code == 403
    page = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": dossier.pin}).content.decode()
    assert "Tải kết quả điện tử (PDF)" in page and "/xac-minh/" in page
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert client.get(f"/media/{ElectronicResult.objects.get().file.name}").status_code == 404


def test_the_verification_page_shows_what_the_result_shows_and_no_more(client):
    dossier = ready(applicant_name="Nguyễn Văn An")
    result = attach(dossier)
    page = client.get(reverse("result_verify", args=[result.token]))
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "125/QĐ-UBND" in html
        and timezone.localdate().strftime("%d/%m/%Y") in html
    )
    assert dossier.procedure_name in html and dossier.competent_agency.name in html and result.sha256 in html
    assert "Nguyễn V** A*" in html
    for private in (ID_NUMBER, PHONE, ADDRESS, dossier.code, "Nguyễn Văn An"):
        assert private not in html
    wrong = client.get(
        reverse("result_verify", args=[result.token[:-1] + ("A" if result.token[-1] != "A" else "B")])
    )
    assert wrong.status_code == 404 and "Không tìm thấy kết quả" in wrong.content.decode()
