"""A Celery worker SIGKILLed in the middle of a task: the task is delivered again (acks_late +
the broker's visibility timeout), a new worker takes it, and its effect happens once (an SMS
already handed to the gateway is not sent again; an export is written once).

The worker is a real `celery worker` process (solo pool: the task runs in it) on a private
Redis; the task is slowed down either by a slow SMS "gateway" (a test SMS backend) or by a
test-only hook around the export builder (tests/trust/failure_worker_app.py)."""

import time

import pytest

from motcua.models import NotificationChannel
from motcua.notifications.service import notify

from .failure import (
    WORKER_TEST,
    celery_on,
    running_redis,
    start_worker,
    wait_for,
)

pytestmark = WORKER_TEST

VISIBILITY_TIMEOUT = 2  # seconds; production keeps the 2-hour default (settings.py)


@pytest.fixture
def private_redis(tmp_path):
    with running_redis(tmp_path) as server:
        yield server


def _kill_mid_task_then_restart(
    private_redis, tmp_path, *, env: dict[str, str], slow_env: dict[str, str], done
) -> str:
    """Start a slow worker, wait until the task is inside its slow part, SIGKILL the worker,
    start a normal one after the visibility timeout, wait until `done()`; return both logs."""
    started = tmp_path / "started"
    common = {
        **env,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "FAILURE_STARTED_MARK": str(started),
    }
    first = start_worker(private_redis, tmp_path, name="doomed", env={**common, **slow_env})
    try:
        wait_for(started.exists, timeout=90, what="the task to start in the first worker")
        first.kill()
    finally:
        first.stop()
    assert first.process.returncode == -9
    # The message is still unacknowledged in Redis; it becomes visible again once the
    # visibility timeout has passed since the first worker took it.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    started.unlink()
    second = start_worker(private_redis, tmp_path, name="rescuer", env=common)
    try:
        wait_for(done, timeout=90, what="the redelivered task to complete")
        time.sleep(1)  # let a (wrong) second delivery show itself before counting effects
    finally:
        second.stop()
    return first.output() + second.output()


def test_sms_handed_to_the_gateway_then_worker_killed_is_never_sent_twice(private_redis, tmp_path, settings):
    """Issue 14 §7: the worker dies after the gateway took the message and before the row was
    marked sent. The task is redelivered to a new worker, which finds the committed claim and
    sends nothing: one message at the gateway, the row flagged for an operator, not resent."""
    outbox = tmp_path / "sms-outbox.txt"
    with celery_on(private_redis, settings):
        notification = notify(
            channel=NotificationChannel.SMS,
            kind="accepted",
            subject="Hồ sơ đã được tiếp nhận",
            body="HS 000.00.06.H56-261123-0001 da tiep nhan.",
            address="0912345678",
            dedupe_key="trust-failure:sms:1",
        )  # enqueued at once: no transaction is open
        rescuer_log = tmp_path / "rescuer.log"
        logs = _kill_mid_task_then_restart(
            private_redis,
            tmp_path,
            env={
                "SMS_BACKEND": "tests.trust.failure_worker_app.SlowFileSmsBackend",
                "FAILURE_SMS_OUTBOX": str(outbox),
            },
            slow_env={"FAILURE_SMS_DELAY_AFTER": "120"},
            done=lambda: (
                rescuer_log.exists() and "never marked sent" in rescuer_log.read_text(errors="replace")
            ),
        )
    notification.refresh_from_db()
    assert notification.claimed_at is not None and notification.sent_at is None, logs
    assert notification.attempts == 1, logs
    lines = outbox.read_text().splitlines()
    assert lines == ["0912345678\tHS 000.00.06.H56-261123-0001 da tiep nhan."], logs


def test_export_killed_mid_render_is_redelivered_and_written_once(private_redis, tmp_path, settings):
    from baocao import services
    from baocao.models import ExportStatus, ReportExport
    from tests.baocao.factories import quarterly_export_request

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    _province()
    request = quarterly_export_request()
    with celery_on(private_redis, settings):
        export = services.export_request(**request)
        logs = _kill_mid_task_then_restart(
            private_redis,
            tmp_path,
            env={"MEDIA_ROOT": str(media)},
            slow_env={"FAILURE_EXPORT_DELAY": "120"},
            done=lambda: ReportExport.objects.filter(pk=export.pk, status=ExportStatus.DONE).exists(),
        )
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, logs
    assert export.progress == 100 and export.error == ""
    files = [p for p in media.rglob("*") if p.is_file()]
    assert files == [media / export.file.name], logs
    assert files[0].read_bytes()[:2] == b"PK"  # an xlsx (zip) file, written in full
    assert ReportExport.objects.count() == 1


def _province():
    from thutuc import demo

    demo.seed(catalogue=False)
