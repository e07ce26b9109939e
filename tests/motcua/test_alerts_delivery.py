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
