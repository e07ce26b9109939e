"""Reads for the processing pages: visible dossiers, worklists, the control sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thutuc.access import ALL, restrict_to_visible, visible_agency_ids
from thutuc.calendar import TZ
from thutuc.roles import Role, has_role

from .models import Dossier, DossierEvent, EventAction, Status
from .services.deadlines import (
    CLASS_LABELS,
    RUNNING_STATUSES,
    calendars_for,
    classify_finished,
    classify_step,
    remaining_working_time,
)

# A member of staff sees a dossier received by, decided by, or currently in a visible agency.
DOSSIER_AGENCY_PATHS = "receiving_agency|competent_agency|current_unit"
OPEN = (Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT)


# The roles that work on dossiers. The catalogue admin's job is the catalogue and the admin
# (DESIGN §1): that role alone opens no dossier, receipt or slip (citizens' personal data).
DOSSIER_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.HOME_AFFAIRS)


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, *DOSSIER_ROLES))


def visible_dossiers(user) -> QuerySet:
    return restrict_to_visible(Dossier.objects.all(), user, field=DOSSIER_AGENCY_PATHS)


def _in_visible(field: str, user) -> Q:
    ids = visible_agency_ids(user)
    return Q() if ids is ALL else Q(**{f"{field}__in": ids})


# --- worklists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Worklist:
    slug: str
    label: str
    roles: tuple[str, ...]


WORKLISTS = [
    Worklist("hom-nay", _("Tiếp nhận hôm nay"), (Role.RECEPTION,)),
    Worklist("cho-tra", _("Chờ trả kết quả"), (Role.RECEPTION,)),
    Worklist("den-han-hom-nay", _("Đến hạn hôm nay"), (Role.RECEPTION,)),
    Worklist("cua-toi", _("Hồ sơ của tôi"), (Role.SPECIALIST, Role.LEADER)),
    Worklist("don-vi", _("Hồ sơ của đơn vị"), (Role.SPECIALIST, Role.LEADER, Role.HOME_AFFAIRS)),
]
FILTERS = {
    "sap-den-han": _("Sắp đến hạn"),
    "qua-han": _("Quá hạn"),
    "cho-bo-sung": _("Chờ bổ sung"),
}


def worklists_for(user) -> list[Worklist]:
    if user.is_superuser:
        return WORKLISTS
    return [w for w in WORKLISTS if has_role(user, *w.roles)]


def _day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(now.astimezone(TZ).date(), dt.time.min, TZ)
    return start, start + dt.timedelta(days=1)


def worklist_queryset(
    user, slug: str, *, filter_slug: str = "", procedure_id: int | None = None, now: dt.datetime | None = None
) -> QuerySet:
    """The rows of one worklist, with everything a row shows joined in (O(1) queries)."""
    return _worklist(user, slug, filter_slug=filter_slug, procedure_id=procedure_id, now=now)[0]


def worklist_rows(
    user, slug: str, *, filter_slug: str = "", procedure_id: int | None = None, now: dt.datetime | None = None
) -> WorklistRows:
    """The worklist as the paginated page reads it (see WorklistRows)."""
    queryset, statuses, narrowing = _worklist(
        user, slug, filter_slug=filter_slug, procedure_id=procedure_id, now=now
    )
    units = visible_agency_ids(user) if slug == "don-vi" else ALL
    if units is ALL or not statuses:
        return WorklistRows(queryset)
    ranges = [
        Q(narrowing, current_unit_id=unit, status=status) for unit in sorted(units) for status in statuses
    ]
    return WorklistRows(queryset, merge=ranges)


def _worklist(
    user, slug: str, *, filter_slug: str, procedure_id: int | None, now: dt.datetime | None
) -> tuple[QuerySet, tuple, Q]:
    """The worklist's queryset, its statuses, and the conditions of its filter (due dates,
    procedure) on their own, for WorklistRows' per-range reads."""
    now = now or timezone.now()
    narrowing = Q()
    today, tomorrow = _day_bounds(now)
    # The lists of one's own agencies filter on one agency path (receiving agency, current
    # unit), which is narrower than the visibility rule (received by, decided by or in a
    # visible agency): the rule's OR over three columns would only stop index-only reads.
    qs = (
        Dossier.objects.all()
        if slug in ("hom-nay", "cho-tra", "den-han-hom-nay", "don-vi")
        else (visible_dossiers(user))
    )
    # The statuses are narrowed to ONE `status IN (...)`: two stacked ones (the list's and
    # the filter's) make PostgreSQL misjudge the row count and skip the
    # (current_unit, status, due_at) index.
    statuses: tuple | None = None
    if slug == "hom-nay":
        qs = qs.filter(
            _in_visible("receiving_agency", user), received_at__gte=today, received_at__lt=tomorrow
        )
    elif slug == "cho-tra":
        qs = qs.filter(_in_visible("receiving_agency", user))
        statuses = (Status.RESULT_READY,)
    elif slug == "den-han-hom-nay":
        qs = qs.filter(_in_visible("receiving_agency", user), due_at__gte=today, due_at__lt=tomorrow)
        statuses = tuple(RUNNING_STATUSES)
    elif slug == "cua-toi":
        qs = qs.filter(assignee=user)
        statuses = OPEN
    else:  # "don-vi"
        qs = qs.filter(_in_visible("current_unit", user))
        statuses = OPEN

    def narrow(allowed) -> tuple:
        return tuple(allowed) if statuses is None else tuple(s for s in statuses if s in allowed)

    if filter_slug == "sap-den-han":
        calendar = calendars_for([user.agency] if user.agency_id else [])[user.agency_id]
        window = calendar.add_working_hours(now, settings.DOSSIER_DUE_SOON_WORKING_HOURS)
        narrowing &= Q(due_at__gte=now, due_at__lte=window)
        statuses = narrow(RUNNING_STATUSES)
    elif filter_slug == "qua-han":
        narrowing &= Q(due_at__lt=now)
        statuses = narrow(RUNNING_STATUSES)
    elif filter_slug == "cho-bo-sung":
        statuses = narrow((Status.WAITING_SUPPLEMENT,))
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if procedure_id:
        narrowing &= Q(procedure_id=procedure_id)
    order = "-received_at" if slug in ("hom-nay", "cho-tra") else "due_at"
    qs = qs.filter(narrowing).select_related("procedure", "current_unit", "assignee", "receiving_agency")
    return qs.order_by(order, "pk"), statuses or (), narrowing


