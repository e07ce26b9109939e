"""Two reception officers deciding one online filing at once (PostgreSQL only: SQLite has no
row locks): one decision, one dossier or one slip, one refusal."""

import threading

import pytest
from django.db import connection, connections

from core.workflow import TransitionError
from motcua.models import Dossier, IntakeAttempt, OnlineSource, Status
from motcua.services import online
from motcua.services.intake import Applicant, ReceivedDocument
from tests.factories import UserFactory
from thutuc.accounts.roles import Role
from thutuc.models import Agency, User

from .factories import CaseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the refusal is the expected outcome of all but one
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_accept_and_refuse_at_once_give_one_decision(province):
    centre = Agency.objects.get(code="000.00.06.H99")
    case = CaseFactory()
    case.procedure.receiving_agencies.add(centre)
    first = User.objects.get(username="tiepnhan")
    second = UserFactory(username="tiepnhan2", agency=centre, roles=[Role.RECEPTION])
    submission = online.online_submission_record(
        agency=centre,
        procedure=case.procedure,
        case=case,
        applicant=Applicant(name="Trần Thị Bình"),
        documents=[ReceivedDocument(name=d.name, procedure_document_id=d.pk) for d in case.documents.all()],
        national_portal_code="G22.99-261201-0099",
        source=OnlineSource.PORTAL,
    )
    results = _race(
        [
            lambda: online.online_submission_accept(submission=submission, actor=first),
            lambda: online.online_submission_refuse(submission=submission, actor=second, reason="Trùng"),
            lambda: online.online_submission_accept(submission=submission, actor=second),
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 2 and all(isinstance(e, TransitionError) for e in errors), results
    submission.refresh_from_db()
    assert submission.status in (Status.RECEIVED, Status.NOT_ACCEPTED)
    assert Dossier.objects.count() + IntakeAttempt.objects.count() == 1


def test_the_same_filing_recorded_twice_at_once_waits_once(province):
    centre = Agency.objects.get(code="000.00.06.H99")
    case = CaseFactory()
    case.procedure.receiving_agencies.add(centre)

    def record():
        return online.online_submission_record(
            agency=centre,
            procedure=case.procedure,
            case=case,
            applicant=Applicant(name="Trần Thị Bình"),
            documents=[],
            national_portal_code="G22.99-261201-0100",
            source=OnlineSource.PORTAL,
        )

    results = _race([record] * 4)
    from django.core.exceptions import ValidationError

    assert sum(isinstance(r, ValidationError) for r in results) == 3, results
