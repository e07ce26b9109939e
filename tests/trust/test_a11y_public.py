"""WCAG 2.1 A/AA (axe-core, vendored) on the public pages, in each state a citizen meets:
empty forms, validation errors, a lookup that fails, a lookup that succeeds, a rating.

Each test walks several pages and asserts at the end, so one failure lists every page's
serious/critical violations at once (minor and moderate ones are printed alongside)."""

import pytest

from motcua.models import Rating, Status
from motcua.tracking.links import tracking_url
from tests.motcua.factories import DossierFactory

from .a11y import Audit, Keyboard, axe_violations, by_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_cache"),
]


def test_home_catalogue_procedure_and_login_pages(live_server, page):
    from thutuc import demo
    from thutuc.models import Procedure

    demo.seed()
    procedure = Procedure.objects.filter(is_active=True).order_by("code").first()
    base = live_server.url
    audit = Audit(page)

    page.goto(f"{base}/")
    audit.check("home")
    page.goto(f"{base}/thu-tuc/")
    assert page.locator("main a[href^='/thu-tuc/']").count() > 0
    audit.check("catalogue list")
    page.goto(f"{base}/thu-tuc/?q=khai+sinh")
    audit.check("catalogue search")
    page.goto(f"{base}/thu-tuc/?q=zzzz-khong-co")
    audit.check("catalogue search without result")
    page.goto(f"{base}/thu-tuc/{procedure.code}/")
    assert procedure.name in page.locator("h1").inner_text()
    audit.check("procedure page")
    page.goto(f"{base}/dang-nhap/")
    audit.check("login")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.locator(".errorbox").is_visible()
    audit.check("login with an error")
    audit.assert_clean()


def _look_up(page, code_field, code, pin):
    """Send a tracking form (a dossier's or a feedback's) with `code` and `pin`."""
    code_field.fill(code)
    page.get_by_label("Mã tra cứu").fill(pin)
    page.get_by_role("button", name="Tra cứu").click()


def test_tracking_and_rating_pages(live_server, page, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    dossier = DossierFactory(status=Status.RETURNED)
    base = live_server.url
    audit = Audit(page)

    audit.open_and_send_empty(f"{base}/tra-cuu/", "Tra cứu", "tracking")
    audit.check("tracking: fields missing")
    _look_up(page, page.get_by_label("Mã hồ sơ"), dossier.code, "ZZZZZZ")
    assert page.locator(".errorbox").is_visible()
    audit.check("tracking: wrong PIN")

    page.goto(tracking_url(dossier.code, dossier.pin))
    assert page.get_by_role("heading", name=f"Hồ sơ {dossier.code}").is_visible()
    audit.check("tracking: found dossier with the rating form")
    audit.no_browser_validation()
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert page.get_by_text("Vui lòng chọn mức độ hài lòng.").is_visible()
    audit.check("rating: no choice made")
    page.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert page.get_by_text("Cảm ơn ông/bà đã đánh giá").is_visible()
    audit.check("rating: thanks")
    audit.assert_clean()


def test_feedback_pages(live_server, page, settings):
    from khieunai import demo as khieunai_demo
    from thutuc import demo

    demo.seed(catalogue=False)
    khieunai_demo.seed()
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    base = live_server.url
    audit = Audit(page)

    audit.open_and_send_empty(f"{base}/phan-anh/", "Gửi đơn", "feedback")
    assert page.locator(".error").count() > 0
    audit.check("feedback: validation errors")

    page.goto(f"{base}/phan-anh/tra-cuu/")
    audit.check("feedback tracking: empty form")
    _look_up(page, page.locator("#id_code"), "PA-2026-000000", "ZZZZZZ")
    assert page.locator(".errorbox, .error").count() > 0
    audit.check("feedback tracking: not found")

    page.goto(f"{base}/phan-anh/cong-khai/")
    assert page.locator("main article, main li, main tr").count() > 0
    audit.check("published answers")
    audit.assert_clean()


def test_axe_runs_under_a_strict_csp_and_finds_what_is_wrong(live_server, page):
    """The checker itself: injected through the DevTools protocol, axe runs although the
    page's Content-Security-Policy forbids every script, and it does report violations
    (a test that could never fail would prove nothing)."""
    page.route(
        f"{live_server.url}/csp-probe",
        lambda route: route.fulfill(
            status=200,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Content-Security-Policy": "script-src 'none'",
            },
            body='<!doctype html><html><head></head><body><img src="x.png"><input type="text">'
            '<p style="color:#aaa;background:#fff">chữ xám nhạt</p><a href="/x"></a></body></html>',
        ),
    )
    page.goto(f"{live_server.url}/csp-probe")
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    found = {v["id"]: v["impact"] for v in axe_violations(page)}
    assert found["image-alt"] == "critical" and found["label"] == "critical"
    assert found["html-has-lang"] == "serious" and found["link-name"] == "serious"
    assert found["document-title"] == "serious"


def test_citizen_tracks_and_rates_with_the_keyboard_alone(live_server, page):
    """From the home page: the tracking card, the result, the rating (arrows in the radio
    group, Enter to send) — keys only, the focus visible at every stop."""
    dossier = DossierFactory(status=Status.RETURNED)
    page.goto(f"{live_server.url}/")
    keys = Keyboard(page)
    keys.tab_to(by_id("home-ma"))
    keys.type(dossier.code)
    keys.press("Tab")
    assert keys.focused()["id"] == "home-pin"
    keys.type(dossier.pin.lower())
    keys.press("Enter", check=False)
    page.get_by_role("heading", name=f"Hồ sơ {dossier.code}").wait_for()
    # Tab enters the radio group on its first choice; the arrows move and select within it
    first = keys.tab_to(lambda f: f["name"] == "value")
    keys.press("ArrowDown")
    second = keys.focused()
    assert second["name"] == "value" and second["value"] != first["value"]
    assert page.evaluate("document.activeElement.checked")
    keys.press("ArrowUp")
    assert keys.focused()["value"] == first["value"]
    keys.tab_to(lambda f: f["tag"] == "textarea")
    keys.type("Nhanh gọn.")
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Gửi đánh giá")
    keys.press("Enter", check=False)
    page.get_by_text("Cảm ơn ông/bà đã đánh giá").wait_for()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.value == first["value"] and rating.comment == "Nhanh gọn."


def test_fees_payment_and_verification_pages(live_server, page, settings):
    """Issue 19: the tracking page with fees due and an electronic result, the sandbox
    gateway's checkout page, the payment result, the public verification page."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from motcua.models import ResultDelivery
    from motcua.services.results import result_attach

    settings.PUBLIC_BASE_URL = live_server.url
    dossier = DossierFactory(status=Status.RESULT_READY, result_delivery=ResultDelivery.ONLINE)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    result = result_attach(
        dossier=dossier,
        actor=dossier.received_by,
        number="12/QĐ",
        issued_on=timezone.localdate(),
        upload=SimpleUploadedFile("kq.pdf", pdf, content_type="application/pdf"),
    )
    audit = Audit(page)
    page.goto(tracking_url(dossier.code, dossier.pin))
    page.get_by_test_id("fees").wait_for()
    audit.check("tracking with fees and an electronic result")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(re.compile("/thanh-toan-thu-nghiem/"))
    audit.check("sandbox checkout")
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    page.get_by_test_id("payment-ok").wait_for()
    audit.check("payment result")
    page.goto(f"{live_server.url}/xac-minh/{result.token}/")
    audit.check("verification page")
    page.goto(f"{live_server.url}/xac-minh/{'x' * 32}/")
    audit.check("verification page, unknown token")
    audit.assert_clean()
