"""Login brute force (django-axes): a username from one address is locked after N wrong
passwords, on the staff login and on the admin's login; other users and addresses are not."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from thutuc.demo import DEMO_PASSWORD

LOGIN = "/dang-nhap/"
ADMIN_LOGIN = "/quan-tri/login/"
LOCKED_TEXT = "Tạm khóa đăng nhập"


def _post(client, url, username, password, ip="203.0.113.10", **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _fail(client, url, username, times, ip="203.0.113.10"):
    for _ in range(times):
        response = _post(client, url, username, "sai-mat-khau", ip=ip)
        assert response.status_code in (200, 429)
    return response


def test_settings_lock_on_username_and_address_from_settings(settings):
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_five_wrong_passwords_lock_even_the_right_one(client, province, settings):
    # the first four are the ordinary Vietnamese error
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _post(client, LOGIN, "tiepnhan", "sai-mat-khau")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    fifth = _post(client, LOGIN, "tiepnhan", "sai-mat-khau")
    assert fifth.status_code == 429
    right = _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD)
    html = right.content.decode()
    assert right.status_code == 429
    assert LOCKED_TEXT in html and "15 phút" in html
    assert '<html lang="vi">' in html  # the portal's own layout (base.html)
    assert "_auth_user_id" not in client.session
    assert client.get("/mot-cua/").status_code == 302  # still not signed in


def test_other_users_and_other_addresses_are_not_affected(client, province, settings):
    _fail(client, LOGIN, "tiepnhan", settings.AXES_FAILURE_LIMIT)
    assert _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD).status_code == 429
    # another officer from the same address
    other_user = _post(client, LOGIN, "chuyenvien", DEMO_PASSWORD)
    assert other_user.status_code == 302 and other_user["Location"] == "/mot-cua/"
    client.post("/dang-xuat/")
    # the same officer from another address
    other_address = _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD, ip="198.51.100.4")
    assert other_address.status_code == 302


def test_unlocked_after_the_cool_off(client, province, settings):
    _fail(client, LOGIN, "tiepnhan", settings.AXES_FAILURE_LIMIT)
    assert _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD).status_code == 429
    # move the attempts 16 minutes into the past instead of sleeping
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/mot-cua/"


def test_a_success_resets_the_failures(client, province, settings):
    _fail(client, LOGIN, "tiepnhan", settings.AXES_FAILURE_LIMIT - 1)
    assert _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD).status_code == 302
    client.post("/dang-xuat/")
    # after the reset, four more failures are allowed before the lock
    _fail(client, LOGIN, "tiepnhan", settings.AXES_FAILURE_LIMIT - 1)
    assert _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD).status_code == 302


def test_limit_and_cool_off_come_from_settings(client, province, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    _fail(client, LOGIN, "tiepnhan", 2)
    locked = _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD)
    assert locked.status_code == 429 and "30 phút" in locked.content.decode()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=20))
    assert _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD).status_code == 302


def test_admin_login_is_covered_too(client, province, settings):
    _fail(client, ADMIN_LOGIN, "quantri", settings.AXES_FAILURE_LIMIT)
    locked = _post(client, ADMIN_LOGIN, "quantri", DEMO_PASSWORD)
    assert locked.status_code == 429 and LOCKED_TEXT in locked.content.decode()
    assert client.get("/quan-tri/").status_code == 302
    # the same username is locked on the staff login too (one lock per username + address)
    assert _post(client, LOGIN, "quantri", DEMO_PASSWORD).status_code == 429
    # from another address the admin signs in
    assert _post(client, ADMIN_LOGIN, "quantri", DEMO_PASSWORD, ip="198.51.100.9").status_code == 302


def test_address_behind_the_proxy_is_the_one_the_lookups_use(client, province, settings):
    """With CLIENT_IP_HEADER set, every citizen behind the proxy is not one address: the
    lock follows X-Real-IP, like the tracking rate limits."""
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, LOGIN, "tiepnhan", "sai-mat-khau", ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.50")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.50"
    locked = _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.50")
    assert locked.status_code == 429
    # another citizen behind the same proxy
    other = _post(client, LOGIN, "tiepnhan", DEMO_PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.51")
    assert other.status_code == 302


@pytest.mark.django_db
def test_lockout_page_is_vietnamese_without_the_username(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    locked = _post(client, LOGIN, "khong-ton-tai-xyz", "sai")
    html = locked.content.decode()
    assert locked.status_code == 429 and LOCKED_TEXT in html
    assert "khong-ton-tai-xyz" not in html
