"""Hostile input to the online inbox's forms (/mot-cua/truc-tuyen/<pk>/…): the supplement
request, the refusal and the acceptance. An invalid post saves nothing and says why in
Vietnamese next to the field; a valid one decides the filing whole."""

import pytest
from hypothesis import given

from motcua.models import Dossier, DossierEvent, IntakeAttempt, OnlineSource, OnlineSubmission, Status
from motcua.services.intake import Applicant, ReceivedDocument
from motcua.services.online import online_submission_record
from tests.motcua.factories import CaseFactory
from thutuc.models import Agency, User

from .conftest_fuzz import check_post
from .fuzz_strategies import examples, mutation

MODELS = [Dossier, DossierEvent, IntakeAttempt]


@pytest.fixture
def waiting(province, client):
    centre = Agency.objects.get(code="000.00.06.H99")
    case = CaseFactory()
    case.procedure.receiving_agencies.add(centre)
    client.force_login(User.objects.get(username="tiepnhan"))
    counter = iter(range(1, 10_000))

    def make():
        return online_submission_record(
            agency=centre,
            procedure=case.procedure,
            case=case,
            applicant=Applicant(name="Trần Thị Bình"),
            documents=[
                ReceivedDocument(name=d.name, procedure_document_id=d.pk) for d in case.documents.all()
            ],
            national_portal_code=f"G22.99-261201-{next(counter):04d}",
            source=OnlineSource.PORTAL,
        )

    return case, make


def _state(submission):
    return lambda: OnlineSubmission.objects.filter(pk=submission.pk).values_list("status", "decision").get()


def _decided(response, before, after):
    """A valid decision writes one slip (supplement, refusal) or one dossier, never a part."""
    delta = {k: after[k] - before[k] for k in after}
    if "/tiep-nhan/phieu/" in response.url:
        assert delta == {**{k: 0 for k in delta}, "motcua.IntakeAttempt": 1}
    else:
        assert delta["motcua.Dossier"] == 1 and delta["motcua.IntakeAttempt"] == 0


def test_supplement_form_survives_hostile_values(waiting, client):
    case, make = waiting
    papers = list(case.documents.all())
    fields = {"missing_other": "text", "reason": "text", **{f"missing_{p.pk}": "bool" for p in papers}}

    @examples(30)
    @given(change=mutation(fields))
    def run(change):
        submission = make()
        base = {"missing_other": "Ảnh 4x6", "reason": "Thiếu"}
        data = {f"bs-{k}": v for k, v in {**base, **change}.items() if v is not None}
        response = check_post(
            client,
            f"/mot-cua/truc-tuyen/{submission.pk}/bo-sung/",
            data,
            kinds={f"bs-{k}": v for k, v in fields.items()},
            models=MODELS,
            state=_state(submission),
            on_success=_decided,
            form_key="supplement_form",
        )
        if response.status_code != 302:
            assert OnlineSubmission.objects.get(pk=submission.pk).status == Status.SUBMITTED_ONLINE

    run()


def test_refuse_form_survives_hostile_values(waiting, client):
    _case, make = waiting
    fields = {"reason": "text"}

    @examples(25)
    @given(change=mutation(fields))
    def run(change):
        submission = make()
        data = {f"tc-{k}": v for k, v in {"reason": "Sai thẩm quyền", **change}.items() if v is not None}
        check_post(
            client,
            f"/mot-cua/truc-tuyen/{submission.pk}/tu-choi/",
            data,
            kinds={"tc-reason": "text"},
            models=MODELS,
            state=_state(submission),
            on_success=_decided,
            form_key="refuse_form",
        )

    run()


def test_accept_ignores_whatever_is_posted(waiting, client):
    _case, make = waiting
    submission = make()
    for hostile in ("\x00' OR 1=1", "-1", "9" * 40, "1e3"):
        refused = client.post(
            f"/mot-cua/truc-tuyen/{submission.pk}/tiep-nhan/",
            {"tn-competent_agency": hostile, "tn-applicant_commune": hostile},
        )
        assert refused.status_code == 400 and not Dossier.objects.exists()
    response = client.post(
        f"/mot-cua/truc-tuyen/{submission.pk}/tiep-nhan/", {"once": "\x00' OR 1=1", "x": "a" * 10_000}
    )
    assert response.status_code == 302 and Dossier.objects.count() == 1
    for bad in ("/mot-cua/truc-tuyen/0/tiep-nhan/", "/mot-cua/truc-tuyen/99999999999/tu-choi/"):
        assert client.post(bad, {"tc-reason": "x"}).status_code == 404
