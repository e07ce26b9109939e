"""A Celery task executed by a real worker process against the Redis broker of CI."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.worker


def test_real_worker_runs_task_against_broker_and_database(celery_worker_process):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from core.tasks import clear_expired_sessions

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
