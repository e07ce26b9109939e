"""Hostile input to the online inbox's forms (/mot-cua/truc-tuyen/<pk>/…): the supplement
request, the refusal and the acceptance. An invalid post saves nothing and says why in
Vietnamese next to the field; a valid one decides the filing whole."""

import pytest
from hypothesis import given

from motcua.models import Dossier, DossierEvent, IntakeAttempt, OnlineSource, OnlineSubmission, Status
from motcua.services.intake import Applicant, ReceivedDocument
from motcua.services.online import online_submission_record
from thutuc.models import Agency

from .fuzz import check_change
from .fuzz_strategies import examples, mutation

MODELS = [Dossier, DossierEvent, IntakeAttempt]


@pytest.fixture
def waiting(intake_case):
    case, centre = intake_case, Agency.objects.get(code="000.00.06.H99")
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


# decision → (form prefix, form in the context, valid values, kinds beyond the papers' boxes)
DECISIONS = {
    "bo-sung": (
        "bs",
        "supplement_form",
        {"missing_other": "Ảnh 4x6", "reason": "Thiếu"},
        {"missing_other": "text"},
    ),
    "tu-choi": ("tc", "refuse_form", {"reason": "Sai thẩm quyền"}, {}),
}


@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_forms_survive_hostile_values(waiting, client, decision):
    """The supplement slip (ticks of the case's papers, other papers, reason) and the refusal."""
    case, make = waiting
    prefix, form_key, valid, kinds = DECISIONS[decision]
    if decision == "bo-sung":
        kinds = {**kinds, **{f"missing_{p.pk}": "bool" for p in case.documents.all()}}
    kinds = {**kinds, "reason": "text"}

    @examples(30)
    @given(change=mutation(kinds))
    def run(change):
        submission = make()
        response = check_change(
            client,
            f"/mot-cua/truc-tuyen/{submission.pk}/{decision}/",
            valid,
            change,
            kinds=kinds,
            prefix=prefix,
            models=MODELS,
            state=_state(submission),
            on_success=_decided,
            form_key=form_key,
        )
        if response.status_code != 302:
            assert OnlineSubmission.objects.get(pk=submission.pk).status == Status.SUBMITTED_ONLINE

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
