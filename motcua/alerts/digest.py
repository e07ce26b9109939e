"""The daily digest: at the start of each working day, one message per officer or leader
listing what their unread alerts say (due today, overdue, ...) and the dossiers of their
units waiting for a citizen's supplement. Built from the same alerts the header counts."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thutuc.accounts.roles import Role
from thutuc.accounts.visibility import visible_agency_ids
from thutuc.calendar_store import get_calendar
from thutuc.models import User

from ..models import Dossier, Notification, NotificationChannel, Status
from ..notifications.service import notify
from . import kinds
from .scan import scan_deadlines


def unread_alerts(user) -> list[Notification]:
    return list(
        Notification.objects.filter(
            recipient=user,
            channel=NotificationChannel.IN_APP,
            kind__in=kinds.DEADLINE_KINDS,
            read_at__isnull=True,
        )
        .select_related("dossier")
        .order_by("deadline")
    )


def _unread(user):
    return Notification.objects.filter(
        recipient=user,
        channel=NotificationChannel.IN_APP,
        kind__in=kinds.COUNTED_KINDS,
        read_at__isnull=True,
    )


def unread_alert_count(user, *, cap: int | None = None) -> int:
    """The user's unread deadline alerts and hand-offs; with `cap`, counted up to cap + 1 only (the header
    shows "99+": a leader with thousands of unread alerts must not pay for counting them on
    every page)."""
    if cap is not None:
        return header_alert_count(user, cap=cap)
    return _unread(user).count()


def _header_count_sql() -> str:
    """The capped count of `_unread` in SQL, the names read from the model. Every staff page
    shows the badge: building and compiling the ORM query cost ~1 ms per page, two thirds of
    the whole logged-in page floor (docs/performance.md, issue 21), for a statement that
    never changes; `tests/motcua/test_alerts.py` holds it equal to the ORM's count."""
    meta = Notification._meta
    column = {name: meta.get_field(name).column for name in ("recipient", "channel", "kind", "read_at")}
    kinds_in = ", ".join(["%s"] * len(kinds.COUNTED_KINDS))
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {meta.db_table} "
        f"WHERE {column['recipient']} = %s AND {column['channel']} = %s "
        f"AND {column['kind']} IN ({kinds_in}) AND {column['read_at']} IS NULL LIMIT %s) AS unread"
    )


def header_alert_count(user, *, cap: int) -> int:
    """`unread_alert_count(user)` counted up to cap + 1, as the header's badge needs it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            _header_count_sql(),
            [user.pk, NotificationChannel.IN_APP.value, *[str(k) for k in kinds.COUNTED_KINDS], cap + 1],
        )
        return cursor.fetchone()[0]


def digest_text(user, *, now: datetime) -> tuple[int, str]:
    alerts = unread_alerts(user)
    sections: dict[str, list[str]] = defaultdict(list)
    for alert in alerts:
        when = formats.date_format(timezone.localtime(alert.deadline), "H:i d/m/Y")
        # a dossier's code, or the case named in the subject ("…: KN-2026-000012")
        name = alert.dossier.code if alert.dossier_id else alert.subject.rsplit(": ", 1)[-1]
        sections[alert.kind].append(_("  - %(code)s: hạn %(when)s") % {"code": name, "when": when})
    agency_ids = visible_agency_ids(user)
    waiting = Dossier.objects.filter(status=Status.WAITING_SUPPLEMENT)
    if agency_ids is not None:
        waiting = waiting.filter(Q(current_unit_id__in=agency_ids) | Q(competent_agency_id__in=agency_ids))
    waiting_codes = list(waiting.order_by("due_at").values_list("code", flat=True)[:200])
    day = formats.date_format(timezone.localtime(now), "d/m/Y")
    lines = [
        _("Tổng hợp đầu ngày %(day)s – %(count)s cảnh báo chưa đọc.") % {"day": day, "count": len(alerts)}
    ]
    for kind in (
        kinds.OVERDUE,
        kinds.ESCALATION,
        kinds.STEP_OVERDUE,
        kinds.DUE_SOON,
        kinds.STEP_DUE_SOON,
        kinds.APOLOGY_REMINDER,
        kinds.SUPPLEMENT_OVERDUE,
        kinds.FEEDBACK_OVERDUE,
        kinds.FEEDBACK_DUE_SOON,
    ):
        if sections[kind]:
            lines.append(f"{kinds.LABELS[kind]} ({len(sections[kind])}):")
            lines.extend(sections[kind])
    lines.append(_("Hồ sơ đang chờ công dân bổ sung: %(count)s") % {"count": len(waiting_codes)})
    lines.extend(f"  - {code}" for code in waiting_codes)
    return len(alerts), "\n".join(lines)


def send_digests(*, now: datetime | None = None) -> int:
    """Send today's digest to every specialist and leader (once a day, working days only).
    Returns how many digests were created."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not get_calendar().is_working_day(today):
        return 0
    # the digest reflects the alerts as of now; a full scan at least once a day
    scan_deadlines(now=now, full=True)
    created = 0
    users = User.objects.filter(is_active=True, groups__name__in=[Role.SPECIALIST, Role.LEADER]).distinct()
    for user in users:
        count, body = digest_text(user, now=now)
        subject = _("%(label)s %(day)s: %(count)s cảnh báo") % {
            "label": kinds.LABELS[kinds.DIGEST],
            "day": f"{today:%d/%m/%Y}",
            "count": count,
        }
        for channel in [NotificationChannel.IN_APP] + (
            [NotificationChannel.EMAIL] if user.email and kinds.DIGEST in settings.ALERT_EMAIL_KINDS else []
        ):
            if notify(
                channel=channel,
                kind=kinds.DIGEST,
                subject=subject,
                body=body,
                recipient=user,
                address=user.email if channel == NotificationChannel.EMAIL else "",
                dedupe_key=f"digest:{user.pk}:{today:%Y%m%d}:{channel}",
            ):
                created += 1
    return created
