"""python manage.py bench [--dossiers N] [--scales a,b] [--json FILE] [--samples N]

Measures the portal on its own database (BENCH_DATABASE_URL, or <name>_bench beside the
configured one), never the user's data. The outer process prepares that database and runs
the measurements in a child process whose DATABASE_URL points at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

SQLITE_LIMIT = 50_000
# p95 goals of the staff search (name, phone) by database (issue 13 §1)
SEARCH_GOALS = {"postgresql": 50.0, "sqlite": 200.0}

TARGETS = {
    # figure name prefix -> (ratio limit of p95 to its floor, description)
    "2.": (1.5, "p95 ≤ 1,5 × sàn"),
    "3.": (2.0, "p95 ≤ 2 × sàn"),
    "4.": (1.3, "p95 ≤ 1,3 × sàn SQL"),
    "5.": (2.0, "p95 ≤ 2 × sàn"),
    "5d.": (2.0, "p95 ≤ 2 × sàn 5b"),
}


def bench_database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        if name in ("", ":memory:") or name.startswith("file:"):
            name = str(Path(settings.BASE_DIR) / "db.sqlite3")
        return f"sqlite:///{Path(name).with_name(Path(name).stem + '_bench.sqlite3')}"
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_bench"))
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}_bench"


def ensure_postgres_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


class Command(BaseCommand):
    help = "Đo hiệu năng cổng một cửa trên cơ sở dữ liệu riêng (PostgreSQL), so với mức sàn."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1_000_000, help="số hồ sơ lớn nhất")
        parser.add_argument("--scales", default="", help="các mức đo, ví dụ 100000,1000000")
        parser.add_argument("--json", dest="json_path", default="", help="ghi kết quả ra tệp JSON")
        parser.add_argument(
            "--samples", type=int, default=200, help="số lần đo mỗi chỉ số (≥ 200 cho số liệu thật)"
        )
        parser.add_argument(
            "--intake", type=int, default=1000, help="số hồ sơ tiếp nhận khi đo tốc độ tiếp nhận"
        )
        parser.add_argument(
            "--catalogue",
            type=int,
            default=2600,
            help="số thủ tục thật nhập khi đo nhập danh mục và tìm thủ tục (0: bỏ qua)",
        )
        parser.add_argument("--inner", action="store_true", help="(nội bộ) chạy phép đo trong tiến trình con")

    def handle(self, *args, dossiers, scales, json_path, samples, intake, catalogue, inner, **options):
        scale_list = (
            sorted({int(s) for s in scales.split(",") if s.strip()} | {dossiers}) if scales else [dossiers]
        )
        if inner:
            return self.run_inner(scale_list, json_path, samples, intake, catalogue)
        url = bench_database_url()
        if url.startswith("sqlite") and max(scale_list) > SQLITE_LIMIT:
            raise CommandError(
                f"SQLite chỉ dùng cho lượt đo đến {SQLITE_LIMIT:,} hồ sơ; hãy đặt DATABASE_URL hoặc "
                "BENCH_DATABASE_URL trỏ tới PostgreSQL."
            )
        if url.startswith("postgres"):
            ensure_postgres_database(url)
        self.stdout.write(
            f"Cơ sở dữ liệu đo: {urlsplit(url)._replace(netloc=urlsplit(url).hostname or '').geturl()}"
        )
        redis_url = os.environ.get("BENCH_REDIS_URL", "")
        cache_name = f"Redis {urlsplit(redis_url).path}" if redis_url else "bộ nhớ trong tiến trình"
        self.stdout.write(f"Bộ nhớ đệm: {cache_name}")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CELERY_TASK_ALWAYS_EAGER": "true",
            # messages handed to the broker (intake, scan) stay in memory: no worker runs
            "CELERY_BROKER_URL": "memory://",
            "CELERY_RESULT_BACKEND": "cache+memory://",
            # the cache (and so the sessions, the access and rate-limit entries): Redis as in
            # production when BENCH_REDIS_URL names a database for it, else in-process memory
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
            "SECURE_SSL_REDIRECT": "false",
            "DEBUG": "false",
        }
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench",
            "--inner",
            "--dossiers",
            str(dossiers),
            "--samples",
            str(samples),
            "--intake",
            str(intake),
            "--catalogue",
            str(catalogue),
        ]
        if scales:
            command += ["--scales", scales]
        if json_path:
            command += ["--json", str(Path(json_path).resolve())]
        result = subprocess.run(command, env=env, cwd=settings.BASE_DIR)
        if result.returncode:
            raise CommandError(f"lượt đo thất bại (mã {result.returncode})")

    # --- the child process -----------------------------------------------------------------
    def run_inner(self, scales: list[int], json_path: str, samples: int, intake: int, catalogue: int):
        import logging
        import time

        from django.core.management import call_command
        from django.test.utils import override_settings

        from bench import cases, seed
        from motcua.models import Dossier

        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        logging.getLogger("motcua.notifications").setLevel(logging.WARNING)
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        seed.ensure_reference_data()
        report = {"samples": samples, "scales": []}
        for scale in scales:
            t0 = time.monotonic()
            added = seed.seed_dossiers(scale, stdout=self.stdout)
            seeding = time.monotonic() - t0
            present = Dossier.objects.count()
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"\n== {scale:,} hồ sơ (nạp thêm {added:,} trong {seeding:.1f} s)")
            )
            if present > scale * 1.05:
                # a database kept from a larger run: the figures are those of `present`
                self.stdout.write(
                    self.style.WARNING(
                        f"Lưu ý: cơ sở dữ liệu đo đã có {present:,} hồ sơ; hãy dùng BENCH_DATABASE_URL mới "
                        "để đo đúng mức này."
                    )
                )
            with override_settings(
                ROOT_URLCONF="bench.urls",
                SECURE_SSL_REDIRECT=False,
                DEBUG=False,
                # intake notifies applicants: keep those messages in memory, never send them
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                SMS_BACKEND="core.sms.LocmemSmsBackend",
            ):
                figures = cases.run_all(samples=samples, intake=intake, catalogue=catalogue)
            self.print_table(figures)
            report["scales"].append(
                {"dossiers": scale, "seeding_s": round(seeding, 1), "figures": [f.as_dict() for f in figures]}
            )
        self.compare_scales(report)
        self.print_targets(report)
        report["total_s"] = round(time.monotonic() - started, 1)
        self.stdout.write(f"\nTổng thời gian: {report['total_s']} s")
        if json_path:
            Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    def print_table(self, figures):
        by_name = {f.name: f for f in figures}
        header = (
            f"{'chỉ số':<44} {'trung vị ms':>11} {'p95 ms':>9} {'tỉ lệ p95':>9} {'truy vấn':>8}  mục tiêu"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for f in figures:
            ratio = ""
            target = ""
            if f.floor and f.floor in by_name and f.p95_ms and by_name[f.floor].p95_ms:
                value = f.p95_ms / by_name[f.floor].p95_ms
                f.extra["ratio_p95"] = round(value, 2)
                ratio = f"{value:.2f}×"
                limit = next((t for prefix, t in TARGETS.items() if f.name.startswith(prefix)), None)
                if limit:
                    target = ("đạt " if value <= limit[0] else "CHƯA ĐẠT ") + limit[1]
            base = by_name.get(f.extra.get("base_floor", ""))
            if base is not None and f.p95_ms and base.p95_ms:
                # information only: the ratio to a page extending base.html (1b/1c)
                f.extra["ratio_p95_base"] = round(f.p95_ms / base.p95_ms, 2)
                f.note = f"(p95 = {f.extra['ratio_p95_base']:.2f}× sàn {base.name[:3]}) {f.note}".strip()
            if f.median_ms is None and f.rate_per_s is None:  # a measurement that did not run
                self.stdout.write(f"{f.name:<44} {f.note}")
                continue
            if f.rate_per_s is not None:
                self.stdout.write(f"{f.name:<44} {f.rate_per_s:>11.0f} hồ sơ/giây {f.note}")
                continue
            if f.name.startswith("7.") and f.p95_ms is not None:
                target = ("đạt " if f.median_ms <= 150 else "CHƯA ĐẠT ") + "≤ 150 ms (ấm)"
            goal = SEARCH_GOALS.get(connection.vendor)
            if f.name.startswith(("8.", "8a.", "8c.", "9.")) and f.p95_ms is not None and goal:
                # the staff search: an absolute p95 goal (issue 13 §1)
                target = ("đạt " if f.p95_ms <= goal else "CHƯA ĐẠT ") + f"p95 ≤ {goal:.0f} ms"
            queries = "" if f.queries is None else str(f.queries)
            self.stdout.write(
                f"{f.name:<44} {f.median_ms:>11.2f} {f.p95_ms:>9.2f} {ratio:>9} {queries:>8}"
                f"  {target} {f.note}"
            )

    def print_targets(self, report):
        """One line per target of issue 21 and scale (met / missed), kept in the JSON too."""
        from bench import targets

        results = [r for scale in report["scales"] for r in targets.evaluate(scale)]
        grown = targets.growth(report)
        if grown is not None:
            results.append(grown)
        report["targets"] = targets.as_json(results)
        self.stdout.write(self.style.MIGRATE_HEADING("\nMục tiêu (issue 21):"))
        for dossiers in sorted({r.dossiers for r in results}):
            self.stdout.write(f" {dossiers:,} hồ sơ:")
            for result in results:
                if result.dossiers == dossiers:
                    self.stdout.write(result.line())
        missed = sum(1 for r in results if r.met is False)
        measured = sum(1 for r in results if r.met is not None)
        unmeasured = len(results) - measured
        self.stdout.write(f" {measured - missed} đạt / {missed} chưa đạt / {unmeasured} không đo được")

    def compare_scales(self, report):
        if len(report["scales"]) < 2:
            return
        first, last = report["scales"][0], report["scales"][-1]
        for name in [f["name"] for f in last["figures"] if f["name"].startswith("3.")]:
            a = next((f for f in first["figures"] if f["name"] == name), None)
            b = next((f for f in last["figures"] if f["name"] == name), None)
            if a and b and a.get("p95_ms"):
                growth = b["p95_ms"] / a["p95_ms"]
                report["worklist_growth"] = round(growth, 2)
                verdict = "đạt" if growth <= 1.2 else "CHƯA ĐẠT"
                self.stdout.write(
                    f"\nDanh sách công việc: p95 {first['dossiers']:,} → {last['dossiers']:,} hồ sơ: "
                    f"{growth:.2f}× ({verdict} ≤ 1,2×)"
                )
