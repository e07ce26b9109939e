"""core.ratelimit on Django's RedisCache: every `hit`, `record` and `forgive` is one Lua
script, one round trip for all its counters (issue 21 §2), with the semantics of the portable
cache-API path (fixed window from the first event, never below zero, the same keys, fail
open). Against the real Redis of REDIS_URL (skipped without it; CI sets it), touching only
keys under this file's own prefix."""

import logging
import os
import threading
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from core import ratelimit
from core.ratelimit import Counter

from .failure import free_port, wait_for

PREFIX = "ratelimit-redis-tests"
ADDRESS = Counter("tracking_address", "203.0.113.41")
CODE = Counter("tracking_code", "000.00.11.H99-260213-0041")


@pytest.fixture
def redis_limiter():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL not set (CI sets it)")
    import redis

    raw = redis.Redis.from_url(url)
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")

    def forget():
        for key in raw.scan_iter(f"{PREFIX}:*"):
            raw.delete(key)

    forget()
    # override_settings, not the settings fixture: the limiter's cache is a RedisCache of its
    # own prefix, and no cache.clear() ever flushes the shared database.
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "limits": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": PREFIX,
            },
        },
        RATE_LIMIT_CACHE="limits",
        RATE_LIMITS={"tracking_address": (3, 900), "tracking_code": (5, 900)},
    ):
        try:
            yield raw
        finally:
            forget()


def raw_key(counter):
    return caches["limits"].make_key(ratelimit._key(counter))


@pytest.fixture
def commands(monkeypatch):
    """The commands redis-py sends (a spy: each one still goes to Redis)."""
    import redis

    sent = []
    original = redis.Redis.execute_command

    def spy(self, *args, **options):
        sent.append(str(args[0]).upper())
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    return sent


def test_each_call_is_one_round_trip(redis_limiter, commands):
    # the first call of each script may load it (EVALSHA, SCRIPT LOAD, EVALSHA)
    ratelimit.hit(ADDRESS, CODE)
    ratelimit.forgive(ADDRESS, CODE)
    commands.clear()
    assert ratelimit.hit(ADDRESS, CODE) is False
    ratelimit.record(ADDRESS, CODE)
    ratelimit.forgive(ADDRESS, CODE)
    assert commands == ["EVALSHA", "EVALSHA", "EVALSHA"]
    assert ratelimit.count(ADDRESS) == ratelimit.count(CODE) == 1
    commands.clear()
    assert ratelimit.hit(Counter("tracking_code", "")) is False  # nothing to count: no trip
    ratelimit.forgive(Counter("tracking_address", ""))
    assert commands == []


def test_the_limit_is_reached_at_exactly_max_events(redis_limiter):
    answers = [ratelimit.hit(ADDRESS) for _ in range(5)]
    assert answers == [False, False, False, True, True]
    assert ratelimit.count(ADDRESS) == 5
    # two counters in one call: over as soon as one of them is
    assert ratelimit.hit(Counter("tracking_address", "198.51.100.41"), CODE) is False
    assert ratelimit.hit(ADDRESS, Counter("tracking_code", "other")) is True


def test_is_blocked_and_count_read_the_keys_the_script_writes(redis_limiter):
    for _ in range(2):
        ratelimit.record(ADDRESS)
    assert ratelimit.count(ADDRESS) == 2 and not ratelimit.is_blocked(ADDRESS)
    ratelimit.record(ADDRESS)
    assert ratelimit.is_blocked(ADDRESS) and ratelimit.is_blocked(CODE, ADDRESS)
    # the stored key is the cache's own (prefix, version, hash): no address in it
    assert redis_limiter.get(raw_key(ADDRESS)) == b"3"
    assert ADDRESS.value not in raw_key(ADDRESS) and raw_key(ADDRESS).startswith(f"{PREFIX}:1:ratelimit:")


