"""The working calendar's arithmetic, without the database (thutuc/calendar.py).

Table-driven cases for the 2024–2027 Vietnamese calendar as the `holidays` package 0.109
knows it, plus property tests with hypothesis. `NATIONAL` is the calendar every agency gets
once the package's make-up Saturdays are imported (the migration and `sync_calendar` do
that in the database; here they are passed in directly)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.timeutil import local
from thutuc import calendar as cal
from thutuc.calendar import TZ, Unit, WorkingCalendar, build_calendar, package_makeup_days, parse_hours

MAKEUP = package_makeup_days(range(2014, 2031))
NATIONAL = WorkingCalendar(extra_working_days=frozenset(MAKEUP))
# A one-stop centre open on Saturday morning.
SATURDAY_OPEN = build_calendar(
    saturday_hours="07:30-11:30", overrides=[(day, "working_day") for day in MAKEUP]
)
# Other office hours (still 8 hours a day), with an extra day off of its own.
EARLY = build_calendar(
    office_hours="07:30-11:30,13:00-17:00",
    overrides=[*((day, "working_day") for day in MAKEUP), (dt.date(2026, 3, 10), "day_off")],
)
PACKAGE_ONLY = WorkingCalendar()  # what the package alone says (no make-up day known)


D = dt.date


# --- which days work -------------------------------------------------------------------------------

DAYS = [
    # Tết Bính Ngọ 2026: Mon 16/02 – Fri 20/02 (+ the weekends around it).
    (D(2026, 2, 13), True, "Friday before Tết"),
    (D(2026, 2, 14), False, "Saturday before Tết"),
    (D(2026, 2, 15), False, "Sunday before Tết"),
    (D(2026, 2, 16), False, "Giao thừa"),
    (D(2026, 2, 17), False, "Mùng 1 Tết"),
    (D(2026, 2, 18), False, "Mùng 2"),
    (D(2026, 2, 19), False, "Mùng 3"),
    (D(2026, 2, 20), False, "Mùng 4"),
    (D(2026, 2, 21), False, "Saturday after Tết"),
    (D(2026, 2, 23), True, "first day back"),
    # Tết 2025: Mon 27/01 – Fri 31/01 (and Sat 01/02).
    (D(2025, 1, 24), True, "last day before Tết 2025"),
    (D(2025, 1, 27), False, "29 Tết 2025"),
    (D(2025, 1, 31), False, "Mùng 3 2025"),
    (D(2025, 2, 3), True, "back after Tết 2025"),
    # Giỗ Tổ Hùng Vương 2026 falls on Sunday 26/04: observed on Monday 27/04.
    (D(2026, 4, 26), False, "Giỗ Tổ (Sunday)"),
    (D(2026, 4, 27), False, "Giỗ Tổ observed"),
    (D(2026, 4, 28), True, "Tuesday after Giỗ Tổ"),
    (D(2025, 4, 7), False, "Giỗ Tổ 2025"),
    # 30/4 – 1/5.
    (D(2026, 4, 29), True, "29/04/2026"),
    (D(2026, 4, 30), False, "Ngày Chiến thắng 2026"),
    (D(2026, 5, 1), False, "Quốc tế Lao động 2026"),
    (D(2026, 5, 4), True, "Monday after 1/5/2026"),
    (D(2027, 5, 1), False, "1/5/2027 is a Saturday"),
    (D(2027, 5, 3), False, "1/5/2027 observed on Monday"),
    # 2025 swap: Friday 02/05 off, paid back on Saturday 26/04.
    (D(2025, 4, 26), True, "make-up Saturday 2025"),
    (D(2025, 4, 30), False, "30/04/2025"),
    (D(2025, 5, 1), False, "01/05/2025"),
    (D(2025, 5, 2), False, "swapped day off 2025"),
    (D(2025, 5, 5), True, "Monday 05/05/2025"),
    # 2024 swap: Monday 29/04 off, paid back on Saturday 04/05.
    (D(2024, 4, 29), False, "swapped day off 2024"),
    (D(2024, 5, 4), True, "make-up Saturday 2024"),
    # Quốc khánh: 2/9 plus one adjacent day.
    (D(2025, 9, 1), False, "01/09/2025"),
    (D(2025, 9, 2), False, "02/09/2025"),
    (D(2025, 9, 3), True, "03/09/2025"),
    (D(2026, 8, 22), True, "make-up Saturday 2026"),
    (D(2026, 8, 23), False, "Sunday 23/08/2026"),
    (D(2026, 8, 31), False, "swapped day off 31/08/2026"),
    (D(2026, 9, 1), False, "01/09/2026"),
    (D(2026, 9, 2), False, "02/09/2026"),
    (D(2026, 9, 3), True, "03/09/2026"),
    # Ngày Văn hóa Việt Nam, a holiday from 2026 in the package.
    (D(2025, 11, 24), True, "24/11/2025 (not yet a holiday)"),
    (D(2026, 11, 24), False, "Ngày Văn hóa Việt Nam 2026"),
    # New Year and ordinary weekends.
    (D(2025, 12, 31), True, "31/12/2025"),
    (D(2026, 1, 1), False, "Tết Dương lịch 2026"),
    (D(2026, 1, 2), True, "02/01/2026"),
    (D(2027, 1, 1), False, "Tết Dương lịch 2027"),
    (D(2026, 3, 7), False, "a Saturday"),
    (D(2026, 3, 8), False, "a Sunday"),
    (D(2026, 3, 9), True, "a Monday"),
]


@pytest.mark.parametrize(("day", "works", "what"), DAYS, ids=[row[2] for row in DAYS])
def test_working_days(day, works, what):
    assert NATIONAL.is_working_day(day) is works


@pytest.mark.parametrize("day", [D(2026, 8, 22), D(2025, 4, 26), D(2024, 5, 4)])
def test_the_package_alone_does_not_know_make_up_saturdays(day):
    # This is why the make-up days are imported into the override table.
    assert PACKAGE_ONLY.is_working_day(day) is False
    assert NATIONAL.is_working_day(day) is True


def test_a_make_up_saturday_has_full_weekday_hours():
    assert NATIONAL.periods(D(2026, 8, 22)) == parse_hours("08:00-12:00,13:00-17:00")
    assert SATURDAY_OPEN.periods(D(2026, 8, 22)) == parse_hours("08:00-12:00,13:00-17:00")
    assert SATURDAY_OPEN.periods(D(2026, 8, 15)) == parse_hours("07:30-11:30")


def test_a_holiday_on_saturday_closes_a_saturday_office():
    assert SATURDAY_OPEN.is_working_day(D(2027, 5, 1)) is False
    assert SATURDAY_OPEN.is_working_day(D(2027, 5, 8)) is True


def test_agency_day_off_and_datetime_argument():
    assert EARLY.is_working_day(D(2026, 3, 10)) is False
    assert NATIONAL.is_working_day(D(2026, 3, 10)) is True
    # A datetime is read as the local date it falls on (23:30 UTC on 21/08 is 22/08 in Hà Nội).
    assert NATIONAL.is_working_day(dt.datetime(2026, 8, 21, 23, 30, tzinfo=dt.UTC)) is True


HOLIDAY_NAMES = [
    (D(2026, 2, 17), "Tết Nguyên Đán"),
    (D(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
    (D(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
    (D(2026, 9, 2), "Quốc khánh"),
    (D(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
    (D(2026, 3, 9), None),
]


@pytest.mark.parametrize(("day", "name"), HOLIDAY_NAMES)
def test_holiday_names_are_vietnamese_whatever_the_locale(day, name):
    assert cal.national_holiday_name(day) == name


# --- make-up days from the package ---------------------------------------------------------------


def test_package_make_up_days_with_the_day_off_they_pay_for():
    found = package_makeup_days(range(2024, 2027))
    assert found == {
        D(2024, 5, 4): D(2024, 4, 29),  # the English label says "05/04/2024": month first
        D(2025, 4, 26): D(2025, 5, 2),
        D(2026, 8, 22): D(2026, 8, 31),
    }


def test_package_make_up_days_across_a_year_boundary():
    # Day off Monday 31/12/2018 paid back on Saturday 05/01/2019; 02/01/2015 on 27/12/2014.
    assert package_makeup_days([2019])[D(2019, 1, 5)] == D(2018, 12, 31)
    assert package_makeup_days([2014])[D(2014, 12, 27)] == D(2015, 1, 2)
    assert D(2014, 12, 27) not in package_makeup_days([2015])
    assert package_makeup_days([]) == {}
    assert all(day.weekday() == cal.SATURDAY for day in package_makeup_days(range(2010, 2031)))


# --- deadlines ----------------------------------------------------------------------------------------

WD, WH, CD = Unit.WORKING_DAYS, Unit.WORKING_HOURS, Unit.CALENDAR_DAYS

C15 = dt.time(15)


def due(start, amount, unit, expected, what, *, cutoff=None, cal=NATIONAL):
    """A row of DEADLINES: `amount` `unit`s from `start` are due at `expected` (`what` names
    the case), on the national calendar with no same-day cut-off unless said."""
    return (start, amount, unit, cutoff, cal, expected, what)


DEADLINES = [
    # The definition: the earliest moment at which the time has elapsed.
    due(local(2026, 3, 9, 8), 1, WD, local(2026, 3, 9, 17), "Mon 08:00 + 1 day = Mon 17:00"),
    due(local(2026, 3, 9, 10), 1, WD, local(2026, 3, 10, 10), "Mon 10:00 + 1 day = Tue 10:00"),
    due(local(2026, 3, 9, 10), 5, WD, local(2026, 3, 16, 10), "five days = next Monday"),
    due(local(2026, 3, 9, 8), 5, WD, local(2026, 3, 13, 17), "a week from Monday 08:00"),
    due(local(2026, 3, 9, 11), 1, WH, local(2026, 3, 9, 12), "may end exactly at 12:00"),
    due(local(2026, 3, 9, 11), 2, WH, local(2026, 3, 9, 14), "lunch break skipped"),
    # Tết 2026.
    due(local(2026, 2, 13, 10), 1, WD, local(2026, 2, 23, 10), "over Tết"),
    due(local(2026, 2, 13, 16), 1, WD, local(2026, 2, 23, 16), "late Friday over Tết"),
    due(local(2026, 2, 12, 14), 3, WD, local(2026, 2, 24, 14), "three days around Tết"),
    due(local(2026, 2, 17, 9), 1, WD, local(2026, 2, 23, 17), "received during Tết"),
    due(local(2025, 1, 24, 10), 2, WD, local(2025, 2, 4, 10), "over Tết 2025"),
    # Giỗ Tổ observed on Monday 27/04/2026, then 30/4 – 1/5.
    due(local(2026, 4, 24, 10), 1, WD, local(2026, 4, 28, 10), "over Giỗ Tổ observed"),
    due(local(2026, 4, 29, 10), 1, WD, local(2026, 5, 4, 10), "over 30/4 – 1/5"),
    due(local(2026, 4, 24, 10), 5, WD, local(2026, 5, 6, 10), "over both"),
    # 2025 swap: make-up Saturday 26/04, day off Friday 02/05.
    due(local(2025, 4, 25, 10), 1, WD, local(2025, 4, 26, 10), "into the make-up Saturday 2025"),
    due(local(2025, 4, 29, 10), 1, WD, local(2025, 5, 5, 10), "30/4, 1/5, 2/5 off"),
    # 2/9.
    due(local(2025, 8, 29, 10), 1, WD, local(2025, 9, 3, 10), "over 1–2/9/2025"),
    due(local(2026, 8, 21, 10), 1, WD, local(2026, 8, 22, 10), "into the make-up Saturday 2026"),
    due(local(2026, 8, 21, 10), 2, WD, local(2026, 8, 24, 10), "through the make-up Saturday"),
    due(local(2026, 8, 28, 10), 1, WD, local(2026, 9, 3, 10), "over 31/8, 1/9, 2/9/2026"),
    due(local(2026, 8, 22, 8), 1, WD, local(2026, 8, 22, 17), "a full make-up day"),
    # 24/11/2026.
    due(local(2026, 11, 23, 10), 1, WD, local(2026, 11, 25, 10), "over Ngày Văn hóa Việt Nam"),
    # Year boundaries.
    due(local(2025, 12, 31, 10), 1, WD, local(2026, 1, 2, 10), "31/12 -> 02/01"),
    due(local(2025, 12, 31, 16), 2, WH, local(2026, 1, 2, 9), "last hour of the year"),
    due(local(2026, 12, 31, 10), 1, WD, local(2027, 1, 4, 10), "31/12/2026 -> Monday"),
    due(local(2025, 12, 31, 10), 30, CD, local(2026, 1, 30, 10), "30 calendar days over New Year"),
    # Starts at night.
    due(local(2026, 3, 9, 20), 1, WD, local(2026, 3, 10, 17), "received at night"),
    due(local(2026, 3, 10, 6), 1, WD, local(2026, 3, 10, 17), "received before opening"),
    due(local(2026, 3, 9, 0), 1, WD, local(2026, 3, 9, 17), "received at midnight"),
    due(local(2026, 3, 9, 17), 1, WH, local(2026, 3, 10, 9), "received at closing"),
    # Starts at lunch.
    due(local(2026, 3, 9, 12, 30), 1, WH, local(2026, 3, 9, 14), "received at 12:30"),
    due(local(2026, 3, 9, 12, 30), 4, WH, local(2026, 3, 9, 17), "afternoon exactly"),
    due(local(2026, 3, 9, 12), 1, WH, local(2026, 3, 9, 14), "received at 12:00"),
    due(local(2026, 3, 9, 12, 30), 1, WD, local(2026, 3, 10, 12), "a day from lunch ends 12:00"),
    # Starts on a weekend.
    due(local(2026, 3, 7, 10), 1, WD, local(2026, 3, 9, 17), "received on Saturday"),
    due(local(2026, 3, 8, 23, 59), 1, WH, local(2026, 3, 9, 9), "received Sunday night"),
    # An agency open on Saturday morning (07:30–11:30).
    due(
        local(2026, 3, 6, 16), 1, WD, local(2026, 3, 9, 11), "Fri 1 h + Sat 4 h + Mon 3 h", cal=SATURDAY_OPEN
    ),
    due(local(2026, 3, 7, 10), 1, WH, local(2026, 3, 7, 11), "on Saturday morning", cal=SATURDAY_OPEN),
    due(local(2026, 3, 7, 12), 1, WH, local(2026, 3, 9, 9), "Saturday afternoon closed", cal=SATURDAY_OPEN),
    due(local(2026, 3, 7, 7), 4, WH, local(2026, 3, 7, 11, 30), "the whole Saturday", cal=SATURDAY_OPEN),
    due(local(2026, 8, 21, 16), 1, WD, local(2026, 8, 22, 16), "make-up Saturday is full", cal=SATURDAY_OPEN),
    due(local(2027, 4, 29, 16), 1, WD, local(2027, 5, 4, 16), "holiday on Saturday", cal=SATURDAY_OPEN),
    # Other office hours and an agency's own day off.
    due(local(2026, 3, 9, 7, 30), 1, WD, local(2026, 3, 9, 17), "07:30 opening", cal=EARLY),
    due(local(2026, 3, 9, 12), 1, WH, local(2026, 3, 9, 14), "11:30 closing", cal=EARLY),
    due(local(2026, 3, 9, 10), 1, WD, local(2026, 3, 11, 10), "agency day off skipped", cal=EARLY),
    # Calendar days: a closed result moves to the next working moment.
    due(local(2026, 3, 9, 10), 7, CD, local(2026, 3, 16, 10), "a week"),
    due(local(2026, 3, 9, 10), 5, CD, local(2026, 3, 16, 8), "lands on Saturday"),
    due(local(2026, 2, 11, 10), 5, CD, local(2026, 2, 23, 8), "lands in Tết"),
    due(local(2026, 3, 7, 10), 2, CD, local(2026, 3, 11, 8), "counted from Monday opening"),
    due(local(2026, 3, 9, 12, 30), 1, CD, local(2026, 3, 10, 13), "counted from 13:00"),
    due(local(2026, 8, 27, 10), 4, CD, local(2026, 9, 3, 8), "lands on 31/08/2026"),
    due(local(2026, 8, 17, 10), 5, CD, local(2026, 8, 22, 10), "lands on a make-up Saturday"),
    due(local(2026, 3, 2, 14), 5, CD, local(2026, 3, 9, 8), "Saturday afternoon closed", cal=SATURDAY_OPEN),
    due(local(2026, 3, 2, 10), 5, CD, local(2026, 3, 7, 10), "Saturday morning open", cal=SATURDAY_OPEN),
    # Same-day cut-off 15:00: "trong ngày; sau 15 giờ trả trong ngày làm việc tiếp theo".
    due(local(2026, 3, 9, 14, 59), 0, WD, local(2026, 3, 9, 17), "before the cut-off", cutoff=C15),
    due(local(2026, 3, 9, 15), 0, WD, local(2026, 3, 9, 17), "at the cut-off", cutoff=C15),
    due(local(2026, 3, 9, 15, 1), 0, WD, local(2026, 3, 10, 17), "after the cut-off", cutoff=C15),
    due(local(2026, 2, 13, 15, 30), 0, WD, local(2026, 2, 23, 17), "after it, before Tết", cutoff=C15),
    due(local(2026, 3, 7, 10), 0, WD, local(2026, 3, 9, 17), "on Saturday", cutoff=C15),
    due(local(2026, 3, 9, 20), 0, WD, local(2026, 3, 10, 17), "at night", cutoff=C15),
    due(local(2026, 3, 9, 16), 1, WD, local(2026, 3, 10, 17), "one day after the cut-off", cutoff=C15),
    due(local(2026, 3, 9, 10), 1, WD, local(2026, 3, 10, 10), "one day before it", cutoff=C15),
    due(local(2026, 3, 9, 16), 2, WH, local(2026, 3, 10, 10), "hours after the cut-off", cutoff=C15),
    due(local(2026, 3, 9, 16), 2, CD, local(2026, 3, 12, 8), "calendar days after it", cutoff=C15),
    due(local(2026, 3, 9, 16), 0, WD, local(2026, 3, 10, 17), "cut-off given as text", cutoff="15:00"),
    due(local(2026, 3, 9, 16), 1, WD, local(2026, 3, 10, 16), "no cut-off"),
    # Fractional amounts: half a day = 4 hours.
    due(local(2026, 3, 9, 8), Decimal("0.5"), WD, local(2026, 3, 9, 12), "half a day"),
    due(local(2026, 3, 9, 10), Decimal("0.5"), WD, local(2026, 3, 9, 15), "half a day from 10:00"),
    due(local(2026, 3, 9, 8), Decimal("1.5"), WD, local(2026, 3, 10, 12), "a day and a half"),
    due(local(2026, 3, 9, 8), "2.5", WH, local(2026, 3, 9, 10, 30), "2.5 hours as text"),
    due(local(2026, 3, 9, 8), 0.25, WH, local(2026, 3, 9, 8, 15), "a quarter hour (float)"),
    due(local(2026, 3, 9, 8), 0.1, WH, local(2026, 3, 9, 8, 6), "0.1 hour is exactly 6 minutes"),
    due(local(2026, 3, 9, 8), Decimal("0.5"), CD, local(2026, 3, 10, 8), "half a calendar day"),
    # Zero: the start itself if on duty (closing included), else the next opening.
    due(local(2026, 3, 9, 10), 0, WD, local(2026, 3, 9, 10), "zero at 10:00"),
    due(local(2026, 3, 9, 12), 0, WH, local(2026, 3, 9, 12), "zero at 12:00"),
    due(local(2026, 3, 9, 17), 0, WH, local(2026, 3, 9, 17), "zero at 17:00"),
    due(local(2026, 3, 9, 12, 30), 0, WH, local(2026, 3, 9, 13), "zero at lunch"),
    due(local(2026, 3, 9, 17, 30), 0, WD, local(2026, 3, 10, 8), "zero in the evening"),
    due(local(2026, 3, 7, 10), 0, WD, local(2026, 3, 9, 8), "zero on Saturday"),
    due(local(2026, 3, 9, 10), 0, CD, local(2026, 3, 9, 10), "zero calendar days"),
    # Inputs in another time zone are converted (PostgreSQL returns UTC).
    due(dt.datetime(2026, 3, 9, 3, tzinfo=dt.UTC), 1, WD, local(2026, 3, 10, 10), "UTC input"),
]


@pytest.mark.parametrize(
    ("start", "amount", "unit", "cutoff", "calendar", "expected", "what"),
    DEADLINES,
    ids=[row[-1] for row in DEADLINES],
)
def test_due_at(start, amount, unit, cutoff, calendar, expected, what):
    result = calendar.due_at(start, amount, unit, cutoff=cutoff)
    assert result == expected
    assert result.tzinfo is TZ
    assert result >= start


def test_unit_accepts_plain_strings_and_catalogue_choices():
    from thutuc.models import TimeUnit

    start = local(2026, 3, 9, 10)
    for unit in Unit:
        assert NATIONAL.due_at(start, 2, unit.value) == NATIONAL.due_at(start, 2, TimeUnit(unit.value))


@pytest.mark.parametrize(
    ("start", "amount", "unit", "error", "message"),
    [
        (dt.datetime(2026, 3, 9, 10), 1, WD, ValueError, "múi giờ"),
        (local(2026, 3, 9, 10), -1, WD, ValueError, "không được âm"),
        (local(2026, 3, 9, 10), "NaN", WD, ValueError, "không hợp lệ"),
        (local(2026, 3, 9, 10), "Infinity", WH, ValueError, "không hợp lệ"),
        (local(2026, 3, 9, 10), "năm", WD, ValueError, "không hợp lệ"),
        (local(2026, 3, 9, 10), 1, "weeks", ValueError, "weeks"),
        (D(2026, 3, 9), 1, WD, TypeError, "datetime"),
    ],
)
def test_bad_input_is_refused_clearly(start, amount, unit, error, message):
    with pytest.raises(error, match=message):
        NATIONAL.due_at(start, amount, unit)


def test_bad_cutoff_is_refused():
    with pytest.raises(ValueError, match="giờ chốt"):
        NATIONAL.due_at(local(2026, 3, 9, 10), 0, WD, cutoff="25:00")


# --- the other operations -------------------------------------------------------------------------

BETWEEN = [
    (local(2026, 3, 9, 8), local(2026, 3, 9, 17), Decimal(8)),
    (local(2026, 3, 9, 11), local(2026, 3, 9, 14), Decimal(2)),
    (local(2026, 3, 6, 16), local(2026, 3, 9, 9), Decimal(2)),
    (local(2026, 2, 13, 8), local(2026, 2, 23, 17), Decimal(16)),
    (local(2026, 3, 7, 8), local(2026, 3, 8, 17), Decimal(0)),
    (local(2026, 3, 9, 17), local(2026, 3, 9, 8), Decimal(-8)),
    (local(2026, 8, 21, 8), local(2026, 8, 24, 8), Decimal(16)),
    (local(2026, 3, 9, 8), local(2026, 3, 9, 8, 6), Decimal("0.1")),
]


@pytest.mark.parametrize(("start", "end", "hours"), BETWEEN)
def test_working_hours_between(start, end, hours):
    assert NATIONAL.working_hours_between(start, end) == hours


NEXT_MOMENTS = [
    (local(2026, 3, 9, 10), local(2026, 3, 9, 10)),
    (local(2026, 3, 9, 8), local(2026, 3, 9, 8)),
    (local(2026, 3, 9, 12), local(2026, 3, 9, 13)),
    (local(2026, 3, 9, 12, 30), local(2026, 3, 9, 13)),
    (local(2026, 3, 9, 17), local(2026, 3, 10, 8)),
    (local(2026, 3, 9, 23, 59), local(2026, 3, 10, 8)),
    (local(2026, 2, 13, 17), local(2026, 2, 23, 8)),
    (local(2026, 8, 21, 17), local(2026, 8, 22, 8)),
    (local(2026, 12, 31, 17), local(2027, 1, 4, 8)),
]


@pytest.mark.parametrize(("moment", "expected"), NEXT_MOMENTS)
def test_next_working_moment(moment, expected):
    assert NATIONAL.next_working_moment(moment) == expected
    assert NATIONAL.is_working_moment(expected)
    assert NATIONAL.is_working_moment(moment) is (moment == expected)


def test_next_working_day_and_end_of_day():
    assert NATIONAL.next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)
    assert NATIONAL.next_working_day(D(2026, 8, 21)) == D(2026, 8, 22)
    assert NATIONAL.end_of_working_day(D(2026, 3, 9)) == local(2026, 3, 9, 17)
    assert SATURDAY_OPEN.end_of_working_day(D(2026, 3, 7)) == local(2026, 3, 7, 11, 30)
    with pytest.raises(ValueError, match="không phải ngày làm việc"):
        NATIONAL.end_of_working_day(D(2026, 3, 8))


# --- office hours ------------------------------------------------------------------------------------

HOURS_OK = [
    ("08:00-12:00,13:00-17:00", ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))),
    (" 7:30 - 11:30 , 13:00-17:00 ", ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13), dt.time(17)))),
    ("07h30-11h30", ((dt.time(7, 30), dt.time(11, 30)),)),
    ("08:00–12:00", ((dt.time(8), dt.time(12)),)),
    ("", ()),
    ("  ", ()),
]


@pytest.mark.parametrize(("text", "periods"), HOURS_OK)
def test_parse_hours(text, periods):
    assert parse_hours(text) == periods


HOURS_BAD = [
    ("8-12", "không đúng dạng"),
    ("08:00-12:00;13:00-17:00", "không đúng dạng"),
    ("25:00-26:00", "giờ không hợp lệ"),
    ("08:60-12:00", "giờ không hợp lệ"),
    ("12:00-08:00", "phải trước"),
    ("08:00-08:00", "phải trước"),
    ("13:00-17:00,08:00-12:00", "tăng dần"),
    ("08:00-12:00,11:00-17:00", "tăng dần"),
    ("08:00-12:00,,13:00-17:00", "thiếu khoảng giờ"),
]


@pytest.mark.parametrize(("text", "message"), HOURS_BAD)
def test_parse_hours_refuses_in_vietnamese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_hours(text)


def test_period_hours_and_calendar_construction():
    assert cal.period_hours(parse_hours("07:30-11:30,13:30-17:00")) == Decimal("7.5")
    assert cal.period_hours(parse_hours(cal.DEFAULT_OFFICE_HOURS)) == cal.HOURS_PER_WORKING_DAY
    with pytest.raises(ValueError, match="thứ Hai đến thứ Sáu"):
        WorkingCalendar(weekday_hours=())
    with pytest.raises(ValueError, match="vừa nghỉ vừa làm việc"):
        WorkingCalendar(
            extra_days_off=frozenset({D(2026, 3, 9)}), extra_working_days=frozenset({D(2026, 3, 9)})
        )
    with pytest.raises(ValueError, match="loại ngày"):
        build_calendar(overrides=[(D(2026, 3, 9), "holiday")])
    # A later override of the same date wins (the agency's comes after the national one).
    merged = build_calendar(overrides=[(D(2026, 8, 22), "working_day"), (D(2026, 8, 22), "day_off")])
    assert merged.is_working_day(D(2026, 8, 22)) is False


# --- properties (hypothesis) -----------------------------------------------------------------------

CALENDARS = st.sampled_from([NATIONAL, SATURDAY_OPEN, EARLY])
# Any moment from 2024 to 2027 (Tết, swaps and year ends included), to the microsecond.
STARTS = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31, 23, 59), timezones=st.just(TZ)
)
# Working hours in hundredths (36 s): exact in microseconds, so equalities are exact.
HOURS = st.decimals(min_value=0, max_value=120, places=2)
POSITIVE_HOURS = st.decimals(min_value=Decimal("0.01"), max_value=120, places=2)
PROPERTY_SETTINGS = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def on_duty_period(calendar, moment):
    """The office period [opening, closing] containing `moment`, if any."""
    for begin, end in calendar._intervals(moment.date()):
        if begin <= moment <= end:
            return begin, end
    return None


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=STARTS, hours=POSITIVE_HOURS)
def test_property_result_lies_in_an_office_period_and_after_the_start(calendar, start, hours):
    result = calendar.add_working_hours(start, hours)
    assert result > start
    period = on_duty_period(calendar, result)
    assert period is not None, f"{result} is outside office hours"
    begin, end = period
    assert begin < result <= end  # may be exactly 12:00 or 17:00, never the opening


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=STARTS, first=HOURS, second=HOURS)
def test_property_adding_a_then_b_equals_adding_a_plus_b(calendar, start, first, second):
    step = calendar.add_working_hours(calendar.add_working_hours(start, first), second)
    assert step == calendar.add_working_hours(start, first + second)


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=STARTS, days=st.decimals(min_value=0, max_value=30, places=1))
def test_property_working_days_are_eight_working_hours(calendar, start, days):
    assert calendar.due_at(start, days, WD) == calendar.add_working_hours(start, days * 8)
    assert calendar.due_at(start, days, WD) >= start


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=STARTS, hours=HOURS)
def test_property_elapsed_working_time_is_what_was_added(calendar, start, hours):
    result = calendar.add_working_hours(start, hours)
    assert calendar.working_hours_between(start, result) == hours
    # ... and it is the earliest such moment: a minute earlier, less time had elapsed.
    if hours > 0:
        assert calendar.working_hours_between(start, result - dt.timedelta(minutes=1)) < hours


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=STARTS, first=HOURS, second=HOURS)
def test_property_more_time_never_gives_an_earlier_deadline(calendar, start, first, second):
    low, high = sorted((first, second))
    assert calendar.add_working_hours(start, low) <= calendar.add_working_hours(start, high)


@PROPERTY_SETTINGS
@given(calendar=CALENDARS, start=STARTS, days=st.integers(min_value=0, max_value=60))
def test_property_calendar_days(calendar, start, days):
    result = calendar.due_at(start, days, CD)
    assert result >= start + dt.timedelta(days=days)
    assert result >= start
    if days:
        assert calendar.is_working_moment(result)
        assert calendar.due_at(start, days + 1, CD) >= result


@PROPERTY_SETTINGS
@given(
    calendar=CALENDARS,
    start=STARTS,
    amount=st.integers(min_value=0, max_value=10),
    unit=st.sampled_from(list(Unit)),
    cutoff=st.sampled_from([None, dt.time(15), dt.time(11), dt.time(16, 30)]),
)
def test_property_due_at_never_precedes_the_start_nor_lands_off_duty(calendar, start, amount, unit, cutoff):
    result = calendar.due_at(start, amount, unit, cutoff=cutoff)
    assert result >= start
    assert on_duty_period(calendar, result) is not None
    if cutoff is not None:
        assert result >= calendar.due_at(start, amount, unit)  # a cut-off only ever adds time


def walked_working_hours(calendar, start, end):
    """The definition of elapsed working time, day by day (what the fast count must equal)."""
    total = dt.timedelta(0)
    day = start.astimezone(TZ).date()
    while day <= end.astimezone(TZ).date():
        for begin, finish in calendar._intervals(day):
            lo, hi = max(begin, start), min(finish, end)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    micro = (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds
    return Decimal(micro) / Decimal(3_600_000_000)


EXTRA_DAYS = build_calendar(
    saturday_hours="07:30-11:30",
    overrides=[(D(2025, 3, 4), "day_off"), (D(2025, 3, 8), "working_day"), (D(2026, 2, 16), "working_day")],
)


@PROPERTY_SETTINGS
@given(
    calendar=st.sampled_from([NATIONAL, SATURDAY_OPEN, EARLY, EXTRA_DAYS, PACKAGE_ONLY]), a=STARTS, b=STARTS
)
def test_property_elapsed_working_time_over_years_equals_the_day_by_day_count(calendar, a, b):
    # The whole days between the ends are counted arithmetically (worklists show the
    # overdue time of dossiers years old); the answer is the day-by-day one.
    start, end = sorted((a, b))
    assert calendar.working_hours_between(start, end) == walked_working_hours(calendar, start, end)
    assert calendar.working_hours_between(end, start) == -walked_working_hours(calendar, start, end)
