"""Deadline recomputation on calendar change, remaining working time, classification."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.models import DossierEvent, EventAction, Status
from motcua.services import transitions as t
from motcua.services.deadlines import (
    calendars_for,
    format_working_hours,
    recompute_open_deadlines,
    remaining_working_time,
)
from tests.motcua.factories_processing import papers
from thutuc.calendar import TZ, WorkingCalendar
from thutuc.models import CalendarDay, CalendarDayKind
from thutuc.services import calendar_day_save


def at(month, day, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.django_db
def test_calendar_change_recomputes_open_dossiers_only(world, django_capture_on_commit_callbacks):
    running = world.dossier(
        status=Status.PROCESSING, current_unit=world.unit
    )  # received Mon 02/03 09:00, due Mon 09/03 09:00
    waiting = world.dossier(status=Status.PROCESSING, current_unit=world.unit)
    t.dossier_request_supplement(
        dossier=waiting, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
    )
    promised = world.dossier(status=Status.PROCESSING, current_unit=world.unit)
    t.dossier_apologise(
        dossier=promised, actor=world.leader, reason="Chậm", new_due_at=at(3, 13), now=at(3, 4)
    )
    finished = world.dossier(status=Status.RESULT_READY, finished_at=at(3, 4))
    before = {d.pk: d.due_at for d in (running, waiting, promised, finished)}
    assert before[running.pk] == at(3, 9)

    # through the calendar's service, which enqueues the recomputation after commit
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_save(
            day=CalendarDay(
                date=dt.date(2026, 3, 5),
                kind=CalendarDayKind.DAY_OFF,
                reason="Nghỉ đột xuất",
                legal_document="QĐ 1/UBND",
            )
        )

    for dossier in (running, waiting, promised, finished):
        dossier.refresh_from_db()
    assert running.due_at == at(3, 10) and running.original_due_at == at(3, 10)
    assert waiting.due_at == before[waiting.pk]
    assert promised.due_at == at(3, 13)
    assert finished.due_at == before[finished.pk]
    [event] = DossierEvent.objects.filter(action=EventAction.RECOMPUTE_DEADLINE)
    assert event.dossier == running
    assert (event.due_at_before, event.due_at_after) == (at(3, 9), at(3, 10))
    # nothing moves a second time
    assert recompute_open_deadlines() == 0


@pytest.mark.django_db
def test_make_up_working_saturday_brings_deadlines_forward_and_agency_filter_applies(world):
    dossier = world.dossier()
    elsewhere = world.dossier(receiving_agency=world.other_department)
    CalendarDay.objects.create(
        date=dt.date(2026, 3, 7), kind=CalendarDayKind.WORKING_DAY, reason="Làm bù", agency=world.centre
    )
    assert recompute_open_deadlines(agency_ids=[world.centre.pk], dates=[dt.date(2026, 3, 7)]) == 1
    dossier.refresh_from_db()
    elsewhere.refresh_from_db()
    assert dossier.due_at == at(3, 7)  # Saturday 07/03 09:00 is now a working day
    assert elsewhere.due_at == at(3, 9)


@pytest.mark.django_db
def test_dates_before_every_deadline_are_not_even_read(world):
    dossier = world.dossier()
    CalendarDay.objects.create(date=dt.date(2026, 3, 20), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ")
    assert recompute_open_deadlines(dates=[dt.date(2026, 3, 20)]) == 0
    dossier.refresh_from_db()
    assert dossier.due_at == at(3, 9)


@pytest.mark.django_db
def test_recompute_queries_do_not_grow_with_dossiers(world, django_assert_max_num_queries):
    for _ in range(40):
        world.dossier()
    CalendarDay.objects.create(date=dt.date(2026, 3, 5), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ")
    with django_assert_max_num_queries(10):
        assert recompute_open_deadlines() == 40
    assert DossierEvent.objects.filter(action=EventAction.RECOMPUTE_DEADLINE).count() == 40


@pytest.mark.django_db
def test_calendars_for_builds_each_agency_calendar_in_one_query(world, django_assert_num_queries):
    world.centre.saturday_hours = "07:30-11:30"
    CalendarDay.objects.create(date=dt.date(2026, 3, 5), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ")
    CalendarDay.objects.create(
        date=dt.date(2026, 3, 6), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ", agency=world.department
    )
    with django_assert_num_queries(1):
        calendars = calendars_for([world.centre, world.department])
    assert not calendars[world.centre.pk].is_working_day(dt.date(2026, 3, 5))
    assert calendars[world.centre.pk].is_working_day(dt.date(2026, 3, 6))
    assert calendars[world.centre.pk].is_working_day(dt.date(2026, 3, 7))  # open Saturday morning
    assert not calendars[world.department.pk].is_working_day(dt.date(2026, 3, 6))


@pytest.mark.parametrize(
    "hours, text",
    [
        (Decimal(11), "1 ngày 3 giờ"),
        (Decimal(16), "2 ngày"),
        (Decimal("0.5"), "30 phút"),
        (Decimal("2.25"), "2 giờ 15 phút"),
        (Decimal(0), "0 phút"),
    ],
)
def test_format_working_hours(hours, text):
    assert format_working_hours(hours) == text


def test_remaining_working_time_counts_working_hours_only():
    calendar = WorkingCalendar()
    # Friday 06/03 14:00 → Monday 09/03 10:00: 3 + 2 working hours, the weekend skipped
    remaining = remaining_working_time(at(3, 9, 10), calendar=calendar, now=at(3, 6, 14))
    assert str(remaining) == "còn 5 giờ" and not remaining.overdue
    overdue = remaining_working_time(at(3, 6, 17), calendar=calendar, now=at(3, 10, 17))
    assert overdue.overdue and str(overdue) == "quá hạn 2 ngày"


@pytest.mark.parametrize(
    "due, now, text, overdue",
    [
        # due at the end of Friday, read on Saturday: no working minute has passed, yet the
        # deadline has — never "còn 0 phút"
        ((3, 6, 17), (3, 7, 10), "quá hạn từ 17:00 06/03/2026", True),
        ((3, 6, 17), (3, 6, 17), "quá hạn từ 17:00 06/03/2026", True),  # the very moment
        ((3, 6, 16, 59), (3, 6, 17, 30), "quá hạn 1 phút", True),
        ((3, 9, 10), (3, 9, 9), "còn 1 giờ", False),
        # due before office hours on Monday, read on Sunday: not passed, nothing left to work
        ((3, 9, 7), (3, 8, 10), "đến hạn lúc 07:00 09/03/2026", False),
    ],
)
def test_a_passed_deadline_always_reads_overdue(due, now, text, overdue):
    remaining = remaining_working_time(at(*due), calendar=WorkingCalendar(), now=at(*now))
    assert str(remaining) == text and remaining.overdue is overdue
    assert "còn 0" not in str(remaining)
