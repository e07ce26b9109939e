"""Deadline alerts: every kind, holidays in the window, dedupe, deadline moves, escalation."""

import datetime as dt

import pytest
from django.core import mail

from motcua.alerts import kinds
from motcua.alerts.digest import send_digests, unread_alert_count
from motcua.alerts.scan import scan_deadlines
from motcua.models import Apology, Notification, NotificationChannel, Status, SupplementRequest
from tests.motcua.factories_processing import papers

from .alert_factories import local, make_dossier, make_world

pytestmark = pytest.mark.django_db

FRIDAY_10 = local(2026, 11, 20, 10, 0)  # Friday 20/11/2026, 10:00


@pytest.fixture
def world(db):
    return make_world()


def in_app(**filters):
    return Notification.objects.filter(channel=NotificationChannel.IN_APP, **filters)


def kinds_for(user, dossier):
    return sorted(in_app(recipient=user, dossier=dossier).values_list("kind", flat=True))


def test_due_soon_alerts_assignee_and_leader_with_apology_reminder(world):
    dossier = make_dossier(world, due_at=local(2026, 11, 20, 15, 0), assignee=world["specialist"])
    scan_deadlines(now=FRIDAY_10)
    assert kinds_for(world["specialist"], dossier) == [kinds.APOLOGY_REMINDER, kinds.DUE_SOON]
    assert kinds_for(world["leader"], dossier) == [kinds.APOLOGY_REMINDER, kinds.DUE_SOON]
    # assigned: the other specialist of the unit is not bothered; nor anyone elsewhere
    assert not in_app(recipient=world["specialist2"]).exists()
    assert not in_app(recipient=world["stranger"]).exists()


def test_unassigned_dossier_alerts_every_specialist_of_the_unit(world):
    dossier = make_dossier(world, due_at=local(2026, 11, 20, 16, 0))
    scan_deadlines(now=FRIDAY_10)
    for who in ("specialist", "specialist2", "leader"):
        assert kinds.DUE_SOON in kinds_for(world[who], dossier)


def test_no_apology_reminder_once_an_apology_exists(world):
    dossier = make_dossier(world, due_at=local(2026, 11, 20, 15, 0), assignee=world["specialist"])
    Apology.objects.create(
        dossier=dossier,
        reason="Chờ xác minh",
        previous_due_at=dossier.due_at,
        new_due_at=dossier.due_at,
        issued_at=FRIDAY_10 - dt.timedelta(days=1),
        issued_by=world["leader"],
    )
    scan_deadlines(now=FRIDAY_10)
    assert kinds_for(world["specialist"], dossier) == [kinds.DUE_SOON]


def test_rerun_creates_nothing_twice(world):
    make_dossier(world, due_at=local(2026, 11, 19, 17, 0), assignee=world["specialist"])  # overdue
    make_dossier(world, due_at=local(2026, 11, 20, 15, 0), assignee=world["specialist"])  # due soon
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
def test_holiday_inside_the_due_soon_window(world, due_at, alerted):
    dossier = make_dossier(world, due_at=due_at, assignee=world["specialist"])
    scan_deadlines(now=local(2026, 11, 23, 10, 0))
    assert (kinds.DUE_SOON in kinds_for(world["specialist"], dossier)) is alerted


def test_tet_window_spans_the_whole_holiday(world):
    # Friday 13/02/2026 14:00: the next working day is Monday 23/02 (Tết 16–20/02)
    dossier = make_dossier(world, due_at=local(2026, 2, 23, 11, 0), assignee=world["specialist"])
    scan_deadlines(now=local(2026, 2, 13, 14, 0))
    assert kinds.DUE_SOON in kinds_for(world["specialist"], dossier)


