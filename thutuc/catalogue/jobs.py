"""Long catalogue imports run in the background, with their progress (issue 14 §5).

A workbook of more than CATALOGUE_IMPORT_INLINE_ROWS rows is not previewed in the request
(20,000 rows held a web worker until its timeout): it is stored, a Celery task checks it (the
preview's dry run, nothing saved), the admin reads the totals and errors on the job's page
and confirms, and a second task imports it in one transaction, all or nothing. While a task
runs, its progress (rows done) is kept in the cache, which every process shares (Redis).
"""

from __future__ import annotations

import logging
import os

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.xlsx import FormulaInFile

from ..models import ImportJob, ImportJobStatus
from ..models.imports import RUNNING

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 200


def _progress_key(job_id: int) -> str:
    return f"thutuc:import-job:{job_id}:done"


def import_job_start(*, upload, rows: int, actor) -> ImportJob:
    """Store the uploaded workbook and have it checked in the background."""
    job = ImportJob(original_name=os.path.basename(upload.name or "")[:255], rows=rows, requested_by=actor)
    upload.seek(0)
    job.file.save("tep.xlsx", upload, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def import_job_confirm(*, job: ImportJob, actor) -> ImportJob:
    """The admin read the check's result: import the file (once, whoever clicks twice)."""
    if not actor.has_perms(["thutuc.add_procedure", "thutuc.change_procedure"]):
        raise ValidationError(_("Bạn không có quyền nhập danh mục."))
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.CHECKED).update(
        status=ImportJobStatus.APPLYING
    )
    if not claimed:
        raise ValidationError(_("Lần nhập này không còn chờ xác nhận."))
    transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job


def rows_done(job: ImportJob) -> int:
    if job.status in RUNNING:
        try:
            done = cache.get(_progress_key(job.pk))
        except Exception:  # the cache server unreachable: no progress to show, the page answers
            logger.warning("cache unreachable: import job %s shown without its progress", job.pk)
            done = 0
        return min(int(done or 0), job.rows)
    return job.rows


def _enqueue(job_id: int) -> None:
    # After commit; a broker outage must not turn the upload into an error page.
    from ..tasks import run_catalogue_import

    try:
        run_catalogue_import.delay(job_id)
    except Exception:
        logger.exception("could not enqueue catalogue import job %s", job_id)


def import_job_run(*, job_id: int) -> str:
    """The task's work: check (status "checking") or import ("applying") the job's file.
    A job already finished, or gone, is left alone (a task delivered twice)."""
    from .resources import CatalogueResource, CatalogueXLSX

    job = ImportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or job.status not in RUNNING:
        return "nothing to do"
    apply = job.status == ImportJobStatus.APPLYING
    cache.set(_progress_key(job.pk), 0, 3600)
    try:
        with job.file.open("rb") as stored:
            dataset = CatalogueXLSX().create_dataset(stored.read())
    except FormulaInFile as formulas:
        return _finish(job, errors=[["", "", str(formulas)]])
    except Exception:
        return _finish(
            job, errors=[["", "", _("Không đọc được tệp: tệp trống, hỏng hoặc không phải tệp Excel .xlsx.")]]
        )
    resource = CatalogueResource(progress=lambda done: cache.set(_progress_key(job.pk), done, 3600))
    result = resource.import_data(
        dataset,
        dry_run=not apply,
        raise_errors=False,
        user=job.requested_by,
        rollback_on_validation_errors=True,
    )
    errors = import_errors(result)
    totals = {key: result.totals.get(key, 0) for key in ("new", "update", "skip")}
    if errors:
        return _finish(job, errors=errors, totals=totals)
    return _finish(job, totals=totals, status=ImportJobStatus.DONE if apply else ImportJobStatus.CHECKED)


def import_errors(result) -> list[list]:
    """[Excel line, column, message] of every problem, as the preview lists them."""
    errors = [["", "", str(error.error)] for error in result.base_errors]
    for number, row_errors in result.row_errors():
        errors += [[number + 1, "", str(error.error)] for error in row_errors]
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            shown = "" if column == NON_FIELD_ERRORS else column
            errors += [[row.number + 1, shown, str(message)] for message in messages]
    return errors


def _finish(job: ImportJob, *, errors=(), totals=None, status=ImportJobStatus.FAILED) -> str:
    errors = list(errors)
    job.status = ImportJobStatus.FAILED if errors else status
    job.errors = errors[:MAX_ERRORS_KEPT]
    job.totals = {**(totals or {}), "errors": len(errors)}
    job.finished_at = timezone.now() if job.status != ImportJobStatus.CHECKED else None
    job.save(update_fields=["status", "errors", "totals", "finished_at"])
    if job.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED) and job.file:
        job.file.delete(save=True)  # nothing more will read it
    cache.delete(_progress_key(job.pk))
    return job.status
