"""A code + PIN lookup guarded against guessing, without letting strangers lock the owner
out (issue 14 §6). Shared by the dossier lookup (/tra-cuu/) and the feedback lookup
(/phan-anh/tra-cuu/); the counters are `core.ratelimit`'s.

- Per client address: a hard limit (`<scope>_address`): whoever guesses blocks only himself.
- Per code: past `<scope>_code` wrong attempts in the window the code is *protected*, not
  blocked: a lookup must also give the last 4 digits of the phone or ID number written down
  at filing (the owner knows them, a guesser does not: 887 million PINs × 10,000). A record
  with neither (or an unknown code, which must look the same) accepts one attempt per
  `TRACKING_SLOW_SECONDS` instead: it slows the guessing and never shuts the owner out.
- Every attempt is counted before it is looked at (`ratelimit.hit`), so parallel requests
  cannot get extra guesses past the limit; a successful one gives its count back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare

from core import ratelimit
from core.ratelimit import Counter

SECOND_FACTOR_DIGITS = 4


@dataclass(frozen=True)
class Lookup:
    # "found", "wrong" (unknown code, wrong PIN or wrong digits: one answer), "blocked" (this
    # address), "verify" (the code is protected: the digits are needed), "wait" (slowed down)
    status: str
    obj: object | None = None
    protected: bool = False


def _digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def second_factor_matches(given: str, values: Iterable[str]) -> bool:
    given = _digits(given)
    if len(given) != SECOND_FACTOR_DIGITS:
        return False
    tails = [_digits(v)[-SECOND_FACTOR_DIGITS:] for v in values if len(_digits(v)) >= SECOND_FACTOR_DIGITS]
    return any(constant_time_compare(tail, given) for tail in tails)


def slow_seconds() -> int:
    return int(getattr(settings, "TRACKING_SLOW_SECONDS", 60))


def guarded_lookup(
    request,
    *,
    scope: str,
    code: str,
    pin: str,
    second_factor: str,
    find: Callable[[str, str], object | None],
    factors_of: Callable[[str], list[str]],
) -> Lookup:
    """Look `code` + `pin` up through `find` (same work whether the code exists or not)
    under the limits `<scope>_address` and `<scope>_code`. `factors_of(code)` lists the
    record's phone and ID numbers ([] for an unknown code); read only for a protected code."""
    address = Counter(f"{scope}_address", ratelimit.client_address(request))
    per_code = Counter(f"{scope}_code", ratelimit.normalise_code(code))
    if ratelimit.hit(address):
        return Lookup("blocked")
    protected = ratelimit.hit(per_code)
    factors: list[str] = []
    if protected:
        if not _digits(second_factor):
            ratelimit.forgive(address, per_code)  # nothing was tried
            return Lookup("verify", protected=True)
        factors = [value for value in factors_of(ratelimit.normalise_code(code)) if len(_digits(value)) >= 4]
        if not factors and not ratelimit.take_slot(per_code, slow_seconds()):
            return Lookup("wait", protected=True)
    found = find(code, pin)
    if found is not None and factors and not second_factor_matches(second_factor, factors):
        found = None
    if found is None:
        return Lookup("wrong", protected=protected)
    ratelimit.forgive(address, per_code)
    return Lookup("found", found, protected=protected)
