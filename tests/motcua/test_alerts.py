"""Deadline alerts: every kind, holidays in the window, dedupe, deadline moves, escalation."""

import datetime as dt

import pytest
from django.core import mail

from motcua.alerts import kinds
from motcua.alerts.digest import send_digests, unread_alert_count
from motcua.alerts.scan import scan_deadlines
from motcua.models import Notification, NotificationChannel, Status
from motcua.services import transitions as t
from tests.motcua.factories import waiting_for_papers
from tests.timeutil import local

pytestmark = pytest.mark.django_db

FRIDAY_10 = local(2026, 11, 20, 10, 0)  # Friday 20/11/2026, 10:00


def in_app(**filters):
    return Notification.objects.filter(channel=NotificationChannel.IN_APP, **filters)


def kinds_for(user, dossier):
    return sorted(in_app(recipient=user, dossier=dossier).values_list("kind", flat=True))


def test_due_soon_alerts_assignee_and_leader_with_apology_reminder(alert_world):
    dossier = alert_world.dossier(due_at=local(2026, 11, 20, 15, 0), assignee=alert_world.specialist)
    scan_deadlines(now=FRIDAY_10)
    assert kinds_for(alert_world.specialist, dossier) == [kinds.APOLOGY_REMINDER, kinds.DUE_SOON]
    assert kinds_for(alert_world.leader, dossier) == [kinds.APOLOGY_REMINDER, kinds.DUE_SOON]
    # assigned: the other specialist of the unit is not bothered; nor anyone elsewhere
    assert not in_app(recipient=alert_world.specialist2).exists()
    assert not in_app(recipient=alert_world.stranger).exists()


def test_unassigned_dossier_alerts_every_specialist_of_the_unit(alert_world):
    dossier = alert_world.dossier(due_at=local(2026, 11, 20, 16, 0))
    scan_deadlines(now=FRIDAY_10)
    for who in ("specialist", "specialist2", "leader"):
        assert kinds.DUE_SOON in kinds_for(getattr(alert_world, who), dossier)


def test_no_apology_reminder_once_an_apology_exists(alert_world):
    dossier = alert_world.dossier(due_at=local(2026, 11, 20, 15, 0), assignee=alert_world.specialist)
    # the new appointment, an hour later, is still due soon
    t.dossier_apologise(
        dossier=dossier,
        actor=alert_world.director,
        reason="Chờ xác minh",
        new_due_at=local(2026, 11, 20, 16, 0),
        now=FRIDAY_10 - dt.timedelta(days=1),
    )
    scan_deadlines(now=FRIDAY_10)
    assert kinds_for(alert_world.specialist, dossier) == [kinds.DUE_SOON]


def test_rerun_creates_nothing_twice(alert_world):
    alert_world.dossier(due_at=local(2026, 11, 19, 17, 0), assignee=alert_world.specialist)  # overdue
    alert_world.dossier(due_at=local(2026, 11, 20, 15, 0), assignee=alert_world.specialist)  # due soon
    first = scan_deadlines(now=FRIDAY_10)
    count = Notification.objects.count()
    assert first.created == count > 0
    second = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    third = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=30))
    assert second.created == third.created == 0
    assert Notification.objects.count() == count


@pytest.mark.parametrize(
    ("due_at", "alerted"),
    [
        # Monday 23/11 10:00 + one working day: Tuesday 24/11 is a holiday (Ngày Văn hóa Việt Nam),
        # so the window reaches Wednesday 25/11 10:00.
        (local(2026, 11, 25, 9, 0), True),
        (local(2026, 11, 25, 10, 0), True),
        (local(2026, 11, 25, 11, 0), False),
        (local(2026, 11, 23, 16, 0), True),
    ],
)
def test_holiday_inside_the_due_soon_window(alert_world, due_at, alerted):
    dossier = alert_world.dossier(due_at=due_at, assignee=alert_world.specialist)
    scan_deadlines(now=local(2026, 11, 23, 10, 0))
    assert (kinds.DUE_SOON in kinds_for(alert_world.specialist, dossier)) is alerted


