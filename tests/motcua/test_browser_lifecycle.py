"""The whole life of a dossier in Chromium, through the real pages only: the counter takes
it in and prints the receipt, hands it to the unit, the specialist asks for a supplement,
the counter records it, the leader approves, the counter returns the result; the citizen
tracks it with code + PIN from home and rates the service; the rating shows to staff."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from motcua.models import Dossier, Rating, RatingValue, Status
from tests.browser import (
    act,
    citizen_tracks,
    counter_returns,
    fill_applicant,
    leader_approves,
    log_in,
    search_procedure,
)
from thutuc.models import User

from .pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dossier_from_the_counter_to_the_citizens_rating(world, live_server, page, browser, settings):
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    case, appraise = world.case, world.steps[0]
    base = live_server.url

    # 1. the counter takes the dossier in
    log_in(page, base, "tiepnhan")
    search_procedure(page, base, "khai sinh", "Đăng ký khai sinh", case.procedure.code)
    fill_applicant(page, case)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile("/mot-cua/tiep-nhan/xong/"))
    dossier = Dossier.objects.get()
    code = page.locator(".dossier-code").inner_text()
    assert code == dossier.code

    # the receipt (form 01) carries the code and the PIN; the citizen takes it home
    href = page.get_by_role("link", name="Tải PDF").get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.headers["content-type"] == "application/pdf"
    receipt = pdf_text(response.body())
    pin = page.locator(".pin").inner_text()
    assert code in receipt and pin in receipt

    # 2. hand it to the unit, from the dossier page
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    assert page.get_by_role("link", name=re.compile("Giấy tiếp nhận hồ sơ")).get_attribute("href") == href
    specialist = User.objects.get(username="chuyenvien")
    act(
        page,
        "Chuyển xử lý",
        selects={"Bước xử lý": str(appraise.pk), "Cán bộ nhận": str(specialist.pk)},
    )
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # 3. the specialist asks for a supplement
    log_in(page, base, "chuyenvien")
    page.goto(f"{base}/mot-cua/?ds=cua-toi")
    page.get_by_role("link", name=code).click()
    page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").click()
    form = page.locator("details[open] form")
    form.get_by_label("Giấy chứng sinh", exact=True).check()  # the catalogue's count: 1 original
    form.get_by_label("Lý do").fill("Giấy chứng sinh là bản photo")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")

    # 4. the counter records the supplement
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    act(page, "Nhận hồ sơ bổ sung", {"Ghi chú": "Đã nhận bản chính giấy chứng sinh"})
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # 5. the leader approves
    leader_approves(page, base, code)

    # 6. the counter returns the result
    counter_returns(page, base, code, "Nguyễn Văn An")
    expect(page.get_by_role("link", name="Ghi nhận đánh giá thay công dân")).to_be_visible()

    # 7. the citizen, at home (a fresh browser: no staff session), tracks and rates
    home = citizen_tracks(browser, base, code, pin)
    expect(home.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    expect(home.get_by_text("Nguyễn V** A*")).to_be_visible()
    timeline = home.locator("ol.timeline").inner_text()
    assert "Hồ sơ được tiếp nhận tại" in timeline
    assert "bổ sung" in timeline
    assert "0912345678" not in home.content()
    home.get_by_label("Hài lòng", exact=True).check()
    home.get_by_label("Ý kiến góp ý (không bắt buộc)").fill("Trả kết quả sớm, cán bộ hướng dẫn rõ.")
    home.get_by_role("button", name="Gửi đánh giá").click()
    expect(home.get_by_text("Cảm ơn ông/bà đã đánh giá")).to_be_visible()
    home.context.close()

    # 8. the rating shows on the staff page, and the counter can no longer rate on behalf
    page.reload()
    expect(page.locator("[data-rating]")).to_contain_text("Hài lòng")
    expect(page.get_by_text("Trả kết quả sớm, cán bộ hướng dẫn rõ.")).to_be_visible()
    assert page.get_by_role("link", name="Ghi nhận đánh giá thay công dân").count() == 0

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert Rating.objects.get(dossier=dossier).value == RatingValue.SATISFIED
    assert [e.action for e in dossier.events.order_by("at", "pk")] == [
        "receive",
        "transfer",
        "request_supplement",
        "receive_supplement",
        "approve",
        "return_result",
        "rate",
    ]
