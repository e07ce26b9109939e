"""Spam resistance without a third party: a honeypot field and a signed "form shown at"
token with a minimum fill time, good for one submission only (issue 14 §6: one token was
replayed for 5 submissions). Rate limits (submissions, failed lookups) are counted by the
shared `core.ratelimit` helper."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import caches

logger = logging.getLogger(__name__)

TOKEN_SALT = "khieunai.form-shown"
TOKEN_MAX_AGE = 6 * 3600  # a long complaint may take a while to write


def min_fill_seconds() -> float:
    return float(getattr(settings, "KHIEUNAI_MIN_FILL_SECONDS", 4))


def form_token() -> str:
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(12)}, salt=TOKEN_SALT)


def use_token(token: str) -> bool:
    """Spend the token: True the first time, False for a replay. Kept in the shared cache
    (Redis) for the token's lifetime with an atomic `add`; an unreachable cache lets the
    submission through (the per-address limit still applies), as the rate limits do."""
    key = "antispam:used:" + hashlib.sha256((token or "").encode()).hexdigest()[:40]
    try:
        return bool(
            caches[getattr(settings, "RATE_LIMIT_CACHE", "default")].add(key, 1, timeout=TOKEN_MAX_AGE)
        )
    except Exception:
        logger.warning("antispam: cache unreachable, token not spent", exc_info=True)
        return True


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
