"""Spam and brute-force resistance without a third party: a honeypot field, a signed
"form shown at" token with a minimum fill time, and per-IP counters in Django's cache
(shared by every web process when the cache is Redis)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

TOKEN_SALT = "khieunai.form-shown"
TOKEN_MAX_AGE = 6 * 3600  # a long complaint may take a while to write


def min_fill_seconds() -> float:
    return float(getattr(settings, "KHIEUNAI_MIN_FILL_SECONDS", 4))


def form_token() -> str:
    return signing.dumps({"t": time.time()}, salt=TOKEN_SALT)


def token_problem(token: str) -> str | None:
    """None if the token is valid and old enough; else "invalid" or "too_fast"."""
    try:
        shown_at = float(signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        # ValueError: a signed payload whose time is not a number (or the token is garbage)
        return "invalid"
    if time.time() - shown_at < min_fill_seconds():
        return "too_fast"
    return None


def client_ip(request) -> str:
    # Behind the production proxy REMOTE_ADDR is set from X-Forwarded-For by the proxy
    # configuration; the header itself is not trusted here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ident: str) -> str:
    return f"khieunai:rl:{scope}:{ident}"


def hits(scope: str, ident: str) -> int:
    return int(cache.get(_key(scope, ident), 0))


def hit(scope: str, ident: str, *, window: int) -> int:
    """Count one more event in the window; returns the new count."""
    key = _key(scope, ident)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


# (max events, window in seconds) per scope; overridable in settings.
LIMITS = {
    "submit": (5, 3600),  # submissions per IP per hour
    "track": (10, 900),  # failed lookups per IP per 15 minutes
    "track_code": (20, 3600),  # failed lookups of one code per hour, from any IP
}


def limit(scope: str) -> tuple[int, int]:
    return getattr(settings, "KHIEUNAI_RATE_LIMITS", {}).get(scope, LIMITS[scope])


def blocked(scope: str, ident: str) -> bool:
    return hits(scope, ident) >= limit(scope)[0]


def record(scope: str, ident: str) -> int:
    return hit(scope, ident, window=limit(scope)[1])
