"""The production smoke (.ci/smoke.py) reads docker-compose.yml and the Dockerfile: these tests
check that it reads them right, and that compose still starts what the code needs. The smoke
itself (real processes, over HTTP) runs in CI after the tests: `make smoke`."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_smoke():
    spec = importlib.util.spec_from_file_location("ci_smoke", ROOT / ".ci" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ci_smoke"] = module  # dataclasses resolve their annotations through it
    spec.loader.exec_module(module)
    return module


smoke = _load_smoke()


@pytest.fixture(scope="module")
def compose():
    return smoke.load_compose()


@pytest.fixture(scope="module")
def services(compose):
    return {s.name: s for s in smoke.application_services(compose, smoke.dockerfile_cmd())}


def test_the_smoke_starts_every_service_built_from_the_checkout(compose, services):
    built = {name for name, spec in compose["services"].items() if "build" in spec}
    assert set(services) == built
    assert {"web", "worker", "worker-notifications", "worker-reports", "beat", "migrate"} <= built
    assert [name for name, s in services.items() if s.one_off] == ["migrate"]
    # web has no command: the image's CMD, gunicorn configured by gunicorn.conf.py
    assert services["web"].argv == smoke.dockerfile_cmd() == ["gunicorn", "motcua.wsgi:application"]
    assert services["migrate"].argv == ["python", "manage.py", "migrate", "--noinput"]
    assert services["beat"].argv[:4] == ["celery", "-A", "motcua", "beat"]
    for name in ("worker", "worker-notifications", "worker-reports"):
        assert services[name].healthcheck[:2] == ["sh", "-c"]
        assert "inspect ping" in services[name].healthcheck[2]
    assert smoke.infrastructure(compose) == {"db": "postgres", "redis": "redis"}


def test_compose_workers_consume_every_queue_the_code_routes_to(services):
    """A task routed to a queue no compose worker listens to would wait for ever in
    production (motcua/celery.py TASK_ROUTES)."""
    from motcua.celery import QUEUES, TASK_ROUTES

    consumed = set()
    for service in services.values():
        argv = service.argv
        if argv[:4] == ["celery", "-A", "motcua", "worker"]:
            consumed |= set(argv[argv.index("-Q") + 1].split(","))
    assert consumed == set(QUEUES)
    assert {route["queue"] for route in TASK_ROUTES.values()} <= consumed


def test_the_image_collects_static_files_at_build_time():
    env, argv = smoke.dockerfile_collectstatic()
    assert argv == ["python", "manage.py", "collectstatic", "--noinput"]
    assert set(env) == {"SECRET_KEY", "DATABASE_URL"}
    assert smoke.dockerfile_env()["PYTHONUNBUFFERED"] == "1"


def test_compose_addresses_and_paths_become_this_machines(compose, services, tmp_path):
    localiser = smoke.Localiser(
        compose=compose,
        scratch=tmp_path,
        servers={
            "postgres": "postgres://smoke:pw@127.0.0.1:54399/motcua_smoke_x",
            "redis": "redis://127.0.0.1:63999/15",
        },
        port=41234,
    )
    env = smoke.service_environment(
        services["web"],
        base={"PATH": "/usr/bin"},
        image_env={"PYTHONUNBUFFERED": "1"},
        env_file_values={".env": {"SECRET_KEY": "k", "REDIS_URL": "ignored: compose's environment wins"}},
        localiser=localiser,
    )
    assert env["DATABASE_URL"] == "postgres://smoke:pw@127.0.0.1:54399/motcua_smoke_x"
    assert env["REDIS_URL"] == "redis://127.0.0.1:63999/15"
    assert env["MEDIA_ROOT"] == str(tmp_path / "volumes" / "media")  # the compose volume "media"
    assert (env["SECRET_KEY"], env["PYTHONUNBUFFERED"], env["PATH"]) == ("k", "1", "/usr/bin")
    beat = smoke.localise_argv(services["beat"].argv, localiser)
    assert beat[beat.index("--schedule") + 1] == str(tmp_path / "tmp" / "celerybeat-schedule")
    assert localiser.value("sqlite:////tmp/build.sqlite3") == f"sqlite:///{tmp_path}/tmp/build.sqlite3"
    assert localiser.value("/app/manage.py") == str(ROOT / "manage.py")
    assert (
        localiser.shell("curl -fsS http://127.0.0.1:8000/healthz")
        == "curl -fsS http://127.0.0.1:41234/healthz"
    )
    with pytest.raises(smoke.SmokeFailure, match="cannot stand in"):
        localiser.value("http://web:8000/")
    with pytest.raises(smoke.SmokeFailure, match="env_file"):
        smoke.service_environment(
            services["web"], base={}, image_env={}, env_file_values={}, localiser=localiser
        )


@pytest.mark.parametrize(
    ("value", "variables", "expected"),
    [
        ("postgres://motcua:${POSTGRES_PASSWORD:-motcua}@db/x", {}, "postgres://motcua:motcua@db/x"),
        (
            "postgres://motcua:${POSTGRES_PASSWORD:-motcua}@db/x",
            {"POSTGRES_PASSWORD": ""},
            "postgres://motcua:motcua@db/x",
        ),
        ("${A-d}/${A:-d}", {"A": ""}, "/d"),
        ("pw=${POSTGRES_PASSWORD:-motcua}", {"POSTGRES_PASSWORD": "s3"}, "pw=s3"),
        ("ping -d scans@$$HOSTNAME", {"HOSTNAME": "h"}, "ping -d scans@$HOSTNAME"),
        ("$HOME/x", {"HOME": "/h"}, "/h/x"),
    ],
)
def test_compose_interpolation(value, variables, expected):
    assert smoke.interpolate(value, variables) == expected


def test_the_operators_env_file_is_env_example_with_the_readme_variables_set(tmp_path):
    text = smoke.operator_env_file(port=41234, scratch=tmp_path, extra={"GUNICORN_WORKERS": "2"})
    example = smoke.read_env_file((ROOT / ".env.example").read_text(encoding="utf-8"))
    values = smoke.read_env_file(text)
    assert set(values) == set(example)
    changed = {key for key in values if values[key] != example[key]}
    assert changed == {"SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "PUBLIC_BASE_URL", "GUNICORN_WORKERS"}
    assert len(values["SECRET_KEY"]) >= 50
    assert values["EMAIL_URL"] == f"filemail:///{tmp_path}/mail"
    assert values["PUBLIC_BASE_URL"] == "https://127.0.0.1:41234"
    with pytest.raises(smoke.SmokeFailure, match="does not document SMOKE_ONLY"):
        smoke.operator_env_file(port=1, scratch=tmp_path, extra={"SMOKE_ONLY": "1"})


def test_env_file_reading_follows_compose():
    assert smoke.read_env_file('# c\n\nA=1\nexport B="two words"\nC=\nD=x=y\nnot a line\n') == {
        "A": "1",
        "B": "two words",
        "C": "",
        "D": "x=y",
    }


FORM = """
<form method="post" class="f"><input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="hidden" name="token" value="1b4e28ba-2fa1-11d2-883f-0016d3cca427">
  <input name="name"><input type="email" name="mail" value="a@b.c" disabled>
  <input type="checkbox" name="doc_1"><input type="checkbox" name="doc_2" checked>
  <input type="radio" name="kind" value="person" checked><input type="radio" name="kind" value="org">
  <select name="channel"><option value="direct">Trực tiếp</option>
    <option value="post" selected>Bưu chính</option></select>
  <textarea name="reason">
