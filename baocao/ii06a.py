"""Biểu II.06a "Tình hình, kết quả giải quyết TTHC": one definition per column.

Each column is a `Q` over `Dossier` (plus two day annotations from `annotate_days`). The
aggregate (`compute`) counts every column with `Count(filter=column_q(...))` grouped by field
or unit, and the drill-down (`dossiers_in`) filters with the *same* `Q`, so a number on the
screen and the list behind it can never disagree.

Decisions (documented in docs/baocao.md):
- Dates are compared by **day** in the portal's time zone (TruncDate with tzinfo; the
  period bounds are local midnights) — identical on SQLite and PostgreSQL.
- The due date is the **statutory** one, `Dossier.original_due_at`: an apology moves
  `due_at` but the dossier still counts as late (DESIGN §5.3). A supplement that restarts
  the clock recomputes the statutory deadline itself.
- "Resolved" (col 7) = processing ended in the period: result ready (9), result returned
  (10), withdrawn (7) and **stopped (8)**. Withdrawn and stopped count as resolved **on
  time**: processing ended on the applicant's side (withdrawal; the stop cases — applicant
  did not supplement or pay, asked to stop — happen while the clock waits on them).
- "Waiting for supplement" is the dossier's current status (the report is taken at the end
  of the period; history is not replayed).
- A period still running (its end is after `now`) is read **as of now**: a pending dossier
  is overdue (col 13) only if its statutory appointment is before now, not before the
  period's last day (a dossier received today and due tomorrow is within its deadline).
  A period that has ended keeps the rule by day against its last day; frozen snapshots
  keep the figures of the moment they were sent.
- Not accepted (statuses 1 and 3) never count.
- A dossier counts with the agency **competent at the end of the period**: one that a
  reorganisation moved (motcua.DossierSuccession, issue 18) counts with its old agency for
  periods ending before the decision's effective date, and with its successor afterwards
  (received before the period: column 6, "từ kỳ trước"). The province's total never changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from motcua.models import Channel, Dossier, DossierSuccession, Status
from motcua.models.dossier import ENDED_BY_APPLICANT_STATUSES, FINISHED_STATUSES
from thutuc.deadlines import EARLY, LATE, ON_TIME, finished_class_q
from thutuc.models import Agency

from .periods import Period, local_tz

COLUMNS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
# The form's headings, for screens and exports (column number -> label).
COLUMN_LABELS = {
    1: "TT",
    2: "Lĩnh vực / Đơn vị",
    3: "Tổng số",
    4: "Trực tuyến",
    5: "Trực tiếp, dịch vụ bưu chính",
    6: "Từ kỳ trước",
    7: "Tổng số",
    8: "Trước hạn",
    9: "Đúng hạn",
    10: "Quá hạn",
    11: "Tổng số",
    12: "Trong hạn",
    13: "Quá hạn",
}
COLUMN_GROUPS = (
    ("Số hồ sơ nhận giải quyết", (3, 4, 5, 6)),
    ("Số lượng hồ sơ đã giải quyết", (7, 8, 9, 10)),
    ("Số lượng hồ sơ đang giải quyết", (11, 12, 13)),
)
# Extra measure carried with the table (not a column of the form): postal share.
EXTRA_MEASURES = ("postal",)

NOT_ACCEPTED_STATUSES = (Status.SUBMITTED_ONLINE, Status.NOT_ACCEPTED)
# Resolved statuses (col 7): national codes 7, 8, 9, 10 — everything with finished_at.
RESOLVED_STATUSES = tuple(FINISHED_STATUSES)
# Counted as resolved on time whatever the dates (see module docstring).
ALWAYS_ON_TIME_STATUSES = ENDED_BY_APPLICANT_STATUSES
# Counted as "in progress, within deadline" whatever the dates.
ALWAYS_WITHIN_DEADLINE_STATUSES = (Status.WAITING_SUPPLEMENT,)
# The statutory deadline (not moved by an apology).
DUE_FIELD = "original_due_at"

AGENCY_ROLES = {"competent": "competent_agency", "receiving": "receiving_agency"}
# The form reports the agency that *resolves* the dossiers ("tình hình giải quyết").
DEFAULT_AGENCY_ROLE = "competent"
# The form has two variants: counted where the dossiers were received (a one-stop centre
# reports what it received, "tại Trung tâm Phục vụ hành chính công"), or by the agency
# competent to resolve them ("tại cơ quan, đơn vị trực tiếp giải quyết").
FORM_TITLE = "Tình hình, kết quả giải quyết thủ tục hành chính"
VARIANT_COMPETENT = "tại cơ quan, đơn vị trực tiếp giải quyết"
VARIANT_CENTRE = "tại Trung tâm Phục vụ hành chính công"
VARIANT_COUNTER = "tại Bộ phận Một cửa"


def variant_title(agency_role: str, *, is_centre: bool = True) -> str:
    """ "tại Trung tâm Phục vụ hành chính công" / "tại cơ quan, đơn vị trực tiếp giải quyết"."""
    if agency_role == "receiving":
        return VARIANT_CENTRE if is_centre else VARIANT_COUNTER
    return VARIANT_COMPETENT


GROUPINGS = ("field", "unit")

FINISH_DAY = "bc_finish_day"
DUE_DAY = "bc_due_day"


class IdentityError(ValueError):
    """The table breaks 3 = 4 + 5 + 6 = 7 + 11 (or 7 = 8 + 9 + 10, 11 = 12 + 13)."""


def annotate_days(queryset: QuerySet) -> QuerySet:
    tz = local_tz()
    return queryset.annotate(
        **{FINISH_DAY: TruncDate("finished_at", tzinfo=tz), DUE_DAY: TruncDate(DUE_FIELD, tzinfo=tz)}
    )


def total_q(period: Period) -> Q:
    """Col 3: accepted by the end of the period and not finished before it started."""
    start, end = period.bounds()
    accepted = ~Q(status__in=NOT_ACCEPTED_STATUSES)
    return accepted & Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))


def is_running(period: Period, now: dt.datetime | None = None) -> bool:
    """The period has not ended yet at `now` (its figures are read as of now)."""
    return (now or timezone.now()) < period.bounds()[1]


def column_q(
    column: int | str, period: Period, *, within_total: bool = False, now: dt.datetime | None = None
) -> Q:
    """The dossiers counted in `column` of the table for `period` (needs annotate_days).
    Every column is a subset of column 3; with `within_total` the condition of column 3
    itself is left out (for a queryset already filtered by it: the aggregate evaluates it
    once in WHERE, not again in every FILTER clause). Column 3 is then the empty Q.
    `now` (default: the current time) decides whether the period is still running."""
    start, end = period.bounds()
    now = now or timezone.now()
    total = Q() if within_total else total_q(period)
    in_period = total & Q(received_at__gte=start)
    resolved = total & Q(finished_at__lt=end) & Q(status__in=RESOLVED_STATUSES)
    days = {
        "finish_day": FINISH_DAY,
        "due_day": DUE_DAY,
        "always_on_time": Q(status__in=ALWAYS_ON_TIME_STATUSES),
    }
    in_progress = total & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    waiting = Q(status__in=ALWAYS_WITHIN_DEADLINE_STATUSES)
    if is_running(period, now):
        # As of now: overdue once the statutory appointment has passed.
        within_deadline = Q(**{f"{DUE_FIELD}__gte": now})
        past_deadline = Q(**{f"{DUE_FIELD}__lt": now})
    else:
        within_deadline = Q(**{f"{DUE_DAY}__gte": period.end})
        past_deadline = Q(**{f"{DUE_DAY}__lt": period.end})
    definitions = {
        3: total,
        4: in_period & Q(channel=Channel.ONLINE),
        5: in_period & Q(channel__in=[Channel.DIRECT, Channel.POSTAL]),
        6: total & Q(received_at__lt=start),
        7: resolved,
        # early / on time / late: the one rule, thutuc.deadlines.classify_finished
        8: resolved & finished_class_q(EARLY, **days),
        9: resolved & finished_class_q(ON_TIME, **days),
        10: resolved & finished_class_q(LATE, **days),
        11: in_progress,
        12: in_progress & (waiting | within_deadline),
        13: in_progress & ~waiting & past_deadline,
        "postal": in_period & Q(channel=Channel.POSTAL),
    }
    try:
        return definitions[int(column) if str(column).isdigit() else column]
    except KeyError:
        raise ValueError(f"unknown column {column!r}") from None


@dataclass(frozen=True)
class Scope:
    """Whose dossiers: a set of agency ids (None = the whole province), counted as the
    competent (resolving) or the receiving agency."""

    agency_ids: frozenset[int] | None
    agency_role: str = DEFAULT_AGENCY_ROLE
    # The last day of the latest agency a reorganisation ended (selectors.agency_scope reads
    # it with the agency tree): periods ending on or before it count each dossier with the
    # agency competent at their end. None: no reorganisation to follow, no join.
    reorganised_until: dt.date | None = None

    def __post_init__(self):
        if self.agency_role not in AGENCY_ROLES:
            raise ValueError(f"unknown agency role {self.agency_role!r}")

    @property
    def agency_field(self) -> str:
        return AGENCY_ROLES[self.agency_role]

    def dossiers(self, period: Period | None = None) -> QuerySet:
        """The scope's dossiers; for `period`, counted by the competent agency of its end."""
        queryset = Dossier.objects.all()
        if self.follows_reorganisation(period):
            queryset = queryset.annotate(**{AS_OF_AGENCY: competent_at_end(period)})
            if self.agency_ids is not None:
                queryset = queryset.filter(**{f"{AS_OF_AGENCY}__in": self.agency_ids})
            return queryset
        if self.agency_ids is not None:
            queryset = queryset.filter(**{f"{self.agency_field}__in": self.agency_ids})
        return queryset

    def follows_reorganisation(self, period: Period | None) -> bool:
        """Whether a dossier may have had another competent agency at the end of `period`
        (an agency ended on or after that day)."""
        return (
            period is not None
            and self.agency_role == "competent"
            and self.reorganised_until is not None
            and self.reorganised_until >= period.end
        )

    def group_fields(self, grouping: str, *, as_of: bool = False) -> tuple[str, str | None]:
        if grouping == "field":
            return "procedure__field_id", "procedure__field__name"
        if grouping == "unit":
            if as_of:
                return AS_OF_AGENCY, None  # labels read afterwards (one query)
            return f"{self.agency_field}_id", f"{self.agency_field}__name"
        raise ValueError(f"unknown grouping {grouping!r}")


