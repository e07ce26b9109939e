"""The Celery app of the worker processes started by the failure tests: the portal's own app
(`motcua.celery.app`, same tasks and settings) plus test-only hooks read from the environment.

- FAILURE_EXPORT_DELAY (seconds): `baocao.exports.build` sleeps that long before rendering,
  after touching FAILURE_STARTED_MARK, so that a test can SIGKILL the worker mid-export.
- The slow SMS gateway is `tests.trust.failure_worker_app.SlowFileSmsBackend` (SMS_BACKEND):
  it touches FAILURE_STARTED_MARK, waits FAILURE_SMS_DELAY seconds, then appends the message
  to FAILURE_SMS_OUTBOX — one line per message really handed to the "gateway". With
  FAILURE_SMS_DELAY_AFTER it appends first, then touches the mark and waits that long: the
  gateway has the message and the worker has not marked it sent yet."""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from core.sms import BaseSmsBackend, SmsMessage
from motcua.celery import app  # noqa: F401  (the app `celery -A` finds in this module)


def _mark_started() -> None:
    mark = os.environ.get("FAILURE_STARTED_MARK")
    if mark:
        Path(mark).touch()


class SlowFileSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        after = float(os.environ.get("FAILURE_SMS_DELAY_AFTER") or 0)
        if not after:
            _mark_started()
            time.sleep(float(os.environ.get("FAILURE_SMS_DELAY") or 0))
        with open(os.environ["FAILURE_SMS_OUTBOX"], "a", encoding="utf-8") as outbox:
            outbox.write(f"{message.to}\t{message.body.replace(chr(10), ' ')}\n")
        if after:
            _mark_started()
            time.sleep(after)


_patched = False


@task_prerun.connect
def _slow_exports(**kwargs):
    """Wrap the export builder once (Django is set up by the time a task runs)."""
    global _patched
    delay = float(os.environ.get("FAILURE_EXPORT_DELAY") or 0)
    if _patched or not delay:
        return
    from baocao import exports

    build = exports.build

    def slow_build(payload, fmt):
        _mark_started()
        time.sleep(delay)
        return build(payload, fmt)

    exports.build = slow_build
    _patched = True
