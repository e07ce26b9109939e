"""The database dropping every connection under load: concurrent intakes through the real
intake view while every backend of the test database is terminated (`pg_terminate_backend`,
this database only: other users of the server are untouched), several times.

Each thread plays a web server process: persistent connections with health checks
(CONN_MAX_AGE > 0, CONN_HEALTH_CHECKS, as in production) and Django's request-boundary
connection handling (`close_old_connections`, which the test client leaves out). A request
that fails is answered 500; the officer then submits the same form again (same token). In the
end every form gave exactly one complete dossier, the codes and register numbers have no gap
and the counters agree with them."""

import os
import threading
import uuid

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from motcua.models import Dossier, DossierDocument, DossierEvent, DossierSequence, EventAction, YearlySequence
from motcua.models.sequences import SequenceKind
from tests.motcua.factories import CaseFactory, reception_officer

from .failure import intake_form_data, needs_postgresql, wait_for

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
    # the forms as the officers' browsers hold them (built before the connections are killed)
    data = {i: intake_form_data(case, i, token) for i, token in forms.items()}
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
                response = client.post(INTAKE, data[i])
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
        assert retry.post(INTAKE, data[i]).status_code == 302

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


LOAD = """
import json, os, sys, time, uuid
import django
django.setup()
from django.db import close_old_connections
from django.test import Client
from motcua.models import Dossier
from thutuc.models import ProcedureCase, User
from tests.trust.failure import intake_form_data

progress, count = sys.argv[1], int(sys.argv[2])
officer = User.objects.get(pk=int(sys.argv[3]))
case = ProcedureCase.objects.get(pk=int(sys.argv[4]))
forms = [str(uuid.uuid4()) for _ in range(count)]
# the forms as the browser holds them (built before the server goes away)
data = [intake_form_data(case, i, token) for i, token in enumerate(forms)]
client, first = Client(raise_request_exception=False), []
for i, token in enumerate(forms):
    close_old_connections()
    try:
        if not first:
            client.force_login(officer)
        status = client.post("/mot-cua/tiep-nhan/", data[i]).status_code
    except Exception as exc:  # the test client itself may meet the dead server (login, session)
        status = type(exc).__name__
    close_old_connections()
    first.append(status)
    open(progress, "w").write(str(len(first)))
while not os.path.exists(progress + ".retry"):  # the officer comes back once the test says so
    time.sleep(0.1)
retry = Client()
close_old_connections()
retry.force_login(officer)
again = [retry.post("/mot-cua/tiep-nhan/", data[i]).status_code
         for i, status in enumerate(first) if status != 302]
print(json.dumps({"first": first, "again": again, "tokens": forms}))
"""


def _as_postgres(command: list[str]) -> list[str]:
    import shlex

    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)] if os.geteuid() == 0 else command


