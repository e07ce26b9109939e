"""Django's Redis cache backend, keeping its redis-py clients (issue 21 §2).

Django's RedisCache builds a new `redis.Redis` object around its connection pool for every
command: with redis-py 8 that costs ~0.1 ms, more than the loopback round trip itself, and
every signed-in page reads the cache at least twice (the session, the user's access). This
backend builds one client per connection pool and keeps it: a redis-py client is safe to
share between threads, the pool hands out the connections. Everything else — keys,
serialisation, timeouts, errors when Redis is unreachable — is Django's own.

`get_or_compute` is the read-through for values a page may keep a few minutes: with the
cache unreachable the value is computed, a warning logged, and the page still answers."""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

log = logging.getLogger(__name__)
T = TypeVar("T")


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def get_or_compute(key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value kept under `key`, else `compute()`'s, kept for `timeout` seconds (None is
    never kept). An unreachable cache never fails the caller: the value is computed."""
    from django.core.cache import cache

    try:
        value = cache.get(key)
    except Exception:  # the backend's connection error (redis.ConnectionError, timeouts…)
        log.warning("cache unreachable: %s computed", key.split(":", 1)[0])
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            log.warning("cache unreachable: %s not kept", key.split(":", 1)[0])
    return value
