"""The counter's intake page with the keyboard alone, and axe (WCAG 2.1 A/AA) on it.

From the staff home page to the receipt, the officer only presses keys (Tab, Shift+Tab,
Enter, Space, arrows) and types: no click, no fill. At every stop the focused element must
show a visible focus indicator (an outline or a box-shadow)."""

import re

import pytest

from motcua.models import Dossier, ResultDelivery
from tests.browser import log_in
from tests.motcua.factories import CaseFactory

from .a11y import Keyboard, assert_accessible, by_id, by_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_cache"),
]


def test_officer_takes_in_a_dossier_with_the_keyboard_alone(live_server, page):
    from thutuc import demo

    demo.seed(catalogue=False)
    case = CaseFactory(procedure__name="Đăng ký khai sinh", procedure__code="1.001193")
    papers = list(case.documents.order_by("order"))
    base = live_server.url
    log_in(page, base, "tiepnhan")

    keys = Keyboard(page)
    # staff home → the intake link in the main navigation
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Tiếp nhận hồ sơ")
    keys.press("Enter", check=False)
    page.wait_for_url(f"{base}/mot-cua/tiep-nhan/")
    # the search box has the focus on arrival; results appear while typing
    assert keys.assert_focus_visible()["id"] == "id_q"
    assert_accessible(page, "intake search")
    keys.type("khai sinh")
    page.get_by_role("link", name=re.compile("Đăng ký khai sinh")).wait_for()
    assert_accessible(page, "intake search with results")
    keys.press("ArrowDown")
    assert keys.focused()["text"].startswith("1.001193")
    keys.press("Enter", check=False)
    page.wait_for_url(re.compile(r"thu_tuc=1\.001193"))
    assert_accessible(page, "intake form")

    # the form: skip link → main content → each field in order
    keys.press("Tab")
    assert keys.focused()["text"].startswith("Bỏ qua")
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown when focused
    keys.press("Enter", check=False)
    keys.press("Tab")  # past the header and its navigation, into the main content
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert keys.focused()["text"] == "← Tìm thủ tục khác"
    keys.tab_to(by_id("id_applicant_name"))
    keys.type("Nguyễn Văn An")
    keys.tab_to(by_id("id_applicant_id_number"))
    keys.type("038095012345")
    keys.press("Tab")
    assert keys.focused()["id"] == "id_applicant_phone"
    keys.type("0912345678")
    keys.tab_to(by_id("id_applicant_address"))
    keys.type("Số 5 phố Nguyễn Trãi, phường Trung Sơn")
    # the papers: Space ticks each received one
    for paper in papers:
        focus = keys.tab_to(lambda f, p=paper: f["type"] == "checkbox" and f["label"] == p.name)
        if paper.mandatory:
            keys.press("Space")
            assert page.evaluate("document.activeElement.checked")
    # result by post: the arrows move within the radio group
    keys.tab_to(lambda f: f["name"] == "result_delivery")
    keys.press("ArrowDown")
    focus = keys.focused()
    assert focus["name"] == "result_delivery" and focus["value"] == ResultDelivery.POST
    keys.press("Tab")
    assert keys.focused()["id"] == "id_delivery_address"
    keys.type("Thôn Đông, xã Tân Phú")
    # back to check the name once with Shift+Tab, then on to the submit button
    detour_from = keys.presses
    keys.tab_to(by_id("id_applicant_name"), back=True)
    assert keys.focused()["value"] == "Nguyễn Văn An"
    keys.tab_to(by_id("id_delivery_address"))
    detour = keys.presses - detour_from
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Tiếp nhận hồ sơ")
    keys.press("Enter", check=False)
    to_receipt = keys.presses
    page.wait_for_url(re.compile("/mot-cua/tiep-nhan/xong/"))

    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.result_delivery == ResultDelivery.POST
    assert dossier.delivery_address == "Thôn Đông, xã Tân Phú"
    assert page.locator(".dossier-code").inner_text() == dossier.code
    assert_accessible(page, "receipt page")
    # the receipt page: the print link is reachable with Tab
    keys.tab_to(by_text("In giấy tiếp nhận"))
    print(
        f"keyboard path: {to_receipt} key presses to the receipt ({detour} of them the Shift+Tab check"
        f" and back), {keys.presses} with the print link; {keys.typed} characters typed"
    )
    assert keys.presses < 150
