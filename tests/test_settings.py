"""Settings load in both modes: the embedded default and the production configuration."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
    "s.CACHES['default']['BACKEND'], s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
    "s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.SMS_BACKEND)"
)
SETTING_VARS = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "DEBUG",
    "PRODUCTION",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "SMS_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "CLIENT_IP_HEADER",
    "CLIENT_IP_TRUSTED_PROXIES",
    "TRACKING_SLOW_SECONDS",
    "TRACKING_CLIENT_IP_HEADER",
    "TRACKING_MAX_FAILURES_PER_ADDRESS",
    "TRACKING_MAX_FAILURES_PER_CODE",
    "TRACKING_WINDOW_MINUTES",
    "FEEDBACK_ATTACHMENT_MAX_MB",
}


def run(args, extra_env):
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    env.update({"DJANGO_SETTINGS_MODULE": "motcua.settings", **extra_env})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "x7#kq!p2v9$z4m@w8r1t6y3u0i5o-l_a^s&d*f(g)h+j=k~QWERTY",
    "DATABASE_URL": "postgres://motcua:secret@db.internal:5432/motcua",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "motcua.minhson.gov.vn",
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.minhson.gov.vn:587",
}


def test_embedded_defaults():
    result = run(["-c", PROBE], {})
    assert result.returncode == 0, result.stderr
    engine, eager, email, cache, debug, secure, hsts, lang, tz, use_tz, sms = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert cache.endswith("LocMemCache")
    assert (debug, secure, hsts) == ("False", "False", "0")
    assert (lang, tz, use_tz) == ("vi", "Asia/Ho_Chi_Minh", "True")
    assert sms.endswith("ConsoleSmsBackend")


def test_production_configuration():
    result = run(["-c", PROBE], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    engine, eager, email, cache, debug, secure, hsts, *_ = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"
    assert email == "django.core.mail.backends.smtp.EmailBackend"
    assert cache.endswith("RedisCache")
    assert (debug, secure) == ("False", "True")
    assert int(hsts) >= 31536000


def test_check_deploy_is_clean_with_production_variables():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_dates_are_written_dd_mm_yyyy():
    import datetime

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2026, 2, 17)) == "17/02/2026"


SECURITY_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, "
    "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, "
    "s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0], "
    "s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1], 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, "
    "'unsafe' in repr(s.CONTENT_SECURITY_POLICY), s.AXES_FAILURE_LIMIT, "
    "int(s.AXES_COOLOFF_TIME.total_seconds()), "
    "s.RATE_LIMITS['tracking_code'][0], s.RATE_LIMITS['tracking_code'][1], s.FEEDBACK_ATTACHMENT_MAX_MB)"
)


def test_production_cookies_headers_and_login_protection():
    result = run(["-c", SECURITY_PROBE], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",  # session cookie over HTTPS only
        "True",
        "True",  # CSRF cookie over HTTPS only
        "True",
        "Lax",
        "Lax",
        "DENY",
        "same-origin",
        "True",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "axes.backends.AxesStandaloneBackend",
        "axes.middleware.AxesMiddleware",
        "True",
        "False",  # no unsafe-inline / unsafe-eval in the CSP
        "5",
        "900",
        "5",
        "900",
        "5",
    ]


def test_security_numbers_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "AXES_FAILURE_LIMIT": "3",
        "AXES_COOLOFF_MINUTES": "60",
        "TRACKING_MAX_FAILURES_PER_CODE": "4",
        "TRACKING_WINDOW_MINUTES": "30",
        "FEEDBACK_ATTACHMENT_MAX_MB": "2",
    }
    result = run(["-c", SECURITY_PROBE], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == ["3", "3600", "4", "1800", "2"]


def test_check_deploy_is_clean_with_the_security_variables_changed():
    env = {**PRODUCTION_ENV, "AXES_FAILURE_LIMIT": "3", "CLIENT_IP_HEADER": "HTTP_X_REAL_IP"}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_its_secrets_refuses_to_start():
    """Issue 14 §7: PRODUCTION=true without SECRET_KEY used the key committed in settings.py,
    and a missing REDIS_URL / EMAIL_URL went unreported; now `check --deploy` shows each as an
    error and the WSGI entry point (gunicorn) refuses to load."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("SECRET_KEY", "REDIS_URL", "EMAIL_URL")}
    env["PRODUCTION"] = "true"
    result = run(["manage.py", "check", "--deploy"], env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    expected = (("motcua.E001", "SECRET_KEY"), ("motcua.E002", "REDIS_URL"), ("motcua.E003", "EMAIL_URL"))
    for error_id, name in expected:
        assert error_id in output and name in output, output
    wsgi = run(["-c", "import motcua.wsgi"], env)
    assert wsgi.returncode != 0 and "ImproperlyConfigured" in wsgi.stderr, wsgi.stderr


def test_production_with_the_committed_key_refuses_to_start():
    from motcua import settings as project_settings

    env = {**PRODUCTION_ENV, "SECRET_KEY": project_settings.EMBEDDED_SECRET_KEY, "PRODUCTION": "true"}
    result = run(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0 and "motcua.E001" in result.stdout + result.stderr
    assert "committed" in result.stdout + result.stderr


def test_embedded_run_has_no_production_errors():
    result = run(["manage.py", "check"], {})
    assert result.returncode == 0, result.stdout + result.stderr


def env_example() -> dict[str, str]:
    """.env.example as docker-compose.yml's env_file reads it: KEY=VALUE, empty values kept."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value
    return values


OPERATOR_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from motcua.checks import production_problems; "
    "print(s.PRODUCTION, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_PROXY_SSL_HEADER[0], s.DATABASES['default']['CONN_MAX_AGE'], s.CELERY_TASK_ALWAYS_EAGER, "
    "s.CELERY_BROKER_URL, s.ALERT_SCAN_INTERVAL_SECONDS, s.STATIC_ROOT.name, "
    "[p.id for p in production_problems()] or 'none')"
)


def test_env_example_copied_with_the_readme_variables_is_the_production_configuration():
    """The README's recipe: `cp .env.example .env`, set SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL and
    PUBLIC_BASE_URL; docker-compose.yml adds DATABASE_URL and REDIS_URL. The copy leaves many
    variables empty (`CONN_MAX_AGE=`, `PRODUCTION=`): empty means the default (int("") once
    stopped every process, and an empty PRODUCTION would have switched production off)."""
    env = {**env_example(), **PRODUCTION_ENV, "PUBLIC_BASE_URL": "https://motcua.minhson.gov.vn"}
    assert env["CONN_MAX_AGE"] == env["PRODUCTION"] == env["SESSION_COOKIE_SECURE"] == ""
    result = run(["-c", OPERATOR_PROBE], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "HTTP_X_FORWARDED_PROTO",
        "60",
        "False",
        "redis://cache.internal:6379/0",
        "0",
        "staticfiles",
        "none",
    ]
    deploy = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


def test_env_example_copied_without_a_secret_key_refuses_to_start():
    """`SECRET_KEY=` left empty in the copy is production without its key (motcua.E001), never
    the embedded run with the key committed in settings.py."""
    env = {**env_example(), **{k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}}
    assert env["SECRET_KEY"] == ""
    result = run(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0 and "motcua.E001" in result.stdout + result.stderr


def test_sms_backend_of_an_env_copied_before_the_move_still_loads():
    """Issue 15 moved the SMS backends from motcua.notifications.sms to core.sms; an .env copied
    from the former .env.example names the old module: it must still reach a backend that
    imports, never fail at the first SMS."""
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.utils.module_loading import import_string; "
        "print(s.SMS_BACKEND, import_string(s.SMS_BACKEND).__module__)"
    )
    result = run(["-c", probe], {"SMS_BACKEND": "motcua.notifications.sms.LocmemSmsBackend"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["core.sms.LocmemSmsBackend", "core.sms"]
