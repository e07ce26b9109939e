"""The catalogue flows a person clicks through, in Debian's Chromium driven by Playwright."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from thutuc import calendar_store
from thutuc.calendar import TZ
from thutuc.catalogue import excel as x
from thutuc.catalogue import views

from .excel_helpers import edit, export_bytes, line_of, rows_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_imports_excel_fixes_a_bad_row_and_citizen_finds_procedure(
    live_server, page, tmp_path, monkeypatch
):
    from thutuc import demo
    from thutuc.models import Agency, ProcedureCase

    demo.seed()
    content = export_bytes()
    line = line_of(content, "1.004873")
    unchanged = rows_of(content) - 1
    bad = tmp_path / "danh-muc-loi.xlsx"
    bad.write_bytes(edit(content, {(line, x.COL_TIME): "ba"}))
    fixed = tmp_path / "danh-muc-da-sua.xlsx"
    fixed.write_bytes(
        edit(
            content,
            {
                (line, x.COL_TIME): "2",
                (line, x.COL_STEPS): "Tiếp nhận | 000.17.22.H99 | Bộ phận một cửa | 4 | giờ làm việc\n"
                "Xử lý, trình ký | | Chuyên viên xử lý | 12 | giờ làm việc",
            },
        )
    )

    # The catalogue admin logs in and opens the import page from the procedure list.
    log_in(page, live_server.url, "quantri")
    page.goto(f"{live_server.url}/quan-tri/thutuc/procedure/")
    page.get_by_role("link", name="Nhập từ Excel").click()

    # A file with a bad row: the preview names the line and the reason, offers no confirm.
    page.get_by_label("Tệp Excel cần nhập").set_input_files(str(bad))
    page.get_by_role("button", name="Xem trước").click()
    errors = page.locator("table.import-errors")
    expect(errors.get_by_text(f"Dòng {line}", exact=True)).to_be_visible()
    expect(errors.get_by_text("Thời hạn «ba» không phải là số.")).to_be_visible()
    assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
    assert ProcedureCase.objects.get(procedure__code="1.004873").processing_time == 3

    # The fixed file: a preview with one update, then the confirmed import.
    page.get_by_label("Tệp Excel cần nhập").set_input_files(str(fixed))
    page.get_by_role("button", name="Xem trước").click()
    expect(
        page.get_by_text(f"0 trường hợp thêm mới, 1 cập nhật, {unchanged} không thay đổi.")
    ).to_be_visible()
    expect(page.locator("tr.update")).to_have_count(1)
    expect(page.locator("tr.update ins").first).to_be_visible()  # the changed cell is highlighted
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(
        page.get_by_text(f"Đã nhập xong: 0 trường hợp thêm mới, 1 cập nhật, {unchanged} không thay đổi.")
    ).to_be_visible()
    assert ProcedureCase.objects.get(procedure__code="1.004873").processing_time == 2
    page.context.clear_cookies()  # from here on, an anonymous citizen

    # A citizen searches from the home page without diacritics and opens the procedure.
    now = dt.datetime(2026, 11, 23, 9, 30, tzinfo=TZ)  # a Monday morning
    monkeypatch.setattr(views, "clock", lambda: now)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên, mã thủ tục hoặc lĩnh vực").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    expect(page.get_by_role("heading", name="Thủ tục đăng ký khai sinh", exact=True)).to_be_visible()
    first_case = ProcedureCase.objects.get(procedure__code="1.001193", order=1)
    expected = calendar_store.due_at(
        now,
        first_case.processing_time,
        first_case.processing_unit,
        agency=Agency.objects.get(code="000.17.22.H99"),
        cutoff=first_case.cutoff_time,
    ).astimezone(TZ)
    appointment = page.locator(".appointment strong").first
    assert appointment.inner_text() == f"{expected:%H:%M} ngày {expected:%d/%m/%Y}"
    assert page.get_by_text("Tờ khai đăng ký khai sinh theo mẫu", exact=False).first.is_visible()


def test_a_long_file_is_checked_in_the_background_then_confirmed(live_server, page, tmp_path, settings):
    """Issue 14 §5: a file above CATALOGUE_IMPORT_INLINE_ROWS lands on its job's page (the
    task runs in-process here: eager Celery), which shows the check's totals and the confirm
    button; confirming imports it."""
    from thutuc import demo
    from thutuc.models import ImportJob, ProcedureCase

    demo.seed()
    settings.CATALOGUE_IMPORT_INLINE_ROWS = 10
    content = export_bytes()
    line = line_of(content, "1.004873")
    rows = rows_of(content)
    changed = tmp_path / "danh-muc-dai.xlsx"
    changed.write_bytes(edit(content, {(line, x.COL_CASE_NAME): "Trường hợp đổi tên"}))

    log_in(page, live_server.url, "quantri")
    page.goto(f"{live_server.url}/quan-tri/thutuc/procedure/import/")
    page.get_by_label("Tệp Excel cần nhập").set_input_files(str(changed))
    page.get_by_role("button", name="Xem trước").click()

    expect(page.get_by_text(f"Tệp có {rows} dòng: đang kiểm tra trong nền")).to_be_visible()
    expect(page.get_by_text(f"0 trường hợp thêm mới, 1 cập nhật, {rows - 1} không thay đổi.")).to_be_visible()
    assert ProcedureCase.objects.get(procedure__code="1.004873").name != "Trường hợp đổi tên"
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("heading", name="Đã nhập xong", exact=True)).to_be_visible()
    assert ProcedureCase.objects.get(procedure__code="1.004873").name == "Trường hợp đổi tên"
    assert ImportJob.objects.get().status == "done"
