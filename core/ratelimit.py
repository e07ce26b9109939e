"""One rate limiter for every public surface: counters in Django's cache, per client address
and per looked-up code.

The counters live in the shared cache (Redis in production, so every web process sees the
same numbers; LocMem in the embedded single-process run). `cache.add` + `cache.incr` are
atomic on Redis, so two processes counting at once never lose a count. On Django's
RedisCache a call counts (or gives back) all its counters with one small Lua script: one
round trip instead of 3 commands per counter (issue 21 §2), on the same keys, so `count()`,
`is_blocked()` and counters written before a deploy keep working. Limits and windows
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
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

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


# One Redis round trip for all the counters of a call. A script runs atomically (nothing
# expires or interleaves between its steps), so the "expired between add and incr" case of
# the portable path cannot happen. KEYS: the counters' cache keys; ARGV: their windows.
_COUNT_SCRIPT = """
local values = {}
for i, key in ipairs(KEYS) do
    redis.call('SET', key, 0, 'EX', ARGV[i], 'NX')
    values[i] = redis.call('INCR', key)
end
return values
"""
# A key whose window has ended stays absent; below zero goes back up with INCR (DECR and
# INCR keep the key's expiry on every Redis version).
_FORGIVE_SCRIPT = """
for _, key in ipairs(KEYS) do
    if redis.call('EXISTS', key) == 1 and redis.call('DECR', key) < 0 then
        redis.call('INCR', key)
    end
end
return 0
"""


@dataclass(frozen=True)
class _RedisScripts:
    count: object  # redis.commands.core.Script
    forgive: object


# Per RedisCache client object (Django's caches are per thread); weak, so a cache replaced by
# override_settings takes its entry with it.
_redis_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis(cache) -> _RedisScripts | None:
    """The two scripts bound to a redis-py client of Django's RedisCache, or None for any
    other backend, which counts through the cache API. Django has no public accessor:
    `_cache.get_client(write=True)` is how RedisCache reaches Redis itself (the same
    connection pool as its add/incr). The client is kept: Django builds a new redis.Redis for
    every command, which costs ~0.1 ms with redis-py 8, as much as the round trip."""
    if not isinstance(cache, RedisCache):  # Django's, or core.cache's keeping its clients
        return None
    backend = cache._cache
    scripts = _redis_scripts.get(backend)
    if scripts is None:
        client = backend.get_client(None, write=True)
        scripts = _RedisScripts(
            count=client.register_script(_COUNT_SCRIPT), forgive=client.register_script(_FORGIVE_SCRIPT)
        )
        _redis_scripts[backend] = scripts
    return scripts


def _count_events(counters) -> list[tuple[int, Limit]]:
    """Count one event on each counter with a value: the new counts with their limits."""
    counters = [counter for counter in counters if counter.value]
    if not counters:
        return []
    cache = _cache()
    limits = [get_limit(counter.limit) for counter in counters]
    redis = _redis(cache)
    if redis is not None:
        keys = [cache.make_and_validate_key(_key(counter)) for counter in counters]
        # SET EX refuses 0: a window of 0 seconds counts for one second
        windows = [max(1, limit.window_seconds) for limit in limits]
        values = redis.count(keys=keys, args=windows)
        return [(int(value), limit) for value, limit in zip(values, limits, strict=True)]
    counted = []
    for counter, limit in zip(counters, limits, strict=True):
        key = _key(counter)
        cache.add(key, 0, timeout=limit.window_seconds)
        try:
            value = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=limit.window_seconds)
            value = 1
        counted.append((value, limit))
    return counted


def record(*counters: Counter) -> None:
    """Count one event on each counter. The window starts at the first event (fixed window)."""
    try:
        _count_events(counters)
    except Exception:  # see is_blocked: an unreachable cache must not break the page
        logger.warning("rate limit: cache unreachable, event not counted", exc_info=True)


def hit(*counters: Counter) -> bool:
    """Count this attempt on each counter (atomically), then say whether any of them is now
    over its limit: the attempt is refused without being looked at. Counters with an empty
    value are skipped; an unreachable cache allows the attempt (fail open)."""
    try:
        counted = _count_events(counters)
    except Exception:
        logger.warning("rate limit: cache unreachable, request allowed (fail open)", exc_info=True)
        return False
    return any(value > limit.max_events for value, limit in counted)


def forgive(*counters: Counter) -> None:
    """Give back the count of an attempt that turned out legitimate (the right PIN); never
    below zero, and a counter whose window has ended stays gone."""
    try:
        cache = _cache()
        keys = [_key(counter) for counter in counters if counter.value]
        redis = _redis(cache) if keys else None
        if redis is not None:
            redis.forgive(keys=[cache.make_and_validate_key(key) for key in keys])
            return
        for key in keys:
            try:
                if cache.decr(key) < 0:
                    cache.incr(key)
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
