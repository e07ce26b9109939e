"""Reads for the processing pages: visible dossiers, worklists, the control sheet."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import get_or_compute
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import ALL, restrict_to_visible, visible_agency_ids
from thutuc.calendar import TZ
from thutuc.deadlines import CLASS_LABELS, LATE, classify_step, due_soon_hours, due_soon_limit
from thutuc.models import Agency, Procedure

from .models import Dossier, DossierEvent, EventAction, Status
from .models.dossier import CLOCK_RUNNING_STATUSES, OPEN_STATUSES
from .services.codes import parse_dossier_code
from .services.deadlines import calendars_for, classify_dossier, remaining_working_time

# A member of staff sees a dossier received by, decided by, or currently in a visible agency.
DOSSIER_AGENCY_PATHS = "receiving_agency|competent_agency|current_unit"


# The roles that work on dossiers. The catalogue admin's job is the catalogue and the admin
# (DESIGN §1): that role alone opens no dossier, receipt or slip (citizens' personal data).
DOSSIER_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.HOME_AFFAIRS)


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, *DOSSIER_ROLES))


def visible_dossiers(user) -> QuerySet:
    return restrict_to_visible(Dossier.objects.all(), user, field=DOSSIER_AGENCY_PATHS)


# The worklist's procedure filter lists the procedures of the dossiers an officer sees: a
# semi-join over the unit's dossiers (2 ms of every worklist page at a million dossiers), for
# a list that changes when a unit first receives a procedure. Kept per set of visible
# agencies (shared by a unit's officers) for a few minutes (issue 21 §2).
WORKLIST_PROCEDURES_SECONDS = 300


def worklist_procedures(user) -> list[tuple[int, str, str]]:
    """(pk, code, name) of the procedures of the dossiers `user` sees, by code."""
    ids = visible_agency_ids(user)
    scope = "all" if ids is ALL else ",".join(map(str, sorted(ids)))
    key = "worklist-procedures:" + hashlib.sha256(scope.encode()).hexdigest()[:32]
    return get_or_compute(
        key,
        lambda: list(
            Procedure.objects.filter(pk__in=visible_dossiers(user).values("procedure_id"))
            .order_by("code")
            .values_list("pk", "code", "name")
        ),
        WORKLIST_PROCEDURES_SECONDS,
    )


def acted_on(user) -> Exists:
    """The dossier's history names `user` as the one who acted."""
    return Exists(DossierEvent.objects.filter(dossier_id=OuterRef("pk"), actor_id=user.pk))


def openable_dossiers(user) -> QuerySet:
    """The dossiers a member of staff may open (read): those of the agencies they see, and
    any dossier they acted on themselves — who handed a dossier on to another unit keeps
    reading it (page, control sheet, printed forms), without acting on it any more."""
    ids = visible_agency_ids(user)
    if ids is ALL:
        return Dossier.objects.all()
    condition = Q(acted_on(user))
    for path in DOSSIER_AGENCY_PATHS.split("|") if ids else ():
        condition |= Q(**{f"{path}__in": ids})
    return Dossier.objects.filter(condition)


def sees_by_agency(user, dossier: Dossier) -> bool:
    """The visibility rule applied to a loaded dossier (its three agency ids), no query."""
    ids = visible_agency_ids(user)
    return ids is ALL or any(
        getattr(dossier, f"{path}_id", None) in ids for path in DOSSIER_AGENCY_PATHS.split("|")
    )


def _in_visible(field: str, user) -> Q:
    ids = visible_agency_ids(user)
    return Q() if ids is ALL else Q(**{f"{field}__in": ids})


def _visible_agency_codes(user) -> frozenset[str]:
    """Identifiers of the agencies the user sees (cached on the user for the request)."""
    cached = getattr(user, "_visible_agency_codes", None)
    if cached is None:
        ids = visible_agency_ids(user)
        cached = frozenset(
            Agency.objects.filter(pk__in=ids or ()).exclude(code=None).values_list("code", flat=True)
        )
        user._visible_agency_codes = cached
    return cached


