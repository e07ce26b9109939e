"""Why an appointment falls on its date (thutuc.calendar_explain): table-driven, around
Tết 2026, the April–May holidays, a year boundary, cut-offs, make-up days and units."""

import datetime as dt

import pytest

from tests.timeutil import local, moment
from thutuc.calendar import WorkingCalendar, parse_hours
from thutuc.calendar_explain import (
    DaysOff,
    explain_deadline,
    format_duration,
    format_moment,
    holiday_label,
    skipped_and_added_days,
)

NATIONAL = WorkingCalendar()
SATURDAY_MORNINGS = WorkingCalendar(saturday_hours=parse_hours("08:00-12:00"))
WITH_OVERRIDES = WorkingCalendar(
    extra_days_off=frozenset({dt.date(2026, 1, 2)}), extra_working_days=frozenset({dt.date(2026, 1, 3)})
)
OVERRIDE_NAMES = {dt.date(2026, 1, 2): "Nghỉ hoán đổi theo Thông báo số 123/TB-BNV"}


TET_2026 = (dt.date(2026, 2, 16), dt.date(2026, 2, 20), ("Tết Nguyên Đán",))
TET_2027 = (dt.date(2027, 2, 4), dt.date(2027, 2, 10), ("Tết Nguyên Đán",))
NEW_YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 1, 1), ("Tết Dương lịch",))
NEW_YEAR_AND_SWAP = (dt.date(2026, 1, 1), dt.date(2026, 1, 2), ("Tết Dương lịch", *OVERRIDE_NAMES.values()))
HUNG_KINGS_2026 = (dt.date(2026, 4, 27), dt.date(2026, 4, 27), ("nghỉ bù Ngày Giỗ Tổ Hùng Vương",))
MAY_DAYS_2026 = (dt.date(2026, 4, 30), dt.date(2026, 5, 1), ("Ngày Chiến thắng", "Ngày Quốc tế Lao động"))


def case(name, received, duration, due, days_off=(), calendar=NATIONAL, cutoff=None, names=None, make_up=()):
    """One row: `duration` ("5 working_days") from `received` on `calendar` gives `due`,
    skipping `days_off` (runs of (first, last, names)) and working the `make_up` days."""
    amount, unit = duration.split()
    values = (calendar, moment(received), int(amount), unit, cutoff, names, moment(due), list(days_off))
    return pytest.param(*values, list(make_up), id=name)


CASES = [
    case("tet-2026-five-working-days", "13/02/2026 14:30", "5 working_days", "27/02/2026 14:30", [TET_2026]),
    case(
        "tet-2026-after-cutoff",
        "13/02/2026 15:30",
        "3 working_days",
        "25/02/2026 17:00",
        [TET_2026],
        cutoff=dt.time(15),
    ),
    case("received-on-saturday-in-tet", "14/02/2026 10:00", "1 working_days", "23/02/2026 17:00", [TET_2026]),
    case(
        "tet-2027-across-a-weekend-is-one-run",
        "03/02/2027 08:00",
        "3 working_days",
        "12/02/2027 17:00",
        [TET_2027],
    ),
    case(
        "hung-kings-and-may-day-2026",
        "24/04/2026 10:00",
        "7 working_days",
        "08/05/2026 10:00",
        [HUNG_KINGS_2026, MAY_DAYS_2026],
    ),
    case("year-boundary-new-year", "31/12/2025 09:00", "2 working_days", "05/01/2026 09:00", [NEW_YEAR_2026]),
    case(
        "admin-day-off-and-make-up-saturday",
        "31/12/2025 09:00",
        "5 working_days",
        "08/01/2026 09:00",
        [NEW_YEAR_AND_SWAP],
        calendar=WITH_OVERRIDES,
        names=OVERRIDE_NAMES,
        make_up=[dt.date(2026, 1, 3)],
    ),
    case("working-hours-over-tet", "13/02/2026 15:00", "4 working_hours", "23/02/2026 10:00", [TET_2026]),
    case("no-holiday-in-between", "02/03/2026 08:00", "3 working_days", "04/03/2026 17:00"),
    case(
        "saturday-morning-office",
        "06/03/2026 13:00",
        "1 working_days",
        "07/03/2026 12:00",
        calendar=SATURDAY_MORNINGS,
    ),
]


@pytest.mark.parametrize(
    ("calendar", "received", "amount", "unit", "cutoff", "names", "due", "days_off", "make_up"), CASES
)
def test_explanation_recomputes_the_deadline_and_lists_skipped_days(
    calendar, received, amount, unit, cutoff, names, due, days_off, make_up
):
    explanation = explain_deadline(
        calendar, received_at=received, amount=amount, unit=unit, cutoff=cutoff, day_names=names
    )
    assert explanation.due_at == due
    assert explanation.due_at == calendar.due_at(received, amount, unit, cutoff=cutoff)
    assert [(run.first, run.last, run.names) for run in explanation.days_off] == days_off
    assert list(explanation.make_up_days) == make_up
    text = explanation.text
    assert text.endswith(f"Hẹn trả kết quả: {format_moment(due)}.")
    for run in explanation.days_off:
        assert run.label() in text


