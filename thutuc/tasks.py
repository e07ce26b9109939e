"""Celery tasks of the thutuc app: thin wrappers around its services."""

from celery import shared_task


# A full catalogue (CATALOGUE_IMPORT_MAX_ROWS rows, each a new procedure) takes a few minutes
# per pass: the limits are wider than the default 240/300 s, and stay far below the broker's
# visibility timeout (2 h), after which an unacknowledged task would be delivered again.
@shared_task(ignore_result=True, soft_time_limit=1500, time_limit=1800)
def run_catalogue_import(job_id: int) -> str:
    """Check or import a long catalogue workbook (thutuc.catalogue.jobs)."""
    from .catalogue.jobs import import_job_run

    return import_job_run(job_id=job_id)
