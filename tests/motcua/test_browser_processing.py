"""A dossier walks through processing in Chromium: the specialist asks for a supplement,
reception records it, the leader approves, reception returns the result."""

import re

import pytest
from playwright.sync_api import expect

from motcua.models import Status
from motcua.services import transitions as t
from thutuc.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/")


def act(page, action_label, fields=None, button=None):
    page.locator("summary", has_text=action_label).click()
    form = page.locator("details[open] form")
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    button = form.get_by_role("button", name=button or action_label)
    asks = button.get_attribute("data-confirm")
    button.click()
    if asks:  # approve, refuse, stop, withdraw ask in a dialog first (static/js/confirm.js)
        page.get_by_role("dialog").get_by_role("button", name=action_label).click()


def test_specialist_supplement_reception_leader_approves_reception_returns(world, live_server, page):
    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    base = live_server.url

    login(page, base, "chuyenvien")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    # every item at once, each with its counts (NĐ 118/2025 Điều 19 khoản 5)
    page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").click()
    form = page.locator("details[open] form")
    form.get_by_label("Giấy tờ khác 1").fill("Tờ khai có chữ ký")
    form.get_by_title("Bản chính: Giấy tờ khác 1").fill("1")
    form.get_by_label("Giấy tờ khác 2").fill("Bản sao khai sinh")
    form.get_by_title("Bản sao chứng thực: Giấy tờ khác 2").fill("1")
    form.get_by_label("Lý do").fill("Tờ khai chưa có chữ ký")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")
    expect(page.get_by_role("link", name=re.compile("Phiếu yêu cầu bổ sung"))).to_be_visible()

    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(page, "Nhận hồ sơ bổ sung", {"Ghi chú": "Đã nhận đủ"})
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    login(page, base, "lanhdao")
    page.goto(f"{base}/mot-cua/?ds=don-vi")
    page.get_by_role("link", name=dossier.code).click()
    act(page, "Phê duyệt kết quả")
    expect(page.locator(".status-pill")).to_have_text("Đã xử lý xong")

    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/?ds=cho-tra")
    page.get_by_role("link", name=dossier.code).click()
    act(page, "Trả kết quả", {"Người nhận kết quả": "Nguyễn Văn Thử"})
    expect(page.locator(".status-pill")).to_have_text("Đã trả kết quả")
    expect(page.locator("[data-national-status]")).to_have_text("10")

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.collected_by_name == "Nguyễn Văn Thử"
    assert [e.action for e in dossier.events.order_by("at", "pk")][-5:] == [
        "transfer",
        "request_supplement",
        "receive_supplement",
        "approve",
        "return_result",
    ]