def may_open_listed(user, dossier) -> bool:
    """Whether a code shown in a list may be a link to the dossier's page, decided without a
    query per row: a Dossier (or any object with its agency ids) by its receiving agency,
    competent agency or current unit; a bare code by its prefix (the identifier of the
    competent agency, or of the receiving counter for an inter-agency dossier: NĐ 118/2025
    Điều 28; a counter officer of a dossier decided elsewhere gets plain text there). A
    dossier open to the user only because they acted on it is not recognised here (that
    needs the history) unless the list read it among the openable ones and marked it
    `viewer_may_open` ("Hồ sơ tôi đã xử lý", a search by code)."""
    if not user.is_authenticated or not is_staff_member(user):
        return False
    ids = visible_agency_ids(user)
    if ids is ALL or getattr(dossier, "viewer_may_open", False):
        return True
    if not isinstance(dossier, str):
        return sees_by_agency(user, dossier)
    parsed = parse_dossier_code(dossier)
    return parsed is not None and parsed[0] in _visible_agency_codes(user)


# --- worklists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Worklist:
    slug: str
    label: str
    roles: tuple[str, ...]


WORKLISTS = [
    Worklist("hom-nay", _("Tiếp nhận trong ngày"), (Role.RECEPTION,)),
    Worklist("tai-quay", _("Hồ sơ đã tiếp nhận"), (Role.RECEPTION,)),
    Worklist("cho-tra", _("Chờ trả kết quả"), (Role.RECEPTION,)),
    Worklist("den-han-hom-nay", _("Đến hạn trong ngày"), (Role.RECEPTION,)),
    Worklist("cua-toi", _("Hồ sơ của tôi"), (Role.SPECIALIST, Role.LEADER)),
    Worklist("don-vi", _("Hồ sơ của đơn vị"), (Role.SPECIALIST, Role.LEADER, Role.HOME_AFFAIRS)),
    Worklist("da-xu-ly", _("Hồ sơ tôi đã xử lý"), (Role.RECEPTION, Role.SPECIALIST, Role.LEADER)),
]
# The lists of one day (any day: `ngay=YYYY-MM-DD`, today by default).
DAY_LISTS = ("hom-nay", "den-han-hom-nay")
FILTERS = {
    "sap-den-han": _("Sắp đến hạn"),
    "qua-han": _("Quá hạn"),
    "cho-chuyen": _("Chờ chuyển xử lý"),
    "cho-bo-sung": _("Chờ bổ sung"),
    "cho-nop-phi": _("Chờ nộp phí, lệ phí"),
    "cho-tra": _("Chờ trả kết quả"),
}
# The statuses each filter keeps (the due-date filters also narrow by date).
FILTER_STATUSES = {
    "sap-den-han": CLOCK_RUNNING_STATUSES,
    "qua-han": CLOCK_RUNNING_STATUSES,
    "cho-chuyen": (Status.RECEIVED,),
    "cho-bo-sung": (Status.WAITING_SUPPLEMENT,),
    "cho-nop-phi": (Status.WAITING_PAYMENT,),
    "cho-tra": (Status.RESULT_READY,),
}


def worklists_for(user) -> list[Worklist]:
    if user.is_superuser:
        return WORKLISTS
    return [w for w in WORKLISTS if has_role(user, *w.roles)]


def _day_bounds(now: dt.datetime, day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day or now.astimezone(TZ).date(), dt.time.min, TZ)
    return start, start + dt.timedelta(days=1)


def worklist_queryset(
    user,
    slug: str,
    *,
    filter_slug: str = "",
    procedure_id: int | None = None,
    now: dt.datetime | None = None,
    day: dt.date | None = None,
) -> QuerySet:
    """The rows of one worklist, with everything a row shows joined in (O(1) queries)."""
    if slug == "da-xu-ly":
        return ActedRows(user, _narrowing(user, filter_slug, procedure_id, now or timezone.now())).dossiers()
    return _worklist(user, slug, filter_slug=filter_slug, procedure_id=procedure_id, now=now, day=day)[0]


def worklist_rows(
    user,
    slug: str,
    *,
    filter_slug: str = "",
    procedure_id: int | None = None,
    now: dt.datetime | None = None,
    day: dt.date | None = None,
):
    """The worklist as the paginated page reads it (see WorklistRows, ActedRows)."""
    if slug == "da-xu-ly":
        return ActedRows(user, _narrowing(user, filter_slug, procedure_id, now or timezone.now()))
    queryset, statuses, narrowing = _worklist(
        user, slug, filter_slug=filter_slug, procedure_id=procedure_id, now=now, day=day
    )
    units = visible_agency_ids(user) if slug == "don-vi" else ALL
    if units is ALL or not statuses:
        return WorklistRows(queryset)
    ranges = [(unit, status) for unit in sorted(units) for status in statuses]
    return WorklistRows(queryset, merge=ranges, narrowing=narrowing)


