"""The whole life of a dossier in Chromium, through the real pages only: the counter takes
it in and prints the receipt, hands it to the unit, the specialist asks for a supplement,
the counter records it, the leader approves, the counter returns the result; the citizen
tracks it with code + PIN from home and rates the service; the rating shows to staff."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from motcua.models import Dossier, Rating, RatingValue, Status
from thutuc.demo import DEMO_PASSWORD
from thutuc.models import Agency, CaseVersionStep, User
from thutuc.models.catalogue import StepRole

from .factories import CaseFactory
from .factories_processing import StepFactory
from .pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/")


def act(page, action_label, fields=None, selects=None):
    page.locator("summary", has_text=action_label).click()
    form = page.locator("details[open] form")
    for label, value in (selects or {}).items():
        form.get_by_label(label).select_option(value)
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    button = form.get_by_role("button", name=action_label)
    asks = button.get_attribute("data-confirm")
    button.click()
    if asks:  # approve, refuse, stop, withdraw ask in a dialog first (static/js/confirm.js)
        page.get_by_role("dialog").get_by_role("button", name=action_label).click()


@pytest.fixture
def khai_sinh(province):
    """Đăng ký khai sinh, received at the one-stop centre, decided by Sở Tư pháp: appraisal
    by Phòng Hành chính tư pháp, then the leader's signature."""
    department = Agency.objects.get(code="000.00.11.H99")
    unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
    case = CaseFactory(
        procedure__name="Đăng ký khai sinh",
        procedure__code="1.001193",
        procedure__competent_agency=department,
    )
    appraise = StepFactory(case=case, order=1, name="Thẩm định hồ sơ", agency=unit, role=StepRole.SPECIALIST)
    StepFactory(
        case=case, order=2, name="Phê duyệt kết quả", agency=None, role=StepRole.LEADER, allotted_time=1
    )
    return case, appraise


def test_dossier_from_the_counter_to_the_citizens_rating(khai_sinh, live_server, page, browser, settings):
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    case, appraise = khai_sinh
    base = live_server.url

    # 1. the counter takes the dossier in
    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/tiep-nhan/")
    page.get_by_label(re.compile("Tìm thủ tục")).fill("khai sinh")
    page.get_by_role("link", name=re.compile("Đăng ký khai sinh")).click()
    page.wait_for_url(re.compile(r"thu_tuc=1\.001193"))
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("Số 5 phố Nguyễn Trãi, phường Trung Sơn")
    for paper in case.documents.filter(mandatory=True):
        page.get_by_label(paper.name).check()
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
    # the dossier's own copy of the step (its case version), not the catalogue's row
    own_step = CaseVersionStep.objects.get(version__dossiers__code=code, order=appraise.order)
    act(
        page,
        "Chuyển xử lý",
        selects={"Bước xử lý": str(own_step.pk), "Cán bộ nhận": str(specialist.pk)},
    )
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # 3. the specialist asks for a supplement
    login(page, base, "chuyenvien")
    page.goto(f"{base}/mot-cua/?ds=cua-toi")
    page.get_by_role("link", name=code).click()
    page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").click()
    form = page.locator("details[open] form")
    form.get_by_label("Giấy chứng sinh", exact=True).check()  # the catalogue's count: 1 original
    form.get_by_label("Lý do").fill("Giấy chứng sinh là bản photo")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")

    # 4. the counter records the supplement
    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    act(page, "Nhận hồ sơ bổ sung", {"Ghi chú": "Đã nhận bản chính giấy chứng sinh"})
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # 5. the leader approves
    login(page, base, "lanhdao")
    page.goto(f"{base}/mot-cua/?ds=don-vi")
    page.get_by_role("link", name=code).click()
    act(page, "Phê duyệt kết quả")
    expect(page.locator(".status-pill")).to_have_text("Đã xử lý xong")

    # 6. the counter returns the result
    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/?ds=cho-tra")
    page.get_by_role("link", name=code).click()
    act(page, "Trả kết quả", {"Người nhận kết quả": "Nguyễn Văn An"})
    expect(page.locator(".status-pill")).to_have_text("Đã trả kết quả")
    expect(page.get_by_role("link", name="Ghi nhận đánh giá thay công dân")).to_be_visible()

    # 7. the citizen, at home (a fresh browser: no staff session), tracks and rates
    citizen = browser.new_context(locale="vi-VN")
    home = citizen.new_page()
    home.goto(f"{base}/tra-cuu/")
    home.get_by_label("Mã hồ sơ").fill(code)
    home.get_by_label("Mã tra cứu").fill(pin)
    home.get_by_role("button", name="Tra cứu").click()
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
    citizen.close()

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