def test_overdue_replaces_due_soon_and_is_emailed(world, django_capture_on_commit_callbacks):
    dossier = make_dossier(world, due_at=local(2026, 11, 20, 15, 0), assignee=world["specialist"])
    scan_deadlines(now=FRIDAY_10)
    mail.outbox.clear()
    scan_deadlines(now=local(2026, 11, 20, 14, 0))  # still due soon, nothing new
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        scan_deadlines(now=local(2026, 11, 23, 8, 30))  # Monday: overdue
    unread = set(
        in_app(recipient=world["specialist"], dossier=dossier, read_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    assert unread == {kinds.OVERDUE}
    assert unread_alert_count(world["specialist"]) == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["cv1@example.vn", "ld1@example.vn"]
    assert "quá hạn" in mail.outbox[0].body


def test_escalation_after_two_working_days_overdue(world):
    dossier = make_dossier(world, due_at=local(2026, 11, 18, 17, 0), assignee=world["specialist"])
    scan_deadlines(now=local(2026, 11, 19, 16, 0))  # 7 working hours late: not yet
    assert not in_app(kind=kinds.ESCALATION).exists()
    scan_deadlines(now=local(2026, 11, 23, 8, 30))  # Thu + Fri + 0.5 h (Mon 23/11) = 16.5 h
    assert kinds.ESCALATION in kinds_for(world["head"], dossier)
    assert kinds.ESCALATION in kinds_for(world["leader"], dossier)
    assert kinds.ESCALATION not in kinds_for(world["specialist"], dossier)


def test_escalation_counts_working_time_only(world):
    # due Friday 20/11 17:00; on Tuesday 24/11 (holiday) 12:00 only Monday has elapsed: 8 h < 16 h
    make_dossier(world, due_at=local(2026, 11, 20, 17, 0), assignee=world["specialist"])
    scan_deadlines(now=local(2026, 11, 24, 12, 0))
    assert not in_app(kind=kinds.ESCALATION).exists()
    scan_deadlines(now=local(2026, 11, 25, 17, 0))
    assert in_app(kind=kinds.ESCALATION).exists()


def test_waiting_for_supplement_is_not_late_until_its_own_limit(world):
    dossier = make_dossier(
        world,
        due_at=local(2026, 11, 18, 17, 0),
        status=Status.WAITING_SUPPLEMENT,
        assignee=world["specialist"],
    )
    supplement = SupplementRequest.objects.create(
        dossier=dossier,
        items=papers("Tờ khai"),
        reason="Thiếu tờ khai",
        requested_at=local(2026, 11, 10, 9, 0),
        requested_by=world["specialist"],
        reply_due_at=local(2026, 11, 21, 17, 0),
    )
    scan_deadlines(now=FRIDAY_10)
    assert not Notification.objects.exists()
    scan_deadlines(now=local(2026, 11, 23, 9, 0))
    assert kinds_for(world["specialist"], dossier) == [kinds.SUPPLEMENT_OVERDUE]
    supplement.fulfilled_at = local(2026, 11, 23, 10, 0)
    supplement.save()
    dossier.status = Status.PROCESSING
    dossier.due_at = local(2026, 11, 26, 10, 0)
    dossier.save()
    scan_deadlines(now=local(2026, 11, 23, 10, 30))
    assert unread_alert_count(world["specialist"]) == 0  # the supplement alert is resolved


def test_moved_deadline_resolves_old_alert_and_alerts_again_when_due(world):
    dossier = make_dossier(world, due_at=local(2026, 11, 20, 15, 0), assignee=world["specialist"])
    scan_deadlines(now=FRIDAY_10)
    assert unread_alert_count(world["specialist"]) == 2
    dossier.due_at = local(2026, 11, 27, 15, 0)  # e.g. an apology or a calendar override moved it
    dossier.save()
    result = scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert result.created == 0
    assert unread_alert_count(world["specialist"]) == 0
    later = scan_deadlines(now=local(2026, 11, 27, 9, 0))
    assert later.created > 0
    assert set(
        in_app(recipient=world["specialist"], read_at__isnull=True).values_list("deadline", flat=True)
    ) == {dossier.due_at}


def test_finished_dossier_alerts_are_resolved(world):
    dossier = make_dossier(world, due_at=local(2026, 11, 19, 17, 0), assignee=world["specialist"])
    scan_deadlines(now=FRIDAY_10)
    assert unread_alert_count(world["specialist"]) == 1
    dossier.status = Status.RESULT_READY
    dossier.save()
    scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert unread_alert_count(world["specialist"]) == 0


def test_scan_is_a_constant_number_of_queries(world, django_assert_max_num_queries):
    """Reads are a fixed set of queries; the only statements that grow are the batched
    INSERTs of new alerts (SQLite batches a few dozen rows per statement, PostgreSQL 1000)."""

    def reads(captured):
        return [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith("INSERT")]

    scan_deadlines(now=FRIDAY_10 - dt.timedelta(days=7))  # creates the watermark row
    for i in range(3):
        make_dossier(world, due_at=local(2026, 11, 19, 9 + i, 0))
    with django_assert_max_num_queries(40) as small:
        scan_deadlines(now=FRIDAY_10)
    for i in range(60):
        make_dossier(world, due_at=local(2026, 11, 18, 8, 0) + dt.timedelta(minutes=i))
    with django_assert_max_num_queries(60) as large:
        scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=15))
    assert len(reads(large.captured_queries)) == len(reads(small.captured_queries)) <= 16
    with django_assert_max_num_queries(16) as rerun:
        assert scan_deadlines(now=FRIDAY_10 + dt.timedelta(minutes=30)).created == 0
    assert not any(q["sql"].startswith("INSERT") for q in rerun.captured_queries)


