"""The incremental deadline scan: what a second scan reads, thresholds crossed and dossiers
changed between two scans, the full-scan fallbacks and two scans at once."""

import datetime as dt

import pytest
from django.db import connection

from motcua.alerts import kinds
from motcua.alerts.scan import (
    SCAN_NAME,
    find_alerts,
    reset_scan_watermark,
    scan_deadlines,
    thresholds,
)
from motcua.models import (
    AlertScanState,
    Dossier,
    Notification,
    NotificationChannel,
    Status,
)
from motcua.services import transitions as t
from motcua.services.deadlines import recompute_open_deadlines
from tests.concurrency import at_once, raised
from tests.motcua.factories import waiting_for_papers
from tests.timeutil import local
from thutuc.calendar_store import get_calendar
from thutuc.models import CalendarDay, CalendarDayKind

FRIDAY_10 = local(2026, 11, 20, 10, 0)  # Friday 20/11/2026, 10:00


def old(dossier):
    """Pretend the dossier was last changed long ago (as the bulk of the open dossiers are)."""
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=dossier.updated_at - dt.timedelta(days=30))
    return dossier


def in_app(**filters):
    return Notification.objects.filter(channel=NotificationChannel.IN_APP, **filters)


def test_second_scan_reads_no_old_overdue_dossier(alert_world):
    late = old(alert_world.dossier(due_at=local(2026, 11, 16, 9, 0), assignee=alert_world.specialist))
    first = scan_deadlines(now=FRIDAY_10)
    assert first.full and first.dossiers == 1 and first.created > 0
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full
    assert second.dossiers == 0 and second.alerts == [] and second.created == 0
    # its alerts are still there, unread
    assert in_app(dossier=late, kind=kinds.OVERDUE, read_at__isnull=True).exists()


def test_due_soon_and_overdue_crossed_between_two_scans_are_alerted(alert_world):
    soon_limit = thresholds(get_calendar(), FRIDAY_10).soon_limit
    crossing = old(
        alert_world.dossier(due_at=soon_limit + dt.timedelta(minutes=5), assignee=alert_world.specialist)
    )
    becoming_late = old(
        alert_world.dossier(due_at=FRIDAY_10 + dt.timedelta(minutes=5), assignee=alert_world.specialist)
    )
    first = scan_deadlines(now=FRIDAY_10)
    assert not in_app(dossier=crossing).exists()
    assert not in_app(dossier=becoming_late, kind=kinds.OVERDUE).exists()
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert first.full and not second.full
    assert second.dossiers == 2
    assert in_app(dossier=crossing, kind=kinds.DUE_SOON, recipient=alert_world.specialist).exists()
    assert in_app(dossier=becoming_late, kind=kinds.OVERDUE, recipient=alert_world.specialist).exists()


def test_supplement_limit_crossed_between_two_scans_is_alerted(alert_world):
    dossier = waiting_for_papers(alert_world, FRIDAY_10 + dt.timedelta(minutes=5))
    old(dossier)
    scan_deadlines(now=FRIDAY_10)
    assert not in_app(dossier=dossier).exists()
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full and second.dossiers == 1
    assert in_app(dossier=dossier, kind=kinds.SUPPLEMENT_OVERDUE).exists()


def test_deadline_recomputed_in_bulk_between_two_scans_is_picked_up(alert_world):
    """`recompute_open_deadlines` writes with bulk_update: it must bump updated_at."""
    # received 02/11 while 03/11–30/11 stood as days off by mistake: its stored deadline lies
    # in December; the days off are then removed (rows of their own: nothing recomputes yet)
    closure = [
        CalendarDay.objects.create(
            date=dt.date(2026, 11, day), kind=CalendarDayKind.DAY_OFF, reason="Nhập nhầm"
        ).pk
        for day in range(3, 31)
    ]
    dossier = alert_world.dossier(received_at=local(2026, 11, 2, 9, 0), assignee=alert_world.specialist)
    CalendarDay.objects.filter(pk__in=closure).delete()
    old(dossier)
    scan_deadlines(now=FRIDAY_10)
    assert not in_app(dossier=dossier).exists()
    assert recompute_open_deadlines() == 1
    dossier.refresh_from_db()
    assert dossier.due_at < FRIDAY_10  # three working days after 02/11
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full and second.dossiers == 1
    assert in_app(dossier=dossier, kind=kinds.OVERDUE, deadline=dossier.due_at).exists()


