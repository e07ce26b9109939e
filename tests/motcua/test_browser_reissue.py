"""The counter reissues a PIN in Chromium: the button asks first (static/js/confirm.js, no
inline script under the CSP); cancelling issues nothing, confirming issues one new PIN,
shown once, and the receipt printed next carries it."""

import pytest
from playwright.sync_api import expect

from motcua.models import EventAction
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reissuing_a_pin_asks_for_confirmation(world, live_server, page):  # noqa: F811
    dossier = world.dossier()
    base = live_server.url
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    # the portal's own dialog (static/js/confirm.js), with "Quay lại" focused
    page.get_by_role("button", name="Cấp mã tra cứu mới").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    assert "không còn dùng được" in dialog.inner_text()
    expect(dialog.get_by_role("button", name="Quay lại")).to_be_focused()
    dialog.get_by_role("button", name="Quay lại").click()
    expect(dialog).to_be_hidden()
    assert not dossier.events.filter(action=EventAction.REISSUE_PIN).exists()

    page.get_by_role("button", name="Cấp mã tra cứu mới").click()
    dialog.get_by_role("button", name="Cấp mã mới").click()
    expect(page.get_by_role("heading", name="Đã tiếp nhận hồ sơ")).to_be_visible()
    pin = page.locator("strong.pin").inner_text()
    assert len(pin) == 6
    assert dossier.events.filter(action=EventAction.REISSUE_PIN).count() == 1
