"""Redis (cache + Celery broker) unavailable for a while.

While it is down: the counter keeps receiving dossiers through the real intake view (the
notification stays unsent in the database, the failing `.delay()` is logged), the citizen
tracking page answers (the rate limiter fails open, with a warning), /healthz says 503.
When it is back: the periodic resend and deadline-scan tasks, run by a real worker, deliver
every notification exactly once and create each alert once."""

import datetime as dt
import logging
from decimal import Decimal

import pytest

from core import pins
from motcua.models import Dossier, Notification, NotificationChannel
from motcua.views.intake import SESSION_PINS
from tests.factories import UserFactory
from tests.motcua.factories import CaseFactory, reception_officer
from thutuc.accounts.roles import Role

from .failure import (
    WORKER_TEST,
    celery_on,
    intake_form_data,
    running_redis,
    start_worker,
    wait_for,
)

pytestmark = WORKER_TEST

INTAKE = "/mot-cua/tiep-nhan/"
TRACKING = "/tra-cuu/"


@pytest.fixture
def private_redis(tmp_path):
    with running_redis(tmp_path) as server:
        yield server


@pytest.fixture
def counter(private_redis, settings):
    """A reception officer, a procedure due within half a working day (so the scan has
    "due soon" alerts to raise), and a specialist and a leader of the unit to alert."""
    settings.REDIS_URL = private_redis.url(0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url(0),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    officer = reception_officer()
    case = CaseFactory(processing_time=Decimal("4"), processing_unit="working_hours")
    case.procedure.receiving_agencies.add(officer.agency)
    for role in (Role.SPECIALIST, Role.LEADER):
        UserFactory(agency=officer.agency, roles=[role], email=f"{role}@example.vn", phone="0987654321")
    return officer, case


def _receive(client, case, i: int) -> tuple[Dossier, str]:
    response = client.post(INTAKE, intake_form_data(case, i))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(applicant_name=f"Nguyễn Văn {i}")
    # the session keeps the PIN sealed (issue 14 §3)
    return dossier, pins.unseal(dossier.code, client.session[SESSION_PINS][dossier.code])


def test_portal_keeps_receiving_while_redis_is_down_and_catches_up_once(
    counter, private_redis, client, settings, tmp_path, caplog
):
    officer, case = counter
    outbox, mails = tmp_path / "sms.txt", tmp_path / "mails"
    client.force_login(officer)
    with celery_on(private_redis, settings):
        # Redis up, no worker yet: the first acceptance's messages wait in the broker queue…
        before, _pin = _receive(client, case, 0)
        # …and are lost with it: Redis restarts without persistence (the worst case).
        private_redis.stop()

        caplog.set_level(logging.WARNING)
        received = [_receive(client, case, i) for i in range(1, 4)]
        assert Dossier.objects.count() == 4
        unsent = Notification.objects.exclude(channel=NotificationChannel.IN_APP)
        assert unsent.count() == 8 and not unsent.filter(sent_at__isnull=False).exists()
        assert "could not enqueue notification" in caplog.text

        # The citizen's tracking page still answers, with the right PIN and with a wrong one.
        dossier, pin = received[0]
        page = client.post(TRACKING, {"ma": dossier.code, "pin": pin}, REMOTE_ADDR="203.0.113.7")
        assert page.status_code == 200 and "Quá trình giải quyết" in page.content.decode()
        wrong = client.post(TRACKING, {"ma": dossier.code, "pin": "222222"}, REMOTE_ADDR="203.0.113.7")
        assert wrong.status_code == 200 and "Không tìm thấy hồ sơ" in wrong.content.decode()
        assert "cache unreachable" in caplog.text

        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["redis"] is False
        assert health.json()["database"] is True

        private_redis.start()
        assert client.get("/healthz").status_code == 200
        # Beat's resend picks messages older than 10 minutes: age them instead of waiting.
        Notification.objects.update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        worker = start_worker(
            private_redis,
            tmp_path,
            name="after-outage",
            env={
                "SMS_BACKEND": "tests.trust.failure_worker_app.SlowFileSmsBackend",
                "FAILURE_SMS_OUTBOX": str(outbox),
                "EMAIL_URL": f"filemail:///{mails}",
            },
        )
        try:
            from motcua.tasks import resend_unsent_notifications, scan_deadline_alerts

            # What beat sends when the broker is back: the scan, then the resend.
            assert scan_deadline_alerts.delay().get(timeout=90, disable_sync_subtasks=False) > 0
            assert resend_unsent_notifications.delay().get(timeout=90, disable_sync_subtasks=False) == 8
            wait_for(
                lambda: (
                    not Notification.objects.exclude(channel=NotificationChannel.IN_APP)
                    .filter(sent_at__isnull=True)
                    .exists()
                ),
                timeout=90,
                what="every notification to be sent after Redis came back",
            )
            # The next beat ticks change nothing.
            assert scan_deadline_alerts.delay().get(timeout=90, disable_sync_subtasks=False) == 0
            assert resend_unsent_notifications.delay().get(timeout=90, disable_sync_subtasks=False) == 0
        finally:
            worker.stop()
    log = worker.output()
    outgoing = Notification.objects.exclude(channel=NotificationChannel.IN_APP)
    sms = outgoing.filter(channel=NotificationChannel.SMS)
    applicant_sms = sms.filter(kind="accepted")
    assert applicant_sms.count() == 4  # the one lost with the broker's queue included
    assert {d.pk for d in [before, *[d for d, _p in received]]} == set(
        applicant_sms.values_list("dossier", flat=True)
    )
    # Delivered exactly once: one attempt each, one line per SMS in the gateway's outbox,
    # one file per e-mail.
    assert list(outgoing.exclude(attempts=1).values_list("pk", "attempts")) == [], log
    lines = outbox.read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("\t")[0] for line in lines) == sorted(sms.values_list("address", flat=True)), log
    assert len(lines) == len(set(lines)) == sms.count()
    # (the file backend may append two messages to one file: count the messages)
    sent_mails = sum(f.read_text(encoding="utf-8").count("\nMessage-ID: ") for f in mails.iterdir())
    assert sent_mails == outgoing.filter(channel=NotificationChannel.EMAIL).count()
    # Alerts created once: one per kind, dossier and recipient, for the four dossiers.
    alerts = Notification.objects.filter(channel=NotificationChannel.IN_APP)
    keys = list(alerts.values_list("kind", "dossier", "recipient"))
    assert len(keys) == len(set(keys)) and {d for _k, d, _r in keys} == {
        before.pk,
        *(d.pk for d, _p in received),
    }


def test_export_requested_while_redis_is_down_stays_pending_and_is_queued_when_asked_again(
    private_redis, settings, tmp_path, caplog
):
    """Before the fix, the export's `.delay()` ran after commit without a guard: the request
    failed with a 500 although the export row existed, and nothing ever queued it again."""
    import redis

    from baocao import services
    from baocao.models import ExportStatus
    from tests.baocao.factories import quarterly_export_request
    from thutuc import demo

    settings.MEDIA_ROOT = str(tmp_path)
    demo.seed(catalogue=False)
    request = quarterly_export_request()
    with celery_on(private_redis, settings):
        private_redis.stop()
        caplog.set_level(logging.ERROR, logger="baocao.services")
        export = services.export_request(**request)  # no exception
        assert export.status == ExportStatus.PENDING
        assert "could not enqueue export" in caplog.text
        private_redis.start()
        again = services.export_request(**request)
    assert again.pk == export.pk
    queued = redis.Redis.from_url(private_redis.url(1)).llen("reports")
    assert queued == 1  # the render task waits in the broker, in its own queue, for a worker
