"""Helpers of the browser tests (Playwright's sync API, fixtures `live_server` and `page`):
signing in as a member of staff and acting on a dossier page."""

import re

from thutuc.demo import DEMO_PASSWORD


def log_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login page, in a fresh session, and land on the staff home."""
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/")


def open_action(page, label: str):
    """Unfold an action of the dossier page; its form."""
    page.locator("summary", has_text=label).click()
    return page.locator("details[open] form")


def act(page, action_label: str, fields=None, selects=None, button=None) -> None:
    """Fill an action's form (`fields` typed, `selects` chosen, by label) and send it,
    confirming in the dialog where the button asks (static/js/confirm.js)."""
    form = open_action(page, action_label)
    for label, value in (selects or {}).items():
        form.get_by_label(label).select_option(value)
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    submit = form.get_by_role("button", name=button or action_label)
    asks = submit.get_attribute("data-confirm")
    submit.click()
    if asks:  # approve, refuse, stop, withdraw ask in a dialog first
        page.get_by_role("dialog").get_by_role("button", name=action_label).click()


def open_procedure_by_keyboard(page, typed: str, shown: str, hidden: str, code: str) -> None:
    """On the intake page: type `typed` (intake-search.js lists matches live), see `shown`
    and not `hidden`, open the first result with the keyboard and wait for procedure `code`."""
    page.get_by_label(re.compile("Tìm thủ tục")).fill(typed)
    page.get_by_role("link", name=re.compile(shown)).wait_for()
    assert page.get_by_role("link", name=re.compile(hidden)).count() == 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"thu_tuc={re.escape(code)}"))


def fill_applicant(page, case, name: str = "Nguyễn Văn An") -> None:
    """On the intake form: the applicant's name, phone and address, and every mandatory
    paper of `case` ticked as handed in."""
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("Số 5 phố Nguyễn Trãi, phường Trung Sơn")
    for paper in case.documents.filter(mandatory=True):
        page.get_by_label(paper.name).check()


def search_procedure(page, base: str, typed: str, name: str, code: str) -> None:
    """Open the intake page, type `typed` in the procedure search and open `name` (procedure
    `code`) with the mouse."""
    page.goto(f"{base}/mot-cua/tiep-nhan/")
    page.get_by_label(re.compile("Tìm thủ tục")).fill(typed)
    page.get_by_role("link", name=re.compile(name)).click()
    page.wait_for_url(re.compile(rf"thu_tuc={re.escape(code)}"))


def request_supplement(page, first: str, second: str, reason: str) -> None:
    """On a dossier page: ask for two papers at once, the first an original, the second a
    certified copy (NĐ 118/2025 Điều 19 khoản 5), and see the dossier wait for them."""
    from playwright.sync_api import expect

    form = open_action(page, "Yêu cầu bổ sung hồ sơ")
    form.get_by_label("Giấy tờ khác 1").fill(first)
    form.get_by_title("Bản chính: Giấy tờ khác 1").fill("1")
    form.get_by_label("Giấy tờ khác 2").fill(second)
    form.get_by_title("Bản sao chứng thực: Giấy tờ khác 2").fill("1")
    form.get_by_label("Lý do").fill(reason)
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".status-pill")).to_have_text("Chờ bổ sung hồ sơ")


def draft_report(page, year: int, quarter: int) -> None:
    """From the staff home: open the CCHC reports and draft the report of `quarter`."""
    page.get_by_role("link", name="Báo cáo CCHC").click()
    page.get_by_label("Năm").fill(str(year))
    page.get_by_label("Quý").select_option(str(quarter))
    page.get_by_role("button", name="Lập báo cáo").click()


def leader_approves(page, base: str, code: str) -> None:
    """The demo leader finds dossier `code` in the unit's list and approves its result."""
    from playwright.sync_api import expect

    log_in(page, base, "lanhdao")
    page.goto(f"{base}/mot-cua/?ds=don-vi")
    page.get_by_role("link", name=code).click()
    act(page, "Phê duyệt kết quả")
    expect(page.locator(".status-pill")).to_have_text("Đã xử lý xong")


def counter_returns(page, base: str, code: str, collected_by: str) -> None:
    """The demo reception officer finds dossier `code` among the results to return and
    hands it to `collected_by`."""
    from playwright.sync_api import expect

    log_in(page, base, "tiepnhan")
    page.goto(f"{base}/mot-cua/?ds=cho-tra")
    page.get_by_role("link", name=code).click()
    act(page, "Trả kết quả", {"Người nhận kết quả": collected_by})
    expect(page.locator(".status-pill")).to_have_text("Đã trả kết quả")


def citizen_tracks(browser, base: str, code: str, pin: str):
    """A citizen at home (a fresh browser context: no staff session) looks dossier `code` up
    with its PIN on the tracking page; the page with the answer."""
    home = browser.new_context(locale="vi-VN").new_page()
    home.goto(f"{base}/tra-cuu/")
    home.get_by_label("Mã hồ sơ").fill(code)
    home.get_by_label("Mã tra cứu").fill(pin)
    home.get_by_role("button", name="Tra cứu").click()
    return home
