"""The staff search: one box in the staff header finds any dossier the officer may open.

What the box takes, decided from the text itself:
- a whole dossier code (`000.00.06.H99-260302-0001`): the unique code index; a visible one
  opens at once;
- the tail of a code (`260302-0001`, `H99-260302-0001`): the date and number the citizen
  reads from the receipt; every agency's code is put in front (a few hundred exact lookups
  on the same unique index, never a scan);
- a phone or identity number (CCCD, tax code: 9+ digits, spaces and dots allowed): exact
  B-tree lookups on `applicant_phone` / `applicant_id_number`, phones in their 0… / +84… forms;
- anything else of 3+ letters is a name, without diacritics ("nguyen van an"), in the
  folded `applicant_search` column: first the names that start with it — on PostgreSQL an
  index-only range of a covering B-tree index (varchar_pattern_ops, migration 0011) —, else
  those with a word that starts with it ("van an", a company's name) — a trigram GIN index
  (migration 0011). At most CANDIDATES_CAP candidates are read: a name matching more lists
  nothing and asks for more. SQLite: plain LIKE (demo size).
Results: only the agencies the officer sees (thutuc.accounts.visibility), newest first, at most LIMIT.
A search on personal data (name, phone, identity number) is written to the access log by
the view, once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from core.text import fold
from thutuc.models import Agency

from .models import Dossier
from .services.codes import parse_dossier_code

LIMIT = 20
# A name matching more dossiers than this lists none: "nguyen" alone is a third of the
# province; the officer types the whole name, a phone or the code instead.
CANDIDATES_CAP = 2000
# What a result row shows (and the calendar of its deadline text needs): no more is read.
ROW_FIELDS = (
    "code",
    "applicant_name",
    "organisation_name",
    "received_at",
    "due_at",
    "original_due_at",
    "finished_at",
    "status",
    "competent_agency",
    "procedure__name",
    "receiving_agency__office_hours",
    "receiving_agency__saturday_hours",
    "current_unit__name",
    "assignee__full_name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)
MIN_NAME_LETTERS = 3
MAX_QUERY_LENGTH = 120

CODE, TAIL, NUMBER, NAME = "code", "tail", "number", "name"
PERSONAL_KINDS = (NUMBER, NAME)

TAIL_RE = re.compile(r"^(?:(?P<agency>[0-9A-Z.]*)-)?(?P<date>\d{6})-(?P<number>\d{4,})$")
NUMBER_RE = re.compile(r"^\+?\d{9,15}$")
NUMBER_SEPARATORS = re.compile(r"[\s.\-()]")


@dataclass
class Search:
    query: str
    kind: str = ""  # CODE, TAIL, NUMBER, NAME, or "" (nothing searchable)
    dossiers: list[Dossier] = field(default_factory=list)
    more: bool = False  # more than LIMIT matched
    too_many: bool = False  # a name matching more than CANDIDATES_CAP dossiers: none shown

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL_KINDS

    @property
    def exact(self) -> Dossier | None:
        """The one dossier a code (or a code's tail) names, to open at once."""
        if self.kind in (CODE, TAIL) and len(self.dossiers) == 1:
            return self.dossiers[0]
        return None


def phone_variants(digits: str) -> list[str]:
    """0912345678 ↔ +84912345678 ↔ 84912345678: the forms a phone is written in."""
    national = digits
    if digits.startswith("+84"):
        national = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        national = "0" + digits[2:]
    variants = {digits, national}
    if national.startswith("0"):
        variants |= {"+84" + national[1:], "84" + national[1:]}
    return sorted(variants)


def normalize_phone(value: str) -> str:
    """A phone as the search looks it up: digits (and a leading +) only."""
    return NUMBER_SEPARATORS.sub("", (value or "").strip())


def classify(query: str) -> tuple[str, object]:
    """(kind, what to look up) of the text typed in the box."""
    text = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    compact = text.replace(" ", "").upper()
    if parse_dossier_code(compact):
        return CODE, compact
    tail = TAIL_RE.match(compact)
    if tail:
        return TAIL, tail
    digits = NUMBER_SEPARATORS.sub("", text)
    if NUMBER_RE.match(digits):
        return NUMBER, digits
    folded = fold(text)
    if sum(ch.isalpha() for ch in folded) >= MIN_NAME_LETTERS:
        return NAME, folded
    return "", None


def _tail_codes(tail: re.Match) -> list[str]:
    """The whole codes a tail can stand for: each agency's identifier that ends like the
    tail's agency part, then the date and number (one query on the small agency table)."""
    agency_part = tail["agency"] or ""
    codes = Agency.objects.exclude(code=None).values_list("code", flat=True)
    return [f"{code}-{tail['date']}-{tail['number']}" for code in codes if code.endswith(agency_part)]


def matching(kind: str, value, *, openable: QuerySet, visible: QuerySet, query: str = "") -> QuerySet | None:
    """The dossiers a classified query names (None: nothing to search). A name gives the
    names that START with it; `name_anywhere` those where a word starts with it."""
    if kind == CODE:
        return openable.filter(code=value)
    if kind == TAIL:
        return openable.filter(code__in=_tail_codes(value))
    if kind == NUMBER:
        numbers = sorted({value, query.strip()} - {""})
        return visible.filter(
            Q(applicant_phone__in=phone_variants(value)) | Q(applicant_id_number__in=numbers)
        )
    if kind == NAME:
        # the stored text is " <name> <organisation> <representative>": from its start
        return visible.filter(applicant_search__startswith=" " + value)
    return None


def name_anywhere(value: str, visible: QuerySet) -> QuerySet:
    """From the start of any word of the names ("van an", a company's name): the trigram
    index on PostgreSQL."""
    return visible.filter(applicant_search__contains=" " + value)


def _newest_ids(candidates: QuerySet) -> tuple[list[int], bool]:
    """The ids of the newest LIMIT + 1 of at most CANDIDATES_CAP candidates, and whether
    there were more than the cap (then none: the officer narrows the search). Reads
    (id, received_at) only — on PostgreSQL an index-only scan of the covering prefix index
    for a name — and sorts them here: a common name costs its matches, never the table."""
    rows = list(candidates.order_by().values_list("pk", "received_at")[: CANDIDATES_CAP + 1])
    if len(rows) > CANDIDATES_CAP:
        return [], True
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [pk for pk, _at in rows[: LIMIT + 1]], False


def search_dossiers(openable: QuerySet, visible: QuerySet, query: str) -> Search:
    """Find dossiers for the staff search box. `openable`: the dossiers the officer may
    open (used for codes — who acted on a dossier finds it by its code); `visible`: those of
    the agencies they see (used for personal data)."""
    kind, value = classify(query)
    result = Search(query=" ".join((query or "").split())[:MAX_QUERY_LENGTH], kind=kind)
    queryset = matching(kind, value, openable=openable, visible=visible, query=result.query)
    if queryset is None:
        return result
    if kind == NAME:
        ids, result.too_many = _newest_ids(queryset)
        if not ids and not result.too_many:
            ids, result.too_many = _newest_ids(name_anywhere(value, visible))
        queryset = Dossier.objects.filter(pk__in=ids)
    rows = list(
        queryset.select_related("procedure", "receiving_agency", "current_unit", "assignee")
        .only(*ROW_FIELDS)
        .order_by("-received_at", "-pk")[: LIMIT + 1]
    )
    result.more = len(rows) > LIMIT
    result.dossiers = rows[:LIMIT]
    if kind in (CODE, TAIL):
        for dossier in result.dossiers:
            dossier.viewer_may_open = True  # found among the openable ones (the code links)
    return result
