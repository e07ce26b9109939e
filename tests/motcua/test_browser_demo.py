"""Issue 13 §6 in Chromium: after `seed_demo` the README's specialist and leader log in to
worklists with work in them, open a dossier that came through the routing steps, and their
notification bell does not start at "99+"."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_logins_open_worklists_with_work(live_server, page):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url

    for username in ("chuyenvien", "lanhdao"):
        log_in(page, base, username)
        page.get_by_role("navigation", name="Danh sách hồ sơ").get_by_role(
            "link", name="Hồ sơ của tôi"
        ).click()
        rows = page.locator("table.worklist tbody tr")
        expect(rows.first.get_by_role("link")).to_be_visible()
        assert rows.count() >= 1
        badge = page.get_by_test_id("unread-alerts").inner_text().strip()
        assert badge != "99+" and int(badge or 0) <= 15, (username, badge)

        # the dossier came through the routing steps: received, handed on by the counter
        rows.first.get_by_role("link").first.click()
        history = page.locator("body")
        expect(history).to_contain_text("Tiếp nhận")
        expect(history).to_contain_text("Chuyển xử lý")

    # the counter's worklist too
    log_in(page, base, "tiepnhan")
    page.get_by_role("navigation", name="Danh sách hồ sơ").get_by_role("link", name="Chờ trả kết quả").click()
    expect(page.locator("table.worklist tbody tr").first.get_by_role("link")).to_be_visible()
