"""Issue 18 in Chromium: a superuser previews a ward merger in the admin, confirms it, and the
old ward's leader, now the new ward's, finds a moved dossier with its history event."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.motcua.test_reorganisation import merger  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem"  # tests.factories.UserFactory's


def test_a_merger_previewed_confirmed_and_seen_by_the_new_ward(live_server, page, merger):  # noqa: F811
    log_in(page, live_server.url, "quantri", PASSWORD)
    page.goto(f"{live_server.url}/quan-tri/thutuc/reorganisation/{merger.decision.pk}/change/")
    page.get_by_role("link", name="Xem trước và thực hiện").click()
    counts = page.locator("#reorganisation-counts")
    expect(counts).to_contain_text("Ủy ban nhân dân phường Mới")
    expect(counts.locator("tfoot")).to_contain_text("5")
    page.get_by_role("button", name="Xác nhận thực hiện").click()
    expect(page.locator(".messagelist")).to_contain_text("5 hồ sơ đang giải quyết được chuyển")

    log_in(page, live_server.url, "lanhdao_cu", PASSWORD)
    moved = next(d for d in merger.dossiers if d.status == "processing")
    page.goto(f"{live_server.url}/mot-cua/tim-kiem/?q={moved.code}")  # a whole code opens the dossier
    page.wait_for_url(re.compile(re.escape(f"/mot-cua/ho-so/{moved.code}/")))
    expect(page.locator("body")).to_contain_text("Chuyển cơ quan giải quyết do sắp xếp tổ chức")
