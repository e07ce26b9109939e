"""The dossier tracking link (/tra-cuu/), with or without the PIN.

The receipt's QR link carries the PIN in the URL *fragment* (`/tra-cuu/?ma=CODE#pin=PIN`):
a browser never sends a fragment to the server, so neither the access log nor a Referer sees
it; a small static script (static/js/tracking-pin.js) posts it with the form. A message is
stored with the PIN-less link and completed when it is sent (core.pins seals the PIN meanwhile).
"""

import re
from urllib.parse import urlencode

from django.conf import settings

from core.pins import normalise_pin


def tracking_url(code: str, pin: str = "") -> str:
    """Absolute address of the tracking page for `code`; with `pin`, the PIN rides in the URL
    fragment (never sent to the server): the receipt's QR code opens the dossier directly."""
    base = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?{urlencode({'ma': code})}"
    return f"{base}#{urlencode({'pin': normalise_pin(pin)})}" if pin else base


def with_pin(text: str, code: str, pin: str) -> str:
    """`text` with its PIN-less tracking link of `code` turned into the link with the PIN
    (a message is stored without the PIN and completed when it is sent)."""
    if not pin:
        return text
    plain = re.escape(tracking_url(code))
    return re.sub(plain + r"(?=\s|$)", lambda _m: tracking_url(code, pin), text, count=1)


def without_pin(text: str, code: str, pin: str) -> str:
    """The inverse of `with_pin`: what may be stored."""
    return text.replace(tracking_url(code, pin), tracking_url(code)) if pin else text
