"""Recording and sending notifications. Services call `notify(...)` inside their
transaction; the message is stored at once and handed to Celery after commit.

Sending is claim → send → mark (issue 14 §7): the claim is committed before the message
goes to the gateway, and the mark after. A sender that dies between the two (killed worker,
lost host) leaves a claim without a mark: the message may well have gone out, so it is
never sent again automatically — it is flagged "delivery uncertain" for an operator instead
(`flag_uncertain_claims`). At most once beats a citizen or an officer receiving it twice.
A gateway that *refuses* (raises) releases the claim, and the retry sends it."""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pins
from core.sms import send_sms

from ..models import Notification, NotificationChannel
from ..tracking import links

logger = logging.getLogger(__name__)

# A claim younger than this may still be sending (send_notification's hard limit is 60 s).
CLAIM_LEASE = timedelta(minutes=5)


def uncertain_error() -> str:
    return _("Không rõ đã gửi hay chưa: tiến trình gửi dừng giữa chừng; không gửi lại tự động.")


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
    sealed_pin: str = "",
) -> Notification | None:
    """Record one notification and enqueue its delivery after commit.

    `sealed_pin` (core.pins.seal) puts the PIN into the body's tracking link at send time.
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
        sealed_pin=sealed_pin,
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


def notify_new(messages: list[dict]) -> list[Notification]:
    """Record notifications about an object created in the caller's own transaction (a
    dossier being received): their dedupe keys name it, so none can exist yet. All are
    written in one INSERT, without the savepoint `notify` needs to survive a duplicate (two
    statements fewer per intake); a key that did exist would raise IntegrityError and roll the
    whole transaction back, never send twice. Each is enqueued after commit."""
    rows = Notification.objects.bulk_create(
        [Notification(**{**fields, "subject": fields["subject"][:255]}) for fields in messages]
    )
    for notification in rows:
        if notification.channel != NotificationChannel.IN_APP:
            transaction.on_commit(lambda pk=notification.pk: _enqueue(pk))
    return rows


def _enqueue(notification_id: int) -> None:
    # The dossier is already saved: a broker outage or a failing gateway must not turn
    # the officer's request into an error. The row stays unsent and the periodic
    # `resend_unsent_notifications` task delivers it later.
    from ..tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:
        logger.exception("could not enqueue notification %s; it will be resent", notification_id)


def rendered_body(notification: Notification) -> str:
    """The text that goes out: the stored body, with the PIN put back into the tracking
    link, and into the PIN slots of the text, while it is still sealed on the row (it never is
    in the body itself)."""
    if not notification.sealed_pin:
        return notification.body
    if notification.dossier_id is None:
        # a message of another case (a feedback's receipt) names its PIN in words
        _code, pin = pins.unseal_with_code(notification.sealed_pin)
        return pins.fill_pin_slots(notification.body, pin)
    code = notification.dossier.code
    pin = pins.unseal(code, notification.sealed_pin)
    return pins.fill_pin_slots(links.with_pin(notification.body, code, pin), pin)


def deliver(notification: Notification) -> None:
    """Send one recorded notification through its channel; raises on failure."""
    if notification.channel == NotificationChannel.EMAIL:
        to = notification.address or (notification.recipient.email if notification.recipient else "")
        if not to:
            raise ValueError("no e-mail address")
        send_mail(notification.subject, rendered_body(notification), None, [to])
    elif notification.channel == NotificationChannel.SMS:
        to = notification.address or (notification.recipient.phone if notification.recipient else "")
        if not to:
            raise ValueError("no phone number")
        send_sms(to, rendered_body(notification))


def _claim(notification_id: int) -> Notification | None:
    """Lock the row, and claim it unless it is gone, sent, or claimed already. Committed
    before the caller sends anything."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "dossier")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.sent_at is not None:
            return None
        if notification.claimed_at is not None:
            logger.warning(
                "notification %s was claimed at %s and never marked sent: not sent again",
                notification.pk,
                notification.claimed_at,
            )
            if notification.claimed_at < timezone.now() - CLAIM_LEASE:
                notification.last_error = uncertain_error()
                notification.save(update_fields=["last_error"])
            return None
        notification.claimed_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["claimed_at", "attempts"])
    return notification


def send_now(notification_id: int) -> bool:
    """Deliver a notification unless already sent or claimed. Returns True once there is
    nothing left to do (sent, gone, or claimed by another attempt); False when the gateway
    refused, so that the task retries."""
    notification = _claim(notification_id)
    if notification is None:
        return True
    try:
        deliver(notification)
    except Exception as exc:
        # The gateway refused: nothing went out, so the claim is released for the retry.
        error = f"{type(exc).__name__}: {exc}"[:2000]
        Notification.objects.filter(pk=notification.pk, claimed_at=notification.claimed_at).update(
            claimed_at=None, last_error=error
        )
        logger.warning("notification %s failed (attempt %s): %s", notification.pk, notification.attempts, exc)
        return False
    Notification.objects.filter(pk=notification.pk).update(
        sent_at=timezone.now(), last_error="", sealed_pin=""
    )
    return True


def flag_uncertain_claims() -> int:
    """Mark the claims older than the lease and never marked sent as "delivery uncertain"
    (shown in the admin); they are not sent again. Returns how many were flagged."""
    message = uncertain_error()
    return (
        Notification.objects.filter(sent_at__isnull=True, claimed_at__lt=timezone.now() - CLAIM_LEASE)
        .exclude(last_error=message)
        .update(last_error=message)
    )
