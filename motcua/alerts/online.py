"""The online inbox's alerts (NĐ 118/2025/NĐ-CP Điều 17 khoản 2).

- A filing recorded without its alert (the recording transaction always sends it; a source
  that bulk-loads filings may not) is alerted at the next scan: the staff hear of every
  filing well within the decree's 02 hours (the scan runs every 15 minutes).
- A waiting filing within the due-soon window of its 08 working hours, or past them: the
  counter's reception officers and leaders are told (the same dedupe keys as every alert:
  a rerun sends nothing twice; an overdue alert replaces the due-soon one).
- Once the filing is decided, its unread alerts are resolved.

A fixed number of queries, whatever the number of waiting filings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thutuc import deadlines as rules
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.models import User

from ..models import Notification, NotificationChannel, OnlineSubmission, Status
from . import kinds
from .scan import Alert, record_alerts, supersede

PREFIX = "online:"


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def find_online_alerts(*, now: dt.datetime) -> list[Alert]:
    """Due-soon and overdue waiting filings, and who to tell (two queries)."""
    soon_limit = rules.online_due_soon_limit(get_calendar(), now)
    waiting = list(
        OnlineSubmission.objects.filter(status=Status.SUBMITTED_ONLINE, decision_due_at__lte=soon_limit)
        .order_by()
        .values_list("pk", "national_portal_code", "agency_id", "decision_due_at", "procedure__name")
    )
    staff = defaultdict(set)
    for user_id, agency_id in User.objects.filter(
        is_active=True,
        agency_id__in={row[2] for row in waiting},
        groups__name__in=[Role.RECEPTION, Role.LEADER],
    ).values_list("pk", "agency_id"):
        staff[agency_id].add(user_id)
    alerts = []
    for pk, code, agency_id, due, procedure in waiting:
        kind = kinds.ONLINE_OVERDUE if due < now else kinds.ONLINE_DUE_SOON
        text = (
            _(
                "Hồ sơ trực tuyến %(code)s (%(procedure)s) đã quá 08 giờ làm việc, từ %(due)s, "
                "mà chưa được kiểm tra."
            )
            if kind == kinds.ONLINE_OVERDUE
            else _(
                "Hồ sơ trực tuyến %(code)s (%(procedure)s) phải được tiếp nhận hoặc yêu cầu bổ sung "
                "trước %(due)s."
            )
        )
        alerts.append(
            Alert(
                kind,
                due,
                set(staff[agency_id]),
                reference=f"{PREFIX}{pk}",
                subject=f"{kinds.LABELS[kind]}: {code}",
                body=text % {"code": code, "procedure": procedure, "due": _when(due)},
            )
        )
    return alerts


def alert_unalerted(*, now: dt.datetime) -> int:
    """Alert the reception staff of every waiting filing not alerted yet (the 02-hour rule)."""
    from ..services.online import alert_reception

    pending = OnlineSubmission.objects.filter(status=Status.SUBMITTED_ONLINE, alerted_at__isnull=True)
    count = 0
    for submission in pending.select_related("procedure")[:500]:
        alert_reception(submission, now=now)
        count += 1
    return count


def resolve_online_alerts(*, now: dt.datetime, submission_ids=None, new=()) -> int:
    """Mark read the unread inbox alerts of decided filings (all, or `submission_ids`), and
    those replaced by a newer alert."""
    unread = Notification.objects.filter(
        channel=NotificationChannel.IN_APP, kind__in=kinds.ONLINE_KINDS, read_at__isnull=True
    )
    if submission_ids is not None:
        decided = [f"{PREFIX}{pk}" for pk in submission_ids]
    else:
        waiting = {
            f"{PREFIX}{pk}"
            for pk in OnlineSubmission.objects.filter(status=Status.SUBMITTED_ONLINE).values_list(
                "pk", flat=True
            )
        }
        decided = [ref for ref in unread.values_list("reference", flat=True).distinct() if ref not in waiting]
    condition = Q(reference__in=decided)
    replaced = supersede(list(new), now=now, subject_field="reference")
    if replaced is not None:
        condition |= replaced
    return unread.filter(condition).update(read_at=now)


def scan_online_inbox(*, now: dt.datetime | None = None) -> int:
    """The periodic scan of the online inbox; returns how many filings were alerted for the
    first time plus how many deadline notifications were created."""
    now = now or timezone.now()
    with transaction.atomic():
        created = alert_unalerted(now=now)
        new = record_alerts(find_online_alerts(now=now))
        resolve_online_alerts(now=now, new=new)
    return created + len(new)
