"""The online channel in Chromium, the citizen on a 390 px phone: sign in with a code read
from the SMS outbox, file a "toàn trình" procedure with two uploads; the reception officer
finds it in the online inbox (NĐ 118/2025/NĐ-CP Điều 17 khoản 2) with the files and accepts
it; the specialist asks for a supplement, the citizen uploads it from "Hồ sơ của tôi"; the
counter sees who added which file and scans one more."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from core.sms import LocmemSmsBackend
from motcua.models import Dossier, OnlineSource, OnlineSubmission, PaperFile, PaperPurpose, Status
from tests.browser import act, log_in
from tests.khieunai.factories import make_png, pdf_bytes
from thutuc.models import OnlineLevel

from .citizen_helpers import last_sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "0912345678"


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_citizen_files_online_on_a_phone_and_the_counter_accepts(
    world, live_server, browser, page, tmp_path
):
    cache.clear()
    LocmemSmsBackend.outbox.clear()
    procedure = world.case.procedure
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    procedure.receiving_agencies.add(world.centre)
    (tmp_path / "to-khai.pdf").write_bytes(pdf_bytes())
    (tmp_path / "giay-chung-sinh.png").write_bytes(make_png())
    (tmp_path / "bo-sung.pdf").write_bytes(pdf_bytes())
    base = live_server.url

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    # from the procedure page, "Nộp hồ sơ trực tuyến" asks to sign in first
    phone.goto(f"{base}/thu-tuc/{procedure.code}/")
    phone.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    phone.get_by_label("Số điện thoại di động hoặc thư điện tử").fill(PHONE)
    phone.get_by_role("button", name="Gửi mã đăng nhập").click()
    expect(phone.get_by_role("heading", name="Nhập mã đăng nhập")).to_be_visible()
    no_horizontal_scroll(phone)
    phone.get_by_label("Mã đăng nhập").fill(last_sms_code(PHONE))
    phone.get_by_role("button", name="Đăng nhập").click()

    # back on the way to filing: start the draft, fill it, upload two papers, save, submit
    phone.get_by_role("button", name="Lập hồ sơ").click()
    expect(phone.get_by_role("heading", name=re.compile("Hồ sơ nộp trực tuyến DVC-"))).to_be_visible()
    phone.get_by_label("Họ và tên chủ hồ sơ").fill("Trần Thị Bình")
    phone.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(str(tmp_path / "to-khai.pdf"))
    phone.get_by_label("Giấy chứng sinh").set_input_files(str(tmp_path / "giay-chung-sinh.png"))
    phone.get_by_role("button", name="Lưu nháp").click()
    expect(phone.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    expect(phone.get_by_role("link", name="to-khai.pdf")).to_be_visible()
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Nộp hồ sơ").click()
    expect(phone.get_by_text(re.compile("Đã nộp hồ sơ DVC-"))).to_be_visible()
    expect(phone.get_by_test_id("submitted")).to_contain_text("Chờ bộ phận một cửa kiểm tra")
    no_horizontal_scroll(phone)
    submission = OnlineSubmission.objects.get()
    assert submission.source == OnlineSource.CITIZEN and submission.alerted_at is not None
    code = submission.national_portal_code

    # the officer: the filing waits in the online inbox, with the files, and is accepted
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/truc-tuyen/")
    row = page.get_by_test_id("online-inbox").locator("tr", has_text=code)
    expect(row).to_contain_text("Trần Thị Bình")
    expect(row).to_contain_text(re.compile(r"còn \d"))  # within the 08 working hours
    row.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("paper-files")).to_contain_text("giay-chung-sinh.png")
    page.locator("summary", has_text="Tiếp nhận hồ sơ").click()
    page.locator("details[open]").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile(r"/mot-cua/tiep-nhan/xong/"))
    dossier = Dossier.objects.get()
    assert PaperFile.objects.filter(dossier=dossier).count() == 2

    # handed to the unit, the specialist asks for a supplement
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(
        page,
        "Chuyển xử lý",
        selects={"Bước xử lý": str(world.steps[0].pk), "Cán bộ nhận": str(world.specialist.pk)},
    )
    log_in(page, base, "chuyenvien")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").click()
    form = page.locator("details[open] form")
    form.get_by_label("Giấy chứng sinh", exact=True).check()
    form.get_by_label("Lý do").fill("Ảnh giấy chứng sinh bị mờ")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")

    # the citizen uploads the supplement from "Hồ sơ của tôi"
    phone.goto(f"{base}/cong-dan/")
    expect(phone.get_by_test_id("dossiers")).to_contain_text(dossier.code)
    phone.get_by_role("link", name="Nộp bổ sung trực tuyến").click()
    phone.get_by_label("Giấy chứng sinh").set_input_files(str(tmp_path / "bo-sung.pdf"))
    phone.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(phone.get_by_text(re.compile("Đã gửi giấy tờ bổ sung"))).to_be_visible()
    no_horizontal_scroll(phone)
    assert PaperFile.objects.filter(dossier=dossier, purpose=PaperPurpose.SUPPLEMENT).count() == 1

    # the counter: every file with who added it; records the supplement, scans a paper
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    files = page.get_by_test_id("paper-files")
    expect(files).to_contain_text("bo-sung.pdf")
    expect(files).to_contain_text("Công dân 09******78")
    act(page, "Nhận hồ sơ bổ sung", {"Ghi chú": "Đã nhận bản điện tử giấy chứng sinh"})
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")
    page.locator("summary", has_text="Tải lên bản quét").click()
    scan = page.locator("details[open] form")
    scan.get_by_label("Tệp bản quét (PDF, JPG, PNG)").set_input_files(str(tmp_path / "to-khai.pdf"))
    scan.get_by_role("button", name="Lưu bản quét").click()
    expect(page.get_by_text(f"Đã lưu bản quét vào hồ sơ {dossier.code}.")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert PaperFile.objects.filter(dossier=dossier, added_by=world.reception).count() == 1
