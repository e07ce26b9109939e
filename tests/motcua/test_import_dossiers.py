"""`manage.py import_dossiers`: all rows valid → all imported; one bad row → nothing."""

import datetime as dt
import functools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from core import pins
from motcua.models import Dossier, DossierEvent, EventAction, Status
from motcua.services.legacy_import import HEADER
from tests.timeutil import local

from .factories import legacy_row

pytestmark = pytest.mark.django_db


def write_csv(tmp_path, rows, header=HEADER):
    path = tmp_path / "ho-so-cu.csv"
    lines = [",".join(header)] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def legacy(officer, case):
    row = functools.partial(legacy_row, officer.agency, case)
    return [
        row("260302-0007,direct,Nguyễn Văn An,0912345678,2026-03-02 09:15,2026-03-05 09:15,2"),
        row(
            "260303-0001,online,Trần Thị Bình,,2026-03-03 10:00,2026-03-06 10:00,10,"
            "2026-03-05 16:00,2026-03-06 08:30"
        ),
        row("260301-0003,postal,Lê Văn Cường,,2026-03-01 08:00,2026-03-04 08:00,7,2026-03-02 11:00"),
    ]


def run(path):
    out, err = StringIO(), StringIO()
    call_command("import_dossiers", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_every_row(tmp_path, legacy, officer, receive):
    out, _err = run(write_csv(tmp_path, legacy))
    assert "Đã nhập 3 hồ sơ" in out
    dossiers = list(Dossier.objects.order_by("register_number"))
    # register numbers follow the order of receipt
    assert [d.code.rsplit("-", 2)[1] for d in dossiers] == ["260301", "260302", "260303"]
    assert [d.register_number for d in dossiers] == [1, 2, 3]
    returned = Dossier.objects.get(code=legacy[1][0])
    assert returned.status == Status.RETURNED and returned.outcome == "approved"
    assert returned.returned_at == local(2026, 3, 6, 8, 30)
    assert returned.is_imported and returned.channel == "online"
    assert Dossier.objects.get(code=legacy[2][0]).status == Status.WITHDRAWN
    events = DossierEvent.objects.filter(action=EventAction.IMPORT)
    assert events.count() == 3
    assert "dòng 2" in events.get(dossier__code=legacy[0][0]).note
    # nobody knows the PIN
    assert not pins.check_pin(returned.code, "", returned.pin_hash) and len(returned.pin_hash) == 64
    # the counter never reissues an imported code
    new, _pin = receive(received_at=local(2026, 3, 2, 14, 0))
    assert new.code == f"{officer.agency.code}-260302-0008"
    assert new.register_number == 4


def test_one_bad_row_imports_nothing_and_lists_every_reason(tmp_path, legacy, officer):
    code = officer.agency.code
    bad = [
        [
            "BAD-CODE",
            "9.999999",
            "000.99.99.H00",
            "fax",
            "",
            "",
            "02/03/2026",
            "2026-03-05 09:15",
            "11",
            "",
            "",
        ],
        [legacy[0][0], *legacy[0][1:]],  # duplicate of the first row
        [
            f"{code}-260304-0001",
            legacy[0][1],
            code,
            "direct",
            "Phạm D",
            "",
            "2026-03-04 09:00",
            "2026-03-07 09:00",
            "9",
            "",
            "",
        ],
        [
            f"{code}-260305-0001",
            legacy[0][1],
            code,
            "direct",
            "Phạm E",
            "",
            "2026-03-05 09:00",
            "2026-03-08 09:00",
            "4",
            "2026-03-06 09:00",
            "",
        ],
    ]
    with pytest.raises(CommandError) as error:
        run(write_csv(tmp_path, legacy + bad))
    assert "4 dòng lỗi" in str(error.value)
    assert not Dossier.objects.exists()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(write_csv(tmp_path, legacy + bad)), stderr=err)
    report = err.getvalue()
    assert "Dòng 5: mã thủ tục “9.999999” không có trong danh mục" in report
    assert "mã cơ quan “000.99.99.H00” không có" in report
    assert "mã hồ sơ “BAD-CODE” không đúng dạng" in report
    assert "kênh “fax”" in report and "“02/03/2026” không đúng dạng YYYY-MM-DD HH:MM" in report
    assert "trạng thái “11” phải là mã quốc gia từ 1 đến 10" in report
    assert "Dòng 6: mã hồ sơ trùng với dòng 2" in report
    assert "Dòng 7: trạng thái 9 cần thời điểm xử lý xong" in report
    assert "Dòng 8: hồ sơ trạng thái 4 chưa xử lý xong: finished_at phải để trống" in report