def test_tet_window_spans_the_whole_holiday(alert_world):
    # Friday 13/02/2026 14:00: the next working day is Monday 23/02 (Tết 16–20/02)
    dossier = alert_world.dossier(due_at=local(2026, 2, 23, 11, 0), assignee=alert_world.specialist)
    scan_deadlines(now=local(2026, 2, 13, 14, 0))
    assert kinds.DUE_SOON in kinds_for(alert_world.specialist, dossier)


def test_overdue_replaces_due_soon_and_is_emailed(alert_world, django_capture_on_commit_callbacks):
    dossier = alert_world.dossier(due_at=local(2026, 11, 20, 15, 0), assignee=alert_world.specialist)
    scan_deadlines(now=FRIDAY_10)
    mail.outbox.clear()
    scan_deadlines(now=local(2026, 11, 20, 14, 0))  # still due soon, nothing new
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        scan_deadlines(now=local(2026, 11, 23, 8, 30))  # Monday: overdue
    unread = set(
        in_app(recipient=alert_world.specialist, dossier=dossier, read_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    assert unread == {kinds.OVERDUE}
    assert unread_alert_count(alert_world.specialist) == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["cv1@example.vn", "ld1@example.vn"]
    assert "quá hạn" in mail.outbox[0].body


def test_escalation_after_two_working_days_overdue(alert_world):
    dossier = alert_world.dossier(due_at=local(2026, 11, 18, 17, 0), assignee=alert_world.specialist)
    scan_deadlines(now=local(2026, 11, 19, 16, 0))  # 7 working hours late: not yet
    assert not in_app(kind=kinds.ESCALATION).exists()
    scan_deadlines(now=local(2026, 11, 23, 8, 30))  # Thu + Fri + 0.5 h (Mon 23/11) = 16.5 h
    assert kinds.ESCALATION in kinds_for(alert_world.head, dossier)
    assert kinds.ESCALATION in kinds_for(alert_world.leader, dossier)
    assert kinds.ESCALATION not in kinds_for(alert_world.specialist, dossier)


def test_escalation_counts_working_time_only(alert_world):
    # due Friday 20/11 17:00; on Tuesday 24/11 (holiday) 12:00 only Monday has elapsed: 8 h < 16 h
    alert_world.dossier(due_at=local(2026, 11, 20, 17, 0), assignee=alert_world.specialist)
    scan_deadlines(now=local(2026, 11, 24, 12, 0))
    assert not in_app(kind=kinds.ESCALATION).exists()
    scan_deadlines(now=local(2026, 11, 25, 17, 0))
    assert in_app(kind=kinds.ESCALATION).exists()


def test_waiting_for_supplement_is_not_late_until_its_own_limit(alert_world):
    dossier = waiting_for_papers(alert_world, local(2026, 11, 21, 17, 0))
    scan_deadlines(now=FRIDAY_10)
    assert not Notification.objects.exists()
    scan_deadlines(now=local(2026, 11, 23, 9, 0))
    assert kinds_for(alert_world.specialist, dossier) == [kinds.SUPPLEMENT_OVERDUE]
    # the papers arrive: the specialist records them, the clock runs again from then
    t.dossier_receive_supplement(
        dossier=dossier, actor=alert_world.specialist, now=local(2026, 11, 23, 10, 0)
    )
    scan_deadlines(now=local(2026, 11, 23, 10, 30))
    assert unread_alert_count(alert_world.specialist) == 0  # the supplement alert is resolved


def test_moved_deadline_resolves_old_alert_and_alerts_again_when_due(alert_world):
    dossier = alert_world.dossier(due_at=local(2026, 11, 20, 15, 0), assignee=alert_world.specialist)
    scan_deadlines(now=FRIDAY_10)
    assert unread_alert_count(alert_world.specialist) == 2
    # an apology moves it (a calendar override would too)
    dossier = t.dossier_apologise(
        dossier=dossier,
        actor=alert_world.director,
        reason="Chờ xác minh",
        new_due_at=local(2026, 11, 27, 15, 0),
        now=FRIDAY_10 + dt.timedelta(minutes=5),
    ).dossier
    result = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert result.created == 0
    assert unread_alert_count(alert_world.specialist) == 0
    later = scan_deadlines(now=local(2026, 11, 27, 9, 0))
    assert later.created > 0
    assert set(
        in_app(recipient=alert_world.specialist, read_at__isnull=True).values_list("deadline", flat=True)
    ) == {dossier.due_at}


def test_finished_dossier_alerts_are_resolved(alert_world):
    dossier = alert_world.dossier(due_at=local(2026, 11, 19, 17, 0), assignee=alert_world.specialist)
    scan_deadlines(now=FRIDAY_10)
    assert unread_alert_count(alert_world.specialist) == 1
    t.dossier_approve(dossier=dossier, actor=alert_world.leader, now=FRIDAY_10 + dt.timedelta(minutes=5))
    scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert unread_alert_count(alert_world.specialist) == 0


def test_scan_is_a_constant_number_of_queries(alert_world, django_assert_max_num_queries):
    """Reads are a fixed set of queries; the only statements that grow are the batched
    INSERTs of new alerts (SQLite batches a few dozen rows per statement, PostgreSQL 1000)."""

    def reads(captured):
        return [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith("INSERT")]

    scan_deadlines(now=FRIDAY_10 - dt.timedelta(days=7))  # creates the watermark row
    for i in range(3):
        alert_world.dossier(due_at=local(2026, 11, 19, 9 + i, 0))
    with django_assert_max_num_queries(40) as small:
        scan_deadlines(now=FRIDAY_10)
    for i in range(60):
        # from 08:01 (the opening minute is no appointment: the day before's closing is)
        alert_world.dossier(due_at=local(2026, 11, 18, 8, 1) + dt.timedelta(minutes=i))
    with django_assert_max_num_queries(60) as large:
        scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    # the same reads, plus one when new alerts replace older ones (the unread alerts of those
    # dossiers, read apart from the changed dossiers': motcua/alerts/scan.py _resolve_stale)
    assert 0 <= len(reads(large.captured_queries)) - len(reads(small.captured_queries)) <= 1
    assert len(reads(large.captured_queries)) <= 17
    with django_assert_max_num_queries(16) as rerun:
        assert scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=30)).created == 0
    assert not any(q["sql"].startswith("INSERT") for q in rerun.captured_queries)


