"""The online channel in Chromium, the citizen on a 390 px phone: sign in with a code read
from the SMS outbox, file a "toàn trình" procedure with two uploads; the reception officer
finds it in the online inbox (NĐ 118/2025/NĐ-CP Điều 17 khoản 2) with the files and accepts
it; the specialist asks for a supplement, the citizen uploads it from "Hồ sơ của tôi"; the
counter sees who added which file and scans one more. (Steps in citizen_browser.py; paying
and receiving the result from "Hồ sơ của tôi": test_browser_citizen_e2e.py.)"""

import pytest
from django.core.cache import cache

from core.sms import LocmemSmsBackend
from motcua.models import Dossier, OnlineSource, OnlineSubmission, PaperFile, PaperPurpose, Status
from tests.khieunai.factories import make_png, pdf_bytes
from thutuc.models import OnlineLevel

from . import citizen_browser as steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_files_online_on_a_phone_and_the_counter_accepts(
    world, live_server, browser, page, tmp_path
):
    cache.clear()
    LocmemSmsBackend.outbox.clear()
    procedure = world.case.procedure
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    procedure.receiving_agencies.add(world.centre)
    (tmp_path / "to-khai.pdf").write_bytes(pdf_bytes())
    (tmp_path / "giay-chung-sinh.png").write_bytes(make_png())
    (tmp_path / "bo-sung.pdf").write_bytes(pdf_bytes())
    base = live_server.url

    phone = steps.phone_page(browser)
    steps.sign_in_from_procedure(phone, base, procedure)
    steps.file_with_two_uploads(
        phone, "Trần Thị Bình", tmp_path / "to-khai.pdf", tmp_path / "giay-chung-sinh.png"
    )
    submission = OnlineSubmission.objects.get()
    assert submission.source == OnlineSource.CITIZEN and submission.alerted_at is not None

    steps.officer_accepts_from_inbox(
        page, base, submission.national_portal_code, "Trần Thị Bình", "giay-chung-sinh.png"
    )
    dossier = Dossier.objects.get()
    assert PaperFile.objects.filter(dossier=dossier).count() == 2

    steps.specialist_asks_for_supplement(page, base, world, dossier.code)
    steps.citizen_uploads_supplement(phone, base, dossier.code, tmp_path / "bo-sung.pdf")
    assert PaperFile.objects.filter(dossier=dossier, purpose=PaperPurpose.SUPPLEMENT).count() == 1

    steps.counter_receives_supplement_and_scans(
        page, base, dossier.code, "bo-sung.pdf", tmp_path / "to-khai.pdf"
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert PaperFile.objects.filter(dossier=dossier, added_by=world.reception).count() == 1
