"""A citizen scans the QR code of a returned dossier, reads the timeline and the reason
for the appointment date, and rates the service (Debian's Chromium via Playwright)."""

import pytest
from django.core.cache import cache

from motcua.models import Rating, RatingValue, Status
from motcua.tracking.links import tracking_url

from .factories import ID_NUMBER, PHONE, DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_opens_the_qr_link_reads_the_timeline_and_rates(live_server, page, settings):
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    dossier = DossierFactory(over_tet=True, status=Status.RETURNED)

    page.goto(tracking_url(dossier.code, dossier.pin))
    assert page.get_by_role("heading", name=f"Hồ sơ {dossier.code}").is_visible()
    assert page.get_by_text("Đã trả kết quả", exact=True).first.is_visible()
    assert page.get_by_text("Nguyễn V** A*").is_visible()
    # the reason for the appointment date, counted over Tết 2026
    explanation = page.locator("ul.explanation")
    assert "16/02–20/02/2026 (Tết Nguyên Đán)" in explanation.inner_text()
    assert "Hẹn trả kết quả: 14:30 thứ Sáu 27/02/2026." in explanation.inner_text()
    # the timeline, in plain Vietnamese
    timeline = page.locator("ol.timeline li")
    assert timeline.count() == 4
    assert "Hồ sơ được tiếp nhận tại" in timeline.first.inner_text()
    assert "sớm hơn ngày hẹn" in timeline.nth(2).inner_text()
    body = page.content()
    assert ID_NUMBER not in body and PHONE not in body

    # rating: forgetting the choice keeps the comment and says what is missing
    page.get_by_label("Ý kiến góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    page.evaluate("document.querySelectorAll('input[name=value]').forEach(e => e.required = false)")
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert page.get_by_text("Vui lòng chọn mức độ hài lòng.").is_visible()
    assert page.get_by_label("Ý kiến góp ý (không bắt buộc)").input_value() == "Cán bộ hướng dẫn tận tình."

    page.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert page.get_by_text("Cảm ơn ông/bà đã đánh giá").is_visible()
    assert page.get_by_text("Đã ghi nhận đánh giá: Rất hài lòng").is_visible()
    assert page.get_by_role("button", name="Gửi đánh giá").count() == 0
    rating = Rating.objects.get(dossier=dossier)
    assert rating.value == RatingValue.VERY_SATISFIED and rating.comment == "Cán bộ hướng dẫn tận tình."


def test_citizen_types_code_and_pin_on_the_home_page(live_server, page):
    cache.clear()
    dossier = DossierFactory(over_tet=True, status=Status.PROCESSING)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Mã tra cứu").fill("ZZZZZZ")
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_text("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập").is_visible()
    assert page.get_by_label("Mã hồ sơ").input_value() == dossier.code  # the input is kept
    page.get_by_label("Mã tra cứu").fill(dossier.pin.lower())
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_text("Đang giải quyết", exact=True).is_visible()
    assert page.get_by_role("heading", name="Vì sao hẹn trả vào ngày này?").is_visible()
