"""Celery tasks of the dossier app: thin wrappers around services (no view imported)."""

from celery import shared_task
from django.utils import timezone


class DeliveryFailed(Exception):
    """The channel refused the message; Celery retries with back-off."""


# ignore_result: enqueued from web requests, and nobody reads the result (the row's sent_at
# is the result). With a result stored, every .delay() also subscribes to the Redis result
# backend, which retries for ~20 s when Redis is down: the officer's request would hang.
@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=50,
    time_limit=60,
)
def send_notification(self, notification_id: int) -> bool:
    from .notifications.service import send_now

    if not send_now(notification_id):
        raise DeliveryFailed(notification_id)
    return True


@shared_task(ignore_result=True, soft_time_limit=100, time_limit=120)
def enqueue_notifications(notification_ids: list[int]) -> int:
    """Hand each notification of a batch to `send_notification` (its own task, its own
    retries). The deadline scan hands its e-mails and SMS over in batches: one message per
    notification cost 0.2–0.35 ms each inside the scan, most of the step where a working
    day starts and a thousand alerts fall due at once (issue 21 §2). A batch lost with the
    broker is re-enqueued by `resend_unsent_notifications`, like a single message."""
    from .notifications.service import _enqueue

    for pk in notification_ids:
        _enqueue(pk)
    return len(notification_ids)


@shared_task(soft_time_limit=100, time_limit=120)
def resend_unsent_notifications() -> int:
    """Safety net: re-enqueue e-mail/SMS notifications still unsent after 10 minutes
    (a broker outage, a worker killed before its retry was scheduled). A claimed one is
    never re-enqueued: it may have gone out (see motcua.notifications.service)."""
    from datetime import timedelta

    from .models import Notification, NotificationChannel
    from .notifications.service import flag_uncertain_claims

    flag_uncertain_claims()
    stale = timezone.now() - timedelta(minutes=10)
    ids = list(
        Notification.objects.filter(
            sent_at__isnull=True, claimed_at__isnull=True, created_at__lt=stale, attempts__lt=20
        )
        .exclude(channel=NotificationChannel.IN_APP)
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


@shared_task(soft_time_limit=240, time_limit=300)
def scan_deadline_alerts() -> int:
    """Periodic: record due-soon / overdue / escalation / apology alerts (idempotent)."""
    from .alerts.scan import scan_deadlines

    return scan_deadlines().created


@shared_task(soft_time_limit=100, time_limit=120)
def scan_online_inbox() -> int:
    """Periodic: online filings left unalerted, near or past their 08 working hours
    (NĐ 118/2025/NĐ-CP Điều 17 khoản 2); idempotent."""
    from .alerts.online import scan_online_inbox as scan

    return scan()


# Enqueued after a working-calendar change commits (thutuc/calendar_changes.py, named by
# settings.CALENDAR_CHANGE_TASK). A national holiday added for next month may move every open
# dossier's deadline: the limits are wide (the broker's visibility timeout is 2 h).
# ignore_result: enqueued from the admin's request (see send_notification).
@shared_task(ignore_result=True, soft_time_limit=1500, time_limit=1800)
def apply_calendar_change(changes: list[dict]) -> int:
    """Recompute the open deadlines, reset the scan's watermark, rescan; returns how many
    deadlines moved. Safe to run twice: a second run moves nothing and records no alert."""
    from thutuc.calendar_changes import CalendarChange

    from .services.calendar_change import calendar_change_apply

    return calendar_change_apply(changes=[CalendarChange.from_message(c) for c in changes]).moved


@shared_task(soft_time_limit=1500, time_limit=1800)
def close_unsupplemented_dossiers() -> int:
    """Daily: close the dossiers whose supplement did not arrive within 15 days (NĐ 118/2025
    Điều 19 khoản 5) and tell their applicants. Safe to run twice."""
    from .services.supplement_close import close_unsupplemented

    return close_unsupplemented()


@shared_task(soft_time_limit=600, time_limit=900)
def reconcile_payments() -> int:
    """Daily: the online payments of the last two days against the gateway's transaction
    list; payments the gateway took whose callback was lost are recorded (docs/fees.md).
    Safe to run twice. Returns the number of differences left for a person to look at."""
    import datetime as dt

    from django.utils import timezone

    from .payments.service import reconcile

    findings = reconcile(since=timezone.now() - dt.timedelta(days=2), fix=True)
    return sum(1 for finding in findings if not finding.fixed)


@shared_task(soft_time_limit=240, time_limit=300)
def send_daily_digests() -> int:
    """Daily at the start of office hours; does nothing on a non-working day."""
    from .alerts.digest import send_digests

    return send_digests()
