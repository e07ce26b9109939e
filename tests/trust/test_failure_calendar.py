"""A calendar override saved while the deadline scan runs (two threads, two connections).

Two interleavings are forced with pauses placed inside the real code (test-only wrappers,
the database is real):
- the scan has read the dossiers (old deadlines) when the override commits and the
  deadlines are recomputed; the scan then writes its alerts;
- the recomputation holds its batch of dossiers locked (new deadlines not committed) while
  the scan reads them.
After both threads end: every open dossier's deadline is the one recomputed under the new
calendar; no unread alert is about an old deadline; the alerts for the new deadline exist
once per recipient."""

import datetime as dt
import logging
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from motcua.alerts import kinds
from motcua.alerts import scan as scan_module
from motcua.models import Dossier, Notification, NotificationChannel
from motcua.services import deadlines
from tests.factories import UserFactory
from tests.motcua.factories import CaseFactory, receive_at_counter, reception_officer
from thutuc import deadlines as rules
from thutuc.accounts.roles import Role
from thutuc.calendar import TZ
from thutuc.calendar_store import get_calendar
from thutuc.models import CalendarDay, User
from thutuc.models.calendar import CalendarDayKind
from thutuc.services import calendar_day_save

from .failure import (
    celery_on,
    needs_postgresql,
    needs_redis_server,
    running_redis,
    start_worker,
    wait_for,
)

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_dossiers():
    """Three dossiers received some two weeks ago, overdue now, with a leader and a specialist
    to alert, and the working day after their receipt (the day the override will close)."""
    officer = reception_officer()
    case = CaseFactory(processing_time=Decimal("3"), processing_unit="working_days")
    for role in (Role.SPECIALIST, Role.LEADER):
        UserFactory(agency=officer.agency, roles=[role], email=f"{role}@example.vn")
    calendar = get_calendar()
    day = timezone.localdate() - dt.timedelta(days=16)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    dossiers = [
        receive_at_counter(
            officer, case, f"Trần Thị {i}", received_at=dt.datetime.combine(day, dt.time(9 + i), TZ)
        )[0]
        for i in range(3)
    ]
    return dossiers, calendar.next_working_day(day + dt.timedelta(days=1))


def _save_override(day: dt.date) -> None:
    try:
        calendar_day_save(day=CalendarDay(date=day, kind=CalendarDayKind.DAY_OFF, reason="Nghỉ bù đột xuất"))
    finally:
        connections.close_all()


def _scan() -> None:
    try:
        scan_module.scan_deadlines()
    finally:
        connections.close_all()


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _assert_consistent(dossiers, old_due):
    calendars = deadlines.calendars_for([dossiers[0].receiving_agency])
    for dossier in Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).select_related("case"):
        expected = rules.statutory_due_at(
            calendars[dossier.receiving_agency_id], case=dossier.case, received_at=dossier.received_at
        )
        assert dossier.due_at == expected, dossier.code
        assert expected > old_due[dossier.pk]  # the override did move it
        unread = Notification.objects.filter(
            dossier=dossier,
            channel=NotificationChannel.IN_APP,
            kind__in=kinds.DOSSIER_DEADLINE_KINDS,
            read_at__isnull=True,
        )
        assert not unread.exclude(deadline=dossier.due_at).exists(), list(
            unread.values_list("kind", "deadline")
        )
        overdue = list(unread.filter(kind=kinds.OVERDUE).values_list("recipient", flat=True))
        assert len(overdue) == len(set(overdue)) == 2  # the specialist and the leader, once each
        # and the alert about the old deadline exists, resolved
        assert Notification.objects.filter(
            dossier=dossier, kind=kinds.OVERDUE, deadline=old_due[dossier.pk], read_at__isnull=False
        ).exists()


def test_override_committed_after_the_scan_read_the_dossiers(open_dossiers, monkeypatch):
    dossiers, closed_day = open_dossiers
    scan_module.scan_deadlines()  # the alerts of the old deadlines exist before
    old_due = {d.pk: d.due_at for d in dossiers}
    scan_read, go_on = threading.Event(), threading.Event()
    find_alerts = scan_module.find_alerts

    def find_then_pause(**kwargs):
        found = find_alerts(**kwargs)
        if threading.current_thread().name == "scan":
            scan_read.set()
            go_on.wait(timeout=60)
        return found

    monkeypatch.setattr(scan_module, "find_alerts", find_then_pause)
    # a full scan, like the one after a calendar change, so that every candidate is read
    scan_module.reset_scan_watermark()
    scanner = threading.Thread(target=_scan, name="scan")
    scanner.start()
    assert scan_read.wait(timeout=60)
    editor = threading.Thread(target=_save_override, args=(closed_day,), name="override")
    editor.start()
    # the new deadlines are committed while the scan still holds the old ones
    wait_for(
        lambda: all(Dossier.objects.get(pk=pk).due_at != due for pk, due in old_due.items()),
        timeout=60,
        what="the recomputed deadlines to be committed",
    )
    go_on.set()
    scanner.join(timeout=60)
    editor.join(timeout=60)
    assert not scanner.is_alive() and not editor.is_alive()
    _assert_consistent(dossiers, old_due)


