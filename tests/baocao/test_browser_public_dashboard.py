"""The public dashboard in Chromium, anonymous, on a desktop and on a 390 px phone: the figures
and the charts show, axe finds no serious violation, nothing overflows the phone's width."""

import pytest

from tests.trust.a11y import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_cache"),
]


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_desktop_and_phone(live_server, page, january, trung_son, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/cong-khai/?month=1&year=2026")
    assert page.get_by_role("heading", name="Kết quả giải quyết thủ tục hành chính").is_visible()
    assert (
        page.get_by_role("row", name=trung_son.name).is_visible()
        or page.locator("#public-figures").is_visible()
    )
    assert page.locator("svg.chart").count() == 2
    assert page.locator("[data-figure=received]").inner_text() == "4"
    assert_accessible(page, f"cong-khai {width}px")
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    # the month picker works without a script of its own
    page.get_by_label("Tháng").select_option("2")
    page.get_by_role("button", name="Xem").click()
    assert page.get_by_role("heading", name="Toàn tỉnh – Tháng 2 năm 2026").is_visible()
