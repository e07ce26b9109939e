import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from . import tmp_guard

ROOT = Path(__file__).resolve().parent.parent
# The shared temporary folder as the machine has it, before the guard moves TMPDIR.
SYSTEM_TMP = Path(tempfile.gettempdir())

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (fixtures, assertions) are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a browser downloaded by Playwright (no internet here).
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    """Every write of the session stays under pytest's base temporary directory
    (tests/tmp_guard.py): a test that writes into a shared /tmp folder, the checkout or $HOME
    fails on every machine, not only on a fresh one. Installed before collection."""
    basetemp = config._tmp_path_factory.getbasetemp()
    tmp_guard.install(basetemp)
    # Hypothesis keeps its example database and caches in `.hypothesis/` of the checkout.
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(str(basetemp / "hypothesis"))


@pytest.fixture
def shared_tmp_dir():
    """A fresh folder in the machine's shared temporary directory, for a test that must hand
    a directory to another system user (pytest's own folder is private to this one); removed
    afterwards."""
    with tmp_guard.suspended():
        path = Path(tempfile.mkdtemp(prefix="motcua-test-", dir=SYSTEM_TMP))
    tmp_guard.allow(path)
    try:
        yield path
    finally:
        tmp_guard.forbid(path)
        with tmp_guard.suspended():
            shutil.rmtree(path, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    log = os.environ.get("TMP_GUARD_LOG")
    if log:
        with tmp_guard.suspended():
            Path(log).write_text("\n".join(tmp_guard.violations()) + "\n")


@pytest.fixture(autouse=True)
def _fresh_calendars():
    """Transactional tests flush the tables (TRUNCATE, no signal): start each test with no
    calendar cached by an earlier one (see thutuc.calendar_store.get_calendars)."""
    from thutuc.calendar_store import _built

    _built.clear()
    yield
    _built.clear()


@pytest.fixture(autouse=True)
def _celery_join_flag():
    """Celery keeps "a result may be awaited here" in one process-global flag that every eager
    `apply_async` sets and then restores (celery.result.denied_join_result). Two threads
    applying eagerly at once (the concurrency tests' notifications) can restore it in the
    wrong order and leave it set; every later `.get()` in this process then raises "Never
    call result.get() within a task!". No test runs inside a task: start each one unset."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded and generated files (reports, form templates, attachments) of this test only,
    # unless a wider fixture already gave them a folder of its own.
    if Path(settings.MEDIA_ROOT).resolve().is_relative_to(ROOT):
        settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "core.sms.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


def unreachable_caches() -> dict:
    """CACHES with the default cache at a Redis that does not answer (a closed loopback port)."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = unreachable_caches()


@pytest.fixture
def fresh_cache():
    """An empty cache before and after the test (the rate limits count in it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province(db):
    """The demo province (agencies, units, one user per role), without the sample
    catalogue: tests build the procedures they need (tests/thutuc has a fixture with it)."""
    from thutuc import demo

    demo.seed(catalogue=False)
    return demo


@pytest.fixture
def world(province):
    """The demo province with one procedure (Đăng ký khai sinh, its papers and fee, 5 working
    days) received at the one-stop centre and routed Phòng Hành chính tư pháp → Sở Tư pháp,
    one of the other department decided there (`other_case`), and the demo officers.
    `world.dossier(...)` is DossierFactory (tests/motcua/factories.py) for the first one,
    received at the centre."""
    from types import SimpleNamespace

    from tests.motcua.factories import CaseFactory, DossierFactory, StepFactory
    from thutuc.catalogue.versions import case_version_for
    from thutuc.models import Agency, ProcedureLevel, User
    from thutuc.models.catalogue import StepRole

    centre = Agency.objects.get(code="000.00.06.H99")
    department = Agency.objects.get(code="000.00.11.H99")
    unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
    other_department = Agency.objects.get(code="000.00.20.H99")
    case = CaseFactory(
        procedure__name="Đăng ký khai sinh",
        procedure__competent_agency=department,
        procedure__level=ProcedureLevel.PROVINCE,
        processing_time=5,
    )
    # a procedure of the other department, received and decided there (no routing steps)
    other_case = CaseFactory(
        procedure__name="Cấp bản sao trích lục hộ tịch",
        procedure__competent_agency=other_department,
        processing_time=5,
        documents=[],
        fees=[],
    )
    StepFactory(case=case, name="Thẩm định hồ sơ", agency=unit, role=StepRole.SPECIALIST)
    StepFactory(
        case=case, name="Phê duyệt kết quả", agency=None, role=StepRole.LEADER, allotted_time=1
    )
    users = {u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien", "lanhdao"])}
    # A dossier is routed along its own frozen copy of the steps (its case version): the steps
    # the tests hand it along are those, the same for every dossier of this case.
    route = case_version_for(case=case, channel="direct")

    def dossier(**kwargs):
        kwargs.setdefault("case", case)
        if "receiving_agency" not in kwargs:
            kwargs.update(receiving_agency=centre, received_by=kwargs.get("received_by", users["tiepnhan"]))
        return DossierFactory(**kwargs)

    return SimpleNamespace(
        centre=centre,
        department=department,
        unit=unit,
        other_department=other_department,
        case=case,
        other_case=other_case,
        steps=list(route.steps.order_by("order")),
        reception=users["tiepnhan"],
        specialist=users["chuyenvien"],
        leader=users["lanhdao"],
        dossier=dossier,
    )


@pytest.fixture
def login(client):
    def _login(username):
        from thutuc.models import User

        user = User.objects.get(username=username)
        client.force_login(user)
        return user

    return _login


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery worker` process on a private queue, reading the test database."""
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not broker or not broker.startswith("redis"):
        pytest.skip("no Redis broker configured (set REDIS_URL or CELERY_BROKER_URL; CI does)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker is a separate process: it needs a server database, not SQLite")
    db = connection.settings_dict
    env = {
        **os.environ,
        # the worker must read the test database this test writes to
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    queue = f"test-{os.getpid()}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "motcua",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from motcua.celery import app

    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
