"""Issue 19 in Chromium on a 390 px phone: the citizen opens the receipt's QR link, sees the
fee still due, pays it in the sandbox gateway, comes back to the dossier, downloads the
electronic result, opens its QR code's verification page and sees the result is genuine."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from motcua.models import FeeEntry, FeeEntryKind, PaymentMethod, ResultDelivery, Status
from motcua.services.results import result_attach
from motcua.tracking.links import tracking_url

from .factories import DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_citizen_pays_downloads_the_result_and_verifies_its_qr(live_server, page, settings, tmp_path):
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    dossier = DossierFactory(status=Status.RESULT_READY, result_delivery=ResultDelivery.ONLINE)
    result = result_attach(
        dossier=dossier,
        actor=dossier.received_by,
        number="125/GKS-UBND",
        issued_on=timezone.localdate(),
        upload=SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf"),
    )

    page.set_viewport_size(PHONE)
    page.goto(tracking_url(dossier.code, dossier.pin))
    fees = page.get_by_test_id("fees")
    expect(fees).to_contain_text("Lệ phí 8.000 đồng (thu khi nộp hồ sơ)")
    expect(page.get_by_test_id("fee-balance")).to_have_text("Còn phải nộp: 8.000 đồng")
    no_horizontal_scroll(page)

    # the sandbox gateway's checkout page, then back with the signed callback
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(re.compile(r"/thanh-toan-thu-nghiem/TT"))
    expect(page.get_by_test_id("sandbox-amount")).to_have_text("8.000 đồng")
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    page.wait_for_url(re.compile(r"/thanh-toan/ket-qua/\?"))
    expect(page.get_by_test_id("payment-ok")).to_contain_text(
        f"Đã thanh toán 8.000 đồng cho hồ sơ {dossier.code}"
    )
    page.reload()  # the browser's return arriving twice records nothing more
    expect(page.get_by_test_id("payment-ok")).to_be_visible()
    page.get_by_role("link", name="Quay lại hồ sơ").click()
    expect(page.get_by_test_id("fee-balance")).to_have_text("Đã nộp đủ phí, lệ phí.")
    payments = FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT)
    assert [(p.method, p.amount) for p in payments] == [(PaymentMethod.ONLINE, 8000)]

    # the electronic result, through the checked download
    box = page.get_by_test_id("electronic-result")
    expect(box).to_contain_text("Kết quả số 125/GKS-UBND")
    with page.expect_download() as download_info:
        box.get_by_role("link", name="Tải kết quả điện tử (PDF)").click()
    saved = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert box.locator("svg").count() == 1  # the QR code
    no_horizontal_scroll(page)

    # anyone scanning the QR code lands on the public verification page (a fresh browser)
    verify_url = page.get_by_test_id("verify-link").get_attribute("href")
    assert verify_url == f"{live_server.url}/xac-minh/{result.token}/"
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.get_by_test_id("verified")).to_be_visible()
    expect(page.get_by_test_id("result-number")).to_have_text("125/GKS-UBND")
    assert dossier.applicant_phone not in page.content() and dossier.code not in page.content()
    no_horizontal_scroll(page)
