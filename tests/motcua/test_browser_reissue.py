"""The counter reissues a PIN in Chromium: the button asks first (static/js/confirm.js, no
inline script under the CSP); cancelling issues nothing, confirming issues one new PIN,
shown once, and the receipt printed next carries it."""

import pytest
from playwright.sync_api import expect

from motcua.models import EventAction

from .fixtures_processing import world  # noqa: F401  (fixture)
from .test_browser_processing import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reissuing_a_pin_asks_for_confirmation(world, live_server, page):  # noqa: F811
    dossier = world.dossier()
    base = live_server.url
    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    questions = []

    def cancel(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="Cấp mã tra cứu mới").click()
    page.wait_for_timeout(300)
    assert questions and "không còn dùng được" in questions[0]
    assert not dossier.events.filter(action=EventAction.REISSUE_PIN).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cấp mã tra cứu mới").click()
    expect(page.get_by_role("heading", name="Đã tiếp nhận hồ sơ")).to_be_visible()
    pin = page.locator("strong.pin").inner_text()
    assert len(pin) == 6
    assert dossier.events.filter(action=EventAction.REISSUE_PIN).count() == 1
