"""NĐ 118/2025/NĐ-CP in Chromium, through the real pages: a commune procedure is filed at the
provincial one-stop centre for an applicant of xã Tân Phú (Điều 3 khoản 7, Điều 14 khoản 2,
Điều 20), routed to Tân Phú, which acknowledges it and asks for one supplement (Điều 19
khoản 5); 15 days pass without it (an explicit `now` for the daily job), the dossier is
closed and the citizen is told why — by message and on the tracking page."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from motcua.models import Dossier, EventAction, Notification, NotificationChannel, Outcome, Status
from motcua.services.supplement_close import close_unsupplemented
from tests.browser import citizen_tracks, log_in, open_action, search_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTORY_PASSWORD = "mat-khau-thu-nghiem"  # tests/factories.py UserFactory


def test_filed_at_the_centre_routed_to_the_commune_closed_after_15_days_nd118(
    law, live_server, page, browser, settings
):
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    base = live_server.url

    # 1. the provincial centre takes in a commune procedure for an applicant of Tân Phú
    log_in(page, base, "tiepnhan")
    search_procedure(page, base, "khai sinh", "Đăng ký khai sinh", "1.001193")
    expect(page.locator("[data-proposed-competent]")).to_contain_text("phường Trung Sơn")
    page.get_by_label("Họ và tên").fill("Lò Thị Mai")
    page.get_by_label("Điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Thư điện tử").fill("mai@example.vn")
    page.get_by_label("Địa chỉ", exact=True).fill("Thôn Đông, xã Tân Phú")
    page.get_by_label("Xã, phường nơi cư trú / đặt trụ sở của người nộp").select_option(str(law.tan_phu.pk))
    page.get_by_label("Đã nhận đủ").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile("/mot-cua/tiep-nhan/xong/"))
    code = page.locator(".dossier-code").inner_text()
    pin = page.locator(".pin").inner_text()
    assert code.startswith("000.19.23.H99-")  # the code of the competent commune (Điều 28)
    dossier = Dossier.objects.get(code=code)
    assert dossier.competent_agency == law.tan_phu and dossier.receiving_agency == law.centre

    # 2. the counter hands it to Tân Phú: the transfer form proposes the commune's step
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.locator("[data-competent-agency]")).to_have_text("Ủy ban nhân dân xã Tân Phú")
    expect(page.locator("[data-transfer]")).to_contain_text("hạn")
    form = open_action(page, "Chuyển xử lý")
    form.get_by_label("Cán bộ nhận").select_option(str(law.tan_phu_specialist.pk))
    form.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # 3. Tân Phú acknowledges it, then asks for one complete supplement, with counts
    log_in(page, base, "cv-tanphu", FACTORY_PASSWORD)
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    form = open_action(page, "Xác nhận đã nhận hồ sơ được chuyển đến")
    form.get_by_role("button", name="Xác nhận đã nhận hồ sơ được chuyển đến").click()
    expect(page.locator("[data-transfer]")).to_contain_text("cơ quan giải quyết nhận")
    form = open_action(page, "Yêu cầu bổ sung hồ sơ")
    form.get_by_label("Tờ khai", exact=True).check()
    form.get_by_label("Giấy tờ khác 1").fill("Văn bản xác nhận nơi cư trú")
    form.get_by_title("Bản chính: Giấy tờ khác 1").fill("1")
    form.get_by_label("Lý do").fill("Tờ khai chưa có chữ ký; thiếu xác nhận cư trú")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")
    expect(page.get_by_text("Văn bản xác nhận nơi cư trú (1 bản chính)", exact=True)).to_be_visible()
    # one request only: the action is gone
    assert page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").count() == 0
    request = dossier.supplement_requests.get()
    assert request.issuing_agency == law.tan_phu

    # 4. fifteen days pass without the supplement: the daily job closes the dossier
    assert close_unsupplemented(now=request.requested_at + dt.timedelta(days=15)) == 1
    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    expect(page.locator(".status-pill")).to_have_text("Dừng xử lý")
    expect(page.locator("[data-national-status]")).to_have_text("8")
    expect(page.get_by_text("Đóng hồ sơ do không bổ sung: Quá thời hạn bổ sung")).to_be_visible()

    # 5. the citizen is told: by e-mail and SMS, and on the tracking page from home
    dossier.refresh_from_db()
    assert (dossier.status, dossier.outcome) == (Status.STOPPED, Outcome.CLOSED)
    told = Notification.objects.filter(dossier=dossier, kind="closed")
    assert {n.channel for n in told} == {NotificationChannel.EMAIL, NotificationChannel.SMS}
    assert "Quá thời hạn bổ sung" in told.get(channel=NotificationChannel.EMAIL).body
    home = citizen_tracks(browser, base, code, pin)
    expect(home.get_by_text("Hồ sơ đã bị đóng do quá hạn bổ sung, hoàn thiện hồ sơ")).to_be_visible()
    expect(home.locator("ol.timeline")).to_contain_text("Hồ sơ bị đóng: Quá thời hạn bổ sung")
    home.context.close()
    assert [e.action for e in dossier.events.order_by("at", "pk")] == [
        EventAction.RECEIVE,
        EventAction.TRANSFER,
        EventAction.RECEIVE_TRANSFER,
        EventAction.REQUEST_SUPPLEMENT,
        EventAction.CLOSE,
    ]
