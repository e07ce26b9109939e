"""Backup and restore as docs/trust-backup.md describes it: `pg_dump -Fc` of the database,
`pg_restore` into a fresh database, the uploaded files archived and unpacked; then the
restored portal (a separate process on the restored database and files) holds the same
dossiers and answers a citizen's lookup with a PIN printed before the dump — and only with
the same SECRET_KEY (the PIN hashes are keyed with it)."""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from motcua.models import Dossier, DossierDocument, DossierEvent
from motcua.services import transitions
from tests.motcua.factories import CaseFactory, receive_at_counter, reception_officer

from .failure import ROOT, env_without_redis, libpq_env, needs_postgresql, pg_tool

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _summary(dsn_or_connection) -> list[tuple]:
    """Code, status, number of events, scanned file of every dossier: what must survive."""
    sql = (
        "SELECT d.code, d.status, count(DISTINCT e.id), coalesce(string_agg(DISTINCT f.scan, ','), '')"
        " FROM motcua_dossier d LEFT JOIN motcua_dossierevent e ON e.dossier_id = d.id"
        " LEFT JOIN motcua_dossierdocument f ON f.dossier_id = d.id AND f.scan <> ''"
        " GROUP BY d.code, d.status ORDER BY d.code"
    )
    if isinstance(dsn_or_connection, str):
        with psycopg2.connect(dsn_or_connection) as restored, restored.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        restored.close()
        return rows
    with dsn_or_connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


LOOKUP = """
import json, sys
import django
django.setup()
from django.test import Client
code, pin = sys.argv[1], sys.argv[2]
response = Client().post("/tra-cuu/", {"ma": code, "pin": pin}, REMOTE_ADDR="198.51.100.9")
found = "Quá trình giải quyết" in response.content.decode()
print(json.dumps({"status": response.status_code, "found": found}))
"""


def _lookup_in_restored_portal(database: str, media: Path, code: str, pin: str, secret_key: str) -> dict:
    db = connection.settings_dict
    env = env_without_redis(
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{database}",
        MEDIA_ROOT=str(media),
        SECRET_KEY=secret_key,
        PRODUCTION="false",
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", LOOKUP, code, pin],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dump_restore_into_a_fresh_database_and_media_archive(settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    officer = reception_officer()
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    issued = []
    for i in range(4):
        dossier, pin = receive_at_counter(officer, case, f"Lê Văn {i}", phone=f"09876543{i:02d}")
        issued.append((dossier, pin))
        paper = DossierDocument.objects.filter(dossier=dossier).first()
        paper.scan.save(f"to-khai-{i}.pdf", ContentFile(b"%PDF-1.4 scanned " + os.urandom(2048)))
    transitions.dossier_withdraw(dossier=issued[1][0], actor=officer, reason="Công dân xin rút hồ sơ")
    before = _summary(connection)
    assert len(before) == 4 and DossierEvent.objects.count() == 5
    assert {status for _code, status, _events, _scan in before} == {"received", "withdrawn"}
    media_before = _checksums(media)
    assert len(media_before) == 4

    # 1. the backup: a custom-format dump and an archive of MEDIA_ROOT
    dump, archive = tmp_path / "motcua.dump", tmp_path / "media.tar.gz"
    subprocess.run(
        [pg_tool("pg_dump"), "-Fc", "--no-owner", "-d", connection.settings_dict["NAME"], "-f", str(dump)],
        env=libpq_env(),
        check=True,
        timeout=300,
    )
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname="media")

    # 2. the restore: a fresh database, then the files into a fresh folder
    restored_db = f"motcua_restore_{uuid.uuid4().hex[:10]}"
    restored_media = tmp_path / "restored"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored_db}"')
    try:
        subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", restored_db, str(dump)],
            env=libpq_env(),
            check=True,
            timeout=300,
        )
        with tarfile.open(archive) as tar:
            tar.extractall(restored_media, filter="data")
        db = connection.settings_dict
        dsn = " ".join(
            f"{key}={value}"
            for key, value in (
                ("host", db["HOST"]),
                ("port", db["PORT"]),
                ("user", db["USER"]),
                ("password", db["PASSWORD"]),
                ("dbname", restored_db),
            )
        )

        # 3. the checks: same dossiers (codes, statuses, events, files), same files
        assert _summary(dsn) == before
        assert _checksums(restored_media / "media") == media_before
        for _code, _status, _events, scans in before:
            assert (restored_media / "media" / scans).is_file()
        # a citizen types the code and PIN of a receipt printed before the dump
        dossier, pin = issued[0]
        found = _lookup_in_restored_portal(
            restored_db, restored_media / "media", dossier.code, pin, settings.SECRET_KEY
        )
        assert found == {"status": 200, "found": True}
        wrong = _lookup_in_restored_portal(
            restored_db, restored_media / "media", dossier.code, "ZZZZZZ", settings.SECRET_KEY
        )
        assert wrong == {"status": 200, "found": False}
        # restored with another SECRET_KEY: every receipt's PIN stops working
        other_key = _lookup_in_restored_portal(
            restored_db, restored_media / "media", dossier.code, pin, "another-secret-key-" + "x" * 40
        )
        assert other_key == {"status": 200, "found": False}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')
    assert Dossier.objects.count() == 4  # the source database is untouched
