"""One rate limiter (core.ratelimit) for the dossier lookup (/tra-cuu/) and the feedback
lookup (/phan-anh/tra-cuu/): per client address and per code, limits from settings, counters
shared by every process on Redis, and one uniform answer for a wrong code or a wrong PIN."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from core import ratelimit
from core.ratelimit import Counter

from .hardening import FEEDBACK_PHONE, PHONE

ROOT = Path(__file__).resolve().parents[2]
DOSSIER_NEUTRAL = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập"
DOSSIER_BLOCKED = "Ông/bà đã nhập sai quá nhiều lần"
FEEDBACK_NEUTRAL = "Mã đơn hoặc mã tra cứu không đúng."
FEEDBACK_BLOCKED = "Bạn đã tra cứu sai nhiều lần"
UNKNOWN_DOSSIER = "000.00.11.H99-260213-0999"
UNKNOWN_FEEDBACK = "PA-2026-999999"


def dossier_lookup(client, code, pin, ip="203.0.113.7"):
    return client.post("/tra-cuu/", {"ma": code, "pin": pin}, REMOTE_ADDR=ip)


def feedback_lookup(client, code, pin, ip="203.0.113.7", **headers):
    return client.post("/phan-anh/tra-cuu/", {"code": code, "pin": pin}, REMOTE_ADDR=ip, **headers)


LOOKUPS = {
    "dossier": (dossier_lookup, "tracking", DOSSIER_NEUTRAL, DOSSIER_BLOCKED, "Quá trình giải quyết"),
    "feedback": (
        feedback_lookup,
        "feedback_track",
        FEEDBACK_NEUTRAL,
        FEEDBACK_BLOCKED,
        "Đã bổ sung mức lệ phí",
    ),
}


def _target(pii, which):
    if which == "dossier":
        return pii.dossier.code, pii.dossier_pin, UNKNOWN_DOSSIER
    return pii.feedback.code, pii.feedback_pin, UNKNOWN_FEEDBACK


def test_one_helper_no_duplicate():
    """The lookups share core.ratelimit; the former copies are gone."""
    assert not (ROOT / "motcua/tracking/ratelimit.py").exists()
    antispam = (ROOT / "khieunai/antispam.py").read_text()
    # antispam spends each form token once in the cache, but counts nothing itself
    assert "incr(" not in antispam and "def blocked" not in antispam
    for path in ("motcua/views/tracking.py", "khieunai/views/public.py"):
        assert re.search(r"^from core import (.*, )?ratelimit\b", (ROOT / path).read_text(), re.M), path


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_limit_per_address(client, pii, settings, which):
    lookup, prefix, neutral, blocked_text, found_text = LOOKUPS[which]
    code, pin, unknown = _target(pii, which)
    settings.RATE_LIMITS = {f"{prefix}_address": (4, 900), f"{prefix}_code": (100, 900)}
    for n in range(4):
        response = lookup(client, f"{unknown[:-1]}{n}", "ZZZZZZ")
        assert response.status_code == 200 and neutral in response.content.decode()
    blocked = lookup(client, code, pin)  # even the right PIN: this address is blocked
    assert blocked.status_code == 429
    assert blocked_text in blocked.content.decode() and found_text not in blocked.content.decode()
    other = lookup(client, code, pin, ip="198.51.100.20")
    assert other.status_code == 200 and found_text in other.content.decode()


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_strangers_cannot_lock_the_owner_out(client, pii, settings, which):
    """Issue 14 §6: wrong PINs on a code from any addresses refused the owner for 15 minutes.
    Now the code is protected: the owner also gives the last 4 digits of the phone."""
    lookup, prefix, neutral, blocked_text, found_text = LOOKUPS[which]
    code, pin, unknown = _target(pii, which)
    phone = PHONE if which == "dossier" else FEEDBACK_PHONE
    settings.RATE_LIMITS = {f"{prefix}_address": (100, 900), f"{prefix}_code": (3, 900)}
    for n in range(3):
        lookup(client, code.lower(), "ZZZZZZ", ip=f"198.51.100.{n}")  # case does not matter
    asked = lookup(client, code, pin, ip="192.0.2.50")  # the owner, a fresh address
    assert asked.status_code == 200 and "4 chữ số cuối" in asked.content.decode()
    assert found_text not in asked.content.decode()
    url = "/tra-cuu/" if which == "dossier" else "/phan-anh/tra-cuu/"
    fields = ("ma", "pin") if which == "dossier" else ("code", "pin")
    owner = client.post(
        url, {fields[0]: code, fields[1]: pin, "xac_minh": phone[-4:]}, REMOTE_ADDR="192.0.2.50"
    )
    assert owner.status_code == 200 and found_text in owner.content.decode()
    # that address may still look up other codes as before
    fresh = lookup(client, unknown, "ZZZZZZ", ip="192.0.2.50")
    assert fresh.status_code == 200 and neutral in fresh.content.decode()


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_a_forwarded_for_header_counts_the_address_the_proxy_added(client, pii, settings, which):
    """Issue 14 §6: with CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR the client's own first entry
    was trusted: a new fake address per request, 30 of 30 lookups past the limit."""
    lookup, prefix, neutral, blocked_text, _found = LOOKUPS[which]
    _code, _pin, unknown = _target(pii, which)
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.RATE_LIMITS = {f"{prefix}_address": (10, 900), f"{prefix}_code": (1000, 900)}
    url = "/tra-cuu/" if which == "dossier" else "/phan-anh/tra-cuu/"
    code_field = "ma" if which == "dossier" else "code"
    statuses = [
        client.post(
            url,
            {code_field: f"{unknown[:-2]}{n:02d}", "pin": "ZZZZZZ"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.18.{n}.1, 203.0.113.66",  # spoofed first entry, then the proxy's
        ).status_code
        for n in range(30)
    ]
    assert statuses.count(200) == 10 and statuses.count(429) == 20
    from django.test import RequestFactory

    request = RequestFactory().get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66")
    assert ratelimit.client_ip(request) == "203.0.113.66"
    settings.CLIENT_IP_TRUSTED_PROXIES = 2  # two proxies: the outer one appended the client's address
    request = RequestFactory().get(url, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66, 10.9.9.9")
    assert ratelimit.client_ip(request) == "203.0.113.66"


def test_the_login_lockout_uses_the_same_address(client, settings, province):
    """django-axes reads core.ratelimit.client_ip (AXES_CLIENT_IP_CALLABLE): a spoofed first
    X-Forwarded-For entry does not give a new address to the password guesser either."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.ratelimit.client_ip"
    statuses = []
    for n in range(8):
        response = client.post(
            "/dang-nhap/",
            {"username": "tiepnhan", "password": f"sai-mat-khau-{n}"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.18.{n}.1, 203.0.113.67",
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429, statuses


def test_dossier_and_feedback_counters_are_apart(client, pii, settings):
    settings.RATE_LIMITS = {"tracking_address": (2, 900), "feedback_track_address": (2, 900)}
    for n in range(2):
        dossier_lookup(client, f"{UNKNOWN_DOSSIER[:-1]}{n}", "ZZZZZZ")
    assert dossier_lookup(client, pii.dossier.code, pii.dossier_pin).status_code == 429
    ok = feedback_lookup(client, pii.feedback.code, pii.feedback_pin)
    assert ok.status_code == 200 and "Đã bổ sung mức lệ phí" in ok.content.decode()


def test_the_window_from_settings_is_in_the_message(client, pii, settings):
    settings.RATE_LIMITS = {"tracking_address": (1, 30 * 60)}
    dossier_lookup(client, UNKNOWN_DOSSIER, "ZZZZZZ")
    assert "thử lại sau 30 phút" in dossier_lookup(client, UNKNOWN_DOSSIER, "ZZZZZZ").content.decode()


def test_default_limits_come_from_the_environment_variables(settings):
    assert settings.RATE_LIMITS["tracking_address"] == (settings.TRACKING_MAX_FAILURES_PER_ADDRESS, 15 * 60)
    assert settings.RATE_LIMITS["tracking_code"] == (settings.TRACKING_MAX_FAILURES_PER_CODE, 15 * 60)
    assert settings.RATE_LIMITS["feedback_track_code"] == (5, 15 * 60)
    assert settings.RATE_LIMITS["feedback_submit"] == (5, 3600)


def test_feedback_lookups_count_the_proxy_header_address(client, pii, settings):
    """Before, the feedback lookup counted REMOTE_ADDR only: behind the proxy every citizen
    shared one counter. Now it follows CLIENT_IP_HEADER like the dossier lookup."""
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.RATE_LIMITS = {"feedback_track_address": (2, 900)}
    proxy = "10.0.0.1"
    for _ in range(2):
        feedback_lookup(client, UNKNOWN_FEEDBACK, "ZZZZZZ", proxy, HTTP_X_REAL_IP="203.0.113.80")
    code, pin = pii.feedback.code, pii.feedback_pin
    other_citizen = feedback_lookup(client, code, pin, proxy, HTTP_X_REAL_IP="203.0.113.81")
    assert other_citizen.status_code == 200
    same_citizen = feedback_lookup(client, code, pin, proxy, HTTP_X_REAL_IP="203.0.113.80")
    assert same_citizen.status_code == 429


# --- one answer for a wrong code and a wrong PIN -------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normalised(response, code):
    body = CSRF.sub('name="csrfmiddlewaretoken" value="…"', response.content.decode())
    return body.replace(code, "«CODE»")


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_wrong_code_and_wrong_pin_give_the_same_bytes(client, pii, which):
    lookup, *_ = LOOKUPS[which]
    code, _pin, unknown = _target(pii, which)
    client.get("/tra-cuu/")  # the CSRF cookie exists before both requests
    wrong_pin = lookup(client, code, "ZZZZZZ")
    wrong_code = lookup(client, unknown, "ZZZZZZ")
    assert wrong_pin.status_code == wrong_code.status_code == 200
    assert _normalised(wrong_pin, code) == _normalised(wrong_code, unknown)
    assert sorted(k for k in wrong_pin.headers if k != "Set-Cookie") == sorted(
        k for k in wrong_code.headers if k != "Set-Cookie"
    )


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_when_blocked_the_right_and_the_wrong_pin_give_the_same_bytes(client, pii, settings, which):
    lookup, prefix, *_ = LOOKUPS[which]
    code, pin, _unknown = _target(pii, which)
    settings.RATE_LIMITS = {f"{prefix}_address": (1, 900)}
    lookup(client, code, "ZZZZZZ")
    right = lookup(client, code, pin)
    wrong = lookup(client, code, "ZZZZZZ")
    assert right.status_code == wrong.status_code == 429
    assert _normalised(right, pin) == _normalised(wrong, "ZZZZZZ")


# --- Redis: several processes, one counter -------------------------------------------------------

REDIS_TEST_URL = "redis://127.0.0.1:63799/4"  # helper 4's database, never the app's 0–2
PREFIX = "hardening-ratelimit-tests"


@pytest.fixture
def redis_caches():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set (CI sets it)")
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:63799")
    raw = redis.Redis.from_url(REDIS_TEST_URL)

    def forget():
        for key in raw.scan_iter(f"{PREFIX}:*"):
            raw.delete(key)

    backend = "django.core.cache.backends.redis.RedisCache"
    config = {"BACKEND": backend, "LOCATION": REDIS_TEST_URL, "KEY_PREFIX": PREFIX}
    forget()
    # override_settings, not the settings fixture: LocMem is back before any cache.clear().
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "a": config,
            "b": config,
        },
        RATE_LIMIT_CACHE="a",
        RATE_LIMITS={"tracking_address": (50, 900), "tracking_code": (3, 900)},
    ):
        try:
            yield raw
        finally:
            forget()