def test_counters_written_through_the_cache_api_are_continued(redis_limiter):
    """A counter counted before a deploy (cache.add + cache.incr) keeps counting."""
    cache, key = caches["limits"], ratelimit._key(ADDRESS)
    cache.add(key, 0, timeout=900)
    cache.incr(key)
    cache.incr(key)
    assert ratelimit.hit(ADDRESS) is False  # 3 of 3
    assert cache.get(key) == 3
    assert ratelimit.hit(ADDRESS) is True
    ratelimit.forgive(ADDRESS)
    assert cache.get(key) == 3


def test_the_window_starts_at_the_first_event_and_ends(redis_limiter):
    with override_settings(RATE_LIMITS={"tracking_address": (2, 2)}):
        assert ratelimit.hit(ADDRESS) is False
        first_ttl = redis_limiter.pttl(raw_key(ADDRESS))
        assert 0 < first_ttl <= 2000
        time.sleep(0.3)
        assert ratelimit.hit(ADDRESS) is False
        assert 0 < redis_limiter.pttl(raw_key(ADDRESS)) < first_ttl  # not pushed back by later events
        assert ratelimit.hit(ADDRESS) is True
        wait_for(lambda: not redis_limiter.exists(raw_key(ADDRESS)), timeout=10, what="the window to end")
        assert ratelimit.count(ADDRESS) == 0
        assert ratelimit.hit(ADDRESS) is False  # a new window
        assert ratelimit.count(ADDRESS) == 1 and redis_limiter.pttl(raw_key(ADDRESS)) > 0


def test_forgive_never_goes_below_zero_nor_revives_an_ended_window(redis_limiter):
    ratelimit.hit(ADDRESS, CODE)
    ratelimit.forgive(ADDRESS, CODE)
    ratelimit.forgive(ADDRESS, CODE)
    assert ratelimit.count(ADDRESS) == ratelimit.count(CODE) == 0
    assert redis_limiter.get(raw_key(ADDRESS)) == b"0"
    assert 0 < redis_limiter.ttl(raw_key(ADDRESS)) <= 900  # the window keeps its end
    other = Counter("tracking_address", "192.0.2.41")
    ratelimit.forgive(other)  # no counter: nothing created
    assert not redis_limiter.exists(raw_key(other))
    # the counts given back are counted again
    assert [ratelimit.hit(ADDRESS) for _ in range(4)] == [False, False, False, True]


def test_parallel_hits_lose_no_count(redis_limiter):
    """Eight threads (each its own Redis connection) hit two counters 25 times each: both
    count exactly 200, and exactly the first 3 (address) attempts were under the limit."""
    barrier = threading.Barrier(8)
    answers, errors = [], []

    def work():
        try:
            barrier.wait(timeout=10)
            for _ in range(25):
                answers.append(ratelimit.hit(ADDRESS, CODE))
                ratelimit.record(CODE)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with override_settings(RATE_LIMITS={"tracking_address": (3, 900), "tracking_code": (10_000, 900)}):
        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert ratelimit.count(ADDRESS) == 200 and ratelimit.count(CODE) == 400
        assert answers.count(False) == 3 and answers.count(True) == 197


def test_an_unreachable_redis_fails_open_with_a_warning(caplog):
    """A real client against a closed port (no mock): every call answers, nothing raises."""
    caplog.set_level(logging.WARNING, logger="core.ratelimit")
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "limits": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        },
        RATE_LIMIT_CACHE="limits",
        RATE_LIMITS={"tracking_address": (1, 900)},
    ):
        for _ in range(3):
            assert ratelimit.hit(ADDRESS, CODE) is False
        ratelimit.record(ADDRESS)
        ratelimit.forgive(ADDRESS, CODE)
        assert ratelimit.is_blocked(ADDRESS) is False
    assert caplog.text.count("request allowed (fail open)") == 4
    assert "event not counted" in caplog.text and "count not given back" in caplog.text
