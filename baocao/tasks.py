"""Celery tasks of the baocao app: thin wrappers around the export service."""

from celery import shared_task


@shared_task(soft_time_limit=240, time_limit=300)
def render_export(export_id: int) -> str:
    from .services import export_render

    return export_render(export_id=export_id)