def test_two_cache_clients_share_one_counter(redis_caches, client, pii):
    first, second = caches["a"], caches["b"]
    assert first is not second
    assert first._cache.get_client() is not second._cache.get_client()
    # the web process "a" counts failures of one code...
    for n in range(3):
        dossier_lookup(client, pii.dossier.code, "ZZZZZZ", ip=f"198.51.100.{n}")
    # ...the process "b" (another client, another connection) sees them and refuses
    with override_settings(RATE_LIMIT_CACHE="b"):
        assert ratelimit.count(Counter("tracking_code", pii.dossier.code)) == 3
        protected = dossier_lookup(client, pii.dossier.code, pii.dossier_pin, ip="192.0.2.9")
        assert "4 chữ số cuối" in protected.content.decode()
    keys = [k.decode() for k in redis_caches.scan_iter(f"{PREFIX}:*")]
    assert keys and all(pii.dossier.code not in k and "198.51.100" not in k for k in keys)
    # the window is the Redis expiry of the key
    ttls = {redis_caches.ttl(k) for k in keys}
    assert all(0 < ttl <= 900 for ttl in ttls)


def test_parallel_counting_loses_no_event(redis_caches):
    """Eight threads, each with its own cache client (Django keeps one per thread), count
    25 events each on one counter: add+incr is atomic on Redis, the total is exact."""
    counter = Counter("tracking_address", "203.0.113.200")
    errors = []

    def work():
        try:
            for _ in range(25):
                ratelimit.record(counter)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ratelimit.count(counter) == 200
    assert ratelimit.is_blocked(counter)


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_none_past_the_limit(redis_caches):
    """Issue 14 §6: parallel requests got 1–2 guesses past the limit (the count was read, the
    PIN checked, then the failure written). Each attempt is now counted before it is checked:
    of 20 simultaneous guesses from one address with a limit of 5, exactly 5 are looked at."""
    from django.db import connections
    from django.test import Client

    barrier = threading.Barrier(20)
    statuses = []

    def guess(n):
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                "/tra-cuu/",
                {"ma": f"{UNKNOWN_DOSSIER[:-2]}{n:02d}", "pin": "ZZZZZZ"},
                REMOTE_ADDR="203.0.113.9",
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    with override_settings(RATE_LIMITS={"tracking_address": (5, 900), "tracking_code": (100, 900)}):
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(statuses) == [200] * 5 + [429] * 15
