"""Due-soon and overdue feedback join the staff alerts (header count, digest)."""

import pytest

from khieunai.alerts import scan_feedback_deadlines
from motcua.alerts import kinds
from motcua.alerts.digest import digest_text, unread_alert_count
from motcua.models import Notification
from tests.timeutil import local


@pytest.fixture
def complaint(province):
    from khieunai.models import Feedback, FeedbackChannel, FeedbackKind, FeedbackStatus
    from thutuc.models import Agency

    agency = Agency.objects.get(code="000.00.11.H99")  # Sở Tư pháp: lanhdao is its leader
    return Feedback.objects.create(
        code="KN-2026-000777",
        kind=FeedbackKind.DENUNCIATION,
        channel=FeedbackChannel.COUNTER,
        agency=agency,
        submitter_name="Người Tố Cáo Bí Mật",
        title="Tố cáo cán bộ",
        content="…",
        received_at=local(2026, 11, 10, 9),
        status=FeedbackStatus.RECEIVED,
        next_due_at=local(2026, 11, 20, 15, 0),
        pin_hash="x",
    )


def test_feedback_due_soon_then_overdue_for_the_unit_leader(complaint):
    from thutuc.models import User

    leader = User.objects.get(username="lanhdao")
    assert scan_feedback_deadlines(now=local(2026, 11, 20, 10, 0)) > 0
    assert list(
        Notification.objects.filter(recipient=leader, channel="in_app", read_at__isnull=True).values_list(
            "kind", flat=True
        )
    ) == [kinds.FEEDBACK_DUE_SOON]
    assert scan_feedback_deadlines(now=local(2026, 11, 20, 10, 15)) == 0  # rerun: nothing new
    scan_feedback_deadlines(now=local(2026, 11, 23, 9, 0))
    unread = Notification.objects.filter(recipient=leader, channel="in_app", read_at__isnull=True)
    assert Notification.objects.filter(
        recipient=leader, channel="email", kind=kinds.FEEDBACK_OVERDUE
    ).exists()
    assert list(unread.values_list("kind", flat=True)) == [kinds.FEEDBACK_OVERDUE]
    assert unread_alert_count(leader) == 1
    _count, body = digest_text(leader, now=local(2026, 11, 23, 9, 0))
    assert "KN-2026-000777" in body
    # a denouncer's identity never travels in an alert
    assert not Notification.objects.filter(body__contains="Người Tố Cáo").exists()


def test_answered_feedback_resolves_its_alert(complaint):
    from khieunai.models import FeedbackStatus
    from thutuc.models import User

    leader = User.objects.get(username="lanhdao")
    scan_feedback_deadlines(now=local(2026, 11, 23, 9, 0))
    assert unread_alert_count(leader) == 1
    complaint.status = FeedbackStatus.ANSWERED
    complaint.save()
    scan_feedback_deadlines(now=local(2026, 11, 23, 9, 15))
    assert unread_alert_count(leader) == 0


def _store_year_one(feedback) -> None:
    """Put year 1 in a case's dates the way the form did before core.dates (issue 14 §2):
    written in SQL, as the ORM cannot even build such a value in UTC."""
    from django.db import connection

    with connection.cursor() as cursor:
        # PostgreSQL stores it as 0001-12-31 17:00 BC in UTC; SQLite keeps UTC text
        value = "0001-01-01 00:00:00+07" if connection.vendor == "postgresql" else "0000-12-31 17:00:00"
        cursor.execute(
            "UPDATE khieunai_feedback SET received_at = %s, next_due_at = %s WHERE id = %s",
            [value, value, feedback.pk],
        )


def test_one_case_with_a_year_one_date_does_not_stop_the_scan(complaint, caplog):
    """Before: "year -1 is out of range" on every run, no alert for anyone. Now the bad case
    is logged and skipped, and the good one is alerted."""
    from khieunai.models import Feedback
    from thutuc.models import User

    broken = Feedback.objects.create(
        **{
            f.attname: getattr(complaint, f.attname)
            for f in Feedback._meta.concrete_fields
            if f.attname not in ("id", "code")
        },
        code="PA-1-000001",
    )
    _store_year_one(broken)
    leader = User.objects.get(username="lanhdao")
    with caplog.at_level("WARNING", logger="khieunai.alerts"):
        assert scan_feedback_deadlines(now=local(2026, 11, 23, 9, 0)) > 0
    assert unread_alert_count(leader) == 1
    assert Notification.objects.filter(body__contains="KN-2026-000777").exists()
    assert not Notification.objects.filter(body__contains="PA-1-000001").exists()
    assert "PA-1-000001" in caplog.text
    # the next run too, and the stale-alert pass reads no implausible date either
    assert scan_feedback_deadlines(now=local(2026, 11, 23, 9, 15)) == 0
