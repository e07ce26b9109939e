"""The periodic deadline scan: a constant number of indexed queries, whatever the number
of open dossiers, and it writes only the alerts that do not exist yet.

The scan is incremental: it keeps a watermark (`AlertScanState`, one row locked for the
length of the scan's transaction) and reads only the dossiers whose deadline crossed a
threshold since the previous run, plus those changed since (`updated_at`, with a margin for
late commits). A full scan runs when there is no watermark, after a calendar change, with the
daily digest, and when the last full one is older than `ALERT_FULL_SCAN_EVERY_MINUTES`."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from thutuc import deadlines as rules
from thutuc.accounts.roles import Role
from thutuc.calendar import HOURS_PER_WORKING_DAY, WorkingCalendar
from thutuc.calendar_store import get_calendar
from thutuc.models import User

from ..models import (
    AlertScanState,
    Apology,
    Dossier,
    Notification,
    NotificationChannel,
    Status,
    SupplementRequest,
)
from ..models.dossier import CLOCK_RUNNING_STATUSES, OPEN_STATUSES
from . import kinds

logger = logging.getLogger(__name__)


class DossierRow(NamedTuple):
    """The few columns of a dossier that the scan needs (a plain tuple: the scan reads
    thousands of them and builds no model instance)."""

    pk: int
    code: str
    due_at: datetime | None
    step_due_at: datetime | None
    current_step_id: int | None
    assignee_id: int | None
    current_unit_id: int | None
    competent_agency_id: int | None
    receiving_agency_id: int | None
    procedure_name: str
    has_apology: bool = False


# The DossierRow columns, in order, as ORM lookups (has_apology is an annotation).
ROW_FIELDS = (
    "pk",
    "code",
    "due_at",
    "step_due_at",
    "current_step_id",
    "assignee_id",
    "current_unit_id",
    "competent_agency_id",
    "receiving_agency_id",
    "procedure__name",
)


@dataclass
class Alert:
    """One alert to record: what (kind, deadline), about what (a dossier and its step, or a
    `reference` such as "feedback:12"), for whom, and its text. A dossier alert's text is
    rendered only when it is recorded for the first time (`message()`)."""

    kind: str
    deadline: datetime
    recipients: set[int] = field(default_factory=set)
    dossier: DossierRow | None = None
    step_id: int | None = None
    reference: str = ""
    subject: str = ""
    body: str = ""

    @property
    def subject_key(self) -> str:
        return f"d{self.dossier.pk}" if self.dossier is not None else self.reference

    def message(self) -> tuple[str, str]:
        if not self.subject and self.dossier is not None:
            self.subject, self.body = dossier_message(self.kind, self.dossier, self.deadline)
        return self.subject, self.body


@dataclass(frozen=True)
class Since:
    """What an incremental scan starts from: the previous scan's `now` (thresholds crossed
    after it are read) and the `updated_at` after which a dossier counts as changed."""

    until: datetime
    changed_after: datetime


class Thresholds(NamedTuple):
    soon_limit: datetime
    apology_limit: datetime
    limit: datetime  # the later of the two
    escalate_before: datetime


def thresholds(calendar, now: datetime) -> Thresholds:
    soon_limit = rules.due_soon_limit(calendar, now)
    apology_limit = calendar.add_working_hours(now, Decimal(str(settings.ALERT_APOLOGY_WORKING_HOURS)))
    escalate_hours = Decimal(str(settings.ALERT_ESCALATE_AFTER_WORKING_DAYS)) * HOURS_PER_WORKING_DAY
    # overdue since before this moment = overdue by at least `escalate_hours` working hours
    escalate_before = working_moment_before(calendar, now, escalate_hours)
    return Thresholds(soon_limit, apology_limit, max(soon_limit, apology_limit), escalate_before)


@dataclass
class ScanResult:
    full: bool = True
    dossiers: int = 0
    alerts: list[Alert] = field(default_factory=list)
    created: int = 0
    resolved: int = 0


def _fmt(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def find_alerts(
    *, now: datetime, since: Since | None = None, calendar: WorkingCalendar | None = None
) -> tuple[list[Alert], int]:
    """What should be alerted at `now` (no writes). A fixed number of queries; the rows are
    read as tuples and no text is rendered here (see `Alert.message`).

    With `since` (incremental), only the dossiers that can yield an alert that the scan at
    `since.until` could not: a deadline that crossed a threshold in between (due soon /
    apology, overdue, escalation, a supplement's limit), or a dossier changed after
    `since.changed_after`. Each range is its own indexed branch of an OR."""
    calendar = calendar or get_calendar()  # thresholds use the national calendar
    soon_limit, apology_limit, limit, escalate_before = thresholds(calendar, now)

    # 1. open dossiers whose clock runs and whose deadline, or current step's deadline, is
    # near or past (indexes (status, due_at), (status, step_due_at), updated_at)
    running = Dossier.objects.filter(status__in=CLOCK_RUNNING_STATUSES).order_by()
    due_q, step_q = Q(due_at__lte=limit), Q(step_due_at__lte=soon_limit)
    supplement_q = Q()
    transfer_q = Q(transfer_due_at__lt=now)
    if since is not None:
        before = thresholds(calendar, since.until)
        changed = Q(updated_at__gt=since.changed_after)
        due_q = (
            Q(due_at__gt=min(before.soon_limit, before.apology_limit), due_at__lte=limit)  # due soon
            | Q(due_at__gte=since.until, due_at__lt=now)  # overdue
            | Q(due_at__gt=before.escalate_before, due_at__lte=escalate_before)  # escalation
            | (changed & Q(due_at__lte=limit))
        )
        step_q = (
            Q(step_due_at__gt=before.soon_limit, step_due_at__lte=soon_limit)
            | Q(step_due_at__gte=since.until, step_due_at__lt=now)
            | (changed & Q(step_due_at__lte=soon_limit))
        )
        supplement_q = Q(reply_due_at__gte=since.until) | Q(dossier__updated_at__gt=since.changed_after)
        transfer_q = Q(transfer_due_at__gte=since.until, transfer_due_at__lt=now) | (
            changed & Q(transfer_due_at__lt=now)
        )
    dossiers = [
        DossierRow(*values)
        for values in running.filter(due_q)
        .annotate(has_apology=Exists(Apology.objects.filter(dossier=OuterRef("pk"))))
        .values_list(*ROW_FIELDS, "has_apology")
    ]
    step_dossiers = [DossierRow(*values) for values in running.filter(step_q).values_list(*ROW_FIELDS)]
    # 2. supplements left unanswered past their own limit (the dossier's clock is stopped)
    late_supplements = [
        (reply_due_at, DossierRow(*values))
        for reply_due_at, *values in SupplementRequest.objects.filter(
            fulfilled_at__isnull=True, reply_due_at__lt=now, dossier__status=Status.WAITING_SUPPLEMENT
        )
        .filter(supplement_q)
        .order_by()
        .values_list("reply_due_at", *[f"dossier__{f}" for f in ROW_FIELDS])
    ]
    # 3. paper dossiers still at the counter past their transfer deadline (NĐ 118/2025 Điều 18
    # khoản 2, Điều 20 khoản 1 điểm a; index (status, transfer_due_at))
    late_transfers = [
        (transfer_due_at, DossierRow(*values))
        for transfer_due_at, *values in Dossier.objects.filter(
            status=Status.RECEIVED, handed_over_at__isnull=True
        )
        .filter(transfer_q)
        .order_by()
        .values_list("transfer_due_at", *ROW_FIELDS)
    ]
    units = {d.current_unit_id or d.competent_agency_id for d in [*dossiers, *step_dossiers]}
    units |= {d.current_unit_id or d.competent_agency_id for _due, d in late_supplements}
    receiving = {d.receiving_agency_id for d in dossiers}
    receiving |= {d.receiving_agency_id for _due, d in late_transfers}
    # 4. the people to tell: specialists and leaders of those units, the counters' reception
    # officers and leaders
    staff = defaultdict(lambda: defaultdict(set))  # agency_id -> role -> user ids
    for user_id, agency_id, role in User.objects.filter(
        is_active=True,
        agency_id__in=units | receiving,
        groups__name__in=[Role.SPECIALIST, Role.LEADER, Role.RECEPTION],
    ).values_list("pk", "agency_id", "groups__name"):
        staff[agency_id][role].add(user_id)

    def unit_people(dossier) -> set[int]:
        unit = dossier.current_unit_id or dossier.competent_agency_id
        handlers = {dossier.assignee_id} if dossier.assignee_id else set(staff[unit][Role.SPECIALIST])
        return handlers | staff[unit][Role.LEADER]

    alerts: list[Alert] = []

    def add(kind, dossier, deadline, people, *, step_id=None):
        people = set(people)
        people.discard(None)
        alerts.append(Alert(kind, deadline, people, dossier=dossier, step_id=step_id))

    for dossier in dossiers:
        people = unit_people(dossier)
        if dossier.due_at < now:
            add(kinds.OVERDUE, dossier, dossier.due_at, people)
            if dossier.due_at <= escalate_before:
                # the head of the one-stop centre: leaders of the receiving agency
                heads = staff[dossier.receiving_agency_id][Role.LEADER]
                unit_leaders = staff[dossier.current_unit_id or dossier.competent_agency_id][Role.LEADER]
                add(kinds.ESCALATION, dossier, dossier.due_at, heads | unit_leaders)
        else:
            if dossier.due_at <= soon_limit:
                add(kinds.DUE_SOON, dossier, dossier.due_at, people)
            if dossier.due_at <= apology_limit and not dossier.has_apology:
                add(kinds.APOLOGY_REMINDER, dossier, dossier.due_at, people)
    for dossier in step_dossiers:
        kind = kinds.STEP_OVERDUE if dossier.step_due_at < now else kinds.STEP_DUE_SOON
        add(kind, dossier, dossier.step_due_at, unit_people(dossier), step_id=dossier.current_step_id)
    for reply_due_at, dossier in late_supplements:
        add(kinds.SUPPLEMENT_OVERDUE, dossier, reply_due_at, unit_people(dossier))
    for transfer_due_at, dossier in late_transfers:
        counter = staff[dossier.receiving_agency_id]
        add(kinds.TRANSFER_OVERDUE, dossier, transfer_due_at, counter[Role.RECEPTION] | counter[Role.LEADER])
    scanned = len(dossiers) + len(step_dossiers) + len(late_supplements) + len(late_transfers)
    return alerts, scanned


def working_moment_before(calendar, moment: datetime, hours: Decimal) -> datetime:
    """The latest moment M such that the working time from M to `moment` is `hours`
    (walking back through office periods; pure arithmetic, no query)."""
    from datetime import timedelta

    remaining = timedelta(hours=float(hours))
    moment = timezone.localtime(moment)
    day = moment.date()
    for _attempt in range(3660):
        for begin, end in reversed(calendar.periods(day)):
            start = datetime.combine(day, begin, moment.tzinfo)
            finish = min(datetime.combine(day, end, moment.tzinfo), moment)
            if finish <= start:
                continue
            available = finish - start
            if remaining <= available:
                return finish - remaining
            remaining -= available
        day -= timedelta(days=1)
    raise ValueError("no working time found in ten years")


def dedupe_key(alert: Alert, user_id: int, channel: str) -> str:
    # (subject, step, kind, deadline) identify an alert; one row per recipient and channel.
    step = alert.step_id if alert.step_id is not None else "-"
    return (
        f"alert:{alert.kind}:{alert.subject_key}:{step}:{alert.deadline.astimezone(UTC):%Y%m%d%H%M}"
        f":{user_id}:{channel}"
    )


MESSAGES = {
    kinds.TRANSFER_OVERDUE: _(
        "Hồ sơ %(code)s (%(procedure)s) chưa được chuyển đến cơ quan giải quyết; hạn chuyển %(deadline)s."
    ),
    kinds.SUPPLEMENT_OVERDUE: _(
        "Hồ sơ %(code)s (%(procedure)s): công dân chưa bổ sung, hạn bổ sung %(deadline)s."
    ),
    kinds.APOLOGY_REMINDER: _(
        "Hồ sơ %(code)s (%(procedure)s) hết hạn lúc %(deadline)s và chưa có văn bản xin lỗi, hẹn lại. "
        "Nếu không kịp trả kết quả, đơn vị cần ban hành Mẫu 04 ngay."
    ),
    kinds.OVERDUE: _("Hồ sơ %(code)s (%(procedure)s) đã quá hạn từ %(deadline)s."),
    kinds.ESCALATION: _(
        "Hồ sơ %(code)s (%(procedure)s) đã quá hạn từ %(deadline)s; đề nghị lãnh đạo đôn đốc."
    ),
    kinds.DUE_SOON: _("Hồ sơ %(code)s (%(procedure)s) sẽ đến hạn lúc %(deadline)s."),
    kinds.STEP_DUE_SOON: _(
        "Bước xử lý hiện tại của hồ sơ %(code)s (%(procedure)s) sẽ đến hạn lúc %(deadline)s."
    ),
    kinds.STEP_OVERDUE: _(
        "Bước xử lý hiện tại của hồ sơ %(code)s (%(procedure)s) đã quá hạn từ %(deadline)s."
    ),
}


def dossier_message(kind: str, dossier, deadline) -> tuple[str, str]:
    subject = f"{kinds.LABELS[kind]}: {dossier.code}"
    body = MESSAGES[kind] % {
        "code": dossier.code,
        "procedure": dossier.procedure_name,
        "deadline": _fmt(deadline),
    }
    return subject, body


def _channels(kind: str) -> list[str]:
    channels = [NotificationChannel.IN_APP]
    if kind in settings.ALERT_EMAIL_KINDS:
        channels.append(NotificationChannel.EMAIL)
    if kind in settings.ALERT_SMS_KINDS:
        channels.append(NotificationChannel.SMS)
    return channels


SCAN_NAME = "deadlines"


def scan_deadlines(*, now: datetime | None = None, full: bool | None = None) -> ScanResult:
    """Find what is due soon or overdue and record the alerts that do not exist yet.

    `full`: None (beat) decides from the watermark; True reads every candidate; False
    forces an incremental scan whenever a watermark exists (the bench). The watermark row is
    locked for the whole transaction, so concurrent scans run one after the other, and it
    only moves forward."""
    now = now or timezone.now()
    # Read before the transaction, from the process cache (a calendar change resets the
    # watermark after its commit: the next scan is a full one with the new calendar).
    calendar = get_calendar()
    with transaction.atomic():
        state = _lock_state()
        started = timezone.now()  # after the lock: changes committed later are re-read next time
        since = None if full else _since(state, now=now, forced=full is False)
        alerts, scanned = find_alerts(now=now, since=since, calendar=calendar)
        result = ScanResult(full=since is None, dossiers=scanned, alerts=alerts)
        new = record_alerts(alerts)
        result.created = len(new)
        result.resolved = _resolve_stale(now=now, new=new, since=since)
        _advance(state, now=now, started=started, full=since is None)
    logger.info(
        "deadline scan (%s): %s dossiers, %s alerts, %s new",
        "full" if result.full else "incremental",
        scanned,
        len(alerts),
        result.created,
    )
    return result


def _lock_state() -> AlertScanState:
    try:
        return AlertScanState.objects.select_for_update().get(name=SCAN_NAME)
    except AlertScanState.DoesNotExist:
        # a concurrent first scan may create it at the same time: get_or_create absorbs that
        AlertScanState.objects.get_or_create(name=SCAN_NAME)
        return AlertScanState.objects.select_for_update().get(name=SCAN_NAME)


def _since(state: AlertScanState, *, now: datetime, forced: bool) -> Since | None:
    """Where an incremental scan starts, or None when a full scan is due."""
    if state.scanned_until is None or state.changes_seen_at is None or now < state.scanned_until:
        return None  # no watermark, a calendar change, or a scan out of order (time went back)
    full_every = timedelta(minutes=settings.ALERT_FULL_SCAN_EVERY_MINUTES)
    if not forced and (state.full_scan_at is None or now - state.full_scan_at >= full_every):
        return None
    margin = timedelta(minutes=settings.ALERT_SCAN_CHANGE_MARGIN_MINUTES)
    return Since(until=state.scanned_until, changed_after=state.changes_seen_at - margin)


def _advance(state: AlertScanState, *, now: datetime, started: datetime, full: bool) -> None:
    """Move the watermark forward (never back), inside the scan's transaction."""
    state.scanned_until = max(state.scanned_until or now, now)
    state.changes_seen_at = max(state.changes_seen_at or started, started)
    fields = ["scanned_until", "changes_seen_at"]
    if full:
        state.full_scan_at = max(state.full_scan_at or now, now)
        fields.append("full_scan_at")
    state.save(update_fields=fields)


def reset_scan_watermark() -> int:
    """The next scan reads everything (a full scan): after a calendar change (a new holiday
    or make-up day moves the thresholds themselves) and after the legacy import."""
    return AlertScanState.objects.filter(name=SCAN_NAME).update(scanned_until=None)


def record_alerts(alerts: list[Alert]) -> list[Notification]:
    """Write the notifications of `alerts` that do not exist yet (one per recipient and
    channel) and enqueue e-mail/SMS after commit. Returns the new rows. A fixed number of
    queries plus the batched INSERTs of new rows."""
    contacts = {}
    if any(a.kind in settings.ALERT_EMAIL_KINDS or a.kind in settings.ALERT_SMS_KINDS for a in alerts):
        recipients = {uid for a in alerts for uid in a.recipients}
        contacts = {
            pk: (email, phone)
            for pk, email, phone in User.objects.filter(pk__in=recipients).values_list("pk", "email", "phone")
        }
    # key -> (alert, recipient, channel); the Notification rows (and the alert's text) are
    # built only for the keys that do not exist yet
    candidates: dict[str, tuple[Alert, int, str]] = {}
    channels = {kind: _channels(kind) for kind in {a.kind for a in alerts}}
    for alert in alerts:
        for user_id in alert.recipients:
            for channel in channels[alert.kind]:
                email, phone = contacts.get(user_id, ("", ""))
                if channel == NotificationChannel.EMAIL and not email:
                    continue
                if channel == NotificationChannel.SMS and not phone:
                    continue
                candidates[dedupe_key(alert, user_id, channel)] = (alert, user_id, channel)
    if not candidates:
        return []
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(dedupe_key__in=list(candidates)).values_list("dedupe_key", flat=True)
        )
        new = []
        for key, (alert, user_id, channel) in candidates.items():
            if key in existing:
                continue
            subject, body = alert.message()
            new.append(
                Notification(
                    channel=channel,
                    kind=alert.kind,
                    recipient_id=user_id,
                    dossier_id=alert.dossier.pk if alert.dossier is not None else None,
                    reference=alert.reference,
                    subject=subject[:255],
                    body=body,
                    dedupe_key=key,
                    deadline=alert.deadline,
                )
            )
        # ignore_conflicts: a concurrent scan that inserted the same key first wins, silently.
        Notification.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        outgoing = [n.dedupe_key for n in new if n.channel != NotificationChannel.IN_APP]
        if outgoing:
            ids = list(
                Notification.objects.filter(dedupe_key__in=outgoing, sent_at__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            transaction.on_commit(lambda: _enqueue_all(ids))
    return new


def supersede(new: list[Notification], *, now: datetime, subject_field: str) -> Q | None:
    """A condition matching the unread alerts that the `new` ones replace (SUPERSEDES)."""
    by_kind = defaultdict(set)
    for n in new:
        if n.channel == NotificationChannel.IN_APP:
            for older in kinds.SUPERSEDES.get(n.kind, ()):
                by_kind[older].add(getattr(n, subject_field))
    if not by_kind:
        return None
    condition = Q()
    for older, subjects in by_kind.items():
        condition |= Q(kind=older, **{f"{subject_field}__in": subjects})
    return condition


def _resolve_stale(*, now: datetime, new: list[Notification], since: Since | None = None) -> int:
    """Mark unread in-app deadline alerts as read when they no longer hold: the dossier
    has left the running states, its deadline moved, or a newer alert replaces them.
    Incremental (`since`): the first three can only follow a change of the dossier, so only
    the alerts of dossiers changed since are examined (index on `Dossier.updated_at`).

    Two plain queries: read the unread alerts with their dossier's state, decide in Python,
    update by primary key. (One UPDATE with the conditions OR-ed over a join and a long id
    list made PostgreSQL pick plans that took minutes on fresh tables.)"""
    replaced = set()
    for n in new:
        if n.channel == NotificationChannel.IN_APP:
            replaced.update((older, n.dossier_id) for older in kinds.SUPERSEDES.get(n.kind, ()))
    dossier_alert_kinds = [k for k in kinds.DEADLINE_KINDS if k not in kinds.FEEDBACK_KINDS]
    unread = Notification.objects.filter(
        channel=NotificationChannel.IN_APP, kind__in=dossier_alert_kinds, read_at__isnull=True
    )
    scopes = [unread]
    if since is not None:
        # Two queries, not one with an OR: PostgreSQL cannot use an index for "dossier changed
        # since OR dossier in (…)" across the join and read every unread alert (270 ms at a
        # million dossiers for a scan that raised two alerts; issue 21 §2).
        scopes = [unread.filter(dossier__updated_at__gt=since.changed_after)]
        if replaced:
            scopes.append(unread.filter(dossier_id__in={dossier_id for _kind, dossier_id in replaced}))
    fields = ("pk", "kind", "deadline", "dossier_id", "dossier__status", "dossier__due_at")
    rows = {}
    for scope in scopes:
        for row in scope.values_list(*fields, "dossier__step_due_at"):
            rows[row[0]] = row
    stale_ids = []
    for pk, kind, deadline, dossier_id, status, due_at, step_due_at in rows.values():
        if (
            (kind, dossier_id) in replaced
            or status not in OPEN_STATUSES
            or (kind in kinds.DOSSIER_DEADLINE_KINDS and deadline != due_at)
            or (kind in kinds.STEP_KINDS and (step_due_at is None or deadline != step_due_at))
            or (kind == kinds.SUPPLEMENT_OVERDUE and status != Status.WAITING_SUPPLEMENT)
            or (kind == kinds.TRANSFER_OVERDUE and status != Status.RECEIVED)
        ):
            stale_ids.append(pk)
    updated = 0
    for start in range(0, len(stale_ids), 1000):
        updated += Notification.objects.filter(pk__in=stale_ids[start : start + 1000]).update(read_at=now)
    return updated


# Notifications per message handed to the broker by the scan (tasks.enqueue_notifications).
HAND_OFF_BATCH = 200


def _enqueue_all(ids: list[int]) -> None:
    """After commit: the scan's e-mails and SMS to the notifications queue, a batch per
    message (each then gets its own `send_notification`). A failure to enqueue leaves the
    rows unsent for `resend_unsent_notifications`: the scan itself has succeeded."""
    from ..tasks import enqueue_notifications

    for start in range(0, len(ids), HAND_OFF_BATCH):
        batch = ids[start : start + HAND_OFF_BATCH]
        try:
            enqueue_notifications.delay(batch)
        except Exception:
            logger.exception("could not hand %s notifications to the broker; they will be resent", len(batch))