AS_OF_AGENCY = "bc_agency"


def competent_at_end(period: Period):
    """The competent agency of each dossier at the end of `period`: the agency the first
    later reorganisation took it from, else its current one."""
    later = DossierSuccession.objects.filter(effective_date__gt=period.end)
    first_later = (
        later.filter(dossier=OuterRef("pk")).order_by("effective_date", "pk").values("from_agency")[:1]
    )
    return Coalesce(Subquery(first_later), F("competent_agency_id"), output_field=BigIntegerField())


@dataclass
class Row:
    key: int | None
    label: str
    counts: dict[int, int]
    postal: int = 0

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(column, value) pairs in the form's order, for templates."""
        return [(column, self.counts[column]) for column in COLUMNS]

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "counts": {str(c): self.counts[c] for c in COLUMNS},
            "postal": self.postal,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Row:
        return cls(
            key=data["key"],
            label=data["label"],
            postal=data.get("postal", 0),
            counts={int(c): v for c, v in data["counts"].items()},
        )


@dataclass
class Table:
    grouping: str
    rows: list[Row]
    total: Row
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "grouping": self.grouping,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
            "problems": list(self.problems),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        return cls(
            grouping=data["grouping"],
            rows=[Row.from_dict(r) for r in data["rows"]],
            total=Row.from_dict(data["total"]),
            problems=list(data.get("problems", [])),
        )


