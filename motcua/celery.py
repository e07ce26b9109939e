"""The Celery application. Periodic jobs are declared here, in code."""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One queue per kind of work, each with its own workers (docker-compose.yml), so that a
# backlog of one never delays the others: 18,000 queued e-mails once held the deadline scans
# for five minutes in the single default queue. Anything not listed (session clean-up) goes
# to the default queue "celery", consumed by the scans worker.
QUEUES = ("celery", "scans", "notifications", "reports")
TASK_ROUTES = {
    "motcua.tasks.scan_deadline_alerts": {"queue": "scans"},
    "motcua.tasks.send_daily_digests": {"queue": "scans"},
    "motcua.tasks.scan_online_inbox": {"queue": "scans"},
    "motcua.tasks.apply_calendar_change": {"queue": "scans"},
    "motcua.tasks.close_unsupplemented_dossiers": {"queue": "scans"},
    "khieunai.tasks.scan_feedback_alerts": {"queue": "scans"},
    "motcua.tasks.send_notification": {"queue": "notifications"},
    "motcua.tasks.enqueue_notifications": {"queue": "notifications"},
    "motcua.tasks.resend_unsent_notifications": {"queue": "notifications"},
    "baocao.tasks.*": {"queue": "reports"},
}
app.conf.task_routes = TASK_ROUTES


@worker_init.connect
@beat_init.connect
def refuse_without_production_settings(**kwargs):
    """A production worker or beat without its secrets does not start (motcua.checks)."""
    from motcua.checks import ensure_production_ready

    ensure_production_ready()


@app.on_after_configure.connect
def declare_beat_schedule(sender, **kwargs):
    """The periodic jobs (read when Celery configures itself, after Django's settings)."""
    from django.conf import settings

    sender.conf.beat_schedule = beat_schedule(settings)


def scan_schedule(settings):
    """Every ALERT_SCAN_INTERVAL_MINUTES on the clock (:00, :15, ...), or every
    ALERT_SCAN_INTERVAL_SECONDS from beat's start when that is set (the production smoke)."""
    if settings.ALERT_SCAN_INTERVAL_SECONDS > 0:
        return timedelta(seconds=settings.ALERT_SCAN_INTERVAL_SECONDS)
    return crontab(minute=f"*/{settings.ALERT_SCAN_INTERVAL_MINUTES}")


def beat_schedule(settings) -> dict:
    return {
        # Due-soon / overdue / escalation alerts; dedupe keys make reruns harmless.
        "scan-deadline-alerts": {
            "task": "motcua.tasks.scan_deadline_alerts",
            "schedule": scan_schedule(settings),
        },
        # Online filings: alerted within 02 hours, decided within 08 working hours
        # (NĐ 118/2025/NĐ-CP Điều 17 khoản 2).
        "scan-online-inbox": {
            "task": "motcua.tasks.scan_online_inbox",
            "schedule": scan_schedule(settings),
        },
        # Feedback and complaints near or past their legal deadline (khieunai).
        "scan-feedback-alerts": {
            "task": "khieunai.tasks.scan_feedback_alerts",
            "schedule": scan_schedule(settings),
        },
        # The digest at the start of the day; the task itself skips non-working days.
        "send-daily-digests": {
            "task": "motcua.tasks.send_daily_digests",
            "schedule": crontab(hour=settings.ALERT_DIGEST_HOUR, minute=settings.ALERT_DIGEST_MINUTE),
        },
        # Dossiers whose supplement did not arrive within 15 days are closed (NĐ 118/2025
        # Điều 19 khoản 5), early in the morning, before the counters open.
        "close-unsupplemented-dossiers": {
            "task": "motcua.tasks.close_unsupplemented_dossiers",
            "schedule": crontab(hour=6, minute=0),
        },
        # Units that have not sent their quarterly CCHC report are reminded
        # REPORT_REMINDER_WORKING_DAYS working days before the deadline, once (baocao.reminders).
        "send-report-reminders": {
            "task": "baocao.tasks.send_report_reminders",
            "schedule": crontab(hour=7, minute=30),
        },
        # Online payments whose gateway callback was lost are recorded from the gateway's own
        # list (motcua.payments.service.reconcile, docs/fees.md).
        "reconcile-payments": {
            "task": "motcua.tasks.reconcile_payments",
            "schedule": crontab(hour=5, minute=30),
        },
        # Expired sessions pile up in the database; clear them nightly.
        "clear-expired-sessions": {
            "task": "core.tasks.clear_expired_sessions",
            "schedule": crontab(hour=2, minute=30),
        },
        # Notifications whose delivery was lost (broker down, worker killed) are sent again.
        "resend-unsent-notifications": {
            "task": "motcua.tasks.resend_unsent_notifications",
            "schedule": crontab(minute="*/10"),
        },
    }
