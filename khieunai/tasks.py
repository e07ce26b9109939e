from celery import shared_task


@shared_task(soft_time_limit=240, time_limit=300)
def scan_feedback_alerts() -> int:
    """Periodic: due-soon / overdue feedback and complaints join the staff alerts."""
    from .alerts import scan_feedback_deadlines

    return scan_feedback_deadlines()
