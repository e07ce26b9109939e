"""Paying and receiving the result from "Hồ sơ của tôi" (issue 19): the signed-in citizen's
session authorises the same gateway payment as the tracking page and the electronic
result's download (an access-log row), for the citizen's own dossiers only."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.models import FeeEntry, FeeEntryKind, OnlinePayment, PaymentMethod, ResultDelivery, Status
from motcua.services.results import result_attach
from thutuc.models import AccessLog

from .citizen_helpers import sign_in
from .factories import PHONE, DossierFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OTHER_PHONE = "0987654321"


def with_result(**kwargs):
    dossier = DossierFactory(status=Status.RESULT_READY, result_delivery=ResultDelivery.ONLINE, **kwargs)
    result_attach(
        dossier=dossier,
        actor=dossier.received_by,
        number="125/GKS-UBND",
        issued_on=timezone.localdate(),
        upload=SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf"),
    )
    return dossier


def test_the_citizen_pays_from_my_page_through_the_sandbox(client, db, django_capture_on_commit_callbacks):
    dossier = DossierFactory()
    sign_in(client, django_capture_on_commit_callbacks, PHONE)
    home = client.get(reverse("motcua:citizen_home")).content.decode()
    assert "Phí, lệ phí phải nộp: 8.000 đồng" in home and "Còn phải nộp: 8.000 đồng" in home
    assert reverse("motcua:citizen_pay", args=[dossier.code]) in home

    start = client.post(reverse("motcua:citizen_pay", args=[dossier.code]))
    assert start.status_code == 302 and start["Location"].startswith("/thanh-toan-thu-nghiem/")
    # a second click reuses the pending order
    again = client.post(reverse("motcua:citizen_pay", args=[dossier.code]))
    assert again["Location"] == start["Location"] and OnlinePayment.objects.count() == 1
    query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    back = client.post(start["Location"], {**query, "ket_qua": "thanh-toan"})
    returned = client.get(back["Location"]).content.decode()
    assert "Đã thanh toán 8.000 đồng" in returned and "Quay lại Hồ sơ của tôi" in returned

    home = client.get(reverse("motcua:citizen_home")).content.decode()
    assert "Đã nộp đủ phí, lệ phí." in home and "trực tuyến 8.000 đồng" in home
    assert reverse("motcua:citizen_pay", args=[dossier.code]) not in home
    payments = FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT)
    assert [(p.method, p.amount) for p in payments] == [(PaymentMethod.ONLINE, 8000)]
    # nothing left to pay: a forged POST is refused in Vietnamese, no order opened
    refused = client.post(reverse("motcua:citizen_pay", args=[dossier.code]), follow=True)
    assert "không còn khoản phí, lệ phí nào phải nộp" in refused.content.decode()
    assert OnlinePayment.objects.count() == 1


def test_the_citizen_downloads_the_result_from_my_page_with_an_access_log(
    client, db, django_capture_on_commit_callbacks
):
    dossier = with_result()
    sign_in(client, django_capture_on_commit_callbacks, PHONE)
    home = client.get(reverse("motcua:citizen_home")).content.decode()
    token = dossier.electronic_result.token
    assert "Kết quả điện tử số 125/GKS-UBND" in home
    assert f"/xac-minh/{token}/" in home and "<svg" in home
    url = reverse("motcua:citizen_result", args=[dossier.code])
    assert url in home
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    row = AccessLog.objects.get(action="download", object_ref__contains=dossier.code)
    assert row.username == "công dân 09******78" and "125/GKS-UBND" in row.label
    # a dossier of the citizen's without a result: 404
    no_result = DossierFactory()
    assert client.get(reverse("motcua:citizen_result", args=[no_result.code])).status_code == 404


def test_another_citizens_dossier_is_not_found_for_payment_or_download(
    client, db, django_capture_on_commit_callbacks
):
    theirs = with_result(applicant_phone=OTHER_PHONE, applicant_email="khac@example.com")
    theirs_due = DossierFactory(applicant_phone=OTHER_PHONE, applicant_email="khac@example.com")
    sign_in(client, django_capture_on_commit_callbacks, PHONE)
    assert theirs.code not in client.get(reverse("motcua:citizen_home")).content.decode()
    assert client.post(reverse("motcua:citizen_pay", args=[theirs_due.code])).status_code == 404
    assert client.get(reverse("motcua:citizen_result", args=[theirs.code])).status_code == 404
    assert not OnlinePayment.objects.exists()
    assert not AccessLog.objects.filter(action="download").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    dossier = with_result()
    login = reverse("motcua:citizen_login")
    pay = client.post(reverse("motcua:citizen_pay", args=[dossier.code]))
    download = client.get(reverse("motcua:citizen_result", args=[dossier.code]))
    for response in (pay, download):
        assert response.status_code == 302 and response["Location"].startswith(login + "?next=")
    assert client.get(reverse("motcua:citizen_pay", args=[dossier.code])).status_code == 405
    assert not OnlinePayment.objects.exists()
    assert not AccessLog.objects.filter(action="download").exists()