def test_intakes_survive_a_real_restart_of_a_private_cluster(tmp_path, shared_tmp_dir):
    """A real server restart (`pg_ctl restart -m fast`) of a throwaway cluster on a spare port
    (never the shared server), a copy of the test database in it, a portal process taking
    dossiers in meanwhile."""
    import json
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import psycopg2

    from .failure import ROOT, env_without_redis, free_port, libpq_env, pg_tool

    bindir = Path(pg_tool("pg_dump")).parent
    if not (bindir / "initdb").exists() or (os.geteuid() == 0 and shutil.which("su") is None):
        pytest.skip("initdb/pg_ctl of the PostgreSQL server package not found")
    officer = reception_officer()
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    dump = tmp_path / "seed.dump"
    subprocess.run(
        [
            str(bindir / "pg_dump"),
            "-Fc",
            "--no-owner",
            "-d",
            connection.settings_dict["NAME"],
            "-f",
            str(dump),
        ],
        env=libpq_env(),
        check=True,
        timeout=300,
    )
    # the `postgres` user runs the cluster: it cannot enter pytest's private folder
    cluster = shared_tmp_dir
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(cluster, "postgres", "postgres")
    data, log = cluster / "data", cluster / "server.log"
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60"]
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={cluster} -c fsync=off"
    (cluster / "pw").write_text("motcua\n")
    if os.geteuid() == 0:
        shutil.chown(cluster / "pw", "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "motcua",
                f"--pwfile={cluster / 'pw'}",
                "-A",
                "scram-sha-256",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        _as_postgres([*pg_ctl, "-o", options, "start"]), check=True, capture_output=True, timeout=120
    )
    portal = None
    env = {
        **libpq_env(),
        "PGHOST": "127.0.0.1",
        "PGPORT": str(port),
        "PGUSER": "motcua",
        "PGPASSWORD": "motcua",
    }
    try:
        subprocess.run([str(bindir / "createdb"), "motcua"], env=env, check=True, timeout=60)
        subprocess.run(
            [str(bindir / "pg_restore"), "--no-owner", "--exit-on-error", "-d", "motcua", str(dump)],
            env=env,
            check=True,
            timeout=300,
        )
        progress, count = tmp_path / "progress", 60
        worker_env = env_without_redis(
            DATABASE_URL=f"postgres://motcua:motcua@127.0.0.1:{port}/motcua",
            CONN_MAX_AGE="60",
            DJANGO_SETTINGS_MODULE="motcua.settings",
            SMS_BACKEND="core.sms.LocmemSmsBackend",
            EMAIL_URL="memorymail://",
        )
        portal = subprocess.Popen(
            [sys.executable, "-c", LOAD, str(progress), str(count), str(officer.pk), str(case.pk)],
            cwd=ROOT,
            env=worker_env,
            stdout=(tmp_path / "portal.out").open("w"),
            stderr=(tmp_path / "portal.err").open("w"),  # a pipe would fill up and block it
        )

        def done_at_least(n):
            return lambda: (
                portal.poll() is not None or (progress.exists() and int(progress.read_text() or 0) >= n)
            )

        restarts = 0
        for target in (count // 3, 2 * count // 3):
            wait_for(done_at_least(target), timeout=300, what="intakes on the private cluster")
            if portal.poll() is None:
                subprocess.run(
                    _as_postgres([*pg_ctl, "-m", "fast", "restart", "-o", options]), check=True, timeout=120
                )
                restarts += 1
        wait_for(done_at_least(count), timeout=300, what="the first round of intakes")
        Path(f"{progress}.retry").touch()
        portal.wait(timeout=600)
        assert portal.returncode == 0, (tmp_path / "portal.err").read_text()[-4000:]
        result = json.loads((tmp_path / "portal.out").read_text().strip().splitlines()[-1])
        assert restarts == 2
        assert set(result["again"]) <= {302}, result
        credentials = {"host": "127.0.0.1", "port": port, "user": "motcua", "password": "motcua"}
        with psycopg2.connect(**credentials, dbname="motcua") as db, db.cursor() as cursor:
            cursor.execute("SELECT intake_token::text, code, register_number FROM motcua_dossier")
            rows = cursor.fetchall()
            cursor.execute("SELECT count(*) FROM motcua_dossierevent WHERE action = 'receive'")
            events = cursor.fetchone()[0]
        db.close()
        assert sorted(r[0] for r in rows) == sorted(result["tokens"])  # each form once, none lost
        assert events == count
        assert sorted(int(r[1].rsplit("-", 1)[1]) for r in rows) == list(range(1, count + 1))
        assert sorted(r[2] for r in rows) == list(range(1, count + 1))
        failed = [s for s in result["first"] if s != 302]
        print(  # noqa: T201 - the figures of docs/trust-failure.md
            f"\n{count} intakes, 2 real server restarts: {count - len(failed)} succeeded first time, "
            f"{len(failed)} failed cleanly ({sorted(set(map(str, failed)))}) and were sent again: "
            "0 lost, 0 doubled"
        )
    finally:
        if portal is not None and portal.poll() is None:
            portal.kill()
            portal.wait(timeout=60)
        subprocess.run(_as_postgres([*pg_ctl, "-m", "immediate", "stop"]), capture_output=True, timeout=120)
