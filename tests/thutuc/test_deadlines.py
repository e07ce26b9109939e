"""The deadline rules (thutuc/deadlines.py), pure: no database, calendars built by hand."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from thutuc.calendar import TZ, WorkingCalendar, build_calendar
from thutuc.deadlines import (
    CLOCK_PAUSE,
    CLOCK_RESTART,
    EARLY,
    LATE,
    ON_TIME,
    SUPPLEMENT_CLOSE_AFTER_DAYS,
    apology_in_time,
    apology_last_day,
    case_due_at,
    classify_finished,
    classify_step,
    processing_due_at,
    statutory_due_at,
    step_due_at,
    supplement_close_at,
    transfer_due_at,
)

NATIONAL = WorkingCalendar()
UTC = dt.UTC


def at(month, day, hour=9, minute=0, year=2026):
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def case(amount, unit="working_days", cutoff=None):
    return SimpleNamespace(processing_time=Decimal(amount), processing_unit=unit, cutoff_time=cutoff)


def supplement(requested, fulfilled, policy=CLOCK_RESTART):
    return SimpleNamespace(requested_at=requested, fulfilled_at=fulfilled, clock_policy=policy)


# --- the statutory appointment ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "start", "expected", "what"),
    [
        (case(5), at(3, 2, 9), at(3, 9, 9), "five working days, a weekend skipped"),
        (case(3), at(2, 12, 10), at(2, 24, 10), "Tết 2026 (14–22/02) skipped"),
        (case(0, cutoff=dt.time(15)), at(3, 2, 14, 59), at(3, 2, 17), "within the day, before the cut-off"),
        (case(0, cutoff=dt.time(15)), at(3, 2, 15, 1), at(3, 3, 17), "within the day, after the cut-off"),
        (case(4, "working_hours"), at(3, 2, 10), at(3, 2, 15), "working hours, over the lunch break"),
        (case(5, "calendar_days"), at(3, 2, 10), at(3, 9, 8), "calendar days ending on a Saturday"),
        (case(1), at(3, 2, 20), at(3, 3, 17), "received in the evening: counted from the next opening"),
    ],
)
def test_the_appointment_of_a_case(terms, start, expected, what):
    assert case_due_at(NATIONAL, terms, start) == expected, what
    assert (
        processing_due_at(
            NATIONAL,
            start,
            amount=terms.processing_time,
            unit=terms.processing_unit,
            cutoff=terms.cutoff_time,
        )
        == expected
    )


def test_the_agencys_calendar_counts():
    closed_tuesday = build_calendar(overrides=[(dt.date(2026, 3, 3), "day_off")])
    assert case_due_at(closed_tuesday, case(1), at(3, 2, 10)) == at(3, 4, 10)
    saturday_mornings = build_calendar(saturday_hours="08:00-12:00")
    # Friday 14:00–17:00 (3 h), Saturday 08:00–12:00 (4 h), Monday 08:00–09:00 (1 h)
    assert case_due_at(saturday_mornings, case(1), at(3, 6, 14)) == at(3, 9, 9)
    assert case_due_at(NATIONAL, case(1), at(3, 6, 14)) == at(3, 9, 14)


def test_statutory_deadline_without_supplement_is_the_appointment():
    terms = case(5)
    assert statutory_due_at(NATIONAL, case=terms, received_at=at(3, 2)) == at(3, 9)
    unanswered = supplement(at(3, 3), None)
    assert statutory_due_at(NATIONAL, case=terms, received_at=at(3, 2), supplements=[unanswered]) == at(3, 9)


def test_a_complete_supplement_restarts_the_clock():
    """NĐ 61/2018/NĐ-CP Điều 19.4: counted again from zero when the complete supplement arrives."""
    restarted = supplement(at(3, 3), at(3, 5, 14))
    assert statutory_due_at(NATIONAL, case=case(5), received_at=at(3, 2), supplements=[restarted]) == at(
        3, 12, 14
    )


def test_a_paused_clock_adds_the_working_time_spent_waiting():
    # requested Tuesday 09:00, answered Thursday 09:00: 16 working hours waited
    paused = supplement(at(3, 3), at(3, 5), CLOCK_PAUSE)
    assert statutory_due_at(NATIONAL, case=case(5), received_at=at(3, 2), supplements=[paused]) == at(3, 11)


def test_supplements_apply_in_the_order_they_arrived():
    first = supplement(at(3, 3), at(3, 4, 9), CLOCK_PAUSE)  # +8 h: due Tuesday 10/03 09:00
    second = supplement(at(3, 6), at(3, 9, 9), CLOCK_RESTART)  # from Monday 09/03: 16/03
    result = statutory_due_at(NATIONAL, case=case(5), received_at=at(3, 2), supplements=[second, first])
    assert result == at(3, 16)


def test_a_step_deadline_is_its_allotment_from_the_hand_off():
    step = SimpleNamespace(allotted_time=Decimal(2), allotted_unit="working_days")
    assert step_due_at(NATIONAL, step, at(3, 2, 10)) == at(3, 4, 10)
    hours = SimpleNamespace(allotted_time=Decimal(3), allotted_unit="working_hours")
    assert step_due_at(NATIONAL, hours, at(3, 6, 16)) == at(3, 9, 10)


# --- early / on time / late -----------------------------------------------------------------------

DUE = at(3, 9, 9)  # Monday 09:00


@pytest.mark.parametrize(
    ("finished", "expected", "what"),
    [
        (at(3, 6, 16), EARLY, "an earlier day"),
        (at(3, 8, 23, 59), EARLY, "the evening before"),
        (at(3, 9, 0, 1), ON_TIME, "the due day, before the due hour"),
        (at(3, 9, 8, 59), ON_TIME, "a minute before the due moment: the date is what counts"),
        (at(3, 9, 9), ON_TIME, "the due moment"),
        (at(3, 9, 16, 59), ON_TIME, "the due day, after the due hour"),
        (at(3, 10, 8), LATE, "the next day"),
        (at(4, 1, 10), LATE, "weeks later"),
        # UTC input (PostgreSQL's): 08/03 17:30 UTC is 09/03 00:30 in Hà Nội
        (dt.datetime(2026, 3, 8, 17, 30, tzinfo=UTC), ON_TIME, "UTC, the due day in Hà Nội"),
        (dt.datetime(2026, 3, 8, 16, 30, tzinfo=UTC), EARLY, "UTC, the day before in Hà Nội"),
    ],
)
def test_finished_cases_are_classified_by_date(finished, expected, what):
    assert classify_finished(finished, DUE) == expected, what


def test_a_case_ended_on_the_applicants_side_is_on_time_whatever_the_dates():
    assert classify_finished(at(4, 1), DUE, always_on_time=True) == ON_TIME
    assert classify_finished(at(3, 2), DUE, always_on_time=True) == ON_TIME


def test_a_year_boundary():
    assert classify_finished(at(12, 31, 16, year=2025), at(1, 2, 9)) == EARLY
    assert classify_finished(at(1, 2, 17), at(12, 31, 16, year=2025)) == LATE


@pytest.mark.parametrize(
    ("ended", "expected"),
    [
        (at(3, 9, 10), LATE),  # an hour after the step deadline, the same day: late by the moment
        (at(3, 9, 8, 30), ON_TIME),
        (at(3, 9, 9), ON_TIME),
        (at(3, 6, 16), EARLY),
    ],
)
def test_routing_steps_are_classified_by_the_moment(ended, expected):
    assert classify_step(ended, DUE) == expected


# --- NĐ 118/2025/NĐ-CP: transfer, supplement closing, apology -----------------------------------
# Monday 02/03/2026 is an ordinary working Monday; Friday 06/03 the end of that week.


@pytest.mark.parametrize(
    ("received", "across", "due"),
    [
        # Điều 18 khoản 2: the same working day…
        (at(3, 2, 9), False, at(3, 2, 17)),
        (at(3, 2, 15, 0), False, at(3, 2, 17)),  # 15:00 exactly is still the same day
        (at(3, 2, 7, 30), False, at(3, 2, 17)),  # before the office opens
        # …or at the start of the next working day when received after 15:00 (first hour)
        (at(3, 2, 15, 1), False, at(3, 3, 9)),
        (at(3, 6, 16), False, at(3, 9, 9)),  # Friday after 15:00 → Monday morning
        (at(3, 7, 9), False, at(3, 9, 9)),  # a Saturday (no Saturday office) → Monday morning
        # Điều 20 khoản 1 điểm a: across administrative levels, within 01 working day
        (at(3, 2, 9), True, at(3, 3, 9)),
        (at(3, 6, 16), True, at(3, 9, 16)),
    ],
)
def test_transfer_deadline_nd118_art18_2_and_art20_1a(received, across, due):
    assert transfer_due_at(NATIONAL, received, across_levels=across) == due


def test_transfer_next_morning_skips_a_holiday_nd118_art18_2():
    # received Wednesday 29/04/2026 after 15:00; 30/04 and 01/05 are holidays, then a weekend
    assert transfer_due_at(NATIONAL, at(4, 29, 16), across_levels=False) == at(5, 4, 9)


def test_supplement_close_is_15_days_after_the_notice_or_a_later_sector_date_nd118_art19_5():
    requested = at(3, 2, 10)
    assert SUPPLEMENT_CLOSE_AFTER_DAYS == 15
    assert supplement_close_at(requested) == at(3, 17, 10)  # days, not working days
    assert supplement_close_at(requested, at(4, 1, 17)) == at(4, 1, 17)  # a sector law's longer period
    assert supplement_close_at(requested, at(3, 10, 17)) == at(3, 17, 10)  # never sooner than 15 days


@pytest.mark.parametrize(
    ("issued", "due", "in_time"),
    [
        # counted in days: the day before is enough whatever the hours (the hour-based rule
        # of NĐ 61 said 7 working hours from Friday 10:00 to Monday 09:00 was too late)
        (at(3, 6, 10), at(3, 9, 9), True),
        (at(3, 6, 16, 59), at(3, 9, 17), True),
        (at(3, 9, 8), at(3, 9, 17), False),  # on the due day itself
        (at(3, 7, 10), at(3, 9, 9), False),  # a Saturday is after Friday, the last working day
        (at(3, 2, 9), at(3, 9, 9), True),
    ],
)
def test_apology_at_the_latest_the_working_day_before_nd118_art19_6(issued, due, in_time):
    assert apology_in_time(NATIONAL, issued, due) is in_time
    assert apology_last_day(NATIONAL, at(3, 9, 9)) == dt.date(2026, 3, 6)
