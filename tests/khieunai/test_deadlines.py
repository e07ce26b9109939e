"""Each legal clock, with Tết 2026 (Mon 16/02 – Fri 20/02 off) inside the window."""

import pytest

from khieunai import deadlines
from tests.timeutil import local
from thutuc.calendar import Unit

pytestmark = pytest.mark.django_db


def test_units_are_as_the_law_writes_them():
    assert deadlines.FEEDBACK_TRIAGE.unit is Unit.WORKING_DAYS and deadlines.FEEDBACK_TRIAGE.amount == 5
    assert deadlines.COMPLAINT_ACCEPTANCE.unit is Unit.WORKING_DAYS
    assert deadlines.COMPLAINT_ACCEPTANCE.amount == 10
    for table in (deadlines.COMPLAINT_FIRST_INSTANCE, deadlines.COMPLAINT_SECOND_INSTANCE):
        assert {limit.unit for limit in table.values()} == {Unit.CALENDAR_DAYS}
    assert all(limit.basis for limit in deadlines.ALL_LIMITS.values())


@pytest.mark.parametrize(
    ("kind", "complex_", "remote", "second", "days"),
    [
        ("complaint", False, False, False, 30),
        ("complaint", True, False, False, 45),
        ("complaint", False, True, False, 45),
        ("complaint", True, True, False, 60),
        ("complaint", False, False, True, 45),
        ("complaint", True, False, True, 60),
        ("complaint", False, True, True, 60),
        ("complaint", True, True, True, 70),
        ("denunciation", False, False, False, 30),
        ("denunciation", True, False, False, 60),
    ],
)
def test_resolution_limits(kind, complex_, remote, second, days):
    limit = deadlines.resolution_limit(
        kind, is_complex=complex_, is_remote_area=remote, is_second_instance=second
    )
    assert limit.amount == days and limit.unit is Unit.CALENDAR_DAYS


def test_feedback_triage_five_working_days_skips_tet():
    # Thu 12/02 14:00 + 5 working days, Tết 16–20/02 and two weekends skipped.
    assert deadlines.compute(deadlines.FEEDBACK_TRIAGE, local(2026, 2, 12, 14)) == local(2026, 2, 26, 14)


def test_complaint_acceptance_ten_working_days_with_tet_inside():
    # Tue 10/02 09:00 + 10 working days: without Tết it would be Tue 24/02.
    assert deadlines.compute(deadlines.COMPLAINT_ACCEPTANCE, local(2026, 2, 10, 9)) == local(2026, 3, 3, 9)


def test_calendar_days_do_not_stop_for_tet():
    # Accepted Mon 02/02 10:00: 30 days later is Wed 04/03 10:00, Tết is counted.
    first = deadlines.COMPLAINT_FIRST_INSTANCE[(False, False)]
    assert deadlines.compute(first, local(2026, 2, 2, 10)) == local(2026, 3, 4, 10)
    assert deadlines.compute(
        deadlines.COMPLAINT_FIRST_INSTANCE[(True, True)], local(2026, 2, 2, 10)
    ) == local(2026, 4, 3, 10)
    assert deadlines.compute(
        deadlines.COMPLAINT_SECOND_INSTANCE[(True, True)], local(2026, 2, 2, 10)
    ) == local(2026, 4, 13, 10)


def test_calendar_day_limit_ending_in_tet_moves_to_next_working_day():
    # Accepted Fri 16/01 10:00 + 30 days = Sun 15/02; Tết follows → Mon 23/02 opening.
    first = deadlines.COMPLAINT_FIRST_INSTANCE[(False, False)]
    assert deadlines.compute(first, local(2026, 1, 16, 10)) == local(2026, 2, 23, 8)


def test_agency_override_extends_a_working_day_limit(justice):
    from thutuc.models import CalendarDay

    CalendarDay.objects.create(
        date=local(2026, 2, 25, 0).date(), kind="day_off", agency=justice, reason="Thử"
    )
    assert deadlines.compute(deadlines.FEEDBACK_TRIAGE, local(2026, 2, 12, 14), agency=justice) == local(
        2026, 2, 27, 14
    )
    assert deadlines.compute(deadlines.FEEDBACK_TRIAGE, local(2026, 2, 12, 14)) == local(2026, 2, 26, 14)
