"""Issue 13 §7 in Chromium: a hotline call becomes a feedback whose code and PIN the officer
reads out (and texts); the leader forwards it to the land department inside the portal; the
land department's leader finds it in their list with its history and answers; the caller
reads the answer with the code and PIN. A citizen-reception visit opens a complaint in one
step."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hotline_call_forwarded_answered_and_tracked(live_server, page, browser, settings):
    from core.sms import LocmemSmsBackend
    from thutuc import demo
    from thutuc.accounts.roles import Role
    from thutuc.demo import staff_username
    from thutuc.models import Agency

    demo.seed()  # the province, its catalogue and an officer for each agency that handles dossiers
    settings.SMS_BACKEND = "core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    base = live_server.url
    land = Agency.objects.get(code="000.00.20.H99")

    # 1. The hotline officer of Sở Tư pháp takes a call and turns it into a feedback.
    log_in(page, base, "chuyenvien")
    page.get_by_role("link", name="Đường dây nóng").first.click()
    page.get_by_label("Số điện thoại").fill("0912000111")
    page.get_by_label("Người gọi").fill("Trần Thị Lan")
    page.get_by_label("Chủ đề").fill("Cấp đổi sổ đỏ bị rách")
    page.get_by_label("Tóm tắt nội dung").fill(
        "Hỏi thủ tục cấp đổi giấy chứng nhận quyền sử dụng đất bị rách."
    )
    page.get_by_label("Chuyển thành phản ánh, kiến nghị").check()
    page.get_by_role("button", name="Lưu cuộc gọi").click()
    message = page.locator(".messages").inner_text()
    code, pin = re.search(r"mã đơn (PA-\d{4}-\d{6}), mã tra cứu ([A-Z0-9]{6})", message).groups()
    assert "0912000111" in message  # texted too
    assert any(code in sms.body and pin in sms.body for sms in LocmemSmsBackend.outbox)

    # 2. The leader classifies it: outside the department's competence, to the land department.
    leader = browser.new_context().new_page()
    log_in(leader, base, "lanhdao")
    leader.goto(f"{base}/khieu-nai/{code}/")
    triage = leader.locator("#id_triage-triage")
    assert triage.input_value() == ""  # no class preselected
    triage.select_option("outside")
    leader.get_by_label("Chuyển đến cơ quan").select_option(label=land.name)
    leader.get_by_role("button", name="Lưu phân loại").click()
    expect(leader.get_by_test_id("status")).to_have_text("Đã chuyển cơ quan có thẩm quyền")
    forwarded_code = leader.get_by_test_id("forwarded-to").inner_text().split("đơn ")[1].split(" ")[0]

    # 3. The land department's leader finds it in their list, with the history, and answers.
    land_leader = browser.new_context().new_page()
    log_in(land_leader, base, staff_username(Role.LEADER, land))
    land_leader.get_by_role("link", name="Phản ánh, khiếu nại").click()
    expect(land_leader.get_by_text("cơ quan khác chuyển đến")).to_be_visible()
    land_leader.get_by_role("link", name=forwarded_code).click()
    expect(land_leader.get_by_test_id("forwarded-from")).to_contain_text(code)
    expect(land_leader.get_by_test_id("original-history")).to_contain_text("Chuyển cơ quan có thẩm quyền")
    land_leader.locator("#id_triage-triage").select_option("within")
    land_leader.get_by_role("button", name="Lưu phân loại").click()
    land_leader.locator("#id_answer-answer").fill("Mời bà mang giấy chứng nhận bị rách đến quầy số 5.")
    land_leader.get_by_role("button", name="Gửi trả lời").click()
    expect(land_leader.get_by_test_id("status")).to_have_text("Đã trả lời")

    # 4. The caller reads the answer with the code and PIN they were given.
    citizen = browser.new_context().new_page()
    citizen.goto(f"{base}/phan-anh/tra-cuu/")
    citizen.locator("#id_code").fill(code)
    citizen.get_by_label("Mã tra cứu").fill(pin)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.get_by_text("quầy số 5")).to_be_visible()


def test_reception_visit_opens_a_complaint_in_one_step(live_server, page):
    from thutuc import demo

    demo.seed(catalogue=False)
    base = live_server.url
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/tiep-cong-dan/them/")
    page.get_by_label("Ngày tiếp").fill(timezone.localdate().isoformat())
    page.get_by_label("Họ và tên").fill("Ngô Văn Tâm")
    page.get_by_label("Địa chỉ").fill("Xóm 2, xã Tân Phú")
    page.get_by_label("Nội dung vụ việc").fill("Không đồng ý quyết định thu hồi đất.")
    page.get_by_label("Kết quả tiếp và việc xử lý").fill("Nhận đơn khiếu nại.")
    page.get_by_label("Khiếu nại", exact=True).check()
    page.get_by_label("Tiêu đề đơn").fill("Khiếu nại quyết định thu hồi đất")
    page.get_by_label("Số điện thoại liên hệ").fill("0905111222")
    page.get_by_role("button", name="Ghi sổ").click()
    expect(page.locator(".messages")).to_contain_text("Mã tra cứu của công dân")
    expect(page.get_by_role("heading", name=re.compile(r"Khiếu nại KN-\d{4}-\d{6}"))).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Mới tiếp nhận")
