"""Every Excel export looks like an office's own file (issue 13 §5): dates are Excel dates,
numbers are numbers, the heading row is frozen and filtered, and the sheet prints on A4
landscape with its heading rows repeated — all through core.xlsx's one table writer."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.khieunai.factories import log_call, submit_feedback
from thutuc.models import Agency, User


def _book(content: bytes):
    return load_workbook(BytesIO(content))


def assert_office_sheet(sheet, *, heading_row: int):
    assert sheet.freeze_panes is not None and int(sheet.freeze_panes[1:]) > heading_row - 1
    assert (
        sheet.auto_filter.ref
        and sheet.auto_filter.ref.startswith("A")
        and str(heading_row) in sheet.auto_filter.ref
    )
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows and f"${heading_row}" in sheet.print_title_rows


def _column(sheet, heading_row: int, heading: str) -> list:
    headings = [c.value for c in sheet[heading_row]]
    index = headings.index(heading)
    return [row[index] for row in sheet.iter_rows(min_row=heading_row + 1)]


@pytest.fixture
def officer(province):
    return User.objects.get(username="tiepnhan")


def test_register_export(client, officer):
    from tests.motcua.factories import CaseFactory, receive_at_counter
    from tests.timeutil import local

    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    for day in (2, 3):
        receive_at_counter(
            officer, case, "=HYPERLINK(1)", phone="0912345678", received_at=local(2026, 3, day, 9, 0)
        )
    client.force_login(officer)
    sheet = _book(client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", {"nam": 2026}).content).active
    assert_office_sheet(sheet, heading_row=4)
    numbers = _column(sheet, 4, "STT")
    assert [c.value for c in numbers] == [1, 2] and numbers[0].number_format == "00"
    received = _column(sheet, 4, "Nhận hồ sơ")
    assert received[0].is_date and received[0].value.date() == dt.date(2026, 3, 2)
    assert received[0].number_format == "DD/MM/YYYY"
    names = _column(sheet, 4, "Tên cá nhân, tổ chức")
    assert names[0].value == "=HYPERLINK(1)" and names[0].data_type == "s"  # text, never a formula
    assert _column(sheet, 4, "Số lượng hồ sơ (bộ)")[0].data_type == "n"


def test_feedback_hotline_and_reception_exports(client, officer):
    from khieunai import services

    centre = Agency.objects.get(code="000.00.06.H99")
    submit_feedback(centre, channel="counter", title="Ghế chờ", content="Thiếu ghế", actor=officer)
    started = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    log_call(officer, started_at=started, line="1900", summary="Hỏi giấy tờ khai sinh", duration_seconds=205)
    services.citizen_reception_record(
        agency=officer.agency,
        received_on=timezone.localdate(),
        citizen_name="Ngô Văn Tâm",
        address="Xóm 2",
        content="Hỏi về đất",
        outcome="Hướng dẫn",
        people_count=2,
        actor=officer,
    )
    client.force_login(officer)

    feedback = _book(client.get("/khieu-nai/", {"xuat": "xlsx"}).content).active
    assert_office_sheet(feedback, heading_row=2)
    assert _column(feedback, 2, "Ngày nhận")[0].is_date

    day = started.date().isoformat()
    calls = _book(client.get("/duong-day-nong/xuat-excel/", {"tu": day, "den": day}).content).active
    assert_office_sheet(calls, heading_row=2)
    assert _column(calls, 2, "Thời điểm gọi")[0].is_date
    duration = _column(calls, 2, "Thời lượng")[0]
    assert duration.value == dt.timedelta(seconds=205) or duration.value == pytest.approx(205 / 86400)

    register = _book(client.get("/tiep-cong-dan/", {"xuat": "xlsx"}).content).active
    assert_office_sheet(register, heading_row=2)
    assert _column(register, 2, "Ngày tiếp")[0].is_date
    assert _column(register, 2, "Số người")[0].value == 2


def test_report_and_drill_down_exports(province):
    from baocao import exports, figures
    from baocao.periods import quarter_period
    from baocao.selectors import agency_scope
    from tests.motcua.factories import DossierFactory
    from tests.timeutil import local

    justice = Agency.objects.get(code="000.00.11.H99")
    DossierFactory(receiving_agency=justice, received_at=local(2026, 1, 5, 9))
    scope, period = agency_scope(justice), quarter_period(2026, 1)
    payload = figures.report_payload(
        scope=scope, period=period, title=justice.name, agency={"id": justice.pk}
    )
    book = _book(exports.build_xlsx(payload))
    for sheet in book.worksheets[:2]:
        assert_office_sheet(sheet, heading_row=8)
        assert sheet.print_title_rows == "$5:$8"
    assert book["Chỉ số khác"].page_setup.orientation == "landscape"
    from baocao import ii06a

    listing = _book(exports.dossiers_xlsx(ii06a.dossiers_in(scope, period, 3), title="Cột 3")).active
    assert_office_sheet(listing, heading_row=2)
    assert _column(listing, 2, "Tiếp nhận")[0].is_date and _column(listing, 2, "TT")[0].value == 1


def test_catalogue_export(client, province):
    from tests.motcua.factories import CaseFactory

    CaseFactory()
    client.force_login(User.objects.get(username="quantri"))
    response = client.get("/quan-tri/thutuc/procedure/xuat-excel/")
    assert response.status_code == 200, response.status_code
    sheet = _book(response.content).active
    assert_office_sheet(sheet, heading_row=1)
