"""Shared steps of the citizen's browser tests (Playwright's sync API): the citizen on a 390 px
phone signs in with a code from the SMS outbox and files a procedure online; the reception
officer accepts it from the online inbox; the specialist asks for a supplement and the
citizen uploads it from "Hồ sơ của tôi"; the counter records it and scans a paper."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import act, log_in

from .citizen_helpers import PHONE, last_sms_code

PHONE_VIEWPORT = {"width": 390, "height": 844}


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def phone_page(browser):
    """A fresh browser context the size of a phone, in Vietnamese."""
    return browser.new_context(locale="vi-VN", viewport=PHONE_VIEWPORT).new_page()


def sign_in_from_procedure(phone, base: str, procedure, contact: str = PHONE) -> None:
    """From the procedure page, "Nộp hồ sơ trực tuyến" asks to sign in; type the code sent
    by SMS; the citizen lands back on the filing's first page."""
    phone.goto(f"{base}/thu-tuc/{procedure.code}/")
    phone.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    phone.get_by_label("Số điện thoại di động hoặc thư điện tử").fill(contact)
    phone.get_by_role("button", name="Gửi mã đăng nhập").click()
    expect(phone.get_by_role("heading", name="Nhập mã đăng nhập")).to_be_visible()
    no_horizontal_scroll(phone)
    phone.get_by_label("Mã đăng nhập").fill(last_sms_code(contact))
    phone.get_by_role("button", name="Đăng nhập").click()


def file_with_two_uploads(phone, name: str, declaration, birth_certificate) -> None:
    """Start the draft, fill it, upload two papers, save, submit."""
    phone.get_by_role("button", name="Lập hồ sơ").click()
    expect(phone.get_by_role("heading", name=re.compile("Hồ sơ nộp trực tuyến DVC-"))).to_be_visible()
    phone.get_by_label("Họ và tên chủ hồ sơ").fill(name)
    phone.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(str(declaration))
    phone.get_by_label("Giấy chứng sinh").set_input_files(str(birth_certificate))
    phone.get_by_role("button", name="Lưu nháp").click()
    expect(phone.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    expect(phone.get_by_role("link", name=declaration.name)).to_be_visible()
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Nộp hồ sơ").click()
    expect(phone.get_by_text(re.compile("Đã nộp hồ sơ DVC-"))).to_be_visible()
    expect(phone.get_by_test_id("submitted")).to_contain_text("Chờ bộ phận một cửa kiểm tra")
    no_horizontal_scroll(phone)


def officer_accepts_from_inbox(page, base: str, portal_code: str, name: str, file_name: str) -> None:
    """The reception officer finds the filing in the online inbox within the 08 working
    hours (NĐ 118/2025/NĐ-CP Điều 17 khoản 2), sees its files and accepts it."""
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/truc-tuyen/")
    row = page.get_by_test_id("online-inbox").locator("tr", has_text=portal_code)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text(re.compile(r"còn \d"))  # within the 08 working hours
    row.get_by_role("link", name=portal_code).click()
    expect(page.get_by_test_id("paper-files")).to_contain_text(file_name)
    page.locator("summary", has_text="Tiếp nhận hồ sơ").click()
    page.locator("details[open]").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile(r"/mot-cua/tiep-nhan/xong/"))


def specialist_asks_for_supplement(page, base: str, world, code: str) -> None:
    """The counter hands the dossier to the unit; the specialist asks for the birth
    certificate again."""
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    act(
        page,
        "Chuyển xử lý",
        selects={"Bước xử lý": str(world.steps[0].pk), "Cán bộ nhận": str(world.specialist.pk)},
    )
    log_in(page, base, "chuyenvien")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").click()
    form = page.locator("details[open] form")
    form.get_by_label("Giấy chứng sinh", exact=True).check()
    form.get_by_label("Lý do").fill("Ảnh giấy chứng sinh bị mờ")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")


def citizen_uploads_supplement(phone, base: str, code: str, upload) -> None:
    """From "Hồ sơ của tôi": "Nộp bổ sung trực tuyến", one file, sent."""
    phone.goto(f"{base}/cong-dan/")
    expect(phone.get_by_test_id("dossiers")).to_contain_text(code)
    phone.get_by_role("link", name="Nộp bổ sung trực tuyến").click()
    phone.get_by_label("Giấy chứng sinh").set_input_files(str(upload))
    phone.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(phone.get_by_text(re.compile("Đã gửi giấy tờ bổ sung"))).to_be_visible()
    no_horizontal_scroll(phone)


def counter_receives_supplement_and_scans(page, base: str, code: str, supplement_name: str, scan) -> None:
    """The counter sees every file with who added it, records the supplement and scans a
    paper at the counter."""
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    files = page.get_by_test_id("paper-files")
    expect(files).to_contain_text(supplement_name)
    expect(files).to_contain_text("Công dân 09******78")
    act(page, "Nhận hồ sơ bổ sung", {"Ghi chú": "Đã nhận bản điện tử giấy chứng sinh"})
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")
    page.locator("summary", has_text="Tải lên bản quét").click()
    form = page.locator("details[open] form")
    form.get_by_label("Tệp bản quét (PDF, JPG, PNG)").set_input_files(str(scan))
    form.get_by_role("button", name="Lưu bản quét").click()
    expect(page.get_by_text(f"Đã lưu bản quét vào hồ sơ {code}.")).to_be_visible()
