"""A filing made on the national portal reaches the counter's online inbox; the reception
officer, alerted at once, opens it from the notification and accepts it within 08 working
hours (NĐ 118/2025/NĐ-CP Điều 17 khoản 2); the dossier's clock starts at the acceptance
(khoản 3). In Chromium, desktop and a 390 px phone."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.models import Channel, Dossier, OnlineSource, OnlineSubmission, Status
from motcua.services.intake import Applicant, ReceivedDocument
from motcua.services.online import online_submission_record
from thutuc.demo import DEMO_PASSWORD
from thutuc.models import Agency

from .factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/")


def test_reception_accepts_an_online_filing_within_08_working_hours(live_server, page):
    from thutuc import demo

    demo.seed(catalogue=False)
    centre = Agency.objects.get(code="000.00.06.H99")
    case = CaseFactory(procedure__name="Đăng ký khai sinh", procedure__code="1.001193")
    case.procedure.receiving_agencies.add(centre)
    filed = timezone.now() - dt.timedelta(hours=1)
    submission = online_submission_record(
        agency=centre,
        procedure=case.procedure,
        case=case,
        applicant=Applicant(name="Phạm Thị Lan", phone="0987654321", email="lan@example.vn"),
        documents=[
            ReceivedDocument(name=d.name, originals=1, procedure_document_id=d.pk)
            for d in case.documents.all()
        ],
        national_portal_code="G22.99-261202-0777",
        source=OnlineSource.PORTAL,
        submitted_at=filed,
        arrived_at=filed,
    )
    base = live_server.url

    login(page, base, "tiepnhan")
    # alerted at once: the notification centre links to the filing
    page.goto(f"{base}/mot-cua/thong-bao/")
    expect(page.get_by_text("Hồ sơ trực tuyến chờ tiếp nhận: G22.99-261202-0777")).to_be_visible()
    page.get_by_role("link", name="Xem hồ sơ trực tuyến").first.click()
    expect(page.get_by_role("heading", name="Hồ sơ trực tuyến G22.99-261202-0777")).to_be_visible()
    expect(page.locator("[data-national-status]")).to_have_text("1")

    # the inbox lists it with the time left of its 08 working hours
    page.get_by_role("link", name="Hồ sơ trực tuyến", exact=True).first.click()
    row = page.get_by_test_id("online-inbox").locator("tr", has_text="G22.99-261202-0777")
    expect(row).to_contain_text("Phạm Thị Lan")
    expect(row).to_contain_text(re.compile(r"còn \d"))
    row.get_by_role("link", name="G22.99-261202-0777").click()

    page.locator("summary", has_text="Tiếp nhận hồ sơ").click()
    page.locator("details[open]").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile(r"/mot-cua/tiep-nhan/xong/"))
    dossier = Dossier.objects.get()
    expect(page.get_by_text(dossier.code).first).to_be_visible()

    submission.refresh_from_db()
    assert submission.status == Status.RECEIVED and not submission.decided_late
    assert submission.decided_at <= submission.decision_due_at
    assert dossier.channel == Channel.ONLINE and dossier.national_portal_code == "G22.99-261202-0777"
    assert dossier.received_at == submission.decided_at  # the clock starts at acceptance
    assert OnlineSubmission.objects.filter(status=Status.SUBMITTED_ONLINE).count() == 0

    # decided: the inbox is empty, the filing is under "Đã kiểm tra", and it fits a phone
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/mot-cua/truc-tuyen/?xem=da-xu-ly")
    expect(page.get_by_test_id("online-inbox")).to_contain_text(dossier.code)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