# Past this many rows a worklist says "more than 1,000": counting them all costs a scan that
# grows with the table (a big unit's overdue backlog), and nobody pages that far — the
# filters (procedure, due soon, overdue) narrow the list instead.
COUNT_CAP = 1000
# Above this many (unit, status) index ranges the merge is not worth it (a whole province).
MAX_MERGED_RANGES = 48


class WorklistRows:
    """A worklist as Paginator reads it: a capped count and the rows of one page.

    `merge` lists one condition per (current_unit, status) pair (with the filter's own
    conditions) for the unit worklist ordered by due date:
    PostgreSQL cannot walk the (current_unit, status, due_at) index in due_at order across
    several units and statuses, so a plain ORDER BY due_at LIMIT 25 sorts every matching row
    (thousands of overdue dossiers in a big unit at a million dossiers). Instead each pair's
    index range is read in order up to the page's end and the short lists are merged
    (UNION ALL), then the page's rows are fetched by id — the first pages cost the same at
    100,000 dossiers as at 1,000,000."""

    def __init__(self, queryset: QuerySet, *, merge: list[Q] | None = None):
        self.queryset = queryset
        usable = connection.features.supports_slicing_ordering_in_compound
        self.merge = merge if merge and usable and len(merge) <= MAX_MERGED_RANGES else None
        self.capped = False

    def count(self) -> int:
        counted = self.queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    def __getitem__(self, key: slice) -> list[Dossier]:
        if self.merge is None:
            return list(self.queryset[key])
        start, stop = key.start or 0, key.stop
        if stop <= start:  # Paginator's empty first page asks for [0:0]
            return []
        # Only the range's own equalities and the filter: the list's `IN (...)` conditions
        # on the index's leading columns would stop PostgreSQL reading it in order.
        ranges = [
            Dossier.objects.filter(condition).order_by("due_at", "id").values_list("id", "due_at")
            for condition in self.merge
        ]
        if len(ranges) == 1:  # one unit, one status: the index range is the page already
            merged = ranges[0][start:stop]
        else:
            parts = [part[:stop] for part in ranges]
            merged = parts[0].union(*parts[1:], all=True).order_by("due_at", "id")[start:stop]
        ids = [row[0] for row in merged]
        rows = {dossier.pk: dossier for dossier in self.queryset.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids]


