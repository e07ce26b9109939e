"""A reorganisation carried out while an officer of the ended ward works on the same dossiers
(issue 18): every dossier ends in exactly one agency, with one reorganisation event if it
moved and none if the officer finished it first. PostgreSQL only: SQLite has no row locks."""

import pytest
from django.db import connection

from core.workflow import TransitionError
from motcua.models import Dossier, DossierSuccession, EventAction, Status
from motcua.services import reorganisation as reorg
from motcua.services import transitions
from tests.concurrency import at_once, raised
from tests.motcua.test_reorganisation import merger  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_merger_and_an_officer_at_once_leave_each_dossier_in_one_agency(merger):  # noqa: F811
    ids = [d.pk for d in merger.dossiers if d.status in (Status.PROCESSING, Status.RECEIVED)]
    finished_by_officer = []

    def officer_works():
        for pk in ids:
            dossier = Dossier.objects.get(pk=pk)
            try:
                if dossier.status == Status.PROCESSING:
                    transitions.dossier_approve(dossier=dossier, actor=merger.leader)
                else:
                    transitions.dossier_transfer(dossier=dossier, actor=merger.reception, unit=merger.unit)
            except TransitionError:
                continue  # moved to the new ward first: no longer his
            finished_by_officer.append(pk)

    results = at_once(
        [lambda: reorg.apply(reorganisation=merger.decision, actor=merger.admin), officer_works]
    )
    assert raised(results) == [], results

    for dossier in Dossier.objects.filter(receiving_agency=merger.old):
        moves = dossier.events.filter(action=EventAction.REORGANISE).count()
        successions = DossierSuccession.objects.filter(dossier=dossier).count()
        assert moves == successions <= 1, dossier.code
        if moves:
            assert dossier.competent_agency == merger.new and dossier.current_unit == merger.new
        else:
            assert dossier.competent_agency == merger.old
            assert dossier.status not in (Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT)
        # never both: an officer's action after the move would have been refused
        later = dossier.events.filter(action__in=[EventAction.APPROVE, EventAction.TRANSFER])
        if moves:
            move = dossier.events.get(action=EventAction.REORGANISE)
            assert not later.filter(pk__gt=move.pk).exists(), dossier.code
    # the officer's finished dossiers stayed; every other one moved
    assert not DossierSuccession.objects.filter(
        dossier_id__in=finished_by_officer, dossier__status=Status.RESULT_READY
    ).exists()
    assert not Dossier.objects.filter(
        competent_agency=merger.old,
        status__in=(Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT),
    ).exists()
