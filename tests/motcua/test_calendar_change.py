"""A working-calendar change, end to end in one process: the calendar's service announces it,
the task recomputes the open deadlines, resets the scan's watermark and rescans, in that
order (motcua/services/calendar_change.py; the worker and broker-outage version is in
tests/trust/test_failure_calendar.py)."""

import datetime as dt

import pytest

from motcua.alerts import kinds
from motcua.alerts.scan import SCAN_NAME, scan_deadlines
from motcua.models import AlertScanState, DossierEvent, EventAction, Notification, NotificationChannel, Status
from motcua.services.calendar_change import calendar_change_apply
from tests.timeutil import at
from thutuc.calendar_changes import CalendarChange
from thutuc.models import CalendarDay, CalendarDayKind
from thutuc.services import agency_save, calendar_day_save

pytestmark = pytest.mark.django_db


def unread_overdue(dossier):
    return Notification.objects.filter(
        dossier=dossier, kind=kinds.OVERDUE, channel=NotificationChannel.IN_APP, read_at__isnull=True
    )


def test_a_day_off_moves_the_deadline_then_the_rescan_follows_it(world, django_capture_on_commit_callbacks):  # noqa: F811
    dossier = world.dossier(processing=True, assignee=world.specialist)
    assert dossier.due_at == at(3, 9)  # received Monday 02/03 09:00, five working days
    scan_deadlines(full=True)  # overdue today: the alert about 09/03 exists
    assert list(unread_overdue(dossier).values_list("deadline", flat=True)) == [at(3, 9)]
    scan_deadlines()  # an incremental scan: the watermark is recent
    state = AlertScanState.objects.get(name=SCAN_NAME)
    assert state.scanned_until is not None
    last_full = state.full_scan_at

    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_save(
            day=CalendarDay(date=dt.date(2026, 3, 5), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ đột xuất")
        )
        dossier.refresh_from_db()
        assert dossier.due_at == at(3, 9)  # nothing before the commit

    dossier.refresh_from_db()
    # 1. recomputed
    assert dossier.due_at == dossier.original_due_at == at(3, 10)
    [event] = DossierEvent.objects.filter(dossier=dossier, action=EventAction.RECOMPUTE_DEADLINE)
    assert (event.due_at_before, event.due_at_after) == (at(3, 9), at(3, 10))
    # 2. watermark reset, then 3. rescanned: a full scan although the last one is minutes old,
    # which read the new deadline (recomputed before it) and resolved the alert about the old one
    state.refresh_from_db()
    assert state.full_scan_at > last_full
    assert list(unread_overdue(dossier).values_list("deadline", flat=True)) == [at(3, 10)]
    assert Notification.objects.filter(
        dossier=dossier, kind=kinds.OVERDUE, deadline=at(3, 9), read_at__isnull=False
    ).exists()

    # Run again (a redelivered task): nothing moves, nothing new is alerted.
    again = calendar_change_apply(changes=[CalendarChange(None, frozenset({dt.date(2026, 3, 5)}))])
    assert (again.moved, again.alerts_created, again.full_scan) == (0, 0, True)


def test_new_office_hours_recompute_the_agencys_dossiers_only(world, django_capture_on_commit_callbacks):  # noqa: F811
    here = world.dossier(processing=True)
    elsewhere = world.dossier(status=Status.PROCESSING, receiving_agency=world.other_department)
    with django_capture_on_commit_callbacks(execute=True):
        world.centre.saturday_hours = "08:00-12:00"
        agency_save(agency=world.centre)
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    # Saturday 07/03 morning now counts: 40 working hours from Monday 09:00 end on Saturday 09:00
    assert here.due_at == at(3, 7)
    assert elsewhere.due_at == at(3, 9)


def test_a_write_outside_the_services_announces_nothing(world, django_capture_on_commit_callbacks):  # noqa: F811
    """No model signal carries the flow: a calendar row saved by hand (a shell) moves no
    deadline until a service announces a change."""
    dossier = world.dossier(processing=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        CalendarDay.objects.create(date=dt.date(2026, 3, 5), kind=CalendarDayKind.DAY_OFF, reason="Bằng tay")
    assert callbacks == []
    dossier.refresh_from_db()
    assert dossier.due_at == at(3, 9)
