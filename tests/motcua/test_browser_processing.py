"""A dossier walks through processing in Chromium: the specialist asks for a supplement,
reception records it, the leader approves, reception returns the result."""

import re

import pytest
from playwright.sync_api import expect

from motcua.models import Status
from tests.browser import act, counter_returns, leader_approves, log_in, request_supplement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_supplement_reception_leader_approves_reception_returns(world, live_server, page):
    dossier = world.dossier(processing=True, assignee=world.specialist)
    base = live_server.url

    log_in(page, base, "chuyenvien")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    # every item at once, each with its counts (NĐ 118/2025 Điều 19 khoản 5)
    request_supplement(page, "Tờ khai có chữ ký", "Bản sao khai sinh", "Tờ khai chưa có chữ ký")
    expect(page.get_by_role("link", name=re.compile("Phiếu yêu cầu bổ sung"))).to_be_visible()

    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(page, "Nhận hồ sơ bổ sung", {"Ghi chú": "Đã nhận đủ"})
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    leader_approves(page, base, dossier.code)

    counter_returns(page, base, dossier.code, "Nguyễn Văn Thử")
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
