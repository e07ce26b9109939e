"""`manage.py bench` end to end on a small scale, so that the command cannot rot.
(Speed is measured by the command itself, never asserted here.)"""

import json
import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_bench_runs_every_measurement_on_its_own_database(tmp_path, monkeypatch, capfd):
    if connection.vendor == "postgresql":
        url = os.environ["DATABASE_URL"]
        parts = urlsplit(url)
        bench_url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_benchtest"))
        dossiers = 20_000
    else:
        bench_url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        dossiers = 2_000
    monkeypatch.setenv("BENCH_DATABASE_URL", bench_url)
    report_path = tmp_path / "bench.json"
    call_command("bench", dossiers=dossiers, samples=5, intake=20, catalogue=60, json_path=str(report_path))
    out = capfd.readouterr().out  # the measurements run in a child process
    report = json.loads(report_path.read_text(encoding="utf-8"))
    names = [f["name"] for f in report["scales"][-1]["figures"]]
    prefixes = ("1.", "1b.", "1c.", "2.", "3.", "4.", "5.", "5b.", "6.", "6b.", "6c.", "7.")
    later = ("8.", "8a.", "8b.", "8c.", "8d.", "9.", "9b.", "10.", "10b.", "11.", "11b.", "11c.")
    for prefix in (*prefixes, *later):
        assert any(name.startswith(prefix) for name in names), prefix
    assert report["scales"][-1]["dossiers"] == dossiers
    figures = {f["name"][:2]: f for f in report["scales"][-1]["figures"]}
    assert figures["2."]["queries"] > 0 and figures["3."]["queries"] > 0 and figures["4."]["queries"] > 0
    assert "tra cứu hồ sơ" in out
    # the staff search (issue 13 §1): name, phone, code tail, each beside its index floor
    search = {f["name"].split(" ", 1)[0]: f for f in report["scales"][-1]["figures"]}
    for number, floor in (("8.", "8b."), ("8a.", "8b."), ("8c.", "8d."), ("9.", "9b."), ("10.", "10b.")):
        assert search[number]["floor"] == search[floor]["name"] and search[number]["queries"] > 0
        assert search[number]["p95_ms"] > 0 and search[floor]["p95_ms"] > 0
    assert search["8b."]["extra"]["matches_mean"] > 0  # the names searched do exist
    assert search["8d."]["extra"]["matches_mean"] > 0
    assert "tìm hồ sơ theo họ tên" in out
    # the online inbox (issue 16): a page of waiting filings, and their scan
    online = search["11."]
    assert online["queries"] > 0 and online["p95_ms"] > 0 and "hồ sơ chờ kiểm tra" in online["note"]
    # the public dashboard (issue 20): cold (the index computed) and cached, the latter cheaper
    cold, cached = search["13."], search["13b."]
    assert cold["p95_ms"] > 0 and cached["p95_ms"] > 0 and cached["queries"] < cold["queries"]
    assert "trang công khai /cong-khai/" in out
    # the real catalogue (issue 17): imported and searched, or said not to have run
    assert any(name.startswith(("12. nhập danh mục 60 thủ tục", "12. danh mục thật")) for name in names)
    # the register book as PDF (issue 21): 1,000 rows of the busiest counter, or said why not
    register = next(f for f in report["scales"][-1]["figures"] if f["name"].startswith("7b."))
    assert register.get("median_ms", 0) > 0 or "không chạy" in register["note"]
    # issue 21's targets: one line each, met or missed, and the same in the JSON
    keys = {t["key"] for t in report["targets"]}
    assert {"logged_in_floor", "lookup", "worklist", "intake", "receipt_pdf", "incremental_scan"} <= keys
    for target in report["targets"]:
        if target["met"] is not None:
            assert target["value"] > 0
            value, limit = target["value"], target["limit"]
            assert target["met"] == (value >= limit if target["key"] == "intake" else value <= limit)
    assert "Mục tiêu (issue 21)" in out and ("ĐẠT" in out or "CHƯA ĐẠT" in out)
    # the user's database was not touched: the bench data live elsewhere
    from motcua.models import Dossier

    assert Dossier.objects.count() == 0


def test_bench_refuses_sqlite_above_fifty_thousand(tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    with pytest.raises(CommandError, match="SQLite"):
        call_command("bench", dossiers=60_000)


def test_the_bench_is_a_development_tool_absent_from_production():
    """Issue 15: the benchmark is installed in development and CI (this test suite runs it),
    never in the production configuration, where `manage.py bench` does not exist."""
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    assert "bench" in settings.INSTALLED_APPS
    root = Path(__file__).resolve().parents[2]
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        SECRET_KEY="x7#kq!p2v9$z4m@w8r1t6y3u0i5o-l_a^s&d*f(g)h+j=k~QWERTY",
        DATABASE_URL="sqlite:///:memory:",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp://mail.internal:25",
    )
    production = subprocess.run(
        [sys.executable, "manage.py", "bench", "--dossiers", "10"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert production.returncode != 0
    assert "Unknown command: 'bench'" in production.stderr
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print('bench' in settings.INSTALLED_APPS)"
    )
    installed = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert installed.stdout.split() == ["False"], installed.stderr
