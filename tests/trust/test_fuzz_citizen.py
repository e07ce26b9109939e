"""Hostile input to the citizen's online filing (/cong-dan/…) and the counter's scan upload:
the sign-in (contact, code, ?next=), the start of a draft, the draft itself, the reuse
button, the supplement and scan uploads. Never a server error; an invalid post says why in
Vietnamese next to the field and saves nothing."""

import pytest
from hypothesis import given

from motcua.models import CitizenLoginCode, OnlineFiling, OnlineSubmission, PaperFile
from motcua.services import filing as filing_service
from tests.motcua.citizen_helpers import PHONE, identity, last_sms_code, pdf, sign_in
from tests.motcua.factories import DossierFactory
from thutuc.models import Agency, OnlineLevel, User

from .fuzz import check_change, check_post
from .fuzz_strategies import examples, mutation

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def online_case(intake_case):
    intake_case.procedure.online_level = OnlineLevel.FULL
    intake_case.procedure.save()
    return intake_case


@pytest.fixture
def citizen(client, online_case, django_capture_on_commit_callbacks):
    client.logout()
    sign_in(client, django_capture_on_commit_callbacks)
    return client


def test_sign_in_survives_hostile_values(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_code_address": (10_000, 3600)}

    @examples(40)
    @given(change=mutation({"contact": "text"}))
    def run(change):
        check_change(
            client, "/cong-dan/dang-nhap/", {"contact": PHONE}, change, kinds={"contact": "text"}, models=[]
        )

    run()


def test_code_and_next_survive_hostile_values(client, db, settings, django_capture_on_commit_callbacks):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "citizen_verify_address": (10_000, 900)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cong-dan/dang-nhap/", {"contact": PHONE})

    @examples(30)
    @given(change=mutation({"code": "text"}))
    def run(change):
        if change.get("code") == last_sms_code():
            return
        response = check_change(
            client,
            "/cong-dan/dang-nhap/ma/",
            {"code": "xxxxxx"},
            change,
            kinds={"code": "text"},
            models=[CitizenLoginCode],
        )
        assert response.status_code in (400, 302)

    run()
    for hostile in ("https://evil.example/", "//evil.example", "\x00", "javascript:alert(1)", "a" * 600):
        response = client.get("/cong-dan/dang-nhap/", {"next": hostile})
        assert response.status_code in (200, 400)
        assert "evil.example" not in response.content.decode()
        response = client.get("/cong-dan/dang-nhap/ma/", {"next": hostile})
        assert response.status_code in (200, 302, 400)


def test_start_survives_hostile_values(citizen, online_case):
    centre = Agency.objects.get(code="000.00.06.H99")
    url = f"/cong-dan/nop/{online_case.procedure.code}/"

    @examples(30)
    @given(change=mutation({"case": "id", "agency": "id"}))
    def run(change):
        check_change(
            citizen,
            url,
            {"case": online_case.pk, "agency": centre.pk},
            change,
            kinds={"case": "id", "agency": "id"},
            models=[OnlineFiling],
            on_success=lambda r, before, after: None,
        )

    run()
    assert citizen.get("/cong-dan/nop/%00/").status_code == 404


FILING_KINDS = {
    "applicant_type": "choice",
    "applicant_name": "text",
    "organisation_name": "text",
    "applicant_id_number": "text",
    "applicant_phone": "text",
    "applicant_email": "text",
    "applicant_address": "text",
    "summary": "text",
    "result_delivery": "choice",
    "delivery_address": "text",
    "agency": "id",
    "hanh_dong": "choice",
}


def test_the_draft_survives_hostile_values(citizen, online_case):
    centre = Agency.objects.get(code="000.00.06.H99")
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure, agency=centre)
    valid = {
        "applicant_type": "person",
        "applicant_name": "Trần Thị Bình",
        "agency": centre.pk,
        "result_delivery": "online",
        "hanh_dong": "luu",
    }

    def state():
        return OnlineFiling.objects.filter(pk=filing.pk).values().get()

    @examples(40)
    @given(change=mutation(FILING_KINDS))
    def run(change):
        check_change(
            citizen,
            f"/cong-dan/ho-so-nop/{filing.pk}/",
            valid,
            change,
            kinds=FILING_KINDS,
            models=[PaperFile, OnlineSubmission],
            state=state,
            on_success=lambda r, before, after: None,
        )

    run()


def test_reuse_and_remove_ignore_hostile_values(citizen, online_case):
    filing = filing_service.filing_start(identity=identity(), procedure=online_case.procedure)
    for hostile in ("", "1", "-1-1", "1-", "99999999999-1", "\x00", "' OR 1=1", ["1-1", "2-2"]):
        response = citizen.post(f"/cong-dan/ho-so-nop/{filing.pk}/dung-lai/", {"chon": hostile})
        assert response.status_code == 302
    assert citizen.post(f"/cong-dan/ho-so-nop/{filing.pk}/bo-tep/99999/").status_code == 302
    assert PaperFile.objects.count() == 0


def test_supplement_and_scan_uploads_survive_hostile_values(
    client, province, django_capture_on_commit_callbacks
):
    dossier = DossierFactory(
        waiting_supplement=True, receiving_agency=Agency.objects.get(code="000.00.06.H99")
    )
    sign_in(client, django_capture_on_commit_callbacks, dossier.applicant_phone)
    url = f"/cong-dan/ho-so/{dossier.code}/bo-sung/"
    for hostile in ({}, {"item_0": "\x00"}, {"item_0": "a" * 5000}, {"item_99": pdf()}):
        response = check_post(client, url, hostile, kinds={}, models=[PaperFile])
        assert response.status_code == 400

    client.force_login(User.objects.get(username="tiepnhan"))
    url = f"/mot-cua/ho-so/{dossier.code}/ban-quet/"
    for purpose, paper in (("intake", "\x00"), ("xxx", "__result__"), ("result", "-1"), ("", "")):
        response = client.post(url, {"purpose": purpose, "paper": paper, "file": pdf()})
        assert response.status_code == 302
    assert PaperFile.objects.count() == 0