def test_digest_after_a_weekend_matches_the_header_count(alert_world, client):
    leader = alert_world.leader
    for hour in (9, 11, 15):  # due Friday, overdue by Monday
        alert_world.dossier(due_at=local(2026, 11, 20, hour, 0))
    alert_world.dossier(due_at=local(2026, 11, 23, 16, 0))  # due Monday: due today
    alert_world.dossier(due_at=local(2026, 11, 30, 16, 0))  # next week: nothing
    alert_world.dossier(due_at=local(2026, 11, 30, 16, 0), status=Status.WAITING_SUPPLEMENT)
    # beat kept scanning over the weekend
    for moment in (local(2026, 11, 20, 10, 0), local(2026, 11, 21, 9, 0), local(2026, 11, 22, 20, 0)):
        scan_deadlines(now=moment)
    assert send_digests(now=local(2026, 11, 22, 7, 30)) == 0  # Sunday: no digest
    monday = local(2026, 11, 23, 7, 30)
    assert send_digests(now=monday) > 0
    assert send_digests(now=monday.replace(minute=45)) == 0  # second beat / rerun: nothing
    digests = in_app(recipient=leader, kind=kinds.DIGEST)
    assert digests.count() == 1
    digest = digests.get()
    # 3 overdue + 1 due today + the apology reminder of the one due today
    assert "5 cảnh báo" in digest.subject
    assert digest.body.count("  - ") == 5 + 1  # five alert lines and the waiting dossier
    assert "Hồ sơ quá hạn (3)" in digest.body and "Hồ sơ sắp đến hạn (1)" in digest.body
    client.force_login(leader)
    html = client.get("/mot-cua/").content.decode()
    assert 'data-testid="unread-alerts">5<' in html
    assert "Hồ sơ đang chờ công dân bổ sung: 1" in digest.body


