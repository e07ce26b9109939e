"""Lookup PINs: the second factor a citizen types next to the (guessable) code.

The PIN is stored as a keyed hash (HMAC-SHA256 with the SECRET_KEY, bound to the code),
not with a slow password hasher: the lookup page must answer fast, brute force is stopped
by rate limiting, and a leaked database alone does not reveal any PIN.

Nothing else keeps the PIN readable (issue 14 §3): where it must survive a little while —
the applicant's acceptance message until it is delivered, the receipt an officer may print
again in the same working day, the code + PIN a citizen is shown once after sending
feedback — it is *sealed*: encrypted and authenticated (Fernet, AES-128-CBC + HMAC) under a
key derived from SECRET_KEY and bound to the code. That is the protection the HMAC already
gives: whoever holds SECRET_KEY and the database can recover a 6-character PIN from its HMAC
by trying the 887 million values, so sealing adds no new way in, and the database, the
session store, the broker and the logs never hold a PIN in clear.

The dossier tracking link that carries a PIN lives with the dossiers (motcua/tracking/links.py).
The key-salt names below keep their historical "motcua." prefix: every stored hash and seal
depends on them.
"""

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
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


# --- sealing: the PIN encrypted for the short while it must be kept --------------------------


def _fernet() -> Fernet:
    key = salted_hmac("motcua.pin-seal", "fernet-key", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(code: str, pin: str) -> str:
    """The PIN of `code`, encrypted: only `unseal` with the same code and SECRET_KEY reads it."""
    return _fernet().encrypt(f"{code}\n{normalise_pin(pin)}".encode()).decode()


def unseal_with_code(sealed: str) -> tuple[str, str]:
    """(code, PIN) of a sealed value, or ("", "") when it cannot be opened."""
    if not sealed:
        return "", ""
    try:
        plain = _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError, UnicodeError):
        return "", ""
    code, _sep, pin = plain.partition("\n")
    return code, pin


def unseal(code: str, sealed: str, *, max_age: int | None = None) -> str:
    """The PIN sealed for `code`, or "" when the value is empty, forged, older than
    `max_age` seconds, for another code, or sealed under another SECRET_KEY."""
    if not sealed:
        return ""
    try:
        plain = _fernet().decrypt(sealed.encode(), ttl=max_age).decode()
    except (InvalidToken, ValueError, UnicodeError):
        return ""
    sealed_code, _sep, pin = plain.partition("\n")
    return pin if sealed_code == code else ""


# --- the PIN in a stored message -----------------------------------------------------------


# Where a message says the PIN in words ("Mã tra cứu: ******"), it is stored with this slot
# and the sealed PIN fills it at send time; as long as a PIN, so that an SMS fits as sent.
PIN_SLOT = "*" * PIN_LENGTH


def fill_pin_slots(text: str, pin: str) -> str:
    return text.replace(PIN_SLOT, normalise_pin(pin)) if pin else text
