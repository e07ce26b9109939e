"""System checks of the deployment: a production process refuses to start without its secrets.

`PRODUCTION=true` with the embedded SECRET_KEY (committed in settings.py) would sign sessions
and key every receipt PIN with a public value; without REDIS_URL the rate limits are per
process and Celery runs in the web request; without EMAIL_URL every e-mail is printed to the
console and lost. Each is an Error: `manage.py check --deploy` lists them, `migrate` and
`runserver` stop on them, and the gunicorn and Celery entry points call
`ensure_production_ready()`, which raises instead of serving.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

HINTS = {
    "SECRET_KEY": "Set SECRET_KEY to a long random string (and keep it with the backups).",
    "REDIS_URL": "Set REDIS_URL (cache, rate limits and Celery broker), e.g. redis://redis:6379/0.",
    "EMAIL_URL": "Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example.gov.vn:587.",
}


def production_problems() -> list[checks.Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = [
        checks.Error(
            f"PRODUCTION is on but {name} is not set.",
            hint=HINTS[name],
            id=f"motcua.E00{index}",
        )
        for index, name in enumerate(("SECRET_KEY", "REDIS_URL", "EMAIL_URL"), start=1)
        if name in getattr(settings, "PRODUCTION_MISSING_VARIABLES", [])
    ]
    if getattr(settings, "EMBEDDED_SECRET_KEY", None) == settings.SECRET_KEY and not any(
        error.id == "motcua.E001" for error in errors
    ):
        errors.insert(
            0,
            checks.Error(
                "PRODUCTION is on and SECRET_KEY is the key committed in settings.py.",
                hint=HINTS["SECRET_KEY"],
                id="motcua.E001",
            ),
        )
    return errors


@checks.register(checks.Tags.security)
def check_production_settings(app_configs=None, **kwargs):
    return production_problems()


def ensure_production_ready() -> None:
    """Raise ImproperlyConfigured when a production process is missing what it needs."""
    problems = production_problems()
    if problems:
        raise ImproperlyConfigured(" ".join(f"{p.msg} {p.hint}" for p in problems))
