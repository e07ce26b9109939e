"""The failure settings and the degradations that need no server: these run everywhere
(SQLite included); the scenarios with PostgreSQL, Redis and workers are the other
test_failure_*.py files."""

import logging

import pytest
from django.conf import settings as django_settings

from core import ratelimit
from core.ratelimit import Counter

from .failure import free_port, wait_for


def test_a_task_of_a_dead_worker_is_redelivered_but_never_while_it_may_still_run():
    from motcua.tasks import send_notification

    assert django_settings.CELERY_TASK_ACKS_LATE and django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    timeout = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    # longer than any task may run, and than the longest retry countdown
    assert timeout > django_settings.CELERY_TASK_TIME_LIMIT
    assert timeout > send_notification.retry_backoff_max


def test_tasks_enqueued_by_web_requests_store_no_result():
    """With a result stored, .delay() subscribes to the Redis result backend, which retries for
    about 20 seconds when Redis is down: the intake request would hang (found by
    test_failure_redis, fixed with ignore_result)."""
    from baocao.tasks import render_export
    from motcua.tasks import send_notification

    assert send_notification.ignore_result and render_export.ignore_result


@pytest.fixture
def unreachable_cache(settings):
    # A real Redis client against a port where nothing listens (no mock).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_tracking_rate_limit_fails_open_with_a_warning_when_the_cache_is_down(unreachable_cache, caplog):
    caplog.set_level(logging.WARNING, logger="core.ratelimit")
    counters = (
        Counter("tracking_address", "203.0.113.7"),
        Counter("tracking_code", "000.00.06.H56-261123-0001"),
    )
    assert ratelimit.is_blocked(*counters) is False
    ratelimit.record(*counters)  # no exception
    assert caplog.text.count("cache unreachable") == 2


def test_tracking_page_answers_when_the_cache_is_down(unreachable_cache, client, db):
    response = client.post("/tra-cuu/", {"ma": "000.00.06.H56-261123-0001", "pin": "ABCDEF"})
    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_rate_limit_still_blocks_when_the_cache_works(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tracking_address": (2, 900)}
    address, codes = "198.51.100.77", ["000.00.06.H56-261123-0001", "000.00.06.H56-261123-0002"]
    # the cache may be a Redis shared with an earlier run: start from clean counters
    ratelimit._cache().delete_many(
        [ratelimit._key(Counter("tracking_address", address))]
        + [ratelimit._key(Counter("tracking_code", ratelimit.normalise_code(code))) for code in codes]
    )
    for _attempt in range(2):
        response = client.post("/tra-cuu/", {"ma": codes[0], "pin": "ABCDEF"}, REMOTE_ADDR=address)
        assert response.status_code == 200
    assert client.post("/tra-cuu/", {"ma": codes[1], "pin": "ABCDEF"}, REMOTE_ADDR=address).status_code == 429


def test_export_left_running_by_a_dead_renderer_is_taken_over(transactional_db, settings, tmp_path):
    """The bug test_failure_worker found: the redelivered task saw "running" and skipped, so
    the export stayed "running" for ever. A row left running with nobody holding its render
    claim is rendered by the next delivery."""
    from baocao import services
    from baocao.models import ExportStatus, ReportExport
    from tests.baocao.factories import quarterly_export_request
    from thutuc import demo

    settings.MEDIA_ROOT = str(tmp_path)
    demo.seed(catalogue=False)
    export = services.export_request(**quarterly_export_request())  # eager: rendered at once
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=10, file="")
    assert services.export_render(export_id=export.pk) == "done"
    export.refresh_from_db()
    assert (export.status, export.progress) == (ExportStatus.DONE, 100) and export.file


