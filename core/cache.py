"""Django's Redis cache backend, keeping its redis-py clients (issue 21 §2).

Django's RedisCache builds a new `redis.Redis` object around its connection pool for every
command: with redis-py 8 that costs ~0.1 ms, more than the loopback round trip itself, and
every signed-in page reads the cache at least twice (the session, the user's access). This
backend builds one client per connection pool and keeps it: a redis-py client is safe to
share between threads, the pool hands out the connections. Everything else — keys,
serialisation, timeouts, errors when Redis is unreachable — is Django's own."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


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
