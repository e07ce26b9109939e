"""Alert delivery through Celery: retried after a failure and delivered once; and the scan
itself run by a real worker against the Redis broker."""

import pytest

from motcua.models import Notification, NotificationChannel
from motcua.tasks import scan_deadline_alerts, send_notification
from tests.motcua.factories import FLAKY_SMS, FlakySms


@pytest.mark.django_db
def test_send_failing_once_is_retried_and_delivered_once(settings):
    settings.SMS_BACKEND = FLAKY_SMS
    # as a worker does: a failed attempt schedules a retry instead of raising to the caller
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    FlakySms.outbox.clear()
    FlakySms.failures_left = 1
    notification = Notification.objects.create(
        channel=NotificationChannel.SMS,
        kind="escalation",
        subject="s",
        body="Hồ sơ quá hạn",
        address="0912000111",
    )
    # eager mode runs Celery's retry (autoretry_for=DeliveryFailed) in-process right away
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.sent_at is not None
    assert notification.last_error == ""
    assert [m.to for m in FlakySms.outbox] == ["0912000111"]
    send_notification.delay(notification.pk)  # a late duplicate task sends nothing
    assert len(FlakySms.outbox) == 1


@pytest.mark.worker
def test_scan_runs_on_a_real_worker(celery_worker_process, alert_world):
    alert_world.dossier(overdue=True, assignee=alert_world.specialist)
    result = scan_deadline_alerts.apply_async(queue=celery_worker_process)
    created = result.get(timeout=60)
    assert created > 0
    assert Notification.objects.filter(recipient=alert_world.specialist, kind="overdue").exists()
    again = scan_deadline_alerts.apply_async(queue=celery_worker_process)
    assert again.get(timeout=60) == 0


@pytest.mark.django_db
def test_the_scan_hands_its_messages_over_in_batches_and_each_is_sent(
    alert_world, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 21 §2: the scan's e-mails and SMS go to the broker a batch per message
    (tasks.enqueue_notifications), each then delivered by its own send_notification."""
    from celery.signals import task_prerun
    from django.core import mail

    from motcua.alerts import scan
    from motcua.alerts.scan import scan_deadlines

    monkeypatch.setattr(scan, "HAND_OFF_BATCH", 2)
    for _ in range(3):
        alert_world.dossier(overdue=True, assignee=alert_world.specialist)
    ran = []

    def count(sender=None, **kwargs):
        ran.append(sender.name)

    task_prerun.connect(count)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            scan_deadlines()
    finally:
        task_prerun.disconnect(count)
    outgoing = Notification.objects.exclude(channel=NotificationChannel.IN_APP)
    assert outgoing.count() >= 3
    assert not outgoing.filter(sent_at__isnull=True).exists()
    batches = ran.count("motcua.tasks.enqueue_notifications")
    assert batches == -(-outgoing.count() // 2)  # ceil: one message per batch of two
    assert ran.count("motcua.tasks.send_notification") == outgoing.count()
    assert len(mail.outbox) == outgoing.filter(channel=NotificationChannel.EMAIL).count()