def test_code_already_in_database_is_refused(tmp_path, legacy):
    run(write_csv(tmp_path, legacy[:1]))
    with pytest.raises(CommandError):
        run(write_csv(tmp_path, legacy))
    assert Dossier.objects.count() == 1


def test_wrong_header_and_dry_run(tmp_path, legacy):
    with pytest.raises(CommandError):
        run(write_csv(tmp_path, legacy, header=["ma", "thu_tuc"]))
    out = StringIO()
    call_command("import_dossiers", str(write_csv(tmp_path, legacy)), "--dry-run", stdout=out)
    assert "Tệp hợp lệ" in out.getvalue() and not Dossier.objects.exists()


def test_xlsx_with_real_date_cells(tmp_path, legacy):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in legacy:
        cells = list(row)
        cells[6] = dt.datetime.strptime(cells[6], "%Y-%m-%d %H:%M")  # Excel dates arrive as datetimes
        cells[8] = int(cells[8])
        sheet.append(cells)
    path = tmp_path / "ho-so-cu.xlsx"
    book.save(path)
    out, _err = run(path)
    assert "Đã nhập 3 hồ sơ" in out
    assert Dossier.objects.get(code=legacy[0][0]).received_at == local(2026, 3, 2, 9, 15)


def test_an_import_asks_the_next_alert_scan_to_be_full(tmp_path, legacy, django_capture_on_commit_callbacks):
    """The import is one long transaction: its dossiers' change times can be older than the
    incremental scan's margin when it commits, so it resets the scan's watermark."""
    from motcua.alerts.scan import SCAN_NAME
    from motcua.models import AlertScanState

    state = AlertScanState.objects.create(
        name=SCAN_NAME, scanned_until=timezone.now(), changes_seen_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(write_csv(tmp_path, legacy))
    state.refresh_from_db()
    assert state.scanned_until is None


def test_dates_outside_the_plausible_range_are_refused(tmp_path, legacy, officer):
    """Issue 14 §2: a year-1 receipt or a year-9999 deadline is a typing slip, never history."""
    code = officer.agency.code
    year_one = [f"{code}-010101-0001", *legacy[0][1:6], "0001-01-01 00:00", "0001-01-04 00:00", "2", "", ""]
    far = [*legacy[1][:7], "9999-12-31 23:59", "2", "", ""]
    future = [
        *legacy[2][:6],
        "2026-03-01 08:00",
        "2026-03-04 08:00",
        "10",
        "2099-01-01 08:00",
        "2099-01-02 08:00",
    ]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(write_csv(tmp_path, [year_one, far, future])), stderr=err)
    report = err.getvalue()
    assert "Dòng 2: Thời điểm tiếp nhận không được trước 01/01/2000" in report
    assert "Dòng 3: Hạn trả kết quả phải trong khoảng từ 01/01/2000 đến 31/12/2100" in report
    assert "Dòng 4: Thời điểm xử lý xong không được ở tương lai" in report
    assert not Dossier.objects.exists()


def test_size_rows_and_columns_are_checked_before_parsing(tmp_path, legacy, settings):
    """Issue 14 §5: limits in settings, a Vietnamese reason, nothing imported."""
    settings.DOSSIER_IMPORT_MAX_ROWS = 2
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(write_csv(tmp_path, legacy)), stderr=err)
    assert "Tệp có hơn 2 dòng hồ sơ (giới hạn 2 dòng)" in err.getvalue()
    book = Workbook()
    book.active.append(HEADER)
    for row in legacy:
        book.active.append(row)
    path = tmp_path / "ho-so-cu.xlsx"
    book.save(path)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path), stderr=err)
    assert "hơn 2 dòng dữ liệu (giới hạn 2 dòng)" in err.getvalue()
    settings.DOSSIER_IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 100, 5
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(write_csv(tmp_path, legacy)), stderr=err)
    assert "Dòng 1: Dòng dài hơn 5 cột (giới hạn 5 cột)" in err.getvalue()
    assert not Dossier.objects.exists()