def test_sms_goes_through_the_backend_interface_for_escalations(
    alert_world, django_capture_on_commit_callbacks
):
    from core.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    alert_world.head.phone = "0912000111"
    alert_world.head.save()
    alert_world.dossier(due_at=local(2026, 11, 16, 17, 0), assignee=alert_world.specialist)
    with django_capture_on_commit_callbacks(execute=True):
        scan_deadlines(now=FRIDAY_10)
    assert [m.to for m in LocmemSmsBackend.outbox] == ["0912000111"]


def test_step_deadline_alerts_and_their_resolution(alert_world):
    from .factories import CaseFactory, StepFactory

    case = CaseFactory(procedure__competent_agency=alert_world.dept, processing_time=3)
    StepFactory(
        case=case, name="Thẩm định", agency=alert_world.unit, allotted_time=8, allotted_unit="working_hours"
    )
    StepFactory(case=case, name="Phê duyệt", agency=None, allotted_time=30)
    # taken in hand Thursday 19/11 15:00: the step's 8 working hours end Friday 15:00
    dossier = alert_world.dossier(
        case=case,
        due_at=local(2026, 11, 27, 17, 0),
        assignee=alert_world.specialist,
        transferred_at=local(2026, 11, 19, 15, 0),
    )
    assert dossier.step_due_at == local(2026, 11, 20, 15, 0)
    scan_deadlines(now=FRIDAY_10)
    assert kinds_for(alert_world.specialist, dossier) == [kinds.STEP_DUE_SOON]
    scan_deadlines(now=local(2026, 11, 20, 16, 0))
    unread = in_app(recipient=alert_world.specialist, dossier=dossier, read_at__isnull=True)
    assert list(unread.values_list("kind", flat=True)) == [kinds.STEP_OVERDUE]
    # handed on to the next step: the step alert is resolved
    t.dossier_transfer(
        dossier=dossier,
        actor=alert_world.specialist,
        step=dossier.case_version.steps.get(order=2),  # its own copy of the step
        now=local(2026, 11, 20, 16, 10),
    )
    scan_deadlines(now=local(2026, 11, 20, 16, 15))
    assert unread_alert_count(alert_world.specialist) == 0


def test_the_header_badge_counts_what_the_orm_counts(alert_world):
    """The badge's count is written in SQL (it is on every staff page); it counts exactly the
    unread in-app alerts and hand-offs of its recipient, capped at cap + 1."""
    from django.utils import timezone

    from motcua.alerts.digest import header_alert_count

    me, other = alert_world.specialist, alert_world.specialist2

    def add(kind, *, recipient=me, channel=NotificationChannel.IN_APP, read=False):
        Notification.objects.create(
            channel=channel,
            kind=kind,
            recipient=recipient,
            subject="x",
            body="x",
            read_at=timezone.now() if read else None,
        )

    assert header_alert_count(me, cap=3) == unread_alert_count(me) == 0
    add(kinds.OVERDUE)
    add(kinds.DUE_SOON, read=True)  # read: not counted
    add(kinds.OVERDUE, channel=NotificationChannel.EMAIL)  # not in the app
    add(kinds.OVERDUE, recipient=other)  # someone else's
    add("receipt")  # not an alert
    assert header_alert_count(me, cap=3) == unread_alert_count(me) == 1
    for kind in kinds.COUNTED_KINDS:
        add(kind)
    total = unread_alert_count(me)
    assert total == 1 + len(kinds.COUNTED_KINDS)
    assert header_alert_count(me, cap=total + 5) == total
    assert header_alert_count(me, cap=2) == 3  # "2+" on the badge
