"""Writes of the baocao app: the report workflow and export requests.

The workflow is data (`TRANSITIONS`) run through the portal's workflow frame
(`core.workflow`, the `WORKFLOW` below): every step locks the report row, checks the
status and the actor's right, writes one append-only `ReportEvent` in the same transaction
and tells the reporting unit after the commit. A refusal is a `TransitionError` (a
ValidationError; `forbidden` when the actor lacks the right)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workflow import Transition, TransitionError, Workflow, table, transition
from motcua.notifications.staff import notify_report_reviewed, notify_report_submitted
from thutuc.accounts.visibility import can_see_agency, sees_everything
from thutuc.models import Agency

from . import figures
from .models import ExportFormat, ExportStatus, QuarterlyReport, ReportEvent, ReportExport, ReportStatus
from .periods import Period, quarter_period, report_deadline
from .selectors import agency_scope, report_agency_role

logger = logging.getLogger(__name__)

NARRATIVE_FIELDS = ("results", "shortcomings", "causes", "proposals")
# First key of the PostgreSQL advisory lock held while an export renders (the second is its id).
EXPORT_LOCK_NAMESPACE = 7301

SENT = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)

# action, label, statuses it may start from, status it leads to, permission it needs
TRANSITIONS: dict[str, Transition] = table(
    transition(
        "submit",
        gettext_lazy("Gửi báo cáo"),
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        rights="baocao.submit_quarterlyreport",
    ),
    transition(
        "resubmit",
        gettext_lazy("Gửi lại báo cáo"),
        ReportStatus.RETURNED,
        ReportStatus.RESUBMITTED,
        rights="baocao.submit_quarterlyreport",
    ),
    transition(
        "accept",
        gettext_lazy("Tiếp nhận báo cáo"),
        SENT,
        ReportStatus.ACCEPTED,
        rights="baocao.review_quarterlyreport",
    ),
    transition(
        "return",
        gettext_lazy("Trả lại báo cáo"),
        SENT,
        ReportStatus.RETURNED,
        rights="baocao.review_quarterlyreport",
    ),
)


def _check_actor(report: QuarterlyReport, actor, permission: str) -> None:
    if not actor.has_perm(permission) or not can_see_agency(actor, report.agency_id):
        raise PermissionDenied


def _refusal(actor, report: QuarterlyReport, transition: Transition) -> str:
    if any(actor.has_perm(perm) for perm in transition.rights) and can_see_agency(actor, report.agency_id):
        return ""
    return _("Bạn không có quyền thực hiện thao tác này đối với báo cáo.")


WORKFLOW = Workflow(
    model=QuarterlyReport,
    event_model=ReportEvent,
    parent="report",
    transitions=TRANSITIONS,
    refusal=_refusal,
    wrong_status=gettext_lazy("Không thể thực hiện thao tác này khi báo cáo ở trạng thái “%(status)s”."),
    select_related=("agency",),
)


def period_has_ended(report: QuarterlyReport, *, now=None) -> bool:
    """A report describes a finished period: it can be sent from the day after its last day
    (local time), so that every figure is final."""
    return timezone.localdate(now or timezone.now()) > report.period_end


def report_live_payload(report: QuarterlyReport) -> dict:
    period = Period(
        start=report.period_start, end=report.period_end, year=report.year, quarter=report.quarter
    )
    payload = figures.report_payload(
        scope=agency_scope(report.agency, agency_role=report_agency_role(report.agency)),
        period=period,
        title=str(report.agency.name),
        agency={"id": report.agency_id, "code": report.agency.code, "name": report.agency.name},
    )
    payload["narrative"] = {name: getattr(report, name) for name in NARRATIVE_FIELDS}
    return payload


def report_payload(report: QuarterlyReport) -> dict:
    """What the report shows: the frozen snapshot once sent, live figures while editable."""
    if report.snapshot is not None and not report.is_editable:
        return report.snapshot
    return report_live_payload(report)


def report_create(*, agency: Agency, year: int, quarter: int, actor) -> QuarterlyReport:
    if not actor.has_perm("baocao.add_quarterlyreport") or not can_see_agency(actor, agency.pk):
        raise PermissionDenied
    period = quarter_period(year, quarter)
    report = QuarterlyReport(
        agency=agency,
        year=year,
        quarter=quarter,
        period_start=period.start,
        period_end=period.end,
        deadline=report_deadline(year, quarter),
        created_by=actor,
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
            WORKFLOW.record(report, action="create", actor=actor, at=timezone.now(), status_before="")
    except IntegrityError:
        raise ValidationError(
            _("Đơn vị đã có báo cáo quý %(q)s/%(y)s.") % {"q": quarter, "y": year}
        ) from None
    return report


@transaction.atomic
def report_update_narrative(*, report: QuarterlyReport, actor, **sections: str) -> QuarterlyReport:
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    _check_actor(report, actor, "baocao.change_quarterlyreport")
    if not report.is_editable:
        raise ValidationError(_("Báo cáo đã gửi, không sửa được."))
    for name, value in sections.items():
        if name not in NARRATIVE_FIELDS:
            raise TypeError(name)
        setattr(report, name, value.strip())
    report.full_clean(validate_constraints=False)
    report.save()
    return report


def _transition(report: QuarterlyReport, action: str, actor, *, comment: str = "") -> QuarterlyReport:
    with WORKFLOW.perform(report, action, actor=actor) as change:
        report, now = change.obj, change.at
        if action in ("submit", "resubmit") and not period_has_ended(report, now=now):
            raise TransitionError(
                _("Kỳ báo cáo chưa kết thúc (đến hết ngày %(end)s): chưa gửi được báo cáo.")
                % {"end": f"{report.period_end:%d/%m/%Y}"}
            )
        report.status = change.transition.target
        if action in ("submit", "resubmit"):
            payload = report_live_payload(report)
            problems = [p for table in payload["ii06a"].values() for p in table["problems"]]
            if problems:
                raise TransitionError(
                    _("Số liệu không khớp, chưa gửi được: %(p)s") % {"p": "; ".join(problems)}
                )
            report.version += 1
            payload["version"] = report.version
            report.snapshot = payload
            report.submitted_at, report.submitted_by = now, actor
            report.first_submitted_at = report.first_submitted_at or now
            report.return_comment = ""
        else:
            report.reviewed_at, report.reviewed_by = now, actor
            if action == "return":
                if not comment.strip():
                    raise TransitionError({"comment": _("Ghi rõ lý do trả lại để đơn vị chỉnh sửa.")})
                report.return_comment = comment.strip()
        report.full_clean(validate_constraints=False)
        report.save()
        event = change.record(comment=comment.strip(), version=report.version)
        if action in ("accept", "return"):
            # the reporting unit learns the verdict (notification centre and e-mail)
            notify_report_reviewed(report, event)
        else:
            # Sở Nội vụ learns that a report waits for it (issue 20)
            notify_report_submitted(report, event)
    return report


def report_submit(*, report: QuarterlyReport, actor) -> QuarterlyReport:
    """Send (or send again after a return): freezes the figures into the snapshot."""
    action = "resubmit" if report.status == ReportStatus.RETURNED else "submit"
    return _transition(report, action, actor)


def report_accept(*, report: QuarterlyReport, actor) -> QuarterlyReport:
    return _transition(report, "accept", actor)


def report_return(*, report: QuarterlyReport, comment: str, actor) -> QuarterlyReport:
    return _transition(report, "return", actor, comment=comment)


def payload_key(payload: dict) -> str:
    """Hash of the payload without its computation time: equal figures, equal file."""
    stable = {k: v for k, v in payload.items() if k != "computed_at"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def export_request(
    *,
    payload: dict,
    fmt: str,
    title: str,
    actor,
    report: QuarterlyReport | None = None,
    agency: Agency | None,
) -> ReportExport:
    """The export of `payload` in `fmt`: the stored one when these exact figures were already
    rendered, otherwise a new row rendered by Celery after commit."""
    if fmt not in ExportFormat.values:
        raise ValidationError(_("Định dạng không hỗ trợ."))
    if agency is None and not sees_everything(actor):
        raise PermissionDenied
    if agency is not None and not can_see_agency(actor, agency.pk):
        raise PermissionDenied
    key = payload_key(payload)
    with transaction.atomic():
        export, created = ReportExport.objects.select_for_update().get_or_create(
            key=key,
            format=fmt,
            defaults={
                "payload": payload,
                "title": title,
                "report": report,
                "agency": agency,
                "requested_by": actor,
            },
        )
        if not created and export.status == ExportStatus.FAILED:
            export.status, export.progress, export.error = ExportStatus.PENDING, 0, ""
            export.save(update_fields=["status", "progress", "error"])
            created = True
        # A pending export asked for again: its task may have been lost (broker down when it
        # was enqueued); enqueue it again, rendering is idempotent.
        if created or export.status == ExportStatus.PENDING:
            transaction.on_commit(lambda: _enqueue_render(export.pk))
    return export


def _enqueue_render(export_id: int) -> None:
    # After commit: a broker outage must not turn the request into an error. The export
    # stays pending and asking for it again enqueues it again.
    from .tasks import render_export

    try:
        render_export.delay(export_id)
    except Exception:
        logger.exception("could not enqueue export %s; it stays pending", export_id)


@contextmanager
def _render_claim(export_id: int) -> Iterator[bool]:
    """True while this process is the only one rendering `export_id`.

    A PostgreSQL session advisory lock, not a status column: it is released by the server
    when the renderer's connection ends, so a worker killed mid-render (SIGKILL, OOM) leaves
    no export stuck in "running" — its redelivered task takes the claim over. SQLite (the
    embedded, single-process run) has no such lock: the claim is always granted."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = (EXPORT_LOCK_NAMESPACE, export_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        claimed = cursor.fetchone()[0]
    try:
        yield claimed
    finally:
        if claimed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def export_render(*, export_id: int) -> str:
    """Render one export (idempotent: a finished export is left alone; a gone row is ignored).
    Progress is saved as it goes so that the waiting page can show it."""
    with _render_claim(export_id) as claimed:
        if not claimed:
            # another worker holds the claim: alive (it will finish), or dead and not yet
            # noticed by the server; the task looks again later
            return "busy"
        return _render(export_id)


def _render(export_id: int) -> str:
    from django.core.files.base import ContentFile

    from . import exports

    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        # "running" with the claim granted: its renderer died mid-way; render it again
        if export is None or export.status == ExportStatus.DONE:
            return "skipped"
        export.status, export.progress = ExportStatus.RUNNING, 10
        export.save(update_fields=["status", "progress"])
    try:
        content = exports.build(export.payload, export.format)
        ReportExport.objects.filter(pk=export.pk).update(progress=80)
        export.file.save(f"{export.key[:16]}.{export.format}", ContentFile(content), save=False)
        export.status, export.progress, export.finished_at = ExportStatus.DONE, 100, timezone.now()
        export.save(update_fields=["file", "status", "progress", "finished_at"])
    except Exception as exc:
        ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=str(exc)[:2000])
        raise
    return "done"
