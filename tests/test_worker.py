"""A Celery task executed by a real worker process against the Redis broker of CI."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.worker


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not broker or not broker.startswith("redis"):
        pytest.skip("no Redis broker configured (set REDIS_URL or CELERY_BROKER_URL; CI does)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker is a separate process: it needs a server database, not SQLite")
    db = connection.settings_dict
    env = {
        **os.environ,
        # the worker must read the test database this test writes to
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    queue = f"test-{os.getpid()}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "motcua",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from motcua.celery import app

    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_real_worker_runs_task_against_broker_and_database(celery_worker_process):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from motcua.tasks import clear_expired_sessions

    for expired in (True, True, False):
        store = SessionStore()
        store.create()
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() + (timedelta(days=-1) if expired else timedelta(days=1))
        )
    started = time.monotonic()
    result = clear_expired_sessions.apply_async(queue=celery_worker_process)
    assert result.get(timeout=60) == 2
    assert Session.objects.count() == 1
    assert time.monotonic() - started < 60