def with_deadline_text(dossiers: list[Dossier], *, now: dt.datetime | None = None) -> list[Dossier]:
    """Set `deadline_text` / `deadline_css` on each row: remaining or overdue working time
    (open dossiers), the stopped clock (waiting for a supplement), or the classification
    (finished). One query for all the calendars of the page."""
    now = now or timezone.now()
    calendars = calendars_for({d.receiving_agency_id: d.receiving_agency for d in dossiers}.values())
    for dossier in dossiers:
        if dossier.status == Status.WAITING_SUPPLEMENT:
            dossier.deadline_text, dossier.deadline_css = (
                _("dừng tính thời gian (chờ bổ sung)"),
                "status-warn",
            )
        elif dossier.status in RUNNING_STATUSES:
            remaining = remaining_working_time(
                dossier.due_at, calendar=calendars[dossier.receiving_agency_id], now=now
            )
            dossier.deadline_text = str(remaining)
            dossier.deadline_css = (
                "status-bad"
                if remaining.overdue
                else (
                    "status-warn"
                    if remaining.hours <= settings.DOSSIER_DUE_SOON_WORKING_HOURS
                    else "status-ok"
                )
            )
        elif dossier.finished_at:
            verdict = classify_finished(dossier.finished_at, dossier.original_due_at)
            dossier.deadline_text = CLASS_LABELS[verdict]
            dossier.deadline_css = "status-bad" if verdict == "late" else "status-ok"
        else:
            dossier.deadline_text, dossier.deadline_css = "", ""
    return dossiers


# --- the control sheet ------------------------------------------------------------------------------

HAND_OFF_ACTIONS = (
    EventAction.TRANSFER,
    EventAction.ASSIGN,
    EventAction.APPROVE,
    EventAction.REFUSE,
    EventAction.STOP,
    EventAction.WITHDRAW,
    EventAction.RETURN_RESULT,
)


@dataclass
class ControlRow:
    event: DossierEvent
    ended_at: dt.datetime | None
    verdict: str  # "early" | "on_time" | "late" | "" (no step deadline, or still running)

    @property
    def verdict_label(self):
        return CLASS_LABELS.get(self.verdict, "")


def control_sheet_rows(dossier: Dossier, events: list[DossierEvent]) -> list[ControlRow]:
    """One row per hand-off. A step ends at the next hand-off (or at the end of processing);
    the step is early / on time / late against its own deadline (by the moment, see
    motcua.services.deadlines). The final return row is judged against the statutory
    deadline (original_due_at) by date."""
    hand_offs = [e for e in events if e.action in HAND_OFF_ACTIONS]
    rows = []
    for index, event in enumerate(hand_offs):
        ended_at = hand_offs[index + 1].at if index + 1 < len(hand_offs) else None
        verdict = ""
        if event.action == EventAction.RETURN_RESULT:
            finished = dossier.finished_at or event.at
            verdict = classify_finished(finished, dossier.original_due_at)
        elif event.step_due_at and ended_at:
            verdict = classify_step(ended_at, event.step_due_at)
        rows.append(ControlRow(event=event, ended_at=ended_at, verdict=verdict))
    return rows


def dossier_events(dossier: Dossier) -> list[DossierEvent]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor", "recipient", "unit_before", "unit_after", "step")
        .order_by("at", "pk")
    )
