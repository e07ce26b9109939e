"""core.cache.RedisCache: Django's Redis backend keeping one redis-py client per connection
pool (Django builds one per command). Runs against the REDIS_URL server (CI), under its
own key prefix; skipped without it."""

import os
import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = os.environ.get("REDIS_URL", "")


def _cache(location, **options):
    config = {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "test-core-cache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options},
    }
    return override_settings(CACHES={"default": config, "kept": config})


@pytest.mark.skipif(not REDIS_URL, reason="needs the REDIS_URL server (CI)")
def test_the_clients_are_kept_and_the_cache_behaves_as_djangos():
    with _cache(REDIS_URL):
        cache = caches["kept"]
        backend = cache._cache
        assert backend.get_client(write=True) is backend.get_client(write=True)
        assert backend.get_client() is backend.get_client()
        cache.set("k", {"v": "Hồ sơ"}, 30)
        assert cache.get("k") == {"v": "Hồ sơ"}
        assert cache.add("n", 0, 30) and cache.incr("n") == 1
        assert cache.get_many(["k", "n", "missing"]) == {"k": {"v": "Hồ sơ"}, "n": 1}
        cache.delete_many(["k", "n"])
        assert cache.get("k") is None
        with pytest.raises(ValueError):
            cache.incr("n")  # Django's semantics: no such key


def test_an_unreachable_redis_raises_as_djangos_does():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _cache(f"redis://127.0.0.1:{port}/0"):
        cache = caches["kept"]
        with pytest.raises(Exception) as raised:
            cache.get("k")
        assert "Connection" in type(raised.value).__name__ or "connect" in str(raised.value).lower()
