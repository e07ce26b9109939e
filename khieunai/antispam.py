"""Spam resistance without a third party: a honeypot field and a signed "form shown at"
token with a minimum fill time. Rate limits (submissions, failed lookups) are counted by
the shared `thutuc.ratelimit` helper."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

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
