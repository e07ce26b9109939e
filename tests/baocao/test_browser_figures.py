"""Issue 13 §4 in Chromium: the head of the one-stop centre reads the II.06a of what the centre
received (titled "tại Trung tâm Phục vụ hành chính công"), a pending dossier due tomorrow is
not overdue in the running quarter, and a leader cannot send the running quarter's report."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import draft_report, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_centre_reads_what_it_received_as_of_today(live_server, page):
    from thutuc import demo
    from thutuc.models import Agency

    from .factories import DossierFactory

    demo.seed(catalogue=False)
    centre = Agency.objects.get(code="000.00.06.H99")
    justice = Agency.objects.get(code="000.00.11.H99")
    now = timezone.now()
    # received at the centre an hour ago, to be resolved by Sở Tư pháp in five working days
    DossierFactory(
        receiving_agency=centre,
        case__procedure__competent_agency=justice,
        received_at=now - dt.timedelta(hours=1),
        processing=True,
    )
    # another, received a month ago: overdue now
    DossierFactory(receiving_agency=centre, case__procedure__competent_agency=justice, overdue=True, now=now)
    base = live_server.url

    log_in(page, base, "giamdoc")
    page.get_by_role("link", name="Thống kê II.06a").click()
    expect(page.get_by_test_id("variant")).to_contain_text("tại Trung tâm Phục vụ hành chính công")
    expect(page.get_by_text("Kỳ báo cáo chưa kết thúc")).to_be_visible()
    total = page.locator("table.ii06a tfoot tr")
    cells = [c.strip() for c in total.locator("td").all_inner_texts()]
    # col 3 = 2 received, col 11 = 2 pending, col 12 = 1 within, col 13 = 1 overdue
    assert cells[-11] == "2" and cells[-3:] == ["2", "1", "1"], cells

    assert page.get_by_label("Tính cho").input_value() == "receiving"
    # the same figures counted for the competent agencies: the centre resolves nothing
    page.get_by_label("Tính cho").select_option("competent")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("variant")).to_contain_text("tại cơ quan, đơn vị trực tiếp giải quyết")


def test_running_quarter_report_cannot_be_sent(live_server, page):
    from baocao.forms import current_quarter
    from thutuc import demo

    demo.seed(catalogue=False)
    year, quarter = current_quarter()
    base = live_server.url
    log_in(page, base, "lanhdao")
    draft_report(page, year, quarter)
    expect(page.get_by_test_id("not-yet")).to_contain_text("báo cáo gửi được từ ngày hôm sau")
    assert page.get_by_role("button", name="Gửi báo cáo đến Sở Nội vụ").count() == 0