@dataclass(frozen=True)
class Narrowing:
    """A filter's conditions as plain lookups on Dossier (so that they can also be applied
    through a relation: ActedRows filters history rows by their dossier)."""

    statuses: tuple | None
    lookups: dict

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in self.lookups.items()})


def _narrowing(user, filter_slug: str, procedure_id: int | None, now: dt.datetime) -> Narrowing:
    lookups = {}
    if filter_slug == "sap-den-han":
        calendar = calendars_for([user.agency] if user.agency_id else [])[user.agency_id]
        window = due_soon_limit(calendar, now)
        lookups.update(due_at__gte=now, due_at__lte=window)
    elif filter_slug == "qua-han":
        lookups.update(due_at__lt=now)
    if procedure_id:
        lookups.update(procedure_id=procedure_id)
    return Narrowing(FILTER_STATUSES.get(filter_slug), lookups)


def _worklist(
    user,
    slug: str,
    *,
    filter_slug: str,
    procedure_id: int | None,
    now: dt.datetime | None,
    day: dt.date | None = None,
) -> tuple[QuerySet, tuple, Q]:
    """The worklist's queryset, its statuses, and the conditions of its filter (due dates,
    procedure) on their own, for WorklistRows' per-range reads."""
    now = now or timezone.now()
    start, end = _day_bounds(now, day)
    # The lists of one's own agencies filter on one agency path (receiving agency, current
    # unit), which is narrower than the visibility rule (received by, decided by or in a
    # visible agency): the rule's OR over three columns would only stop index-only reads.
    qs = Dossier.objects.all() if slug != "cua-toi" else visible_dossiers(user)
    # The statuses are narrowed to ONE `status IN (...)`: two stacked ones (the list's and
    # the filter's) make PostgreSQL misjudge the row count and skip the
    # (current_unit, status, due_at) index.
    statuses: tuple | None = None
    if slug == "hom-nay":
        qs = qs.filter(_in_visible("receiving_agency", user), received_at__gte=start, received_at__lt=end)
    elif slug == "tai-quay":
        qs = qs.filter(_in_visible("receiving_agency", user))
        statuses = OPEN_STATUSES
    elif slug == "cho-tra":
        qs = qs.filter(_in_visible("receiving_agency", user))
        statuses = (Status.RESULT_READY,)
    elif slug == "den-han-hom-nay":
        qs = qs.filter(_in_visible("receiving_agency", user), due_at__gte=start, due_at__lt=end)
        statuses = CLOCK_RUNNING_STATUSES
    elif slug == "cua-toi":
        qs = qs.filter(assignee=user)
        statuses = OPEN_STATUSES
    else:  # "don-vi"
        qs = qs.filter(_in_visible("current_unit", user))
        statuses = OPEN_STATUSES

    narrowing = _narrowing(user, filter_slug, procedure_id, now)
    if narrowing.statuses is not None:
        allowed = narrowing.statuses
        statuses = allowed if statuses is None else tuple(s for s in statuses if s in allowed)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    order = "-received_at" if slug in ("hom-nay", "cho-tra") else "due_at"
    qs = qs.filter(narrowing.q()).select_related(*ROW_RELATIONS)
    return qs.order_by(order, "pk"), statuses or (), narrowing.q()


# Past this many rows a worklist says "more than 1,000": counting them all costs a scan that
# grows with the table (a big unit's overdue backlog), and nobody pages that far — the
# filters (procedure, due soon, overdue) narrow the list instead.
COUNT_CAP = 1000
# Above this many (unit, status) index ranges the merge is not worth it (a whole province).
MAX_MERGED_RANGES = 48