def test_export_being_rendered_by_a_live_worker_is_not_rendered_twice(transactional_db, settings, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the render claim is a PostgreSQL advisory lock (SQLite runs one process)")
    import psycopg2

    from baocao import services
    from baocao.models import ExportStatus, ReportExport
    from tests.baocao.factories import quarterly_export_request
    from thutuc import demo

    from .failure import database_url

    settings.MEDIA_ROOT = str(tmp_path)
    demo.seed(catalogue=False)
    export = services.export_request(**quarterly_export_request())
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=10, file="")
    live = psycopg2.connect(database_url())  # another worker, alive, holding the claim
    try:
        with live.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", (services.EXPORT_LOCK_NAMESPACE, export.pk))
        assert services.export_render(export_id=export.pk) == "busy"  # the task retries later
        assert ReportExport.objects.get(pk=export.pk).status == ExportStatus.RUNNING
    finally:
        live.close()  # the live worker's connection ends (it died)
    # the server releases the claim once it has noticed the end of that session
    wait_for(lambda: _claim_free(export.pk), timeout=30, what="the advisory lock to be released")
    assert services.export_render(export_id=export.pk) == "done"


def _claim_free(export_id: int) -> bool:
    from django.db import connection

    from baocao.services import EXPORT_LOCK_NAMESPACE

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s",
            [EXPORT_LOCK_NAMESPACE, export_id],
        )
        return cursor.fetchone()[0] == 0


# --- issue 14 §7: one queue per kind of work, each with its workers --------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_scans_notifications_and_reports_each_have_their_own_queue():
    """Scans waited ~5 minutes behind 18,000 queued e-mails in the single default queue."""
    from motcua.celery import app

    def queue_of(name):
        return app.amqp.router.route({}, name)["queue"].name

    assert queue_of("motcua.tasks.scan_deadline_alerts") == "scans"
    assert queue_of("khieunai.tasks.scan_feedback_alerts") == "scans"
    assert queue_of("motcua.tasks.send_daily_digests") == "scans"
    assert queue_of("motcua.tasks.send_notification") == "notifications"
    assert queue_of("motcua.tasks.resend_unsent_notifications") == "notifications"
    assert queue_of("baocao.tasks.render_export") == "reports"
    assert queue_of("core.tasks.clear_expired_sessions") == "celery"


def test_docker_compose_runs_a_worker_for_every_queue():
    import re

    from motcua.celery import QUEUES

    compose = (ROOT / "docker-compose.yml").read_text()
    consumed = set()
    for line in compose.splitlines():
        if '"celery"' in line and '"worker"' in line:
            match = re.search(r'"-Q", "([^"]+)"', line)
            assert match, f"a worker without -Q consumes only the default queue: {line}"
            consumed.update(match.group(1).split(","))
    assert consumed == set(QUEUES)
    makefile = (ROOT / "Makefile").read_text()
    assert "-Q " + ",".join(QUEUES) in makefile


def test_the_access_log_never_writes_a_query_string():
    """The gunicorn access log of the production image: path without query string or Referer
    (issue 14 §3, for receipts printed with `?pin=` in their QR code)."""
    import datetime
    import runpy
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/tra-cuu/?ma=000.00.06.H99-260213-0001&pin=K7M2QX",
        "PATH_INFO": "/tra-cuu/",
        "QUERY_STRING": "ma=000.00.06.H99-260213-0001&pin=K7M2QX",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": "https://motcua.example/tra-cuu/?pin=K7M2QX",
        "HTTP_USER_AGENT": "phone",
    }
    response = SimpleNamespace(status="200 OK", headers=[], response_length=10, sent=10)
    request = SimpleNamespace(
        headers=[],
        method="GET",
        uri=environ["RAW_URI"],
        path="/tra-cuu/",
        query=environ["QUERY_STRING"],
        version=(1, 1),
    )
    atoms = Logger(cfg).atoms(response, request, environ, datetime.timedelta(seconds=0.01))
    line = conf["access_log_format"] % atoms
    assert "/tra-cuu/" in line and "203.0.113.7" in line
    assert "K7M2QX" not in line and "pin=" not in line
