"""Two officers clicking at once on one dossier: one event, one refusal (PostgreSQL only:
SQLite has no row locks)."""

import pytest
from django.db import connection

from motcua.models import DossierEvent, EventAction, Status
from motcua.services import transitions as t
from tests.concurrency import at_once, raised
from tests.motcua.factories import papers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_leaders_approving_at_once_give_one_event_and_one_refusal(world):
    dossier = world.dossier(processing=True)
    results = at_once([lambda: t.dossier_approve(dossier=dossier, actor=world.leader)] * 2)
    errors = raised(results)
    assert len(errors) == 1 and isinstance(errors[0], t.TransitionError), results
    assert "Đã xử lý xong" in str(errors[0])
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.APPROVE).count() == 1


def test_approve_and_supplement_request_at_once_give_one_winner(world):
    dossier = world.dossier(processing=True)
    before = DossierEvent.objects.filter(dossier=dossier).count()  # received, handed on
    results = at_once(
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
        DossierEvent.objects.filter(dossier=dossier).order_by("pk").values_list("action", flat=True)
    )
    actions = actions[before:]
    assert len(actions) == 1
    assert dossier.status == (
        Status.RESULT_READY if actions == [EventAction.APPROVE] else Status.WAITING_SUPPLEMENT
    )
