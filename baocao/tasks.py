"""Celery tasks of the baocao app: thin wrappers around the export service."""

from celery import shared_task


# ignore_result: the export row holds the status and the file; a stored result would make
# .delay() wait ~20 s on the Redis result backend when Redis is down (motcua.tasks).
@shared_task(bind=True, ignore_result=True, max_retries=20, soft_time_limit=240, time_limit=300)
def render_export(self, export_id: int) -> str:
    from .services import export_render

    outcome = export_render(export_id=export_id)
    if outcome == "busy":  # being rendered elsewhere (or its dead renderer not yet noticed)
        raise self.retry(countdown=30)
    return outcome


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def send_report_reminders() -> int:
    """Daily: remind the units that have not sent their quarterly report (baocao.reminders);
    a rerun sends nothing twice."""
    from .reminders import send_report_reminders as send

    return send()
