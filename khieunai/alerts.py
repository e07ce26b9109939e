"""Due-soon and overdue feedback, complaints and denunciations join the staff alerts.

The same machinery as the dossier alerts (motcua.alerts): one Notification per recipient,
channel, case and deadline, keyed by a dedupe key, so reruns never repeat an alert; a moved
or met deadline resolves the unread alert at the next scan."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import dates
from motcua.alerts import kinds
from motcua.alerts.scan import Alert, record_alerts, supersede
from motcua.models import Notification, NotificationChannel
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.deadlines import due_soon_limit
from thutuc.models import User

from .models import Feedback
from .models.feedback import OPEN_STATUSES
from .selectors import feedback_due_soon_or_overdue, implausible_open_feedback

logger = logging.getLogger(__name__)
PREFIX = "feedback:"


def _reference(feedback_id: int) -> str:
    return f"{PREFIX}{feedback_id}"


def find_feedback_alerts(*, now: datetime) -> list[Alert]:
    """Two queries: the cases near or past their running deadline, and the staff to tell."""
    cases = list(feedback_due_soon_or_overdue(now=now, until=due_soon_limit(get_calendar(), now)))
    units = {f.handling_unit_id or f.agency_id for f in cases}
    staff = defaultdict(lambda: defaultdict(set))
    for user_id, agency_id, role in User.objects.filter(
        is_active=True, agency_id__in=units, groups__name__in=[Role.SPECIALIST, Role.LEADER]
    ).values_list("pk", "agency_id", "groups__name"):
        staff[agency_id][role].add(user_id)
    alerts = []
    for feedback in cases:
        # One bad row never stops the province's alerts: it is logged and skipped.
        try:
            alerts.append(_alert(feedback, now=now, staff=staff))
        except Exception:
            logger.exception("Feedback scan: case %s (id %s) skipped", feedback.code, feedback.pk)
    _log_implausible()
    return alerts


def _log_implausible() -> None:
    skipped = list(implausible_open_feedback()[:20])
    if skipped:
        logger.warning(
            "Feedback scan: %d open case(s) skipped, a date outside %s..%s (id, code): %s",
            len(skipped),
            dates.earliest(),
            dates.latest(),
            skipped,
        )


def _alert(feedback: Feedback, *, now: datetime, staff) -> Alert:
    unit = feedback.handling_unit_id or feedback.agency_id
    handlers = {feedback.assignee_id} if feedback.assignee_id else set(staff[unit][Role.SPECIALIST])
    kind = kinds.FEEDBACK_OVERDUE if feedback.next_due_at < now else kinds.FEEDBACK_DUE_SOON
    when = formats.date_format(timezone.localtime(feedback.next_due_at), "H:i d/m/Y")
    # The code and the kind only: a denouncer's identity never travels in an alert.
    body = (
        _("%(kind)s %(code)s đã quá hạn xử lý từ %(when)s.")
        if kind == kinds.FEEDBACK_OVERDUE
        else _("%(kind)s %(code)s sẽ đến hạn xử lý lúc %(when)s.")
    ) % {"kind": feedback.get_kind_display(), "code": feedback.code, "when": when}
    return Alert(
        kind,
        feedback.next_due_at,
        (handlers | staff[unit][Role.LEADER]) - {None},
        reference=_reference(feedback.pk),
        subject=f"{kinds.LABELS[kind]}: {feedback.code}",
        body=body,
    )


def scan_feedback_deadlines(*, now: datetime | None = None) -> int:
    """Record the feedback alerts that do not exist yet; resolve those that no longer hold.
    Returns how many notifications were created."""
    now = now or timezone.now()
    alerts = find_feedback_alerts(now=now)
    with transaction.atomic():
        new = record_alerts(alerts)
        _resolve_stale(now=now, new=new)
    return len(new)


def _resolve_stale(*, now: datetime, new: list[Notification]) -> int:
    unread = Notification.objects.filter(
        channel=NotificationChannel.IN_APP, kind__in=kinds.FEEDBACK_KINDS, read_at__isnull=True
    )
    rows = list(unread.values_list("pk", "reference", "deadline"))
    ids = {int(ref.removeprefix(PREFIX)) for _pk, ref, _deadline in rows if ref.startswith(PREFIX)}
    current = dict(
        Feedback.objects.filter(
            dates.plausible("next_due_at"), pk__in=ids, status__in=OPEN_STATUSES
        ).values_list("pk", "next_due_at")
    )
    stale = [
        pk
        for pk, ref, deadline in rows
        if current.get(int(ref.removeprefix(PREFIX)) if ref.startswith(PREFIX) else -1) != deadline
    ]
    condition = Q(pk__in=stale)
    replaced = supersede(new, now=now, subject_field="reference")
    if replaced is not None:
        condition |= replaced
    return unread.filter(condition).update(read_at=now)
