"""Issue 14 §4: a double click on a hand-off recorded ten hand-offs (ten concurrent POSTs of
one transfer: ten 302s, one transfer and nine "assign" events, nine phantom rows on the
control sheet); ten clicks on "new PIN" issued ten PINs. Every state-changing staff form now
carries a one-time token (core.once): the same token ten times at once gives one event,
and every one of the ten requests gets the same redirect.

PostgreSQL only: each request runs in its own thread with its own connection, as gunicorn's
workers do (SQLite serialises writers, so the race cannot happen there)."""

import uuid

import pytest
from django.db import connection
from django.test import Client

from core.models import FormSubmission
from motcua.models import DossierEvent, EventAction, Status
from tests.concurrency import at_once
from tests.khieunai.factories import submit_feedback

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need PostgreSQL"),
]

CLICKS = 10


def fire(user, url, data, *, times=CLICKS):
    """`times` POSTs of the same form (same one-time token) at the same moment, each from its
    own browser session and database connection; their (status, Location) pairs."""
    token = str(uuid.uuid4())
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def click(client):
        response = client.post(url, {**data, "once": token})
        return response.status_code, response.get("Location")

    return at_once([lambda c=c: click(c) for c in clients], timeout=20)


def assert_one_outcome(results):
    assert all(isinstance(r, tuple) for r in results), results
    assert {r for r in results} == {results[0]} and results[0][0] == 302, results


def test_ten_clicks_on_a_hand_off_record_one_transfer(world):  # noqa: F811
    dossier = world.dossier()
    url = f"/mot-cua/ho-so/{dossier.code}/thao-tac/transfer/"
    data = {
        "transfer-step": world.steps[0].pk,
        "transfer-recipient": world.specialist.pk,
        "transfer-note": "",
    }
    results = fire(world.reception, url, data)
    assert_one_outcome(results)
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions.count(EventAction.TRANSFER) == 1
    assert EventAction.ASSIGN not in actions
    # the control sheet has one hand-off row
    from motcua.selectors_processing import control_sheet_rows, dossier_events

    dossier.refresh_from_db()
    rows = control_sheet_rows(dossier, dossier_events(dossier))
    assert len(rows) == 1, rows


def test_ten_clicks_on_new_pin_issue_one_pin(world):  # noqa: F811
    dossier = world.dossier(status=Status.RECEIVED)
    before = dossier.pin_hash
    results = fire(world.reception, f"/mot-cua/ho-so/{dossier.code}/cap-lai-ma-tra-cuu/", {})
    assert_one_outcome(results)
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.REISSUE_PIN).count() == 1
    dossier.refresh_from_db()
    assert dossier.pin_hash != before


def test_ten_clicks_on_a_feedback_assignment_record_one(province):
    from khieunai import services
    from khieunai.models import FeedbackEvent, TriageClass
    from thutuc.models import Agency, User

    leader = User.objects.get(username="lanhdao")
    specialist = User.objects.get(username="chuyenvien")
    feedback = submit_feedback(
        Agency.objects.get(code="000.00.11.H99"),
        title="Niêm yết thiếu lệ phí",
        content="Bảng niêm yết thiếu mức lệ phí.",
    )
    services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=leader)
    data = {"assign-assignee": specialist.pk, "assign-note": "Xử lý giúp"}
    results = fire(leader, f"/khieu-nai/{feedback.code}/phan-cong/", data)
    assert_one_outcome(results)
    assert FeedbackEvent.objects.filter(feedback=feedback, action="assigned").count() == 1


def test_ten_clicks_on_a_report_export_make_one_export(province, settings, tmp_path):
    from baocao import services
    from baocao.models import ReportExport
    from thutuc.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    leader = User.objects.get(username="lanhdao")
    report = services.report_create(agency=leader.agency, year=2026, quarter=1, actor=leader)
    results = fire(leader, f"/bao-cao/quy/{report.pk}/xuat/xlsx/", {})
    assert_one_outcome(results)
    assert ReportExport.objects.count() == 1
    assert FormSubmission.objects.count() == 1


def test_a_form_shown_again_with_errors_gives_its_token_back(world, client):  # noqa: F811
    """A refusal re-renders the form: the token is not spent, the corrected form goes through."""
    dossier = world.dossier()
    client.force_login(world.reception)
    url = f"/mot-cua/ho-so/{dossier.code}/thao-tac/transfer/"
    token = str(uuid.uuid4())
    refused = client.post(url, {"once": token})  # neither step, unit nor recipient
    assert refused.status_code == 400 and not FormSubmission.objects.exists()
    data = {"transfer-step": world.steps[0].pk, "transfer-recipient": world.specialist.pk, "once": token}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert (
        again.status_code == 302
        and "Biểu mẫu này đã được gửi trước đó" in client.get(again["Location"]).content.decode()
    )
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.TRANSFER).count() == 1