def identity_problems(row: Row) -> list[str]:
    c = row.counts
    problems = []
    if not (c[3] == c[4] + c[5] + c[6] == c[7] + c[11]):
        problems.append(f"{row.label}: (3)={c[3]}, (4)+(5)+(6)={c[4] + c[5] + c[6]}, (7)+(11)={c[7] + c[11]}")
    if c[7] != c[8] + c[9] + c[10]:
        problems.append(f"{row.label}: (7)={c[7]} ≠ (8)+(9)+(10)={c[8] + c[9] + c[10]}")
    if c[11] != c[12] + c[13]:
        problems.append(f"{row.label}: (11)={c[11]} ≠ (12)+(13)={c[12] + c[13]}")
    return problems


def _aggregates(period: Period, now: dt.datetime) -> dict:
    """COUNT ... FILTER per column, for rows already filtered by column 3."""

    def count(column):
        condition = column_q(column, period, within_total=True, now=now)
        return Count("pk", filter=condition) if condition else Count("pk")

    measures = {f"c{c}": count(c) for c in COLUMNS}
    measures["postal"] = count("postal")
    return measures


def _row(key, label, values: dict) -> Row:
    return Row(
        key=key, label=label or "—", counts={c: values[f"c{c}"] for c in COLUMNS}, postal=values["postal"]
    )


