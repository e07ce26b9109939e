"""Due-soon and overdue feedback join the staff alerts (header count, digest)."""

import datetime as dt

import pytest

from khieunai.alerts import scan_feedback_deadlines
from motcua.alerts import kinds
from motcua.alerts.digest import digest_text, unread_alert_count
from motcua.models import Notification
from thutuc.calendar import TZ


def local(*args):
    return dt.datetime(*args, tzinfo=TZ)


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
