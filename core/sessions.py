"""Sessions read from the cache, kept in the database (issue 21 §2).

Django's `cached_db` store reads a session from the cache (Redis in production) and falls
back to the database; every write goes to both. It saves the session query that every
signed-in page paid (~0.4 ms of ORM work and a round trip, against one cache read).

Django's store lets a cache error escape when it writes the entry back after a database
read, and when it checks or deletes an entry: with Redis down every signed-in request then
failed (tests/trust/test_failure_redis.py). Here every cache operation is read around: the
database, which holds every session, answers alone, and a warning is logged.

Used when a shared cache is configured (REDIS_URL); the embedded run keeps the database
store (a per-process memory cache would keep a signed-out session alive in other processes).
A sign-out while Redis is unreachable cannot drop the cached copy: the session row is gone,
and the cached copy expires by itself (SESSION_COOKIE_AGE) — the warning says so."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db

log = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            log.warning("cache unreachable: session read from the database")
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        except Exception:
            log.warning("cache unreachable: session not kept in the cache")
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            log.warning("cache unreachable: session looked up in the database")
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super(cached_db.SessionStore, self).delete(session_key)
        if key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + key)
        except Exception:
            log.error("cache unreachable: the cached copy of a deleted session expires by itself")
