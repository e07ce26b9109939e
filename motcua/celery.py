"""The Celery application. Periodic jobs are declared here, in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Expired sessions pile up in the database; clear them nightly.
    "clear-expired-sessions": {
        "task": "motcua.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=30),
    },
    # Notifications whose delivery was lost (broker down, worker killed) are sent again.
    "resend-unsent-notifications": {
        "task": "motcua.tasks.resend_unsent_notifications",
        "schedule": crontab(minute="*/10"),
    },
}
