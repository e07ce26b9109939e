"""Security headers on every public page and each kind of staff page: the CSP without
unsafe-*, framing refused, nosniff, referrer policy, and no cache for personal data."""

import re

import pytest

from .hardening import public_responses, staff_urls

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name] = value.strip()
    return directives


def assert_security_headers(label, response):
    csp = response.get("Content-Security-Policy")
    assert csp, f"{label}: no Content-Security-Policy"
    assert "unsafe" not in csp, f"{label}: {csp}"
    assert parse_csp(csp) == EXPECTED_CSP, f"{label}: {csp}"
    assert response["X-Frame-Options"] == "DENY", label
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["Referrer-Policy"] == "same-origin", label
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", label


def assert_not_cached(label, response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{label}: Cache-Control {response.get('Cache-Control')!r}"


def test_public_pages_carry_the_headers(client, pii):
    responses = public_responses(client, pii)
    assert len(responses) >= 15
    for label, response in responses:
        assert response.status_code in (200, 404, 429), (label, response.status_code)
        assert_security_headers(label, response)


def test_public_pages_with_personal_data_are_not_cached(client, pii):
    pages = dict(public_responses(client, pii))
    # the visitor unlocked the feedback above, so the attachment is served
    assert pages["attachment"].status_code == 200
    for label in ("tracking result", "tracking by QR", "rating", "feedback status", "attachment"):
        assert_not_cached(label, pages[label])


@pytest.mark.parametrize("username", ["tiepnhan", "lanhdao", "quantri"])
def test_staff_pages_carry_the_headers_and_are_never_cached(client, pii, login, username):
    login(username)
    urls = staff_urls(pii)[username]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_security_headers(url, response)
        assert_not_cached(url, response)
        if url.endswith((".pdf", ".xlsx")) or "/tep/" in url:
            assert not response["Content-Type"].startswith("text/html"), url


def test_a_signed_in_users_redirects_and_errors_are_not_cached_either(client, pii, login):
    login("tiepnhan")
    for url in ("/khieu-nai/khong-co/", "/mot-cua/ho-so/khong-co/", "/dang-nhap/"):
        assert_not_cached(url, client.get(url))


def test_csp_forbids_framing_and_inline_code_from_settings(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    text = repr(directives)
    assert "unsafe" not in text
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert re.search(r"'none'", str(directives["frame-ancestors"]))


def test_cookies_are_http_only_and_same_site(client, province, settings):
    from thutuc.demo import DEMO_PASSWORD

    client.get("/dang-nhap/")
    response = client.post("/dang-nhap/", {"username": "tiepnhan", "password": DEMO_PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    csrf = client.get("/phan-anh/").cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies.get(
        settings.CSRF_COOKIE_NAME
    )
    assert csrf is not None and csrf["httponly"] and csrf["samesite"] == "Lax"
    # the embedded run speaks plain HTTP; production (tests/test_settings.py) turns `secure` on
    assert settings.CSRF_COOKIE_HTTPONLY and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan1234", "Mật khẩu phải có ít nhất 10 ký tự."),
        ("12345678901234", "Mật khẩu này hoàn toàn là số."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("tiepnhan2026", "Mật khẩu quá giống với"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client, province, login, password, message):
    from thutuc.demo import DEMO_PASSWORD

    user = login("tiepnhan")
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": DEMO_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)  # unchanged


def test_a_strong_password_is_accepted(client, province, login):
    from thutuc.demo import DEMO_PASSWORD

    user = login("tiepnhan")
    new = "Trống đồng Đông Sơn 1945!"
    response = client.post(
        "/doi-mat-khau/", {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.parametrize(
    "url",
    [
        "/dang-nhap/",
        "/quan-tri/login/",
        "/tra-cuu/",
        "/tra-cuu/danh-gia/",
        "/phan-anh/",
        "/phan-anh/tra-cuu/",
    ],
)
def test_public_posts_need_the_csrf_token(pii, url):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(url, {"username": "tiepnhan", "ma": pii.dossier.code, "code": pii.feedback.code})
    assert response.status_code == 403
    assert_security_headers(url, response)


def test_no_view_is_exempt_from_csrf():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [p for app in ("thutuc", "motcua", "khieunai", "baocao") for p in (root / app).rglob("*.py")]
    assert len(sources) > 50
    assert [str(p) for p in sources if "csrf_exempt" in p.read_text()] == []
