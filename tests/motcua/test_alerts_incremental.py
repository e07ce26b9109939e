"""The incremental deadline scan: what a second scan reads, thresholds crossed and dossiers
changed between two scans, the full-scan fallbacks and two scans at once."""

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

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
    SupplementRequest,
)
from motcua.services.deadlines import recompute_open_deadlines
from tests.motcua.factories_processing import papers
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar

from .alert_factories import local, make_dossier, make_world

FRIDAY_10 = local(2026, 11, 20, 10, 0)  # Friday 20/11/2026, 10:00


@pytest.fixture
def world(db):
    return make_world()


def old(dossier):
    """Pretend the dossier was last changed long ago (as the bulk of the open dossiers are)."""
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=dossier.updated_at - dt.timedelta(days=30))
    return dossier


def in_app(**filters):
    return Notification.objects.filter(channel=NotificationChannel.IN_APP, **filters)


def test_second_scan_reads_no_old_overdue_dossier(world):
    late = old(make_dossier(world, due_at=local(2026, 11, 16, 9, 0), assignee=world["specialist"]))
    first = scan_deadlines(now=FRIDAY_10)
    assert first.full and first.dossiers == 1 and first.created > 0
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full
    assert second.dossiers == 0 and second.alerts == [] and second.created == 0
    # its alerts are still there, unread
    assert in_app(dossier=late, kind=kinds.OVERDUE, read_at__isnull=True).exists()


def test_due_soon_and_overdue_crossed_between_two_scans_are_alerted(world):
    soon_limit = thresholds(get_calendar(), FRIDAY_10).soon_limit
    crossing = old(
        make_dossier(world, due_at=soon_limit + dt.timedelta(minutes=5), assignee=world["specialist"])
    )
    becoming_late = old(
        make_dossier(world, due_at=FRIDAY_10 + dt.timedelta(minutes=5), assignee=world["specialist"])
    )
    first = scan_deadlines(now=FRIDAY_10)
    assert not in_app(dossier=crossing).exists()
    assert not in_app(dossier=becoming_late, kind=kinds.OVERDUE).exists()
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert first.full and not second.full
    assert second.dossiers == 2
    assert in_app(dossier=crossing, kind=kinds.DUE_SOON, recipient=world["specialist"]).exists()
    assert in_app(dossier=becoming_late, kind=kinds.OVERDUE, recipient=world["specialist"]).exists()


def test_supplement_limit_crossed_between_two_scans_is_alerted(world):
    dossier = make_dossier(
        world,
        due_at=local(2026, 11, 30, 17, 0),
        status=Status.WAITING_SUPPLEMENT,
        assignee=world["specialist"],
    )
    SupplementRequest.objects.create(
        dossier=dossier,
        items=papers("Tờ khai"),
        reason="Thiếu tờ khai",
        requested_at=local(2026, 11, 10, 9, 0),
        requested_by=world["specialist"],
        reply_due_at=FRIDAY_10 + dt.timedelta(minutes=5),
    )
    old(dossier)
    scan_deadlines(now=FRIDAY_10)
    assert not in_app(dossier=dossier).exists()
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full and second.dossiers == 1
    assert in_app(dossier=dossier, kind=kinds.SUPPLEMENT_OVERDUE).exists()


def test_deadline_recomputed_in_bulk_between_two_scans_is_picked_up(world):
    """`recompute_open_deadlines` writes with bulk_update: it must bump updated_at."""
    dossier = make_dossier(
        world,
        due_at=local(2026, 12, 31, 17, 0),
        received_at=local(2026, 11, 2, 9, 0),
        assignee=world["specialist"],
    )
    old(dossier)
    scan_deadlines(now=FRIDAY_10)
    assert not in_app(dossier=dossier).exists()
    assert recompute_open_deadlines() == 1
    dossier.refresh_from_db()
    assert dossier.due_at < FRIDAY_10  # three working days after 02/11
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full and second.dossiers == 1
    assert in_app(dossier=dossier, kind=kinds.OVERDUE, deadline=dossier.due_at).exists()


