"""In Chromium, under the real Content-Security-Policy: the counter's intake page, the
hotline log and the printable notice keep working with their scripts in static/js, and
the browser reports no CSP violation; an inline script, were one added, would be refused."""

import re

import pytest
from playwright.sync_api import expect

from motcua.models import Dossier
from tests.browser import fill_applicant, log_in, open_procedure_by_keyboard
from tests.khieunai.factories import submit_feedback

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (injected by the DevTools protocol, not subject to the CSP).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
  document.documentElement.dataset.csp = String(window.__csp.length);
});
window.print = function () {
  window.__printed = (window.__printed || 0) + 1;
  document.documentElement.dataset.printed = String(window.__printed);
};
"""


@pytest.fixture
def watched(page):
    messages = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    return page, messages


def _csp_trouble(page, messages):
    in_page = page.evaluate("window.__csp || []")
    in_console = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    errors = [m for m in messages if m.startswith("pageerror")]
    return in_page + in_console + errors


def test_intake_page_scripts_work_under_the_csp(live_server, watched):
    from tests.motcua.factories import CaseFactory
    from thutuc import demo

    page, messages = watched
    demo.seed(catalogue=False)
    case = CaseFactory(procedure__name="Đăng ký khai sinh", procedure__code="1.001193")
    CaseFactory(procedure__name="Chứng thực chữ ký trong giấy tờ, văn bản")

    log_in(page, live_server.url, "tiepnhan")
    response = page.goto(f"{live_server.url}/mot-cua/tiep-nhan/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp

    # intake-search.js: live results while typing, then the keyboard opens the procedure
    open_procedure_by_keyboard(
        page, "dang ky khai sinh", "Đăng ký khai sinh", "Chứng thực chữ ký", "1.001193"
    )

    # intake-form.js: after the submit the buttons are disabled (no second dossier)
    fill_applicant(page, case)
    # the script's guard is attached: a second submit of a sent form is cancelled
    second_submit_cancelled = page.evaluate(
        """() => {
          const form = document.querySelector(".intake-form");
          form.dataset.sent = "1";
          const event = new Event("submit", {cancelable: true});
          form.dispatchEvent(event);
          delete form.dataset.sent;
          return event.defaultPrevented;
        }"""
    )
    assert second_submit_cancelled is True
    with page.expect_navigation(url=re.compile("/mot-cua/tiep-nhan/xong/")):
        page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    assert Dossier.objects.count() == 1
    assert _csp_trouble(page, messages) == []


def test_an_inline_script_would_be_refused(live_server, watched):
    page, messages = watched
    page.goto(f"{live_server.url}/")
    assert _csp_trouble(page, messages) == []
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__inline = 1";
          document.body.appendChild(s);
          const b = document.createElement("button");
          b.setAttribute("onclick", "window.__clicked = 1");
          document.body.appendChild(b);
          b.click();
        }"""
    )
    expect(page.locator("html")).to_have_attribute("data-csp", "2")
    assert page.evaluate("window.__inline") is None
    assert page.evaluate("window.__clicked") is None
    assert all(v.startswith("script-src") for v in page.evaluate("window.__csp"))


def test_hotline_timer_and_notice_print_button_work(live_server, watched):
    from khieunai import services
    from khieunai.models import TriageClass
    from thutuc import demo
    from thutuc.models import Agency, User

    page, messages = watched
    demo.seed(catalogue=False)
    leader = User.objects.get(username="lanhdao")
    feedback = submit_feedback(
        Agency.objects.get(code="000.00.11.H99"),
        content="Bảng niêm yết thiếu mức lệ phí.",
        submitter_name="Phạm Văn Bình",
        submitter_address="Thôn Đông, xã Tân Phú",
    )
    services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=leader)

    log_in(page, live_server.url, "lanhdao")

    page.goto(f"{live_server.url}/duong-day-nong/")
    expect(page.locator("#call-timer")).to_contain_text(re.compile(r"^\d+:\d\d$"))

    page.goto(f"{live_server.url}/khieu-nai/{feedback.code}/thong-bao/")
    page.get_by_role("button", name="In thông báo").click()
    expect(page.locator("html")).to_have_attribute("data-printed", "1")
    assert _csp_trouble(page, messages) == []