def test_deadline_moved_later_between_two_scans_resolves_the_alert(alert_world):
    dossier = old(alert_world.dossier(due_at=local(2026, 11, 20, 15, 0), assignee=alert_world.specialist))
    scan_deadlines(now=FRIDAY_10)
    assert in_app(dossier=dossier, read_at__isnull=True).count() > 0
    t.dossier_apologise(  # the apology's save bumps updated_at
        dossier=dossier,
        actor=alert_world.director,
        reason="Chờ xác minh",
        new_due_at=local(2026, 11, 27, 15, 0),
        now=FRIDAY_10 + dt.timedelta(minutes=5),
    )
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full and second.resolved > 0
    assert not in_app(dossier=dossier, read_at__isnull=True).exists()


def test_a_reset_watermark_makes_the_next_scan_full(alert_world):
    """What a calendar change does between its recomputation and its rescan
    (motcua/services/calendar_change.py, tests/motcua/test_calendar_change.py)."""
    # at the Phòng (a dossier still at the counter would also be late to hand over)
    late = old(alert_world.dossier(due_at=local(2026, 11, 16, 9, 0), status=Status.PROCESSING))
    scan_deadlines(now=FRIDAY_10)
    assert not scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15)).full
    assert reset_scan_watermark() == 1
    assert AlertScanState.objects.get(name=SCAN_NAME).scanned_until is None
    third = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=30))
    assert third.full and third.dossiers == 1
    assert late.pk in {a.dossier.pk for a in third.alerts}


def test_full_scan_after_the_configured_age_and_with_the_digest(alert_world, settings):
    settings.ALERT_FULL_SCAN_EVERY_MINUTES = 60
    old(alert_world.dossier(due_at=local(2026, 11, 16, 9, 0), status=Status.PROCESSING))
    runs = [scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=m)) for m in (0, 15, 45, 60, 75)]
    assert [r.full for r in runs] == [True, False, False, True, False]
    assert [r.dossiers for r in runs] == [1, 0, 0, 1, 0]
    assert scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=80), full=True).full
    # a scan at a moment before the watermark (a late task) reads everything, moves nothing back
    assert scan_deadlines(now=FRIDAY_10 - dt.timedelta(minutes=5)).full
    state = AlertScanState.objects.get(name=SCAN_NAME)
    assert state.scanned_until == FRIDAY_10 + dt.timedelta(minutes=80)


def test_digest_runs_a_full_scan(alert_world):
    from motcua.alerts.digest import send_digests

    late = old(alert_world.dossier(due_at=local(2026, 11, 16, 9, 0), assignee=alert_world.specialist))
    scan_deadlines(now=local(2026, 11, 23, 7, 0))
    Notification.objects.all().delete()  # e.g. lost alerts: the daily full scan restores them
    send_digests(now=local(2026, 11, 23, 7, 30))
    assert in_app(dossier=late, kind=kinds.OVERDUE).exists()


def test_incremental_finds_what_a_full_scan_finds_for_changed_and_crossing_dossiers(alert_world, settings):
    """Over a day of 15-minute scans, incremental scans record exactly the alerts that full
    scans at the same moments would."""
    settings.ALERT_FULL_SCAN_EVERY_MINUTES = 10**6
    due = [local(2026, 11, 20, 11, 0), local(2026, 11, 23, 9, 0), local(2026, 11, 19, 10, 0)]
    for moment in due:
        old(alert_world.dossier(due_at=moment))
    moments = [FRIDAY_10 + dt.timedelta(minutes=15 * i) for i in range(0, 30)]
    for moment in moments:
        scan_deadlines(now=moment, full=moment == moments[0] or None)
    incremental = set(Notification.objects.values_list("dedupe_key", flat=True))
    Notification.objects.all().delete()
    for moment in moments:
        scan_deadlines(now=moment, full=True)
    assert incremental == set(Notification.objects.values_list("dedupe_key", flat=True))
    assert incremental


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_scans_at_once_record_each_alert_once(alert_world):
    for i in range(20):
        alert_world.dossier(due_at=local(2026, 11, 18, 8, 1) + dt.timedelta(minutes=i))
    expected, _count = find_alerts(now=FRIDAY_10)
    results = at_once([lambda: scan_deadlines(now=FRIDAY_10)] * 2, timeout=10)
    errors = raised(results)
    assert not errors and len(results) == 2
    total = Notification.objects.count()
    assert total > 0 and sum(r.created for r in results) == total
    assert sorted(r.created for r in results)[0] == 0  # the second one found everything done
    keys = list(Notification.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
    assert AlertScanState.objects.get(name=SCAN_NAME).scanned_until == FRIDAY_10
    assert {a.dossier.pk for a in expected} == set(Notification.objects.values_list("dossier_id", flat=True))
