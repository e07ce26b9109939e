"""Flows a person clicks through, in Debian's Chromium driven by Playwright."""

import pytest

from thutuc.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reception_officer_logs_in_and_sees_staff_home(live_server, page):
    from thutuc import demo

    demo.seed()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Đăng nhập cán bộ").click()
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/mot-cua/")
    assert page.get_by_role("heading", name="Trang làm việc").is_visible()
    assert page.get_by_text("Trung tâm Phục vụ hành chính công tỉnh Minh Sơn").first.is_visible()
    assert page.get_by_text("Cán bộ một cửa").is_visible()
    # a reception officer has no catalogue administration in the navigation
    assert page.get_by_role("link", name="Quản trị danh mục").count() == 0
