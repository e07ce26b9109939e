"""Recording and sending notifications. Services call `notify(...)` inside their
transaction; the message is stored at once and handed to Celery after commit."""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Notification, NotificationChannel
from .sms import send_sms

logger = logging.getLogger(__name__)


def notify(
    *,
    channel: str,
    kind: str,
    subject: str,
    body: str,
    recipient=None,
    address: str = "",
    dossier=None,
    reference: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Record one notification and enqueue its delivery after commit.

    Returns None when a notification with the same `dedupe_key` already exists
    (a rerun, a double click, two workers): it is never created or sent twice."""
    fields = dict(
        channel=channel,
        kind=kind,
        subject=subject[:255],
        body=body,
        recipient=recipient,
        address=address,
        dossier=dossier,
        reference=reference,
        dedupe_key=dedupe_key,
    )
    if not dedupe_key:
        # nothing can collide: no savepoint (two round trips per intake)
        notification = Notification.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(**fields)
        except IntegrityError:
            if Notification.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
    if channel != NotificationChannel.IN_APP:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    # The dossier is already saved: a broker outage or a failing gateway must not turn
    # the officer's request into an error. The row stays unsent and the periodic
    # `resend_unsent_notifications` task delivers it later.
    from ..tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:
        logger.exception("could not enqueue notification %s; it will be resent", notification_id)


def deliver(notification: Notification) -> None:
    """Send one recorded notification through its channel; raises on failure."""
    if notification.channel == NotificationChannel.EMAIL:
        to = notification.address or (notification.recipient.email if notification.recipient else "")
        if not to:
            raise ValueError("no e-mail address")
        send_mail(notification.subject, notification.body, None, [to])
    elif notification.channel == NotificationChannel.SMS:
        to = notification.address or (notification.recipient.phone if notification.recipient else "")
        if not to:
            raise ValueError("no phone number")
        send_sms(to, notification.body)


def send_now(notification_id: int) -> bool:
    """Deliver a notification unless already sent. Returns True once it has been sent.

    The row is locked while sending so that two workers never send it twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.sent_at is not None:
            return True  # gone, or already delivered
        notification.attempts += 1
        try:
            deliver(notification)
        except Exception as exc:
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            notification.save(update_fields=["attempts", "last_error"])
            logger.warning(
                "notification %s failed (attempt %s): %s", notification.pk, notification.attempts, exc
            )
            return False
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "last_error", "sent_at"])
        return True
