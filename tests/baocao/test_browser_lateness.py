"""Issue 20 in Chromium: a leader opens "late steps by officer" for a quarter and reaches the
dossiers behind a count; the dossier says at which step it became late; then the service
index page with its components."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.trust.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_reaches_the_dossiers_behind_a_late_count(live_server, page, steps_world):
    w = steps_world
    base = live_server.url
    log_in(page, base, "lanhdao")
    page.get_by_role("link", name="Bước trễ hạn").click()
    page.locator("#id_kind").select_option("quarter")
    page.locator("#id_year").fill("2026")
    page.locator("#id_quarter").select_option("1")
    page.locator("#id_grouping").select_option("officer")
    page.get_by_role("button", name="Xem").click()
    row = page.locator(f"#lateness tr[data-key='{w.specialist.pk}']")
    expect(row).to_contain_text("Trần Văn Đức")
    assert_accessible(page, "late steps by officer")
    row.locator("a[data-measure=late]").click()
    expect(page.get_by_role("heading", name="Danh sách hồ sơ")).to_be_visible()
    expect(page.locator("#dossiers")).to_contain_text(w.finished.code)
    expect(page.locator("#dossiers")).not_to_contain_text(w.stuck.code)
    # the running late step: the stuck dossier, which says where it became late
    page.go_back()
    row.locator("a[data-measure=running_late]").click()
    page.get_by_role("link", name=w.stuck.code).click()
    expect(page.get_by_test_id("late-step")).to_contain_text(w.steps[0].name)


def test_index_page_shows_components_with_links(live_server, page, steps_world):
    base = live_server.url
    log_in(page, base, "sonoivu")
    page.goto(f"{base}/bao-cao/chi-so/?kind=quarter&year=2026&quarter=1&agency={steps_world.department.pk}")
    expect(page.locator("#detail")).to_contain_text("không có dữ liệu")
    expect(page.locator("#ranking")).to_contain_text(steps_world.department.name)
    assert_accessible(page, "service index")
    page.locator("#detail a[data-measure=received]").first.click()
    expect(page.locator("#dossiers")).to_contain_text(steps_world.finished.code)
