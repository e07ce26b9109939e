"""Celery tasks of the dossier app: thin wrappers around services (no view imported)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(soft_time_limit=100, time_limit=120)
def clear_expired_sessions() -> int:
    """Delete expired staff sessions; returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
