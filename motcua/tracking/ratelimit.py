"""Counting failed lookups in Django's cache: per client address and per dossier code.

The counters live in the shared cache (Redis in production, so every gunicorn process
sees the same numbers; LocMem in the embedded single-process run). Only failures count:
a successful lookup neither counts nor resets anything, so a valid code+PIN cannot be
used to wash away the failures of a guessing run.

When the cache is unreachable (Redis down) the limiter fails *open*, with a warning in the
log: citizens keep tracking their dossiers during the outage, /healthz already reports 503 so
operators are alerted, and a guessing run gains little in that window (a 6-character PIN
has 31^6 ≈ 887 million values). Failing closed would turn a Redis outage into an outage of
the public tracking page for everyone.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    scope: str
    max_failures: int
    window_seconds: int


# Defaults: 10 failures per 15 minutes from one address, 5 per 15 minutes on one code
# (codes are guessable, the 6-character PIN is the secret: 5 tries per 15 minutes make a
# brute force of 31^6 PINs take millennia). Settings may override the numbers.
WINDOW_SECONDS = 15 * 60


def limit_per_address() -> Limit:
    return Limit("ip", getattr(settings, "TRACKING_MAX_FAILURES_PER_ADDRESS", 10), WINDOW_SECONDS)


def limit_per_code() -> Limit:
    return Limit("code", getattr(settings, "TRACKING_MAX_FAILURES_PER_CODE", 5), WINDOW_SECONDS)


def client_address(request) -> str:
    """The client's address. Behind a reverse proxy set TRACKING_CLIENT_IP_HEADER (e.g.
    "HTTP_X_REAL_IP", a header the proxy overwrites); otherwise REMOTE_ADDR. IPv6
    addresses count per /64 network (one household or phone gets a whole /64)."""
    header = getattr(settings, "TRACKING_CLIENT_IP_HEADER", "")
    raw = (request.META.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    raw = raw.split(",")[0].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key(limit: Limit, value: str) -> str:
    # Hashed: no address or code in cache keys (they may be logged by a Redis monitor).
    digest = hashlib.sha256(f"{limit.scope}:{value}".encode()).hexdigest()[:32]
    return f"motcua:tracking-fail:{limit.scope}:{digest}"


def _normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def is_blocked(*, address: str, code: str) -> bool:
    per_address, per_code = limit_per_address(), limit_per_code()
    keys = {_key(per_address, address): per_address.max_failures}
    if code:
        keys[_key(per_code, _normalise_code(code))] = per_code.max_failures
    try:
        counts = cache.get_many(list(keys))
    except Exception:  # the cache backend's connection error (redis.ConnectionError, timeouts…)
        logger.warning("tracking rate limit: cache unreachable, lookup allowed (fail open)", exc_info=True)
        return False
    return any(counts.get(key, 0) >= maximum for key, maximum in keys.items())


def record_failure(*, address: str, code: str) -> None:
    """Count one failed attempt. The window starts at the first failure (fixed window)."""
    pairs = [(limit_per_address(), address)]
    if code:
        pairs.append((limit_per_code(), _normalise_code(code)))
    try:
        for limit, value in pairs:
            _increment(_key(limit, value), limit.window_seconds)
    except Exception:  # see is_blocked: an unreachable cache must not break the page
        logger.warning("tracking rate limit: cache unreachable, failure not counted", exc_info=True)


def _increment(key: str, window_seconds: int) -> None:
    cache.add(key, 0, timeout=window_seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
