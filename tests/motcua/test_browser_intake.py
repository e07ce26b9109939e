"""A reception officer takes in a dossier in Chromium and prints the receipt."""

import re

import pytest

from motcua.models import Dossier
from tests.browser import fill_applicant, log_in, open_procedure_by_keyboard

from .factories import CaseFactory
from .pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_receives_a_dossier_and_prints_the_receipt(live_server, page):
    from thutuc import demo

    demo.seed(catalogue=False)
    case = CaseFactory(procedure__name="Đăng ký khai sinh", procedure__code="1.001193")
    CaseFactory(procedure__name="Chứng thực chữ ký trong giấy tờ, văn bản")

    log_in(page, live_server.url, "tiepnhan")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()

    # typed without diacritics: the live list shows the procedure, the keyboard opens it
    open_procedure_by_keyboard(
        page, "dang ky khai sinh", "Đăng ký khai sinh", "Chứng thực chữ ký", "1.001193"
    )

    fill_applicant(page, case)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile("/mot-cua/tiep-nhan/xong/"))

    dossier = Dossier.objects.get()
    assert page.locator(".dossier-code").inner_text() == dossier.code
    assert dossier.code.startswith("000.00.06.H99-")
    pin = page.locator(".pin").inner_text()
    href = page.get_by_role("link", name="Tải PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.headers["content-type"] == "application/pdf"
    # words only: the receipt's lines wrap beside the QR code
    text = " ".join(pdf_text(response.body()).split())
    assert dossier.code in text and pin in text and "Nguyễn Văn An" in text