def test_deadline_moved_later_between_two_scans_resolves_the_alert(world):
    dossier = old(make_dossier(world, due_at=local(2026, 11, 20, 15, 0), assignee=world["specialist"]))
    scan_deadlines(now=FRIDAY_10)
    assert in_app(dossier=dossier, read_at__isnull=True).count() > 0
    dossier.due_at = local(2026, 11, 27, 15, 0)  # what an apology does (a plain save: auto_now)
    dossier.save()
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert not second.full and second.resolved > 0
    assert not in_app(dossier=dossier, read_at__isnull=True).exists()


def test_a_reset_watermark_makes_the_next_scan_full(world):
    """What a calendar change does between its recomputation and its rescan
    (motcua/services/calendar_change.py, tests/motcua/test_calendar_change.py)."""
    late = old(make_dossier(world, due_at=local(2026, 11, 16, 9, 0)))
    scan_deadlines(now=FRIDAY_10)
    assert not scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15)).full
    assert reset_scan_watermark() == 1
    assert AlertScanState.objects.get(name=SCAN_NAME).scanned_until is None
    third = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=30))
    assert third.full and third.dossiers == 1
    assert late.pk in {a.dossier.pk for a in third.alerts}


def test_full_scan_after_the_configured_age_and_with_the_digest(world, settings):
    settings.ALERT_FULL_SCAN_EVERY_MINUTES = 60
    old(make_dossier(world, due_at=local(2026, 11, 16, 9, 0)))
    runs = [scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=m)) for m in (0, 15, 45, 60, 75)]
    assert [r.full for r in runs] == [True, False, False, True, False]
    assert [r.dossiers for r in runs] == [1, 0, 0, 1, 0]
    assert scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=80), full=True).full
    # a scan at a moment before the watermark (a late task) reads everything, moves nothing back
    assert scan_deadlines(now=FRIDAY_10 - dt.timedelta(minutes=5)).full
    state = AlertScanState.objects.get(name=SCAN_NAME)
    assert state.scanned_until == FRIDAY_10 + dt.timedelta(minutes=80)


def test_digest_runs_a_full_scan(world):
    from motcua.alerts.digest import send_digests

    late = old(make_dossier(world, due_at=local(2026, 11, 16, 9, 0), assignee=world["specialist"]))
    scan_deadlines(now=local(2026, 11, 23, 7, 0))
    Notification.objects.all().delete()  # e.g. lost alerts: the daily full scan restores them
    send_digests(now=local(2026, 11, 23, 7, 30))
    assert in_app(dossier=late, kind=kinds.OVERDUE).exists()


def test_incremental_finds_what_a_full_scan_finds_for_changed_and_crossing_dossiers(world, settings):
    """Over a day of 15-minute scans, incremental scans record exactly the alerts that full
    scans at the same moments would."""
    settings.ALERT_FULL_SCAN_EVERY_MINUTES = 10**6
    due = [local(2026, 11, 20, 11, 0), local(2026, 11, 23, 9, 0), local(2026, 11, 19, 10, 0)]
    for moment in due:
        old(make_dossier(world, due_at=moment))
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
def test_two_scans_at_once_record_each_alert_once():
    for role in Role:
        Group.objects.get_or_create(name=str(role))
    world = make_world()
    for i in range(20):
        make_dossier(world, due_at=local(2026, 11, 18, 8, 0) + dt.timedelta(minutes=i))
    expected, _count = find_alerts(now=FRIDAY_10)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(scan_deadlines(now=FRIDAY_10))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 2
    total = Notification.objects.count()
    assert total > 0 and sum(r.created for r in results) == total
    assert sorted(r.created for r in results)[0] == 0  # the second one found everything done
    keys = list(Notification.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
    assert AlertScanState.objects.get(name=SCAN_NAME).scanned_until == FRIDAY_10
    assert {a.dossier.pk for a in expected} == set(Notification.objects.values_list("dossier_id", flat=True))
