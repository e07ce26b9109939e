"""`/healthz`: 200 when the database and (if configured) Redis answer, 503 otherwise (the
containers' health checks and the production smoke read it)."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # any failure means "not healthy"
        logger.exception("health check: database unreachable")
        return False


def _check_redis() -> bool | None:
    if not settings.REDIS_URL:
        return None  # not configured: nothing to check
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except Exception:
        logger.exception("health check: redis unreachable")
        return False


@never_cache
def healthz(request):
    checks = {"database": _check_database(), "redis": _check_redis()}
    healthy = all(value is not False for value in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)
