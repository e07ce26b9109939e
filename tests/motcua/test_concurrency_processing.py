"""Two officers clicking at once on one dossier: one event, one refusal (PostgreSQL only:
SQLite has no row locks)."""

import threading

import pytest
from django.db import connection, connections

from motcua.models import DossierEvent, EventAction, Status
from motcua.services import transitions as t
from tests.motcua.factories_processing import papers

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
        except Exception as exc:  # the refusal is the expected outcome of one of them
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_leaders_approving_at_once_give_one_event_and_one_refusal(world):
    dossier = world.dossier(status=Status.PROCESSING, current_unit=world.unit)
    results = _race([lambda: t.dossier_approve(dossier=dossier, actor=world.leader)] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], t.TransitionError), results
    assert "Đã xử lý xong" in str(errors[0])
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.APPROVE).count() == 1


def test_approve_and_supplement_request_at_once_give_one_winner(world):
    dossier = world.dossier(status=Status.PROCESSING, current_unit=world.unit)
    results = _race(
        [
            lambda: t.dossier_approve(dossier=dossier, actor=world.leader),
            lambda: t.dossier_request_supplement(
                dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
            ),
        ]
    )
    assert sum(isinstance(r, t.TransitionError) for r in results) == 1, results
    dossier.refresh_from_db()
    actions = list(
        DossierEvent.objects.filter(dossier=dossier)
        .exclude(action=EventAction.RECEIVE)
        .values_list("action", flat=True)
    )
    assert len(actions) == 1
    assert dossier.status == (
        Status.RESULT_READY if actions == [EventAction.APPROVE] else Status.WAITING_SUPPLEMENT
    )
