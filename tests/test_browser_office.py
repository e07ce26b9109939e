"""Issue 13 §5 in Chromium: the reception officer prints the whole register of the year (not
the 50 rows on screen) and exports it to an Excel file laid out like an office's own; the
catalogue admin works in a Vietnamese admin, import screen included."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser import log_in
from tests.motcua.pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_printed_whole_and_exported_like_an_office_file(live_server, page):
    from django.utils import timezone

    from tests.motcua.factories import CaseFactory, receive_at_counter
    from tests.timeutil import local
    from thutuc import demo
    from thutuc.models import User

    demo.seed(catalogue=False)
    officer = User.objects.get(username="tiepnhan")
    case = CaseFactory()
    year = timezone.localdate().year
    codes = []
    for n in range(55):
        received_at = local(year, 1, 5 + n // 8, 8 + n % 8, 0)
        dossier, _pin = receive_at_counter(
            officer, case, f"Nguyễn Văn Số {n}", phone="0912345678", received_at=received_at
        )
        codes.append(dossier.code)
    base = live_server.url
    log_in(page, base, "tiepnhan")
    page.get_by_role("link", name="Sổ theo dõi").click()
    expect(page.get_by_role("heading", name=f"Sổ theo dõi hồ sơ năm {year}")).to_be_visible()
    assert page.get_by_label("Năm").input_value() == str(year)  # the box says the title's year
    expect(page.locator("table.register tbody tr")).to_have_count(50)

    link = page.get_by_role("link", name="In sổ (PDF A4, tất cả các trang)")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert codes[0] in text and codes[-1] in text and "55 hồ sơ" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel (tất cả các trang)").click()
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet.freeze_panes == "A5" and sheet.auto_filter.ref == "A4:M59"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
    assert sheet["H5"].is_date and sheet["A5"].value == 1


def test_catalogue_admin_works_in_vietnamese(live_server, page):
    from thutuc import demo

    demo.seed()
    base = live_server.url
    log_in(page, base, "quantri")
    page.get_by_role("link", name="Quản trị danh mục").click()
    body = page.locator("body")
    expect(body).not_to_contain_text("Toggle theme")
    expect(body).not_to_contain_text("Skip to main content")
    page.get_by_role("link", name="Thủ tục hành chính", exact=True).first.click()
    expect(body).not_to_contain_text("Show counts")
    expect(body).not_to_contain_text("Select all objects")
    page.get_by_role("link", name="Nhập từ Excel").click()
    expect(page.get_by_role("heading", name="Nhập từ Excel")).to_be_visible()
    expect(body).to_contain_text("Các cột sẽ được nhập")
    expect(body).not_to_contain_text("This importer will import")
    page.goto(f"{base}/quan-tri/auth/group/")
    page.get_by_role("link", name="Cán bộ một cửa").click()
    expect(body).not_to_contain_text("Can add")
    expect(body).to_contain_text("Hồ sơ một cửa | hồ sơ | Thêm hồ sơ")
