"""Celery tasks of the shared plumbing: thin wrappers (no view imported)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(soft_time_limit=100, time_limit=120)
def clear_expired_sessions() -> int:
    """Delete expired staff sessions, and the one-time form tokens (core.once) older than
    two days (a form left open that long is sent as a new one); returns how many sessions
    were removed."""
    from datetime import timedelta

    from .models import FormSubmission

    FormSubmission.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).delete()
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
