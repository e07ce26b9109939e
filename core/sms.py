"""SMS delivery behind a small backend interface, chosen by settings.SMS_BACKEND.

The portal never talks to an SMS gateway directly: a provider's backend implements
`send`, tests use `LocmemSmsBackend`, the embedded run prints to the console.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """Raised by a backend when the gateway did not accept the message."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to %s: %s", message.to, message.body)
        print(f"[SMS → {message.to}] {message.body}")  # noqa: T201 - console backend


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in memory (tests read `outbox`)."""

    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        type(self).outbox.append(message)


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, body: str) -> None:
    get_backend().send(SmsMessage(to=to, body=body))