class WorklistRows:
    """A worklist as Paginator reads it: a capped count and the rows of one page.

    `merge` lists the (current_unit, status) pairs of the unit worklist ordered by due date,
    `narrowing` the filter's own conditions: PostgreSQL cannot walk the (current_unit,
    status, due_at) index in due_at order across several units and statuses, so a plain
    ORDER BY due_at LIMIT 25 sorts every matching row (thousands of overdue dossiers in a
    big unit at a million dossiers). Instead each pair's index range is read in order up to
    the page's end and the short lists are merged (UNION ALL), then the page's rows are
    fetched by id — the first pages cost the same at 100,000 dossiers as at 1,000,000."""

    def __init__(self, queryset: QuerySet, *, merge: list[tuple[int, str]] | None = None, narrowing=None):
        self.queryset = queryset
        usable = connection.features.supports_slicing_ordering_in_compound
        self.merge = merge if merge and usable and len(merge) <= MAX_MERGED_RANGES else None
        self.narrowing = narrowing or Q()
        self.capped = False

    def count(self) -> int:
        counted = self.queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    def __getitem__(self, key: slice) -> list[Dossier]:
        page = self.queryset.select_related(None).select_related(*PAGE_RELATIONS)
        if self.merge is None:
            return with_case_versions(list(page[key]))
        start, stop = key.start or 0, key.stop
        if stop <= start:  # Paginator's empty first page asks for [0:0]
            return []
        ids = self._merged_ids(start, stop)
        rows = {dossier.pk: dossier for dossier in page.filter(pk__in=ids).order_by()}
        return with_case_versions([rows[pk] for pk in ids])

    def _merged_ids(self, start: int, stop: int) -> list[int]:
        """The ids of rows [start:stop] in (due_at, id) order, one index range per pair.

        Written as SQL (issue 21 §2): the ORM compiled the same small range query once per
        pair (a dozen and more per page) at about 0.4 ms each, while PostgreSQL runs the
        whole UNION in 0.2 ms. The filter's conditions are compiled by the ORM, once. Only
        the range's own equalities and the filter: the list's `IN (...)` conditions on the
        index's leading columns would stop PostgreSQL reading it in order."""
        quote = connection.ops.quote_name
        table = quote(Dossier._meta.db_table)
        filtered = Dossier.objects.filter(self.narrowing).query
        try:
            where, where_params = filtered.get_compiler(connection=connection).compile(filtered.where)
        except FullResultSet:  # no filter
            where, where_params = "", []
        except EmptyResultSet:  # a filter nothing can match
            return []
        where = f" AND ({where})" if where else ""
        unit, status, due_at = (quote(name) for name in ("current_unit_id", "status", "due_at"))
        select = (
            f"SELECT {table}.{quote('id')}, {table}.{due_at} FROM {table} "
            f"WHERE {table}.{unit} = %s AND {table}.{status} = %s{where} "
            f"ORDER BY {table}.{due_at}, {table}.{quote('id')} LIMIT %s"
        )
        if len(self.merge) == 1:  # one unit, one status: the index range is the page already
            unit_id, status_value = self.merge[0]
            sql, params = f"{select} OFFSET %s", [unit_id, status_value, *where_params, stop - start, start]
        else:
            params = []
            for unit_id, status_value in self.merge:
                params += [unit_id, status_value, *where_params, stop]
            sql = " UNION ALL ".join([f"({select})"] * len(self.merge)) + " ORDER BY 2, 1 LIMIT %s OFFSET %s"
            params += [stop - start, start]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


ROW_RELATIONS = ("procedure", "current_unit", "assignee", "receiving_agency")
# A worklist page's rows: the procedure's name is the one the dossier was received under,
# read from its case version (kept in memory, append-only): joining the catalogue's wide
# procedure row cost more than the rest of the rows query (issue 21 §2).
PAGE_RELATIONS = ("current_unit", "assignee", "receiving_agency")


def with_case_versions(dossiers: list[Dossier]) -> list[Dossier]:
    """Attach each dossier's case version (`procedure_name`, `case_name`) without a query
    when the versions are in memory, else one query for the page."""
    from thutuc.catalogue.versions import committed_case_versions

    versions = committed_case_versions([d.case_version_id for d in dossiers if d.case_version_id])
    for dossier in dossiers:
        if dossier.case_version_id in versions:
            dossier.case_version = versions[dossier.case_version_id]
    return dossiers


