"""A day at the counter as it really goes (issue 13 §1 and §2), walked in Chromium through
the real pages only: search → open → act → notified → the next person sees it."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from motcua.models import Dossier, Notification, Status
from motcua.services import transitions as t
from tests.motcua.factories_processing import papers
from thutuc.demo import DEMO_PASSWORD
from thutuc.models import Agency, CaseVersionStep, User
from thutuc.models.catalogue import StepRole

from .factories import CaseFactory
from .factories_processing import StepFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright cannot see the browser's print dialog: count the calls instead.
COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"


def printed(page, timeout_ms=5000) -> int:
    """How often the page called window.print(), waiting for the first call (a polled
    evaluate: Playwright's wait_for_function evaluates a string, which the CSP refuses)."""
    waited = 0
    while not page.evaluate("window.__prints") and waited < timeout_ms:
        page.wait_for_timeout(50)
        waited += 50
    return page.evaluate("window.__prints")


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/")


def badge(page):
    return page.get_by_test_id("unread-alerts")


@pytest.fixture
def khai_sinh(province):
    """Đăng ký khai sinh at the one-stop centre, decided by Sở Tư pháp: appraisal by Phòng
    Hành chính tư pháp (chuyenvien), then the signature of the department (lanhdao)."""
    department = Agency.objects.get(code="000.00.11.H99")
    unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
    case = CaseFactory(
        procedure__name="Đăng ký khai sinh",
        procedure__code="1.001193",
        procedure__competent_agency=department,
    )
    appraise = StepFactory(case=case, order=1, name="Thẩm định hồ sơ", agency=unit, role=StepRole.SPECIALIST)
    sign = StepFactory(case=case, order=2, name="Phê duyệt kết quả", agency=None, role=StepRole.LEADER)
    return case, appraise, sign


def test_find_any_dossier_when_the_citizen_comes_back(khai_sinh, live_server, page):
    """§1: a citizen comes back a week later with the missing paper. The officer finds the
    dossier by the name typed without diacritics, opens it, records the supplement; the
    specialist who asked for it is told, opens it from the notification and sees it back in
    processing; a code's tail jumps straight to the dossier."""
    cache.clear()
    case, appraise, _sign = khai_sinh
    centre = Agency.objects.get(code="000.00.06.H99")
    reception, specialist = (User.objects.get(username=u) for u in ("tiepnhan", "chuyenvien"))
    from .factories_processing import DossierFactory

    def dossier(name, **kwargs):
        return DossierFactory(
            case=case,
            receiving_agency=centre,
            competent_agency=case.procedure.competent_agency,
            received_by=reception,
            applicant_name=name,
            **kwargs,
        )

    back = dossier("Nguyễn Văn An", applicant_phone="0912345678")
    back = t.dossier_transfer(dossier=back, actor=reception, step=t.next_step(back), recipient=specialist)
    assert back.current_step.name == appraise.name  # the dossier's own copy of the step
    t.dossier_request_supplement(
        dossier=back, actor=specialist, items=papers("Giấy chứng sinh bản chính"), reason="Bản photo"
    )
    # last week's hand-off was read last week
    Notification.objects.filter(recipient=specialist).update(read_at=timezone.now())
    namesake = dossier("Nguyễn Văn Anh")
    dossier("Trần Thị Bích")
    base = live_server.url

    login(page, base, "tiepnhan")
    search = page.get_by_role("search").get_by_label("Tìm hồ sơ")
    search.fill("nguyen van an")
    search.press("Enter")
    results = page.locator("table.search-results tbody tr")
    expect(results).to_have_count(2)  # "An" and "Anh"; never "Trần Thị Bích"
    row = results.filter(has_text="Nguyễn Văn An").filter(has_text="Chờ bổ sung hồ sơ")
    expect(row).to_have_count(1)
    assert namesake.code in page.locator("table.search-results").inner_text()
    row.get_by_role("link", name=back.code).click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {back.code}")).to_be_visible()
    page.locator("summary", has_text="Nhận hồ sơ bổ sung").click()
    page.locator("details[open] form").get_by_label("Ghi chú").fill("Đã nhận bản chính giấy chứng sinh")
    page.locator("details[open] form").get_by_role("button", name="Nhận hồ sơ bổ sung").click()
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # the tail of the code, as read from the receipt, opens the dossier at once
    page.get_by_role("search").get_by_label("Tìm hồ sơ").fill(back.code.split("-", 1)[1])
    page.get_by_role("search").get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("heading", name=f"Hồ sơ {back.code}")).to_be_visible()

    # the specialist who asked for the paper is told, and sees the dossier back with him
    login(page, base, "chuyenvien")
    expect(badge(page)).to_have_text("1")
    page.get_by_role("link", name=re.compile("Thông báo")).click()
    note = page.locator("tr.unread", has_text="Đã nhận hồ sơ bổ sung")
    expect(note).to_contain_text("Chưa đọc")
    note.get_by_role("link", name=back.code).click()
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")
    page.go_back()
    page.locator("tr", has_text="Đã nhận hồ sơ bổ sung").get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.locator("tr", has_text="Đã nhận hồ sơ bổ sung")).to_contain_text("Đã đọc")
    expect(badge(page)).to_have_text("0")

    # the box fits a 390 px phone
    page.set_viewport_size({"width": 390, "height": 800})
    page.get_by_role("search").get_by_label("Tìm hồ sơ").fill("0912345678")
    page.get_by_role("search").get_by_role("button", name="Tìm").click()
    expect(page.locator("table.search-results tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_hand_it_on_without_losing_it(khai_sinh, live_server, page):
    """§2: the counter takes a dossier in with one "Đã nhận đủ" tick and prints the receipt
    from the result page; hands it to the specialist, who is told; he hands it to the leader
    and lands on the dossier (not a 404), finds it under "Hồ sơ tôi đã xử lý"; the leader is
    told, approves after a confirmation (refusing looks different); the counter is told and
    finds it waiting to be returned."""
    cache.clear()
    case, appraise, _sign = khai_sinh
    base = live_server.url
    page.add_init_script(COUNT_PRINTS)

    # 1. intake: one tick for every mandatory paper, then print from the result page
    login(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/tiep-nhan/?thu_tuc={case.procedure.code}")
    page.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    page.get_by_label("Điện thoại", exact=True).fill("0988 111 222")
    page.get_by_label("Đã nhận đủ").check()
    for paper in case.documents.filter(mandatory=True):
        expect(page.get_by_label(paper.name)).to_be_checked()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile("/mot-cua/tiep-nhan/xong/"))
    code = page.locator(".dossier-code").inner_text()
    pin = page.locator(".pin").inner_text()
    page.get_by_role("link", name="In giấy tiếp nhận (Mẫu 01)").click()
    assert printed(page) == 1  # the print dialog opened by itself
    expect(page.locator(".sheet")).to_contain_text(code)
    expect(page.locator(".sheet")).to_contain_text(pin)
    page.get_by_role("link", name="Quay lại").click()
    page.get_by_role("link", name="Xem hồ sơ").click()

    # 2. the counter hands it to the specialist
    specialist = User.objects.get(username="chuyenvien")
    page.locator("summary", has_text="Chuyển xử lý").click()
    form = page.locator("details[open] form")
    # the dossier's own copy of the step (its case version), not the catalogue's row
    own_step = CaseVersionStep.objects.get(version__dossiers__code=code, order=appraise.order)
    form.get_by_label("Bước xử lý").select_option(str(own_step.pk))
    form.get_by_label("Cán bộ nhận").select_option(str(specialist.pk))
    form.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")

    # 3. the specialist is told, hands it to the leader and keeps reading it
    login(page, base, "chuyenvien")
    expect(badge(page)).to_have_text("1")
    page.get_by_role("link", name=re.compile("Thông báo")).click()
    page.locator("tr.unread", has_text="Hồ sơ được phân công").get_by_role("link", name=code).click()
    page.locator("summary", has_text="Chuyển xử lý").click()
    page.locator("details[open] form").get_by_role(
        "button", name="Chuyển xử lý"
    ).click()  # next step: the leader
    expect(page.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    expect(page.get_by_test_id("read-only")).to_be_visible()
    page.goto(f"{base}/mot-cua/")
    page.get_by_role("link", name="Hồ sơ tôi đã xử lý").click()
    expect(page.locator("table.worklist tbody")).to_contain_text(code)

    # 4. the leader is told; approving asks first, and looks unlike refusing
    login(page, base, "lanhdao")
    expect(badge(page)).to_have_text("1")
    page.get_by_role("link", name=re.compile("Thông báo")).click()
    page.locator("tr", has_text="Hồ sơ được chuyển đến").get_by_role("link", name=code).click()
    approve = page.locator("button[data-action=approve]")
    refuse = page.locator("button[data-action=refuse]")
    look = "b => getComputedStyle(b).backgroundColor + '|' + getComputedStyle(b).color"
    assert approve.evaluate(look) != refuse.evaluate(look)
    page.locator("summary", has_text="Phê duyệt kết quả").click()
    approve.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(code)
    dialog.get_by_role("button", name="Quay lại").click()  # changed his mind: nothing sent
    expect(dialog).to_be_hidden()
    expect(page.locator(".status-pill")).to_have_text("Đang xử lý")
    approve.click()
    dialog.get_by_role("button", name="Phê duyệt kết quả").click()
    expect(page.locator(".status-pill")).to_have_text("Đã xử lý xong")

    # 5. the counter is told and finds it waiting to be returned
    login(page, base, "tiepnhan")
    expect(badge(page)).to_have_text("1")
    page.get_by_role("link", name="Chờ trả kết quả").first.click()
    page.get_by_role("link", name=code).click()
    page.locator("summary", has_text="Trả kết quả").click()
    page.locator("details[open] form").get_by_label("Người nhận kết quả").fill("Lê Thị Hoa")
    page.locator("details[open] form").get_by_role("button", name="Trả kết quả").click()
    expect(page.locator(".status-pill")).to_have_text("Đã trả kết quả")

    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RETURNED and dossier.applicant_phone == "0988111222"
    assert [e.action for e in dossier.events.order_by("at", "pk")] == [
        "receive",
        "transfer",
        "transfer",
        "approve",
        "return_result",
    ]
