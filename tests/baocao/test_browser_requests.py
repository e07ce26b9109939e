"""Issue 20 in Chromium: Sở Nội vụ asks Sở Tư pháp for an ad-hoc report; its leader reads it
and sends the answer; Sở Nội vụ sees it sent (axe on every page)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in
from tests.trust.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ad_hoc_request_round_trip(live_server, page, stp):
    base = live_server.url
    log_in(page, base, "sonoivu")
    page.get_by_role("link", name="Yêu cầu báo cáo").click()
    expect(page.locator("#calendar")).to_contain_text("Quý I năm")
    assert_accessible(page, "report requests (Sở Nội vụ)")
    page.locator("#id_kind").select_option("ad_hoc")
    page.locator("#id_title").fill("Báo cáo nhanh về số hóa")
    page.locator("#id_content").fill("Số hồ sơ đã số hóa trong tháng.")
    page.locator("#id_due_date").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_label(stp.name).check()
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.get_by_role("heading", name="Báo cáo nhanh về số hóa")).to_be_visible()
    assert_accessible(page, "request detail (Sở Nội vụ)")

    log_in(page, base, "lanhdao")
    page.get_by_role("link", name="Yêu cầu báo cáo").click()
    page.get_by_role("link", name="Báo cáo nhanh về số hóa").click()
    page.get_by_label("Nội dung báo cáo").fill("Đã số hóa 120 hồ sơ.")
    assert_accessible(page, "request detail (leader)")
    page.get_by_role("button", name="Gửi báo cáo đến Sở Nội vụ").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã gửi")

    log_in(page, base, "sonoivu")
    page.get_by_role("link", name="Yêu cầu báo cáo").click()
    expect(page.locator("#requests")).to_contain_text("1/1")
