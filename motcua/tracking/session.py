"""The citizen's tracking session: once a dossier was found by code + PIN, its code stays
in the (anonymous) session for TRACKING_SESSION_MINUTES, so that the citizen can pay its
fees and download its electronic result without typing the PIN again. Nothing else is
kept; a few dossiers at most."""

from __future__ import annotations

import time

from django.conf import settings

KEY = "tracked_dossiers"
MAX_DOSSIERS = 5


def remember(request, code: str) -> None:
    tracked = {c: t for c, t in request.session.get(KEY, {}).items() if _fresh(t)}
    tracked[code] = time.time()
    request.session[KEY] = dict(sorted(tracked.items(), key=lambda item: item[1])[-MAX_DOSSIERS:])


def _fresh(stamp) -> bool:
    return isinstance(stamp, int | float) and time.time() - stamp < settings.TRACKING_SESSION_MINUTES * 60


def is_tracked(request, code: str) -> bool:
    return _fresh(request.session.get(KEY, {}).get(code))
