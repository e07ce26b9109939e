"""Issue 13 §3 in Chromium: the specialist asks for a supplement and the citizen sees on the
tracking page what to bring, why, by when, and that the clock is stopped; on a 390 px phone
the procedure page has no horizontal scroll and its papers are a list; "dat dai" finds the
land procedures; the form template downloads; the feedback confirmation can be printed."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from motcua.tracking.links import tracking_url
from tests.browser import log_in, request_supplement
from thutuc.calendar import TZ

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_specialist_asks_for_papers_and_the_citizen_sees_what_to_bring(world, live_server, page, settings):  # noqa: F811
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    dossier = world.dossier(processing=True, assignee=world.specialist)
    base = live_server.url

    # the specialist opens the dossier from the worklist and asks for the missing papers
    log_in(page, base, "chuyenvien")
    page.get_by_role("link", name=dossier.code).click()
    request_supplement(
        page, "Tờ khai có chữ ký của người yêu cầu", "Bản sao giấy khai sinh", "Tờ khai chưa có chữ ký"
    )
    # left blank: 15 days from the notice, then the dossier is closed (NĐ 118/2025 Điều 19 khoản 5)
    close_at = dossier.supplement_requests.get().close_at.astimezone(TZ)
    proposed = close_at.strftime("%Y-%m-%dT%H:%M")

    # the citizen scans the receipt's QR code on a phone
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(tracking_url(dossier.code, dossier.pin))
    box = page.get_by_test_id("supplement")
    expect(box).to_be_visible()
    expect(box).to_contain_text("Tờ khai có chữ ký của người yêu cầu (1 bản chính)")
    expect(box).to_contain_text("Bản sao giấy khai sinh (1 bản sao chứng thực)")
    expect(box).to_contain_text("Tờ khai chưa có chữ ký")
    day = f"{proposed[8:10]}/{proposed[5:7]}/{proposed[:4]}"
    expect(box.locator(".supplement-due")).to_contain_text(f"Mang đến trước {proposed[11:16]} ngày {day}")
    expect(box).to_contain_text(world.centre.name)
    expect(page.locator(".clock-stopped")).to_have_text("Tạm dừng: chờ ông/bà bổ sung hồ sơ")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_procedure_page_on_a_phone_and_search_by_field(live_server, page):
    from thutuc import demo
    from thutuc.models import ProcedureDocument

    demo.seed()  # the province, the sample catalogue and its form templates
    page.set_viewport_size(PHONE)
    base = live_server.url

    # "dat dai" without diacritics lists the land procedures, whatever their names say
    page.goto(f"{base}/thu-tuc/")
    page.get_by_label("Tên, mã thủ tục hoặc lĩnh vực").fill("dat dai")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name="Tách thửa hoặc hợp thửa đất")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # the birth registration page: no horizontal scroll, the papers read as a list
    page.goto(f"{base}/thu-tuc/1.001193/")
    expect(page.get_by_role("heading", name="Thủ tục đăng ký khai sinh", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first_paper = page.locator("table.papers tbody tr").first
    assert first_paper.evaluate("row => getComputedStyle(row).display") == "block"
    assert page.locator("table.papers thead").first.evaluate("h => h.getBoundingClientRect().height <= 1")
    expect(first_paper.locator("td[data-label='Bản chính']")).to_be_visible()

    # the form template downloads through the portal (never /media/)
    paper = ProcedureDocument.objects.get(
        case__procedure__code="1.001193", case__order=1, name__startswith="- Tờ khai đăng ký khai sinh"
    )
    assert paper.template
    link = page.get_by_role("link", name=f"Tải mẫu {paper.name}").first
    assert "/media/" not in link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    saved = download.value
    assert saved.suggested_filename.endswith(".docx") and str(paper.pk) in saved.url


def test_feedback_confirmation_prints_and_shows_the_deadlines(live_server, page, settings):
    from thutuc import demo

    demo.seed(catalogue=False)
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/phan-anh/")
    page.get_by_label("Gửi đến cơ quan").select_option(
        label="Trung tâm Phục vụ hành chính công tỉnh Minh Sơn"
    )
    page.locator("#id_title").fill("Khu vực chờ thiếu ghế")
    page.locator("#id_content").fill("Buổi sáng nhiều người phải đứng chờ.")
    # anonymous: no personal data, nothing to consent to
    page.get_by_role("button", name="Gửi đơn").click()
    page.wait_for_url(f"{base}/phan-anh/da-gui/")
    expect(page.get_by_test_id("triage-due")).to_contain_text("5 ngày làm việc")
    expect(page.get_by_test_id("answer-due")).to_contain_text("kể từ khi đơn được thụ lý")
    page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="In giấy biên nhận").click()
    assert page.evaluate("window.__printed") is True
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
