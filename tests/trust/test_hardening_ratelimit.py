"""One rate limiter (thutuc.ratelimit) for the dossier lookup (/tra-cuu/) and the feedback
lookup (/phan-anh/tra-cuu/): per client address and per code, limits from settings, counters
shared by every process on Redis, and one uniform answer for a wrong code or a wrong PIN."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from thutuc import ratelimit
from thutuc.ratelimit import Counter

from .conftest_hardening import *  # noqa: F403

ROOT = Path(__file__).resolve().parents[2]
DOSSIER_NEUTRAL = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập"
DOSSIER_BLOCKED = "Ông/bà đã nhập sai quá nhiều lần"
FEEDBACK_NEUTRAL = "Mã đơn hoặc mã tra cứu không đúng."
FEEDBACK_BLOCKED = "Bạn đã tra cứu sai nhiều lần"
UNKNOWN_DOSSIER = "000.00.11.H99-260213-0999"
UNKNOWN_FEEDBACK = "PA-2026-999999"


def dossier_lookup(client, code, pin, ip="203.0.113.7"):
    return client.post("/tra-cuu/", {"ma": code, "pin": pin}, REMOTE_ADDR=ip)


def feedback_lookup(client, code, pin, ip="203.0.113.7"):
    return client.post("/phan-anh/tra-cuu/", {"code": code, "pin": pin}, REMOTE_ADDR=ip)


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


def _target(world, which):
    if which == "dossier":
        return world.dossier.code, world.dossier_pin, UNKNOWN_DOSSIER
    return world.feedback.code, world.feedback_pin, UNKNOWN_FEEDBACK


def test_one_helper_no_duplicate():
    """The lookups share thutuc.ratelimit; the former copies are gone."""
    assert not (ROOT / "motcua/tracking/ratelimit.py").exists()
    antispam = (ROOT / "khieunai/antispam.py").read_text()
    assert "cache" not in antispam and "def blocked" not in antispam
    for path in ("motcua/views/tracking.py", "khieunai/views/public.py"):
        assert "from thutuc import ratelimit" in (ROOT / path).read_text()


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_limit_per_address(client, world, settings, which):
    lookup, prefix, neutral, blocked_text, found_text = LOOKUPS[which]
    code, pin, unknown = _target(world, which)
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
def test_limit_per_code_across_addresses(client, world, settings, which):
    lookup, prefix, neutral, blocked_text, found_text = LOOKUPS[which]
    code, pin, unknown = _target(world, which)
    settings.RATE_LIMITS = {f"{prefix}_address": (100, 900), f"{prefix}_code": (3, 900)}
    for n in range(3):
        lookup(client, code.lower(), "ZZZZZZ", ip=f"198.51.100.{n}")  # case does not matter
    blocked = lookup(client, code, pin, ip="192.0.2.50")  # a fresh address, the same code
    assert blocked.status_code == 429 and blocked_text in blocked.content.decode()
    # that address may still look up other codes
    fresh = lookup(client, unknown, "ZZZZZZ", ip="192.0.2.50")
    assert fresh.status_code == 200 and neutral in fresh.content.decode()


def test_dossier_and_feedback_counters_are_apart(client, world, settings):
    settings.RATE_LIMITS = {"tracking_address": (2, 900), "feedback_track_address": (2, 900)}
    for n in range(2):
        dossier_lookup(client, f"{UNKNOWN_DOSSIER[:-1]}{n}", "ZZZZZZ")
    assert dossier_lookup(client, world.dossier.code, world.dossier_pin).status_code == 429
    ok = feedback_lookup(client, world.feedback.code, world.feedback_pin)
    assert ok.status_code == 200 and "Đã bổ sung mức lệ phí" in ok.content.decode()


def test_the_window_from_settings_is_in_the_message(client, world, settings):
    settings.RATE_LIMITS = {"tracking_address": (1, 30 * 60)}
    dossier_lookup(client, UNKNOWN_DOSSIER, "ZZZZZZ")
    assert "thử lại sau 30 phút" in dossier_lookup(client, UNKNOWN_DOSSIER, "ZZZZZZ").content.decode()


def test_default_limits_come_from_the_environment_variables(settings):
    assert settings.RATE_LIMITS["tracking_address"] == (settings.TRACKING_MAX_FAILURES_PER_ADDRESS, 15 * 60)
    assert settings.RATE_LIMITS["tracking_code"] == (settings.TRACKING_MAX_FAILURES_PER_CODE, 15 * 60)
    assert settings.RATE_LIMITS["feedback_track_code"] == (5, 15 * 60)
    assert settings.RATE_LIMITS["feedback_submit"] == (5, 3600)


def test_feedback_lookups_count_the_proxy_header_address(client, world, settings):
    """Before, the feedback lookup counted REMOTE_ADDR only: behind the proxy every citizen
    shared one counter. Now it follows CLIENT_IP_HEADER like the dossier lookup."""
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.RATE_LIMITS = {"feedback_track_address": (2, 900)}
    for _ in range(2):
        client.post(
            "/phan-anh/tra-cuu/",
            {"code": UNKNOWN_FEEDBACK, "pin": "ZZZZZZ"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="203.0.113.80",
        )
    other_citizen = client.post(
        "/phan-anh/tra-cuu/",
        {"code": world.feedback.code, "pin": world.feedback_pin},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="203.0.113.81",
    )
    assert other_citizen.status_code == 200
    same_citizen = client.post(
        "/phan-anh/tra-cuu/",
        {"code": world.feedback.code, "pin": world.feedback_pin},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="203.0.113.80",
    )
    assert same_citizen.status_code == 429


# --- one answer for a wrong code and a wrong PIN -------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normalised(response, code):
    body = CSRF.sub('name="csrfmiddlewaretoken" value="…"', response.content.decode())
    return body.replace(code, "«CODE»")


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_wrong_code_and_wrong_pin_give_the_same_bytes(client, world, which):
    lookup, *_ = LOOKUPS[which]
    code, _pin, unknown = _target(world, which)
    client.get("/tra-cuu/")  # the CSRF cookie exists before both requests
    wrong_pin = lookup(client, code, "ZZZZZZ")
    wrong_code = lookup(client, unknown, "ZZZZZZ")
    assert wrong_pin.status_code == wrong_code.status_code == 200
    assert _normalised(wrong_pin, code) == _normalised(wrong_code, unknown)
    assert sorted(k for k in wrong_pin.headers if k != "Set-Cookie") == sorted(
        k for k in wrong_code.headers if k != "Set-Cookie"
    )


@pytest.mark.parametrize("which", ["dossier", "feedback"])
def test_when_blocked_the_right_and_the_wrong_pin_give_the_same_bytes(client, world, settings, which):
    lookup, prefix, *_ = LOOKUPS[which]
    code, pin, _unknown = _target(world, which)
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


def test_two_cache_clients_share_one_counter(redis_caches, client, world):
    first, second = caches["a"], caches["b"]
    assert first is not second
    assert first._cache.get_client() is not second._cache.get_client()
    # the web process "a" counts failures of one code...
    for n in range(3):
        dossier_lookup(client, world.dossier.code, "ZZZZZZ", ip=f"198.51.100.{n}")
    # ...the process "b" (another client, another connection) sees them and refuses
    with override_settings(RATE_LIMIT_CACHE="b"):
        assert ratelimit.count(Counter("tracking_code", world.dossier.code)) == 3
        assert (
            dossier_lookup(client, world.dossier.code, world.dossier_pin, ip="192.0.2.9").status_code == 429
        )
    keys = [k.decode() for k in redis_caches.scan_iter(f"{PREFIX}:*")]
    assert keys and all(world.dossier.code not in k and "198.51.100" not in k for k in keys)
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
