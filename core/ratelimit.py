"""One rate limiter for every public surface: counters in Django's cache, per client address
and per looked-up code.

The counters live in the shared cache (Redis in production, so every web process sees the
same numbers; LocMem in the embedded single-process run). `cache.add` + `cache.incr` are
atomic on Redis, so two processes counting at once never lose a count. Limits and windows
come from `settings.RATE_LIMITS` ({name: (max events, window seconds)}), read at call time.
Keys hold a hash, never an address or a code (a Redis MONITOR must not show them).

The client address is also what django-axes locks logins on (`AXES_CLIENT_IP_CALLABLE`),
so the login, the dossier lookup and the feedback lookup agree on who the client is.

Counting is done *before* checking (`hit`): the attempt is counted atomically and the new
count decides, so parallel requests cannot slip past the limit between a read and a write
(issue 14 §6: 1–2 extra guesses got through); a successful lookup gives its count back
(`forgive`).

When the cache is unreachable (Redis down) the limiter fails *open*, with a warning in the
log: citizens keep tracking their dossiers during the outage, /healthz already reports 503 so
operators are alerted, and a guessing run gains little in that window (a 6-character PIN
has 31^6 ≈ 887 million values). Failing closed would turn a Redis outage into an outage of
the public pages for everyone.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    # dossier tracking (/tra-cuu/): failed code/PIN lookups
    "tracking_address": (10, 15 * 60),
    "tracking_code": (5, 15 * 60),
    # feedback tracking (/phan-anh/tra-cuu/): failed code/PIN lookups
    "feedback_track_address": (10, 15 * 60),
    "feedback_track_code": (5, 15 * 60),
    # feedback submissions per address
    "feedback_submit": (5, 60 * 60),
}


@dataclass(frozen=True)
class Limit:
    name: str
    max_events: int
    window_seconds: int


@dataclass(frozen=True)
class Counter:
    """What is counted: `value` (an address, a code) under the limit called `limit`."""

    limit: str
    value: str


def _cache():
    # Django keeps one cache client per thread; every client of a Redis cache shares the counters.
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]


def get_limit(name: str) -> Limit:
    max_events, window = {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}[name]
    return Limit(name, int(max_events), int(window))


def client_ip(request) -> str | None:
    """The client's IP address: from the header set by the reverse proxy when
    `CLIENT_IP_HEADER` names one, else REMOTE_ADDR. None when it is not an IP address.

    A header such as X-Forwarded-For is a list the client starts and each proxy appends to:
    its first entries are whatever the client wrote. The address the trusted proxy saw is
    the entry it appended, the `CLIENT_IP_TRUSTED_PROXIES`-th from the right (1 = the last:
    one proxy in front of the portal), i.e. the right-most hop no trusted proxy vouches for
    (issue 14 §6: the first entry let a client pick a new address for every request). A
    header the proxy overwrites (X-Real-IP) has one entry and gives the same answer."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    raw = (request.META.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    if not entries:
        return None
    trusted = max(1, int(getattr(settings, "CLIENT_IP_TRUSTED_PROXIES", 1)))
    try:
        return str(ipaddress.ip_address(entries[max(0, len(entries) - trusted)]))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address counters are kept for: the client IP, IPv6 per /64 network (one
    household or phone gets a whole /64)."""
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    if ":" in ip:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return ip


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def _key(counter: Counter) -> str:
    digest = hashlib.sha256(f"{counter.limit}:{counter.value}".encode()).hexdigest()[:32]
    return f"ratelimit:{counter.limit}:{digest}"


def is_blocked(*counters: Counter) -> bool:
    """True when any counter has reached its limit. Counters with an empty value are skipped."""
    counters = [c for c in counters if c.value]
    if not counters:
        return False
    keys = {_key(c): get_limit(c.limit).max_events for c in counters}
    try:
        counts = _cache().get_many(list(keys))
    except Exception:  # the cache backend's connection error (redis.ConnectionError, timeouts…)
        logger.warning("rate limit: cache unreachable, request allowed (fail open)", exc_info=True)
        return False
    return any(int(counts.get(key, 0)) >= maximum for key, maximum in keys.items())


def count(counter: Counter) -> int:
    return int(_cache().get(_key(counter), 0))


def record(*counters: Counter) -> None:
    """Count one event on each counter. The window starts at the first event (fixed window)."""
    try:
        for counter in counters:
            if not counter.value:
                continue
            limit = get_limit(counter.limit)
            key = _key(counter)
            cache = _cache()
            cache.add(key, 0, timeout=limit.window_seconds)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=limit.window_seconds)
    except Exception:  # see is_blocked: an unreachable cache must not break the page
        logger.warning("rate limit: cache unreachable, event not counted", exc_info=True)


def hit(*counters: Counter) -> bool:
    """Count this attempt on each counter (atomically), then say whether any of them is now
    over its limit: the attempt is refused without being looked at. Counters with an empty
    value are skipped; an unreachable cache allows the attempt (fail open)."""
    over = False
    try:
        cache = _cache()
        for counter in counters:
            if not counter.value:
                continue
            limit = get_limit(counter.limit)
            key = _key(counter)
            cache.add(key, 0, timeout=limit.window_seconds)
            try:
                value = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=limit.window_seconds)
                value = 1
            over = over or value > limit.max_events
    except Exception:
        logger.warning("rate limit: cache unreachable, request allowed (fail open)", exc_info=True)
        return False
    return over


def forgive(*counters: Counter) -> None:
    """Give back the count of an attempt that turned out legitimate (the right PIN)."""
    try:
        cache = _cache()
        for counter in counters:
            if counter.value:
                try:
                    if cache.decr(_key(counter)) < 0:
                        cache.incr(_key(counter))
                except ValueError:  # the window ended meanwhile
                    pass
    except Exception:
        logger.warning("rate limit: cache unreachable, count not given back", exc_info=True)


def take_slot(counter: Counter, seconds: int) -> bool:
    """True for the first caller in each `seconds`-long interval (atomic `add`): a limit
    that slows down instead of blocking."""
    try:
        return bool(_cache().add(f"{_key(counter)}:slot", 1, timeout=seconds))
    except Exception:
        logger.warning("rate limit: cache unreachable, request allowed (fail open)", exc_info=True)
        return True


def window_minutes(name: str) -> int:
    return max(1, get_limit(name).window_seconds // 60)
