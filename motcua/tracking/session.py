"""The citizen's tracking "session": once a dossier was found by code + PIN, the browser may
pay its fees and download its electronic result for TRACKING_SESSION_MINUTES without typing
the PIN again.

Kept in a signed, HTTP-only cookie rather than the database session: the tracking page stays
at a constant, small number of queries and writes nothing for a lookup. The cookie holds no
dossier code (no header ever carries one, docs/trust-hardening.md): only a keyed digest of
each code (`salted_hmac` under SECRET_KEY) with the time it was opened, at most five, signed
so that it cannot be forged or extended."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

COOKIE = "tra_cuu"
SALT = "motcua.tracking.session"
MAX_DOSSIERS = 5


def _digest(code: str) -> str:
    return salted_hmac(SALT, code).hexdigest()[:24]


def _lifetime() -> int:
    return settings.TRACKING_SESSION_MINUTES * 60


def _opened(request) -> dict[str, int]:
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=_lifetime())
    except signing.BadSignature:
        return {}
    opened = {}
    now = time.time()
    for item in value.split(","):
        digest, _sep, stamp = item.partition(":")
        if stamp.isdigit() and now - int(stamp) < _lifetime():
            opened[digest] = int(stamp)
    return opened


def remember(request, response, code: str) -> None:
    """Open `code` in this browser (on the response that showed it)."""
    opened = _opened(request)
    opened[_digest(code)] = int(time.time())
    newest = sorted(opened.items(), key=lambda item: item[1])[-MAX_DOSSIERS:]
    response.set_signed_cookie(
        COOKIE,
        ",".join(f"{digest}:{stamp}" for digest, stamp in newest),
        salt=SALT,
        max_age=_lifetime(),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def is_tracked(request, code: str) -> bool:
    return bool(code) and _digest(code) in _opened(request)