def test_scan_reads_while_the_recomputation_holds_the_dossiers_locked(open_dossiers, monkeypatch):
    dossiers, closed_day = open_dossiers
    scan_module.scan_deadlines()
    old_due = {d.pk: d.due_at for d in dossiers}
    locked, go_on = threading.Event(), threading.Event()
    calendars_for = deadlines.calendars_for

    def lock_then_pause(agencies):
        result = calendars_for(agencies)
        if threading.current_thread().name == "override":
            locked.set()
            go_on.wait(timeout=60)
        return result

    # called inside the recomputation's transaction, after its SELECT … FOR UPDATE
    monkeypatch.setattr(deadlines, "calendars_for", lock_then_pause)
    editor = threading.Thread(target=_save_override, args=(closed_day,), name="override")
    editor.start()
    assert locked.wait(timeout=60)
    scan_module.reset_scan_watermark()
    scanner = threading.Thread(target=_scan, name="scan")
    scanner.start()
    # the scan reads the old deadlines, then waits for the locked rows or ends
    wait_for(lambda: not scanner.is_alive() or _waiting_on_a_lock(), timeout=60, what="the scan to read")
    go_on.set()
    scanner.join(timeout=60)
    editor.join(timeout=60)
    assert not scanner.is_alive() and not editor.is_alive()
    _assert_consistent(dossiers, old_due)


@needs_redis_server
@pytest.mark.worker
@pytest.mark.isolated
def test_the_admin_only_enqueues_a_worker_recomputes_and_without_broker_the_request_does(
    open_dossiers, tmp_path, settings, client, caplog
):
    """The explicit path of a calendar change (thutuc/calendar_changes.py): the admin's
    request commits the day off and enqueues one task; a real worker recomputes the
    deadlines, resets the watermark and rescans. With the broker down, the change is not
    lost: the task runs in the admin's process, and the failed enqueue is logged."""
    import redis

    dossiers, closed_day = open_dossiers
    scan_module.scan_deadlines()
    old_due = {d.pk: d.due_at for d in dossiers}
    admin = User.objects.create_superuser("quantri-thu", "quantri-thu@example.vn", "motcua@2026")
    client.force_login(admin)

    def add_day_off(day):
        response = client.post(
            "/quan-tri/thutuc/calendarday/add/",
            {
                "date": f"{day:%d/%m/%Y}",
                "kind": CalendarDayKind.DAY_OFF,
                "reason": "Nghỉ đột xuất",
                "legal_document": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    with running_redis(tmp_path) as server, celery_on(server, settings):
        add_day_off(closed_day)
        # the request returned: nothing recomputed yet, one task waiting in the scans queue
        assert {d.pk: d.due_at for d in Dossier.objects.filter(pk__in=old_due)} == old_due
        assert redis.Redis.from_url(server.url(1)).llen("scans") == 1
        worker = start_worker(server, tmp_path, name="calendar")
        new_alerts = Notification.objects.filter(
            kind=kinds.OVERDUE,
            channel=NotificationChannel.IN_APP,
            read_at__isnull=True,
            dossier__in=list(old_due),
        ).exclude(deadline__in=list(old_due.values()))
        try:
            wait_for(
                lambda: new_alerts.count() == 2 * len(dossiers),
                timeout=90,
                what="the worker to recompute the deadlines and rescan",
            )
        except BaseException:
            print(worker.output())
            raise
        finally:
            worker.stop()
        assert "apply_calendar_change" in worker.output()
        _assert_consistent(dossiers, old_due)

        moved_once = {d.pk: d.due_at for d in Dossier.objects.filter(pk__in=old_due)}
        server.stop()
        caplog.set_level(logging.ERROR, logger="thutuc.calendar_changes")
        add_day_off(get_calendar().next_working_day(closed_day))
        assert "could not enqueue" in caplog.text
        # run in the request's process: the deadlines moved once more, at once
        for dossier in Dossier.objects.filter(pk__in=old_due):
            assert dossier.due_at > moved_once[dossier.pk]
        _assert_consistent(dossiers, old_due)