def test_digest_after_a_weekend_matches_the_header_count(world, client):
    leader = world["leader"]
    for hour in (9, 11, 15):  # due Friday, overdue by Monday
        make_dossier(world, due_at=local(2026, 11, 20, hour, 0))
    make_dossier(world, due_at=local(2026, 11, 23, 16, 0))  # due Monday: due today
    make_dossier(world, due_at=local(2026, 11, 30, 16, 0))  # next week: nothing
    make_dossier(world, due_at=local(2026, 11, 30, 16, 0), status=Status.WAITING_SUPPLEMENT)
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


def test_sms_goes_through_the_backend_interface_for_escalations(world, django_capture_on_commit_callbacks):
    from core.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    world["head"].phone = "0912000111"
    world["head"].save()
    make_dossier(world, due_at=local(2026, 11, 16, 17, 0), assignee=world["specialist"])
    with django_capture_on_commit_callbacks(execute=True):
        scan_deadlines(now=FRIDAY_10)
    assert [m.to for m in LocmemSmsBackend.outbox] == ["0912000111"]


def test_step_deadline_alerts_and_their_resolution(world):
    from thutuc.models import ProcedureStep

    step = ProcedureStep.objects.create(
        case=world["case"],
        order=1,
        name="Thẩm định",
        agency=world["unit"],
        allotted_time=8,
        allotted_unit="working_hours",
    )
    dossier = make_dossier(world, due_at=local(2026, 11, 27, 17, 0), assignee=world["specialist"])
    dossier.current_step = dossier.case_version.steps.get(order=step.order)  # its own copy of the step
    dossier.step_due_at = local(2026, 11, 20, 15, 0)
    dossier.save()
    scan_deadlines(now=FRIDAY_10)
    assert kinds_for(world["specialist"], dossier) == [kinds.STEP_DUE_SOON]
    scan_deadlines(now=local(2026, 11, 20, 16, 0))
    unread = in_app(recipient=world["specialist"], dossier=dossier, read_at__isnull=True)
    assert list(unread.values_list("kind", flat=True)) == [kinds.STEP_OVERDUE]
    # handed on to the next step: the step alert is resolved
    dossier.current_step = None
    dossier.step_due_at = None
    dossier.save()
    scan_deadlines(now=local(2026, 11, 20, 16, 15))
    assert unread_alert_count(world["specialist"]) == 0
