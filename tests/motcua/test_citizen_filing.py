"""A citizen signs in with a one-time code, files a procedure published online with its
papers uploaded, and the filing lands in the counter's online inbox (NĐ 118/2025/NĐ-CP Điều
17 khoản 2); files are stored through the storage API and downloaded only by who may see
them, each staff download logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core.sms import LocmemSmsBackend
from motcua.citizen import selectors
from motcua.citizen.identity import CitizenIdentity, OneTimeCodeProvider, parse_contact
from motcua.models import (
    CitizenLoginCode,
    Notification,
    OnlineFiling,
    OnlineSource,
    OnlineSubmission,
    PaperFile,
    Status,
)
from motcua.services import filing as filing_service
from motcua.services.intake import Applicant
from motcua.services.online import online_submission_accept
from motcua.services.papers import Upload
from tests.factories import AgencyFactory, demo_agency, reception_officer
from thutuc.models import AccessLog, OnlineLevel, User

from .citizen_helpers import (
    PHONE,
    exe_named_pdf,
    identity,
    last_sms_code,
    pdf,
    png,
    sign_in,
    zip_bomb_named_pdf,
)
from .factories import CaseFactory, papers_of

pytestmark = pytest.mark.usefixtures("fresh_cache")

PAPERS = [("Tờ khai đăng ký khai sinh", 1, 0, 0, True), ("Giấy chứng sinh", 1, 0, 0, True)]


@pytest.fixture
def centre(province):
    return demo_agency("centre")


@pytest.fixture
def reception(centre):
    return User.objects.get(username="tiepnhan")


@pytest.fixture
def online_case(centre):
    case = CaseFactory(procedure__online_level=OnlineLevel.FULL, documents=PAPERS)
    case.procedure.receiving_agencies.add(centre)
    return case


def slots(case):
    return list(case.documents.order_by("order"))


def filled_draft(case, centre, who=None):
    who = who or identity()
    filing = filing_service.filing_start(identity=who, procedure=case.procedure, agency=centre)
    first, second = slots(case)
    return filing_service.filing_save(
        filing=filing,
        identity=who,
        data={"applicant_name": "Trần Thị Bình", "applicant_phone": PHONE},
        uploads=[Upload(pdf(), first.name, first.pk), Upload(png(), second.name, second.pk)],
    )


# --- sign-in -------------------------------------------------------------------------------


def test_a_code_is_sent_hashed_and_signs_in_once(rf, db, django_capture_on_commit_callbacks):
    LocmemSmsBackend.outbox.clear()
    provider = OneTimeCodeProvider()
    request = rf.post("/")
    contact = parse_contact("0912 345 678")
    with django_capture_on_commit_callbacks(execute=True):
        provider.send_code(contact=contact, request=request)
    code = last_sms_code()
    row = CitizenLoginCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    # the stored message holds a slot, never the code (filled in at send time, core.pins)
    assert code not in Notification.objects.get(kind="citizen_login_code").body

    with pytest.raises(ValidationError, match="không đúng"):
        provider.verify_code(
            contact=contact, code="000000" if code != "000000" else "111111", request=request
        )
    who = provider.verify_code(contact=contact, code=code, request=request)
    assert who == CitizenIdentity(provider="otp", phone=PHONE)
    with pytest.raises(ValidationError, match="không đúng hoặc đã hết hạn"):
        provider.verify_code(contact=contact, code=code, request=request)  # single use


def test_a_code_expires_and_a_newer_one_voids_it(rf, db, settings, django_capture_on_commit_callbacks):
    provider = OneTimeCodeProvider()
    request = rf.post("/")
    contact = parse_contact("an@example.vn")
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        provider.send_code(contact=contact, request=request, now=timezone.now() - dt.timedelta(minutes=11))
    old = mail.outbox[-1].body.split(": ", 1)[1][:6]
    with pytest.raises(ValidationError):
        provider.verify_code(contact=contact, code=old, request=request)  # older than 10 minutes
    with django_capture_on_commit_callbacks(execute=True):
        provider.send_code(contact=contact, request=request)
    first = mail.outbox[-1].body.split(": ", 1)[1][:6]
    with django_capture_on_commit_callbacks(execute=True):
        provider.send_code(contact=contact, request=request)
    newest = mail.outbox[-1].body.split(": ", 1)[1][:6]
    if first != newest:
        with pytest.raises(ValidationError):
            provider.verify_code(contact=contact, code=first, request=request)
    assert provider.verify_code(contact=contact, code=newest, request=request).email == "an@example.vn"


def test_wrong_tries_void_the_code(rf, db, settings, django_capture_on_commit_callbacks):
    settings.CITIZEN_CODE_MAX_TRIES = 3
    provider = OneTimeCodeProvider()
    request = rf.post("/")
    contact = parse_contact(PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        provider.send_code(contact=contact, request=request)
    code = last_sms_code()
    wrong = "123456" if code != "123456" else "654321"
    for _ in range(3):
        with pytest.raises(ValidationError):
            provider.verify_code(contact=contact, code=wrong, request=request)
    with pytest.raises(ValidationError):
        provider.verify_code(contact=contact, code=code, request=request)


def test_asking_for_codes_is_rate_limited(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_code_contact": (2, 3600)}
    for _ in range(2):
        assert client.post("/cong-dan/dang-nhap/", {"contact": PHONE}).status_code == 302
    response = client.post("/cong-dan/dang-nhap/", {"contact": PHONE})
    assert response.status_code == 400
    assert "quá nhiều mã" in response.content.decode()
    assert CitizenLoginCode.objects.count() == 2


@pytest.mark.parametrize("typed", ["", "abc", "0212345678", "an@", "12345"])
def test_a_contact_that_is_neither_a_mobile_nor_an_email_is_refused(client, db, typed):
    response = client.post("/cong-dan/dang-nhap/", {"contact": typed})
    assert response.status_code == 400
    assert CitizenLoginCode.objects.count() == 0


def test_my_page_needs_a_session_and_lists_what_is_mine(
    client, centre, online_case, reception, django_capture_on_commit_callbacks
):
    assert client.get("/cong-dan/").status_code == 302
    filled_draft(online_case, centre)  # mine
    filled_draft(online_case, centre, identity("0987654321"))  # someone else's
    sign_in(client, django_capture_on_commit_callbacks)
    page = client.get("/cong-dan/")
    assert page.status_code == 200
    drafts = page.context["drafts"]
    assert len(drafts) == 1 and drafts[0].owner_phone == PHONE


# --- filing --------------------------------------------------------------------------------


def test_the_draft_is_prefilled_from_the_last_dossier(centre, online_case, receive_at_centre):
    receive_at_centre(Applicant(name="Lê Văn Cường", phone=PHONE, address="Số 1 phố Hoa"))
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    assert (filing.applicant_name, filing.applicant_address) == ("Lê Văn Cường", "Số 1 phố Hoa")
    assert filing.agency == centre and filing.is_draft


@pytest.fixture
def receive_at_centre(reception, centre, online_case):
    from motcua.services.intake import dossier_receive

    def _receive(applicant):
        return dossier_receive(
            procedure=online_case.procedure,
            case=online_case,
            agency=centre,
            actor=reception,
            applicant=applicant,
            documents=papers_of(online_case),
        )[0]

    return _receive


def test_a_procedure_not_published_online_is_not_filed_here(centre):
    case = CaseFactory(procedure__online_level=OnlineLevel.NONE)
    case.procedure.receiving_agencies.add(centre)
    with pytest.raises(ValidationError, match="chưa được cung cấp dịch vụ công trực tuyến"):
        filing_service.filing_start(identity=identity(), procedure=case.procedure)


def test_submit_puts_the_filing_in_the_inbox_with_its_clock_once(centre, online_case, reception):
    filing = filled_draft(online_case, centre)
    assert PaperFile.objects.filter(filing=filing).count() == 2
    submission = filing_service.filing_submit(filing=filing, identity=identity())
    assert submission.source == OnlineSource.CITIZEN and submission.status == Status.SUBMITTED_ONLINE
    assert submission.agency == centre and submission.alerted_at is not None
    assert submission.decision_due_at > submission.arrived_at  # the 08 working hours
    assert len(submission.documents) == 2
    # the citizen is told it arrived, with its code (SMS to the proven phone)
    told = Notification.objects.get(kind="online_filed", address=PHONE)
    assert submission.national_portal_code in told.body
    with pytest.raises(ValidationError) as refused:
        filing_service.filing_submit(filing=filing, identity=identity())
    assert refused.value.code == "submitted" and "đã được nộp" in refused.value.messages[0]
    assert OnlineSubmission.objects.count() == 1
    # the counter sees it, with the citizen's files
    online_submission_accept(submission=submission, actor=reception)
    submission.refresh_from_db()
    assert set(PaperFile.objects.filter(filing=filing).values_list("dossier", flat=True)) == {
        submission.dossier_id
    }


def test_submit_without_a_mandatory_paper_says_which(centre, online_case):
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    filing = filing_service.filing_save(
        filing=filing, identity=identity(), data={"applicant_name": "Trần Bình"}
    )
    with pytest.raises(ValidationError) as refused:
        filing_service.filing_submit(filing=filing, identity=identity())
    assert any("Chưa tải lên" in m and "Giấy chứng sinh" in m for m in refused.value.messages)
    assert OnlineSubmission.objects.count() == 0
    assert OnlineFiling.objects.get().is_draft


def test_a_partial_procedure_lists_the_originals_to_bring(centre):
    case = CaseFactory(
        procedure__online_level=OnlineLevel.PARTIAL,
        documents=[("Giấy chứng sinh", 1, 0, 0, True), ("Bản photo sổ", 0, 0, 1, False)],
    )
    case.procedure.receiving_agencies.add(centre)
    filing = filing_service.filing_start(identity=identity(), procedure=case.procedure)
    assert [p.name for p in filing_service.originals_to_bring(filing)] == ["Giấy chứng sinh"]


# --- bad files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: exe_named_pdf(), "không phải tệp PDF, JPG hoặc PNG"),
        (lambda: zip_bomb_named_pdf(), "không phải tệp PDF, JPG hoặc PNG"),
        (
            lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                "rong.pdf", b""
            ),
            "rỗng",
        ),
        (lambda: pdf("giay-to.exe"), "không phải tệp PDF, JPG hoặc PNG"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(centre, online_case, make, message):
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    first, second = slots(online_case)
    with pytest.raises(ValidationError, match=message):
        filing_service.filing_save(
            filing=filing,
            identity=identity(),
            data={"applicant_name": "Tên Mới"},
            uploads=[Upload(pdf(), first.name, first.pk), Upload(make(), second.name, second.pk)],
        )
    filing.refresh_from_db()
    assert filing.applicant_name != "Tên Mới"  # the good file and the data are not kept either
    assert PaperFile.objects.count() == 0
    assert not default_storage.exists("giay-to") or default_storage.listdir("giay-to") == ([], [])


def test_oversized_file_and_total_are_refused(centre, online_case, settings):
    settings.ONLINE_PAPER_MAX_MB = 1
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    first, second = slots(online_case)
    big = pdf()
    big.size = 2 * 1024 * 1024
    with pytest.raises(ValidationError, match="lớn hơn 1 MB"):
        filing_service.filing_save(
            filing=filing, identity=identity(), data={}, uploads=[Upload(big, first.name, first.pk)]
        )
    settings.ONLINE_PAPER_MAX_MB = 10
    settings.ONLINE_FILING_MAX_TOTAL_MB = 0
    with pytest.raises(ValidationError, match="Tổng dung lượng"):
        filing_service.filing_save(
            filing=filing, identity=identity(), data={}, uploads=[Upload(pdf(), first.name, first.pk)]
        )
    assert PaperFile.objects.count() == 0


def test_the_filing_page_shows_the_error_in_vietnamese(
    client, centre, online_case, django_capture_on_commit_callbacks
):
    sign_in(client, django_capture_on_commit_callbacks)
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    first, _second = slots(online_case)
    response = client.post(
        reverse("motcua:filing_edit", args=[filing.pk]),
        {
            "applicant_type": "person",
            "applicant_name": "Trần Bình",
            "agency": centre.pk,
            "result_delivery": "online",
            f"slot_{first.pk}": exe_named_pdf(),
            "hanh_dong": "luu",
        },
    )
    assert response.status_code == 400
    assert "không phải tệp PDF, JPG hoặc PNG" in response.content.decode()
    assert PaperFile.objects.count() == 0


def test_double_submit_through_the_page_files_once(
    client, centre, online_case, django_capture_on_commit_callbacks
):
    sign_in(client, django_capture_on_commit_callbacks)
    filing = filled_draft(online_case, centre)
    form = {
        "applicant_type": "person",
        "applicant_name": "Trần Thị Bình",
        "applicant_phone": PHONE,
        "agency": centre.pk,
        "result_delivery": "online",
        "hanh_dong": "nop",
    }
    url = reverse("motcua:filing_edit", args=[filing.pk])
    assert client.post(url, form).status_code == 302
    again = client.post(url, form, follow=True)
    assert "đã được nộp" in again.content.decode()
    assert OnlineSubmission.objects.count() == 1


def test_another_citizens_draft_is_not_found(client, centre, online_case, django_capture_on_commit_callbacks):
    theirs = filled_draft(online_case, centre, identity("0987654321"))
    sign_in(client, django_capture_on_commit_callbacks)
    assert client.get(reverse("motcua:filing_edit", args=[theirs.pk])).status_code == 404
    paper = PaperFile.objects.filter(filing=theirs).first()
    assert client.get(reverse("motcua:citizen_file", args=[paper.pk])).status_code == 404


# --- files: downloads, reuse ---------------------------------------------------------------


def test_downloads_are_checked_and_logged(
    client, centre, online_case, reception, django_capture_on_commit_callbacks
):
    filing = filled_draft(online_case, centre)
    submission = filing_service.filing_submit(filing=filing, identity=identity())
    paper = PaperFile.objects.filter(filing=filing, content_type="application/pdf").get()
    assert paper.file.name.startswith("giay-to/") and default_storage.exists(paper.file.name)

    client.force_login(reception)
    response = client.get(reverse("motcua:paper_download", args=[paper.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    log = AccessLog.objects.get(action="download")
    assert log.username == "tiepnhan" and log.object_ref == str(submission.pk)

    stranger = reception_officer(AgencyFactory(code="000.00.99.H98"))
    client.force_login(stranger)
    assert client.get(reverse("motcua:paper_download", args=[paper.pk])).status_code == 404
    assert AccessLog.objects.filter(action="download").count() == 1

    client.logout()
    sign_in(client, django_capture_on_commit_callbacks)
    response = client.get(reverse("motcua:citizen_file", args=[paper.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.filter(action="download", username__startswith="công dân 09").count() == 1


def test_a_digitised_paper_is_reused_in_one_click_while_valid(centre, online_case):
    first_filing = filled_draft(online_case, centre)
    filing_service.filing_submit(filing=first_filing, identity=identity())
    reusable = selectors.reusable_papers(identity())
    assert len(reusable) == 2
    draft = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    slot = slots(online_case)[0]
    source = next(p for p in reusable if p.procedure_document_id == slot.pk)
    reused = filing_service.filing_reuse_paper(
        filing=draft, identity=identity(), paper_id=source.pk, slot=slot
    )
    assert reused.is_reused and reused.reused_from == source and reused.file.name == source.file.name
    # someone else cannot reuse it
    with pytest.raises(ValidationError):
        filing_service.filing_reuse_paper(
            filing=draft, identity=identity("0987654321"), paper_id=source.pk, slot=slot
        )
    # past its validity it is not offered
    PaperFile.objects.filter(pk=source.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert source.pk not in {p.pk for p in selectors.reusable_papers(identity())}


def test_a_filing_sent_back_is_corrected_with_its_files(centre, online_case, reception):
    from motcua.services.intake import ReceivedDocument
    from motcua.services.online import online_submission_request_supplement

    filing = filled_draft(online_case, centre)
    submission = filing_service.filing_submit(filing=filing, identity=identity())
    online_submission_request_supplement(
        submission=submission,
        actor=reception,
        missing_documents=[ReceivedDocument(name="Giấy ủy quyền", originals=1)],
    )
    submission.refresh_from_db()
    # filed here: told to correct it on "Hồ sơ của tôi", not on the national portal
    asked = Notification.objects.get(kind="online_not_accepted", channel="sms", address=PHONE)
    assert "Ho so cua toi" in asked.body and "Cong DVC quoc gia" not in asked.body
    draft = filing_service.filing_correct(submission=submission, identity=identity())
    assert draft.is_draft and draft.corrects == submission
    assert PaperFile.objects.filter(filing=draft, reused_from__isnull=False).count() == 2
    again = filing_service.filing_submit(filing=draft, identity=identity())
    assert again.pk != submission.pk and again.status == Status.SUBMITTED_ONLINE
    assert filing_service.filing_correct(submission=submission, identity=identity()) == draft


# --- the identity-provider interface --------------------------------------------------------


class RedirectingProvider:
    """Stands for a VNeID / national-portal provider (OpenID Connect): no code page."""

    name = "vneid"
    uses_code = False

    def start_url(self, request):
        return "https://vneid.example/authorize?client_id=motcua"


def test_another_provider_replaces_the_code_by_a_setting(client, db, settings):
    settings.CITIZEN_IDENTITY_PROVIDER = "tests.motcua.test_citizen_filing.RedirectingProvider"
    response = client.get("/cong-dan/dang-nhap/")
    assert response.status_code == 302 and response["Location"].startswith("https://vneid.example/")
    assert CitizenLoginCode.objects.count() == 0


def test_an_identity_number_counts_only_when_the_provider_verified_it(centre, online_case, receive_at_centre):
    dossier = receive_at_centre(Applicant(name="Lê Văn Cường", id_number="001099001234"))
    by_code = CitizenIdentity(provider="otp", phone="0987000111")
    assert dossier not in list(selectors.my_dossiers(by_code))
    by_vneid = CitizenIdentity(provider="vneid", id_number="001099001234")
    assert list(selectors.my_dossiers(by_vneid)) == [dossier]
