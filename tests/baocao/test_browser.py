"""A unit leader writes and submits the quarter's report; Sở Nội vụ reads it in the overview,
drills into a number, returns it; the leader resubmits; both downloads open."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser import draft_report, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_report_cycle_between_unit_and_home_affairs(live_server, page, tmp_path):
    from baocao.forms import current_quarter
    from thutuc import demo
    from thutuc.models import Agency

    from .factories import DossierFactory, FieldFactory

    demo.seed()
    # the quarter before the current one: a report is sent once its period has ended
    year, quarter = current_quarter()
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    stp = Agency.objects.get(code="000.00.11.H99")
    from baocao.periods import quarter_period

    period = quarter_period(year, quarter)
    from django.utils import timezone

    received = timezone.make_aware(timezone.datetime.combine(period.start, timezone.datetime.min.time())) + (
        timezone.timedelta(hours=9)
    )
    field = FieldFactory(code="CT", name="Chứng thực")
    late = DossierFactory(
        receiving_agency=stp, case__procedure__field=field, received_at=received, returned_late=True
    )
    DossierFactory(receiving_agency=stp, case__procedure__field=field, received_at=received)
    base = live_server.url

    # 1. The leader of Sở Tư pháp writes and submits the report.
    log_in(page, base, "lanhdao")
    draft_report(page, year, quarter)
    page.get_by_label("Kết quả đạt được").fill("Giải quyết hồ sơ đúng quy trình.")
    page.get_by_label("Đề xuất, kiến nghị").fill("Bổ sung biên chế.")
    page.get_by_role("button", name="Lưu nội dung").click()
    page.get_by_role("button", name="Gửi báo cáo đến Sở Nội vụ").click()
    page.get_by_role("dialog").get_by_role("button", name="Gửi báo cáo đến Sở Nội vụ").click()  # confirm
    assert page.locator("#report-status").inner_text() == "Đã gửi"
    report_url = page.url
    _log_out(page)

    # 2. Sở Nội vụ sees it in the overview, drills into "resolved late", returns it.
    log_in(page, base, "sonoivu")
    page.get_by_role("link", name="Báo cáo các đơn vị").click()
    page.get_by_label("Năm").fill(str(year))
    page.get_by_label("Quý").select_option(str(quarter))
    page.get_by_role("button", name="Xem").click()
    row = page.locator("#units tr", has_text="Sở Tư pháp tỉnh Minh Sơn")
    assert "Đã gửi" in row.inner_text()
    row.get_by_role("link", name="Xem báo cáo").click()
    page.locator("table.ii06a tfoot a[data-col='10']").click()
    assert late.code in page.locator("#dossiers").inner_text()
    assert page.locator("#dossiers tbody tr").count() == 1
    page.goto(report_url)
    page.get_by_label("Lý do trả lại").fill("Bổ sung nguyên nhân hồ sơ quá hạn.")
    page.get_by_role("button", name="Trả lại báo cáo").click()
    assert page.locator("#report-status").inner_text() == "Bị trả lại"
    _log_out(page)

    # 3. The leader reads the comment, completes the report and resubmits it.
    log_in(page, base, "lanhdao")
    page.goto(report_url)
    assert "Bổ sung nguyên nhân hồ sơ quá hạn." in page.locator(".errorbox").inner_text()
    page.get_by_label("Nguyên nhân").fill("Thiếu công chức chứng thực.")
    page.get_by_role("button", name="Lưu nội dung").click()
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    page.get_by_role("dialog").get_by_role("button", name="Gửi lại báo cáo").click()  # confirm
    assert page.locator("#report-status").inner_text() == "Đã gửi lại"

    # 4. Both downloads open.
    page.get_by_role("button", name="Tải PDF").click()
    with page.expect_download() as pdf_download:
        page.locator("#download").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    page.goto(report_url)
    page.get_by_role("button", name="Tải Excel").click()
    with page.expect_download() as xlsx_download:
        page.locator("#download").click()
    xlsx_path = tmp_path / "report.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    sheet = load_workbook(io.BytesIO(xlsx_path.read_bytes()))["II.06a"]
    assert sheet["B9"].value == "Chứng thực" and sheet["B10"].value == "Tổng cộng" and sheet["C10"].value == 2
    import shutil
    import subprocess

    # The PDF is a real document that a viewer can draw, not only a "%PDF" header: poppler
    # renders its first page (into this test's own folder; `make test` installs poppler).
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "page")],
            check=True,
        )
        rendered = list(tmp_path.glob("page*.png"))
        assert len(rendered) == 1 and rendered[0].stat().st_size > 1000