def test_the_tet_2026_sentence_in_full():
    explanation = explain_deadline(
        NATIONAL, received_at=local(2026, 2, 13, 14, 30), amount=5, unit="working_days"
    )
    assert explanation.sentences() == [
        "Thời hạn giải quyết: 5 ngày làm việc.",
        "Thời hạn được tính từ lúc tiếp nhận hồ sơ: 14:30 thứ Sáu 13/02/2026.",
        "Không tính thứ Bảy, Chủ nhật và các ngày nghỉ: 16/02–20/02/2026 (Tết Nguyên Đán).",
        "Mỗi ngày làm việc gồm 8 giờ làm việc trong giờ hành chính.",
        "Hẹn trả kết quả: 14:30 thứ Sáu 27/02/2026.",
    ]


def test_after_cutoff_and_out_of_hours_say_why_the_count_starts_later():
    late = explain_deadline(
        NATIONAL, received_at=local(2026, 2, 13, 15, 30), amount=3, unit="working_days", cutoff=dt.time(15)
    )
    assert late.start_moved
    assert (
        "Hồ sơ được tiếp nhận lúc 15:30 thứ Sáu 13/02/2026, sau giờ chốt 15:00 trong ngày, "
        "nên thời hạn được tính từ 08:00 thứ Hai 23/02/2026." in late.text
    )
    evening = explain_deadline(NATIONAL, received_at=local(2026, 3, 2, 18), amount=1, unit="working_days")
    assert "ngoài giờ làm việc, nên thời hạn được tính từ 08:00 thứ Ba 03/03/2026." in evening.text


def test_make_up_day_and_saturday_office_wording():
    made_up = explain_deadline(
        WITH_OVERRIDES,
        received_at=local(2025, 12, 31, 9),
        amount=5,
        unit="working_days",
        day_names=OVERRIDE_NAMES,
    )
    assert "Có tính ngày làm bù: thứ Bảy 03/01/2026." in made_up.text
    saturday = explain_deadline(
        SATURDAY_MORNINGS, received_at=local(2026, 3, 6, 13), amount=1, unit="working_days"
    )
    assert "Không tính Chủ nhật, chiều thứ Bảy" in saturday.text
    assert "không có ngày nghỉ lễ, Tết" in saturday.text


def test_calendar_days_explain_the_roll_forward_and_list_nothing():
    explanation = explain_deadline(
        NATIONAL, received_at=local(2026, 2, 13, 14, 30), amount=15, unit="calendar_days"
    )
    assert explanation.due_at == local(2026, 3, 2, 8)  # 28/02 is a Saturday
    assert explanation.days_off == ()
    assert "Thời hạn giải quyết: 15 ngày." in explanation.text
    assert "kể cả ngày nghỉ" in explanation.text


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (5, "working_days", "5 ngày làm việc"),
        ("0.5", "working_days", "0,5 ngày làm việc"),
        ("10.0", "working_days", "10 ngày làm việc"),
        (4, "working_hours", "4 giờ làm việc"),
        (30, "calendar_days", "30 ngày"),
    ],
)
def test_format_duration(amount, unit, text):
    assert format_duration(amount, unit) == text


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Giao thừa Tết Nguyên Đán", "Tết Nguyên Đán"),
        ("Mùng bốn Tết Nguyên Đán", "Tết Nguyên Đán"),
        ("29 Tết", "Tết Nguyên Đán"),
        ("Ngày Giỗ Tổ Hùng Vương (nghỉ bù)", "nghỉ bù Ngày Giỗ Tổ Hùng Vương"),
        ("Quốc khánh", "Quốc khánh"),
        ("Tết Dương lịch", "Tết Dương lịch"),
    ],
)
def test_holiday_label(name, label):
    assert holiday_label(name) == label


def test_days_off_label_formats():
    assert (
        DaysOff(dt.date(2026, 9, 2), dt.date(2026, 9, 2), ("Quốc khánh",)).label()
        == "02/09/2026 (Quốc khánh)"
    )
    assert DaysOff(dt.date(2026, 12, 31), dt.date(2027, 1, 1), ()).label() == "31/12/2026–01/01/2027"


def test_unnamed_extra_day_off_gets_a_generic_name():
    calendar = WorkingCalendar(extra_days_off=frozenset({dt.date(2026, 3, 3)}))
    runs, _ = skipped_and_added_days(calendar, dt.date(2026, 3, 2), dt.date(2026, 3, 6))
    assert runs == (DaysOff(dt.date(2026, 3, 3), dt.date(2026, 3, 3), ("ngày nghỉ theo quyết định",)),)
