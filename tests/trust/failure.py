"""Shared pieces of the failure tests (tests/trust/test_failure_*.py): a private Redis server
that a test can stop and start, real Celery worker processes that a test can SIGKILL, and a
way to point this process's Celery app at that Redis.

Everything here starts its own processes on spare ports and ends only those, by their id:
the shared PostgreSQL server and Redis of the machine are never stopped."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, several connections, a worker process): CI runs it",
)
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server binary not installed"
)
# The marks of a test module that runs a real worker on its own Redis.
WORKER_TEST = [
    needs_postgresql,
    needs_redis_server,
    pytest.mark.worker,
    pytest.mark.isolated,
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float = 60, what: str = "condition"):
    """Poll until `condition()` is truthy (returns it); fails the test after `timeout` seconds.
    A liveness bound, not a timing assertion."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


class PrivateRedis:
    """A throwaway redis-server on a spare port (no persistence), stoppable and restartable."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, timeout=20, what="redis-server to answer")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


@contextmanager
def running_redis(workdir: Path) -> Iterator[PrivateRedis]:
    """A private Redis for the length of the block (a test file wraps it in a fixture)."""
    server = PrivateRedis(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client tool (pg_dump must not be older than the server)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    tool = str(candidates[-1]) if candidates else shutil.which(name)
    if tool is None:
        pytest.skip(f"{name} not installed (Debian package postgresql-client)")
    return tool


def libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": db["HOST"],
        "PGPORT": str(db["PORT"]),
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"],
    }


def env_without_redis(**variables: str) -> dict[str, str]:
    """This process's environment for a child portal process, without the test run's Redis
    (so no broker and no cache server: tasks run at once), `variables` set on top."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    return {**env, **variables}


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """A real `celery worker` (solo pool: one process, so SIGKILL kills the task with it)."""

    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start_worker(
    redis: PrivateRedis, tmp_path: Path, *, name: str, env: dict[str, str] | None = None
) -> Worker:
    """A worker on the private Redis (broker, results, cache) reading the test database.
    The app module `tests.trust.failure_worker_app` adds the test-only slow-down hooks."""
    log = tmp_path / f"{name}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.trust.failure_worker_app",
            "worker",
            "--pool=solo",
            "-Q",
            "celery,scans,notifications,reports",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "-n",
            f"{name}-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis.url(0),
            "CELERY_BROKER_URL": redis.url(1),
            "CELERY_RESULT_BACKEND": redis.url(2),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            **(env or {}),
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Worker(process, log)


@contextmanager
def celery_on(redis: PrivateRedis, settings) -> Iterator[None]:
    """Point this process's Celery app (the web side: `.delay()`) at the private Redis,
    not eager; restored afterwards."""
    from motcua.celery import app

    saved = {
        key: app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")
    }
    # Celery prefers the CELERY_BROKER_URL / CELERY_RESULT_BACKEND environment variables
    # (CI sets them) to any configured value: point them at the private Redis as well.
    environment = {"CELERY_BROKER_URL": redis.url(1), "CELERY_RESULT_BACKEND": redis.url(2)}
    saved_environment = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(
        broker_url=redis.url(1),
        result_backend=redis.url(2),
        task_always_eager=False,
        broker_transport_options={**(saved["broker_transport_options"] or {}), "socket_connect_timeout": 1},
    )
    _reset_connections(app)
    try:
        yield
    finally:
        for key, value in saved_environment.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        app.conf.update(saved)
        _reset_connections(app)


def _reset_connections(app) -> None:
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    # kombu keeps process-wide producer/connection pools keyed by the broker URL: a later
    # private Redis on the same spare port would get the pool closed above ("Acquire on
    # closed pool") instead of a fresh one.
    pools.reset()
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def intake_form_data(case, i: int, token: str | None = None) -> dict:
    """The counter's intake form (accept) for applicant number `i`, every paper received."""
    from tests.motcua.factories import intake_form

    return intake_form(
        case,
        token=token or f"2b0a6d1e-7c53-4d6e-9a55-0c7d8f6c{i:04d}",
        applicant_name=f"Nguyễn Văn {i}",
        applicant_phone=f"091234{i:04d}",
        applicant_email=f"nguoinop{i}@example.vn",
    )
