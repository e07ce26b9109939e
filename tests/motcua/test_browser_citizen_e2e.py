"""Issue 19's "Done when" in one go, in Chromium, the citizen on a 390 px phone: sign in by a
code read from the SMS outbox, file a "toàn trình" procedure with two uploads; the officer
sees it in the online inbox within the alert window and accepts it; the specialist asks for a
supplement, the citizen uploads it from "Hồ sơ của tôi"; the counter records it and scans a
paper; the fee due is paid in the sandbox gateway from "Hồ sơ của tôi"; the leader approves,
the counter attaches the electronic result; the citizen downloads it from "Hồ sơ của tôi" and
anyone scanning its QR code sees it is genuine."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from core.sms import LocmemSmsBackend
from motcua.models import (
    Dossier,
    ElectronicResult,
    FeeEntry,
    FeeEntryKind,
    OnlineSubmission,
    PaperFile,
    PaperPurpose,
    PaymentMethod,
    Status,
)
from tests.browser import act, log_in
from tests.khieunai.factories import make_png, pdf_bytes
from thutuc.models import AccessLog, OnlineLevel

from . import citizen_browser as steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_citizen_files_pays_and_receives_the_result_online_on_a_phone(
    world, live_server, browser, page, settings, tmp_path
):
    cache.clear()
    LocmemSmsBackend.outbox.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    procedure = world.case.procedure
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    procedure.receiving_agencies.add(world.centre)
    (tmp_path / "to-khai.pdf").write_bytes(pdf_bytes())
    (tmp_path / "giay-chung-sinh.png").write_bytes(make_png())
    (tmp_path / "bo-sung.pdf").write_bytes(pdf_bytes())
    (tmp_path / "ket-qua.pdf").write_bytes(RESULT_PDF)
    base = live_server.url

    # the citizen signs in by code and files with two uploads; the counter accepts
    phone = steps.phone_page(browser)
    steps.sign_in_from_procedure(phone, base, procedure)
    steps.file_with_two_uploads(
        phone, "Trần Thị Bình", tmp_path / "to-khai.pdf", tmp_path / "giay-chung-sinh.png"
    )
    portal_code = OnlineSubmission.objects.get().national_portal_code
    steps.officer_accepts_from_inbox(page, base, portal_code, "Trần Thị Bình", "giay-chung-sinh.png")
    dossier = Dossier.objects.get()
    code = dossier.code

    # a supplement asked for, uploaded from "Hồ sơ của tôi"; the counter records it and scans
    steps.specialist_asks_for_supplement(page, base, world, code)
    steps.citizen_uploads_supplement(phone, base, code, tmp_path / "bo-sung.pdf")
    steps.counter_receives_supplement_and_scans(page, base, code, "bo-sung.pdf", tmp_path / "to-khai.pdf")
    assert PaperFile.objects.filter(dossier=dossier, purpose=PaperPurpose.INTAKE_SCAN).count() == 1

    # the fee due (the catalogue's line, written at acceptance), paid from "Hồ sơ của tôi"
    phone.goto(f"{base}/cong-dan/")
    row = phone.get_by_test_id("dossiers").locator("tr", has_text=code)
    expect(row.get_by_test_id("my-fee-balance")).to_have_text("Còn phải nộp: 8.000 đồng")
    steps.no_horizontal_scroll(phone)
    row.get_by_role("button", name="Thanh toán trực tuyến").click()
    phone.wait_for_url(re.compile(r"/thanh-toan-thu-nghiem/TT"))
    expect(phone.get_by_test_id("sandbox-amount")).to_have_text("8.000 đồng")
    phone.get_by_role("button", name="Xác nhận thanh toán").click()
    expect(phone.get_by_test_id("payment-ok")).to_contain_text(f"Đã thanh toán 8.000 đồng cho hồ sơ {code}")
    phone.get_by_role("link", name="Quay lại Hồ sơ của tôi").click()
    row = phone.get_by_test_id("dossiers").locator("tr", has_text=code)
    expect(row.get_by_test_id("my-fee-balance")).to_have_text("Đã nộp đủ phí, lệ phí.")
    expect(row.get_by_role("button", name="Thanh toán trực tuyến")).to_have_count(0)
    payments = FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT)
    assert [(p.method, p.amount) for p in payments] == [(PaymentMethod.ONLINE, 8000)]

    # the specialist hands it to the leader, who approves; the counter attaches the result
    log_in(page, base, "chuyenvien")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    act(page, "Chuyển xử lý")  # the next step: the leader
    log_in(page, base, "lanhdao")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    act(page, "Phê duyệt kết quả")
    expect(page.locator(".status-pill")).to_have_text("Đã xử lý xong")
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    page.get_by_label("Số, ký hiệu kết quả").fill("125/GKS-UBND")
    page.get_by_label("Ngày ban hành").fill(timezone.localdate().isoformat())
    page.get_by_label("Tệp kết quả (PDF)").set_input_files(str(tmp_path / "ket-qua.pdf"))
    page.get_by_role("button", name="Đính kèm kết quả điện tử").click()
    expect(page.get_by_text(f"Đã đính kèm kết quả điện tử: {code}.")).to_be_visible()
    result = ElectronicResult.objects.get(dossier=dossier)

    # the citizen downloads it from "Hồ sơ của tôi" (an access-log row) and opens its QR's page
    phone.goto(f"{base}/cong-dan/")
    box = phone.get_by_test_id(f"my-result-{code}")
    expect(box).to_contain_text("Kết quả điện tử số 125/GKS-UBND")
    assert box.locator("svg").count() == 1  # the QR code
    steps.no_horizontal_scroll(phone)
    with phone.expect_download() as download_info:
        box.get_by_role("link", name="Tải kết quả điện tử (PDF)").click()
    saved = tmp_path / "tai-ve.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes() == RESULT_PDF
    assert AccessLog.objects.filter(
        action="download", object_ref__contains=code, username="công dân 09******78"
    ).exists()
    verify_url = box.get_by_test_id("my-verify-link").get_attribute("href")
    assert verify_url == f"{base}/xac-minh/{result.token}/"
    anyone = steps.phone_page(browser)  # whoever scans the QR code: no session
    anyone.goto(verify_url)
    expect(anyone.get_by_test_id("verified")).to_be_visible()
    expect(anyone.get_by_test_id("result-number")).to_have_text("125/GKS-UBND")
    assert code not in anyone.content() and "0912345678" not in anyone.content()
    steps.no_horizontal_scroll(anyone)
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