Lý do</textarea><input type="file" name="scan">
  <button type="submit" name="action" value="accept">Tiếp nhận</button>
  <button type="submit" name="action" value="refuse">Từ chối</button>
</form>"""


def test_a_form_is_sent_as_a_browser_sends_it():
    response = smoke.Response(200, {}, FORM.encode(), "/mot-cua/tiep-nhan/?thu_tuc=1.001193")
    (form,) = smoke.forms_of(response)
    assert form.page == "/mot-cua/tiep-nhan/?thu_tuc=1.001193"
    assert form.values(button="action=refuse") == [
        ("csrfmiddlewaretoken", "tok"),
        ("token", "1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        ("name", ""),
        ("doc_2", "on"),
        ("kind", "person"),
        ("channel", "post"),
        ("reason", "Lý do"),
        ("action", "refuse"),
    ]
    assert "doc_1" in form.field_names() and "mail" in form.field_names()


def test_the_smoke_is_wired_into_make_and_ci():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^smoke: venv\n(\t.*\n)+", makefile, re.M)
    assert ".ci/smoke.py" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("make test") < ci.index("make smoke")


def test_scans_run_on_the_clock_unless_a_seconds_interval_is_set(settings):
    """ALERT_SCAN_INTERVAL_SECONDS lets the smoke see a scheduled scan within seconds;
    production leaves it at 0 and keeps the clock-aligned schedule."""
    from datetime import timedelta

    from celery.schedules import crontab

    from motcua.celery import beat_schedule

    settings.ALERT_SCAN_INTERVAL_MINUTES, settings.ALERT_SCAN_INTERVAL_SECONDS = 15, 0
    schedule = beat_schedule(settings)
    for name in ("scan-deadline-alerts", "scan-feedback-alerts"):
        assert schedule[name]["schedule"] == crontab(minute="*/15")
    settings.ALERT_SCAN_INTERVAL_SECONDS = 5
    schedule = beat_schedule(settings)
    for name in ("scan-deadline-alerts", "scan-feedback-alerts"):
        assert schedule[name]["schedule"] == timedelta(seconds=5)
    assert schedule["send-daily-digests"]["schedule"] == crontab(
        hour=settings.ALERT_DIGEST_HOUR, minute=settings.ALERT_DIGEST_MINUTE
    )
