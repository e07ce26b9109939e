"""Issue 14 §7: a worker killed after the gateway took a message but before the row was
marked sent delivered the message a second time on the re-run (an alert e-mail arrived
twice). Sending is now claim (committed) → send → mark: a claim without its mark is never
sent again; a gateway that refuses releases the claim for the retry."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from core.sms import LocmemSmsBackend
from motcua.models import Notification, NotificationChannel
from motcua.notifications import service

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerKilled(BaseException):
    """What SIGKILL does to the sending code: nothing after it runs (not even `except Exception`)."""


class GatewayThenDeath(LocmemSmsBackend):
    """The gateway accepts the message, then the worker dies before it marks the row."""

    die = True

    def send(self, message):
        super().send(message)
        if type(self).die:
            raise WorkerKilled


class MailThenDeath(EmailBackend):
    def send_messages(self, messages):
        sent = super().send_messages(messages)
        raise WorkerKilled(sent)


class Refusing(LocmemSmsBackend):
    def send(self, message):
        raise ConnectionError("gateway timeout")


@pytest.fixture(autouse=True)
def _backends(settings):
    settings.SMS_BACKEND = "tests.trust.test_delivery_once.GatewayThenDeath"
    GatewayThenDeath.outbox = []
    GatewayThenDeath.die = True
    yield
    GatewayThenDeath.outbox = []


def _record(channel=NotificationChannel.SMS, address="0912345678"):
    # the row as notify() records it, without the after-commit send: the test drives the sender
    return Notification.objects.create(
        channel=channel, kind="escalation", subject="Hồ sơ quá hạn", body="HS A-1 qua han.", address=address
    )


def test_a_sender_killed_after_the_gateway_took_the_message_never_sends_it_again():
    from motcua.tasks import resend_unsent_notifications, send_notification

    notification = _record()
    with pytest.raises(WorkerKilled):
        service.send_now(notification.pk)
    assert len(GatewayThenDeath.outbox) == 1
    notification.refresh_from_db()
    assert notification.claimed_at is not None and notification.sent_at is None
    GatewayThenDeath.die = False
    # the broker redelivers the task (acks_late) and the safety net runs later: nothing more goes out
    assert send_notification.apply(args=[notification.pk]).get() is True
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1), claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert resend_unsent_notifications.apply().get() == 0
    assert len(GatewayThenDeath.outbox) == 1
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.attempts == 1
    assert notification.last_error == service.uncertain_error()  # for an operator to look at


def test_an_alert_e_mail_is_sent_once_even_if_the_worker_dies_right_after(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailThenDeath"
    notification = _record(NotificationChannel.EMAIL, "truongbophan@example.vn")
    with pytest.raises(WorkerKilled):
        service.send_now(notification.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert service.send_now(notification.pk) is True
    assert len(mail.outbox) == 1


def test_a_refused_message_releases_its_claim_and_the_retry_sends_it(settings):
    notification = _record()
    settings.SMS_BACKEND = f"{__name__}.Refusing"
    assert service.send_now(notification.pk) is False
    notification.refresh_from_db()
    assert notification.claimed_at is None and "gateway timeout" in notification.last_error
    GatewayThenDeath.die = False
    settings.SMS_BACKEND = f"{__name__}.GatewayThenDeath"
    assert service.send_now(notification.pk) is True
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 2 and notification.last_error == ""
    assert len(GatewayThenDeath.outbox) == 1


def test_an_operator_finds_an_uncertain_message_and_sends_it_again(admin_client):
    """The flagged message is listed in the admin (superusers) and sent again on request."""
    GatewayThenDeath.die = False
    notification = _record()
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - dt.timedelta(hours=1), attempts=1, last_error=service.uncertain_error()
    )
    listed = admin_client.get("/quan-tri/motcua/notification/", {"gui": "khong-ro"}).content.decode()
    assert "0912345678" in listed
    assert (
        "0912345678"
        not in admin_client.get("/quan-tri/motcua/notification/", {"gui": "da-gui"}).content.decode()
    )
    response = admin_client.post(
        "/quan-tri/motcua/notification/", {"action": "send_again", "_selected_action": [notification.pk]}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 2
    assert len(GatewayThenDeath.outbox) == 1
