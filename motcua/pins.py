"""Lookup PINs: the second factor a citizen types next to the (guessable) code.

The PIN is stored as a keyed hash (HMAC-SHA256 with the SECRET_KEY, bound to the code),
not with a slow password hasher: the lookup page must answer fast, brute force is stopped
by rate limiting, and a leaked database alone does not reveal any PIN.
"""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

# No 0/O, 1/I/L: the PIN is read off paper and typed on a phone.
PIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PIN_LENGTH = 6


def new_pin() -> str:
    return "".join(secrets.choice(PIN_ALPHABET) for _ in range(PIN_LENGTH))


def normalise_pin(pin: str) -> str:
    return "".join((pin or "").split()).upper()


def hash_pin(code: str, pin: str) -> str:
    return salted_hmac("motcua.pin", f"{code}:{normalise_pin(pin)}", algorithm="sha256").hexdigest()


def check_pin(code: str, pin: str, pin_hash: str) -> bool:
    return bool(pin_hash) and constant_time_compare(hash_pin(code, pin), pin_hash)


def tracking_url(code: str, pin: str) -> str:
    """Absolute address printed as the receipt's QR code: opens the dossier directly."""
    from urllib.parse import urlencode

    from django.conf import settings

    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?{urlencode({'ma': code, 'pin': pin})}"
