"""The flows a person clicks through, in Debian's Chromium driven by Playwright."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_feedback_triaged_answered_and_read_back(live_server, page, browser, settings):
    from thutuc import demo

    demo.seed()
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    base = live_server.url

    # A citizen sends feedback from the home page card.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Phản ánh, kiến nghị").first.click()
    page.wait_for_url(f"{base}/phan-anh/")
    page.get_by_label("Gửi đến cơ quan").select_option(label="Sở Tư pháp tỉnh Minh Sơn")
    page.locator("#id_title").fill("Chưa niêm yết lệ phí chứng thực")
    page.locator("#id_content").fill("Bảng niêm yết tại quầy số 3 không có mức lệ phí chứng thực bản sao.")
    page.get_by_label("Họ và tên").fill("Phạm Văn Bình")
    page.get_by_label("Số điện thoại").fill("0905111222")
    page.get_by_label("Tôi đồng ý công khai").check()
    # personal data given: the notice is shown and the consent box must be ticked
    assert page.get_by_test_id("privacy-notice").is_visible()
    page.get_by_label("Tôi đã đọc thông báo trên và đồng ý").check()
    page.get_by_role("button", name="Gửi đơn").click()
    page.wait_for_url(f"{base}/phan-anh/da-gui/")
    code = page.get_by_test_id("code").inner_text().strip()
    pin = page.get_by_test_id("pin").inner_text().strip()
    assert re.fullmatch(r"PA-\d{4}-\d{6}", code) and len(pin) == 6

    # The leader of Sở Tư pháp classifies it as within competence and answers it.
    officer_context = browser.new_context()
    officer = officer_context.new_page()
    log_in(officer, base, "lanhdao")
    officer.get_by_role("link", name="Phản ánh, khiếu nại").click()
    officer.get_by_role("link", name=code).click()
    officer.locator("#id_triage-triage").select_option("within")
    officer.get_by_role("button", name="Lưu phân loại").click()
    assert officer.get_by_test_id("status").inner_text() == "Đang giải quyết"
    officer.locator("#id_answer-answer").fill("Đơn vị đã bổ sung mức lệ phí vào bảng niêm yết ngày hôm nay.")
    officer.get_by_role("button", name="Gửi trả lời").click()
    assert officer.get_by_test_id("status").inner_text() == "Đã trả lời"

    # The citizen reads the answer with code + PIN.
    page.goto(f"{base}/phan-anh/tra-cuu/")
    page.locator("#id_code").fill(code)
    page.get_by_label("Mã tra cứu").fill(pin)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_test_id("status").inner_text() == "Đã trả lời"
    assert "bổ sung mức lệ phí" in page.get_by_test_id("answer").inner_text()

    # An officer logs a call while on the phone and turns it into feedback in one click.
    officer.get_by_role("link", name="Đường dây nóng").click()
    # autofocus: the field has the focus once the page has loaded (waits for it, fails after 5 s)
    focused = "document.activeElement && document.activeElement.name === 'caller_phone'"
    officer.wait_for_function(focused, timeout=5000)
    officer.keyboard.type("0912345678")
    officer.get_by_label("Người gọi").fill("Vũ Văn Hải")
    officer.get_by_label("Chủ đề").fill("Chậm trả kết quả chứng thực")
    officer.locator("#id_dossier_code").fill("000.00.11.H99-260101-0001")
    officer.get_by_label("Tóm tắt nội dung").click()
    expect(officer.locator("#dossier-check")).to_have_text("Không tìm thấy hồ sơ")
    officer.get_by_label("Tóm tắt nội dung").fill("Hồ sơ chứng thực hẹn thứ Hai nhưng chưa có kết quả.")
    officer.get_by_role("button", name="Lưu cuộc gọi").click()
    assert "Tổng số: 1" in officer.get_by_test_id("totals").inner_text()
    officer.get_by_role("button", name="Chuyển thành phản ánh").click()
    officer.wait_for_url(re.compile(r"/khieu-nai/PA-\d{4}-\d{6}/$"))
    assert officer.get_by_role("heading", level=1).inner_text().startswith("Phản ánh, kiến nghị PA-")
    assert officer.get_by_text("Đường dây nóng").first.is_visible()
    officer_context.close()