class ActedRows:
    """ "Hồ sơ tôi đã xử lý": every dossier whose history names the user as the one who
    acted (received, handed on, asked for a supplement, signed, returned …), the most
    recently acted on first, whatever its status now. Read from the history through its
    actor index — the user's own events, grouped per dossier — then the page's dossiers by
    id: a fixed number of queries, whatever the page."""

    def __init__(self, user, narrowing: Narrowing):
        events = DossierEvent.objects.filter(actor_id=user.pk).order_by()
        if narrowing.statuses is not None:
            events = events.filter(dossier__status__in=narrowing.statuses)
        self.events = events.filter(narrowing.q("dossier__"))
        self.capped = False

    def count(self) -> int:
        counted = self.events.values("dossier_id").distinct()[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    def __getitem__(self, key: slice) -> list[Dossier]:
        rows = self.events.values("dossier_id").annotate(last=Max("at")).order_by("-last", "-dossier_id")[key]
        last = {row["dossier_id"]: row["last"] for row in rows}
        dossiers = Dossier.objects.filter(pk__in=list(last)).select_related(*PAGE_RELATIONS).in_bulk()
        with_case_versions(list(dossiers.values()))
        page = []
        for pk, at in last.items():
            dossier = dossiers[pk]
            dossier.my_last_action_at = at
            dossier.viewer_may_open = True
            page.append(dossier)
        return page

    def dossiers(self) -> QuerySet:
        return (
            Dossier.objects.filter(pk__in=self.events.values("dossier_id"))
            .select_related(*ROW_RELATIONS)
            .order_by("-received_at", "pk")
        )


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
        elif dossier.status in CLOCK_RUNNING_STATUSES:
            remaining = remaining_working_time(
                dossier.due_at, calendar=calendars[dossier.receiving_agency_id], now=now
            )
            dossier.deadline_text = str(remaining)
            dossier.deadline_css = (
                "status-bad"
                if remaining.overdue
                else ("status-warn" if remaining.hours <= due_soon_hours() else "status-ok")
            )
        elif dossier.finished_at:
            verdict = classify_dossier(dossier)
            dossier.deadline_text = CLASS_LABELS[verdict]
            dossier.deadline_css = "status-bad" if verdict == LATE else "status-ok"
        else:
            dossier.deadline_text, dossier.deadline_css = "", ""
    return dossiers


# --- the control sheet ------------------------------------------------------------------------------

HAND_OFF_ACTIONS = (
    EventAction.TRANSFER,
    EventAction.ASSIGN,
    EventAction.CHANGE_COMPETENT,
    EventAction.REORGANISE,
    EventAction.APPROVE,
    EventAction.REFUSE,
    EventAction.STOP,
    EventAction.WITHDRAW,
    EventAction.CLOSE,
    EventAction.RETURN_RESULT,
)


@dataclass
class ControlRow:
    event: DossierEvent
    ended_at: dt.datetime | None
    verdict: str  # "early" | "on_time" | "late" | "" (no step deadline, or still running)
    # When the agency it was handed to acknowledged receipt (NĐ 118/2025 Điều 18, Điều 20
    # khoản 1: hand-over and receipt are two moments); None when not recorded.
    received_at: dt.datetime | None = None

    @property
    def verdict_label(self):
        return CLASS_LABELS.get(self.verdict, "")


def control_sheet_rows(dossier: Dossier, events: list[DossierEvent]) -> list[ControlRow]:
    """One row per hand-off. A step ends at the next hand-off (or at the end of processing);
    the step is early / on time / late against its own deadline (by the moment,
    thutuc.deadlines.classify_step). The final return row is the dossier's own
    classification (classify_dossier: by date, against the statutory deadline)."""
    hand_offs = [e for e in events if e.action in HAND_OFF_ACTIONS]
    rows = []
    for index, event in enumerate(hand_offs):
        ended_at = hand_offs[index + 1].at if index + 1 < len(hand_offs) else None
        verdict = ""
        if event.action == EventAction.RETURN_RESULT:
            verdict = classify_dossier(dossier, finished_at=dossier.finished_at or event.at)
        elif event.step_due_at and ended_at:
            verdict = classify_step(ended_at, event.step_due_at)
        receipt = next(
            (
                e.at
                for e in events
                if e.action == EventAction.RECEIVE_TRANSFER
                and e.at >= event.at
                and (ended_at is None or e.at <= ended_at)
            ),
            None,
        )
        rows.append(ControlRow(event=event, ended_at=ended_at, verdict=verdict, received_at=receipt))
    return rows


def first_late_step(rows: list[ControlRow], *, now: dt.datetime) -> ControlRow | None:
    """The step at which the dossier became late: the first step of the control sheet that
    ended after its own deadline, or the step still running past it at `now` (baocao's
    "late steps by unit and officer" counts the same steps, baocao/lateness.py)."""
    for row in rows:
        if row.event.action == EventAction.RETURN_RESULT:
            continue
        if row.verdict == LATE:
            return row
        if row.ended_at is None and row.event.step_due_at and row.event.step_due_at < now:
            # the last hand-off may end processing (approve, refuse…) and carry no deadline
            return row
    return None


def dossier_events(dossier: Dossier) -> list[DossierEvent]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor", "recipient", "unit_before", "unit_after", "step")
        .order_by("at", "pk")
    )
