"""A reception officer takes in a dossier in Chromium and prints the receipt."""

import re

import pytest

from motcua.models import Dossier
from thutuc.demo import DEMO_PASSWORD

from .factories import CaseFactory
from .pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_receives_a_dossier_and_prints_the_receipt(live_server, page):
    from thutuc import demo

    demo.seed(catalogue=False)
    case = CaseFactory(procedure__name="Đăng ký khai sinh", procedure__code="1.001193")
    CaseFactory(procedure__name="Chứng thực chữ ký trong giấy tờ, văn bản")

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/mot-cua/")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()

    # typed without diacritics: the live list shows the procedure, the keyboard opens it
    page.get_by_label(re.compile("Tìm thủ tục")).fill("dang ky khai sinh")
    result = page.get_by_role("link", name=re.compile("Đăng ký khai sinh"))
    result.wait_for()
    assert page.get_by_role("link", name=re.compile("Chứng thực chữ ký")).count() == 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"thu_tuc=1\.001193"))

    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("Số 5 phố Nguyễn Trãi, phường Trung Sơn")
    for paper in case.documents.filter(mandatory=True):
        page.get_by_label(paper.name).check()
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
