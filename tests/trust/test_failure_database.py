"""The database dropping every connection under load: concurrent intakes through the real
intake view while every backend of the test database is terminated (`pg_terminate_backend`,
this database only: other users of the server are untouched), several times.

Each thread plays a web server process: persistent connections with health checks
(CONN_MAX_AGE > 0, CONN_HEALTH_CHECKS, as in production) and Django's request-boundary
connection handling (`close_old_connections`, which the test client leaves out). A request
that fails is answered 500; the officer then submits the same form again (same token). In the
end every form gave exactly one complete dossier, the codes and register numbers have no gap
and the counters agree with them."""

import threading
import uuid

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from motcua.models import Dossier, DossierDocument, DossierEvent, DossierSequence, EventAction, YearlySequence
from motcua.models.sequences import SequenceKind
from tests.motcua.factories import CaseFactory, reception_officer

from .conftest_failure import intake_form_data, needs_postgresql, wait_for

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]

INTAKE = "/mot-cua/tiep-nhan/"
THREADS = 6
PER_THREAD = 15
KILLS = 3


def _terminate_other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_intakes_survive_connections_killed_under_load(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    officer = reception_officer()
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    papers = case.documents.count()
    forms = {i: str(uuid.uuid4()) for i in range(THREADS * PER_THREAD)}
    outcomes: dict[int, list[int]] = {i: [] for i in forms}
    done = []
    unexpected: list[BaseException] = []

    def counter(thread_no: int) -> None:
        client = Client(raise_request_exception=False)
        try:
            close_old_connections()
            client.force_login(officer)
            for i in range(thread_no * PER_THREAD, (thread_no + 1) * PER_THREAD):
                close_old_connections()  # what the WSGI handler does at request_started
                response = client.post(INTAKE, intake_form_data(case, i, forms[i]))
                close_old_connections()  # … and at request_finished
                outcomes[i].append(response.status_code)
                done.append(i)
        except BaseException as exc:  # force_login itself may meet a killed connection
            unexpected.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=counter, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    killed = []
    for round_no in range(1, KILLS + 1):
        # terminate at a quarter, half and three quarters of the load (progress, not time)
        target = len(forms) * round_no // (KILLS + 1)
        wait_for(lambda t=target: len(done) >= t or not any(th.is_alive() for th in threads), timeout=300)
        killed.append(_terminate_other_backends())
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert unexpected == [], unexpected
    assert sum(killed) > 0, "no backend was terminated: the load ended too early"

    first_try = [codes[0] for codes in outcomes.values()]
    # A clean error: 500 (the view's query failed), or 400 when only the session could not be
    # saved at the end of the request (Django's SessionInterrupted) — the dossier committed.
    assert set(first_try) <= {302, 400, 500}, first_try
    failed = [i for i, codes in outcomes.items() if codes[0] != 302]
    committed_anyway = Dossier.objects.filter(intake_token__in=[forms[i] for i in failed]).count()
    # The officer submits the failed forms again: a new dossier, or the one that did commit
    # before the connection died (the token says so) — never a second one.
    retry = Client()
    retry.force_login(officer)
    for i in failed:
        assert retry.post(INTAKE, intake_form_data(case, i, forms[i])).status_code == 302

    dossiers = Dossier.objects.filter(receiving_agency=officer.agency)
    assert dossiers.count() == len(forms)
    assert sorted(str(t) for t in dossiers.values_list("intake_token", flat=True)) == sorted(forms.values())
    # nothing half-saved: every dossier has its papers and its one intake event
    assert DossierDocument.objects.filter(dossier__in=dossiers).count() == papers * len(forms)
    assert DossierEvent.objects.filter(dossier__in=dossiers, action=EventAction.RECEIVE).count() == len(forms)
    # codes and register numbers without a gap, and the counters in step with them
    codes = list(dossiers.values_list("code", flat=True))
    assert len(set(codes)) == len(forms)
    by_day: dict[str, list[int]] = {}
    for code in codes:
        prefix, number = code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append(int(number))
    for prefix, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), prefix
    counters = DossierSequence.objects.filter(agency=officer.agency).values_list("last_number", flat=True)
    assert sum(counters) == len(forms)
    registers = sorted(dossiers.values_list("register_number", flat=True))
    assert registers == list(range(1, len(forms) + 1))
    register_counter = YearlySequence.objects.get(agency=officer.agency, kind=SequenceKind.REGISTER)
    assert register_counter.last_number == len(forms)
    print(  # noqa: T201 - the figures of docs/trust-failure.md
        f"\n{len(forms)} intakes, {THREADS} threads, {len(killed)} kills ({sum(killed)} backends): "
        f"{len(forms) - len(failed)} succeeded first time, {len(failed)} failed cleanly "
        f"({first_try.count(500)} × 500, {first_try.count(400)} × 400; {committed_anyway} of them had "
        "committed before the connection died) and were sent again with the same form: 0 lost, 0 doubled"
    )