def compute(
    scope: Scope,
    period: Period,
    *,
    grouping: str = "field",
    strict: bool = False,
    now: dt.datetime | None = None,
) -> Table:
    """The table in one grouped query, whatever the number of dossiers; the total row is the
    sum of the rows (every dossier of column 3 falls in exactly one group). Identity
    violations are listed in `problems` (raised with strict=True). A running period is read
    as of `now` (default: the current time)."""
    now = now or timezone.now()
    dossiers = scope.dossiers(period)
    key_field, label_field = scope.group_fields(grouping, as_of=AS_OF_AGENCY in dossiers.query.annotations)
    base = annotate_days(dossiers).filter(total_q(period))
    if label_field is None:
        grouped = list(base.order_by().values(key_field).annotate(**_aggregates(period, now)))
        names = dict(Agency.objects.filter(pk__in=[v[key_field] for v in grouped]).values_list("pk", "name"))
        for values in grouped:
            values["label"] = names.get(values[key_field], "")
        grouped.sort(key=lambda values: (values["label"], values[key_field] or 0))
        label_field = "label"
    else:
        grouped = (
            base.order_by()
            .values(key_field, label_field)
            .annotate(**_aggregates(period, now))
            .order_by(label_field, key_field)
        )
    rows = [_row(values[key_field], values[label_field], values) for values in grouped]
    total = Row(
        key=None,
        label="Tổng cộng",
        counts={c: sum(row.counts[c] for row in rows) for c in COLUMNS},
        postal=sum(row.postal for row in rows),
    )
    problems = [p for row in [*rows, total] for p in identity_problems(row)]
    if problems and strict:
        raise IdentityError("; ".join(problems))
    return Table(grouping=grouping, rows=rows, total=total, problems=problems)


def dossiers_in(
    scope: Scope,
    period: Period,
    column: int | str,
    *,
    grouping: str | None = None,
    key: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet:
    """Exactly the dossiers behind one number of the table (same Q as the aggregate)."""
    dossiers = scope.dossiers(period)
    queryset = annotate_days(dossiers).filter(column_q(column, period, now=now))
    if grouping:
        key_field, _label = scope.group_fields(grouping, as_of=AS_OF_AGENCY in dossiers.query.annotations)
        queryset = queryset.filter(**{key_field: key})
    return queryset.select_related("procedure__field", "competent_agency", "receiving_agency").order_by(
        "received_at", "pk"
    )
