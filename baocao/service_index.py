"""The service index of each agency (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng
phục vụ người dân, doanh nghiệp — Quyết định 766/QĐ-TTg ngày 23/06/2022), computed from the
portal's own data for a month, a quarter or a year.

Like Biểu II.06a (`ii06a`), every figure is a `Q` over `Dossier` (`measure_q`): the aggregate
counts it with `Count(filter=...)` and the drill-down (`dossiers_for`) filters with the same
`Q`, so a figure and the list behind it never disagree. The progress figures *are* II.06a's
columns (`ii06a.column_q`), so the index, the statistics page and the public dashboard say
the same numbers.

Groups and their maximum points follow QĐ 766/QĐ-TTg as far as the public texts we found
state them (docs/legal-sources.md, docs/service-index.md). A group scores
`max points × rate`; a component whose figures the portal does not hold (the publication of
procedures), or without a denominator in the period, or — for online payment and
digitisation, recorded since issue 19 — of a period before SERVICE_INDEX_DIGITAL_DATA_SINCE,
is "không có dữ liệu" (`None`), never zero; a group without any is left out and the total is
read against the points of the groups that have data.

Online payment and digitisation (issue 19's records: `FeeEntry` rows paid "online",
`PaperFile` rows by purpose and `reused_from`, `ElectronicResult`) are `Exists` conditions
in the same `Q`s (`_issue_19_q`), so they add no query.

Queries: one grouped query over the dossiers for each agency role (competent, receiving),
one over the ratings, plus the agency list and tree — whatever the number of agencies; each
reporting unit's figures are the sums over its agency tree (as its II.06a report counts
them, `selectors.agency_scope`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.models import Channel, Dossier, Outcome, PaperFile, PaperPurpose, Rating, RatingValue
from motcua.models.fees import FeeEntry, FeeEntryKind, PaymentMethod
from motcua.models.results import ElectronicResult
from thutuc.models import Agency
from thutuc.models.catalogue import OnlineLevel

from . import ii06a, selectors
from .periods import Period

NO_DATA = _("không có dữ liệu")

# --- the figures ---------------------------------------------------------------------------
# Each is a condition on a dossier already within column 3 of II.06a for the period (accepted,
# received before its end, not finished before its start).

DOSSIER_MEASURES = (
    "received",  # received in the period (II.06a col 4 + col 5)
    "received_online",  # col 4
    "synced",  # received in the period and known to the national portal
    "resolved",  # col 7
    "on_time",  # col 8 + col 9
    "resolved_late",  # col 10
    "pending_overdue",  # col 13
    "overdue",  # col 10 + col 13
    "overdue_apology",  # overdue, with an apology and new appointment (form 04)
    "overdue_no_apology",  # overdue, without one
    "online_eligible",  # received in the period, procedure published as an online service
    "online",  # of which filed online
    # issue 19's data (definitions and the QĐ 766 group each serves: `measure_q`)
    "fees_due",  # received in the period with a fee due in its ledger
    "paid_online",  # of which paid online through the payment gateway
    "digitised",  # received in the period with its papers digitised
    "results_issued",  # resolved in the period with a result (outcome approved)
    "results_digitised",  # of which the result issued electronically or scanned at return
    "reused",  # digitised (above) and at least one digitised paper reused
)
_ISSUE_19_MEASURES = ("fees_due", "paid_online", "digitised", "results_issued", "results_digitised", "reused")
RATING_MEASURES = ("rated", "satisfied")
MEASURES = DOSSIER_MEASURES + RATING_MEASURES

MEASURE_LABELS = {
    "received": _("Hồ sơ tiếp nhận trong kỳ"),
    "received_online": _("Hồ sơ tiếp nhận trực tuyến"),
    "synced": _("Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
    "resolved": _("Hồ sơ đã giải quyết"),
    "on_time": _("Hồ sơ giải quyết trước hạn, đúng hạn"),
    "resolved_late": _("Hồ sơ giải quyết quá hạn"),
    "pending_overdue": _("Hồ sơ đang giải quyết quá hạn"),
    "overdue": _("Hồ sơ quá hạn"),
    "overdue_apology": _("Hồ sơ quá hạn có văn bản xin lỗi"),
    "overdue_no_apology": _("Hồ sơ quá hạn không có văn bản xin lỗi"),
    "online_eligible": _("Hồ sơ của thủ tục có dịch vụ công trực tuyến"),
    "online": _("Hồ sơ nộp trực tuyến (thủ tục có dịch vụ công trực tuyến)"),
    "fees_due": _("Hồ sơ tiếp nhận trong kỳ có phí, lệ phí phải nộp"),
    "paid_online": _("Hồ sơ thanh toán phí, lệ phí trực tuyến"),
    "digitised": _("Hồ sơ tiếp nhận trong kỳ có thành phần hồ sơ được số hóa"),
    "results_issued": _("Hồ sơ giải quyết trong kỳ có kết quả giải quyết"),
    "results_digitised": _("Hồ sơ có kết quả điện tử hoặc kết quả được số hóa"),
    "reused": _("Hồ sơ số hóa có giấy tờ đã số hóa được tái sử dụng"),
    "rated": _("Hồ sơ được đánh giá trong kỳ"),
    "satisfied": _("Hồ sơ được đánh giá hài lòng, rất hài lòng"),
}

ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
SATISFIED_VALUES = (RatingValue.VERY_SATISFIED, RatingValue.SATISFIED)
# The papers of a dossier that count as digitised: filed online (and supplemented online) by
# the citizen, or scanned by the counter at intake. The scanned result is the result's own
# figure (`results_digitised`).
DIGITISED_PAPER_PURPOSES = (PaperPurpose.FILED_ONLINE, PaperPurpose.SUPPLEMENT, PaperPurpose.INTAKE_SCAN)


def _has(queryset) -> Q:
    """The outer dossier has a row of `queryset` (`dossier=OuterRef("pk")`), as a `Q`."""
    return Q(Exists(queryset.filter(dossier=OuterRef("pk"))))


def _issue_19_q(received: Q, resolved: Q) -> dict:
    """The online payment and digitisation figures, from the data issue 19 records. Each is
    the dossier's state as recorded when the index is computed (a fee paid or a paper
    scanned after the period's end counts for the period the dossier belongs to, as the
    national portal code of `synced` does)."""
    fees_due = received & _has(FeeEntry.objects.filter(kind=FeeEntryKind.DUE, amount__gt=0))
    digitised = received & _has(PaperFile.objects.filter(purpose__in=DIGITISED_PAPER_PURPOSES))
    results_issued = resolved & Q(outcome=Outcome.APPROVED)
    return {
        # QĐ 766/QĐ-TTg, "Thanh toán trực tuyến": dossiers whose fees were paid online among
        # the dossiers that owe a fee. Every dossier with an amount due can be paid online
        # on this portal (the tracking page's "Thanh toán trực tuyến", docs/fees.md), so the
        # denominator is every dossier received in the period with a line due above 0 đồng
        # (a later exemption does not take it out); the numerator, those with a payment
        # row of method "online" (the gateway's confirmed payment, `Ledger.paid_online`).
        "fees_due": fees_due,
        "paid_online": fees_due
        & _has(FeeEntry.objects.filter(kind=FeeEntryKind.PAYMENT, method=PaymentMethod.ONLINE)),
        # QĐ 766/QĐ-TTg, "Số hóa hồ sơ" — papers: dossiers received in the period with at
        # least one paper file digitised (filed online, supplemented online or scanned at
        # intake) among those received in the period.
        "digitised": digitised,
        # — results: dossiers resolved in the period with a result (approved) whose result
        # was issued electronically (`ElectronicResult`) or scanned at the return (a
        # `PaperFile` of purpose "result") among those resolved with a result.
        "results_issued": results_issued,
        "results_digitised": results_issued
        & (
            _has(ElectronicResult.objects.all())
            | _has(PaperFile.objects.filter(purpose=PaperPurpose.RESULT_SCAN))
        ),
        # — reuse: among the dossiers with digitised papers (above), those where at least one
        # paper was attached again from an earlier digitised one (`PaperFile.reused_from`).
        # Counted per dossier, not per paper, so that the figure drills down to dossiers.
        "reused": digitised & _has(PaperFile.objects.filter(reused_from__isnull=False)),
    }


def measure_q(measure: str, period: Period, *, now: dt.datetime, within_total: bool = False) -> Q:
    """The dossiers behind one figure (needs ii06a.annotate_days). `within_total` as in
    ii06a.column_q: for a queryset already filtered by column 3."""

    def col(n):
        return ii06a.column_q(n, period, within_total=within_total, now=now)

    received = col(4) | col(5)
    overdue = col(10) | col(13)
    online_eligible = received & Q(procedure__online_level__in=ONLINE_LEVELS)
    definitions = {
        "received": lambda: received,
        "received_online": lambda: col(4),
        "synced": lambda: received & ~Q(national_portal_code=""),
        "resolved": lambda: col(7),
        "on_time": lambda: col(8) | col(9),
        "resolved_late": lambda: col(10),
        "pending_overdue": lambda: col(13),
        "overdue": lambda: overdue,
        "overdue_apology": lambda: overdue & Q(apology__isnull=False),
        "overdue_no_apology": lambda: overdue & Q(apology__isnull=True),
        "online_eligible": lambda: online_eligible,
        "online": lambda: online_eligible & Q(channel=Channel.ONLINE),
    }
    if measure in _ISSUE_19_MEASURES:
        return _issue_19_q(received, col(7))[measure]
    if measure not in definitions:
        raise ValueError(f"unknown measure {measure!r}")
    return definitions[measure]()


def rating_q(measure: str, period: Period, *, prefix: str = "") -> Q:
    """Ratings given in the period (on a `Rating`, or on a `Dossier` with prefix "rating__");
    the same rule as the report's satisfaction figures (figures.satisfaction_figures)."""
    start, end = period.bounds()
    given = Q(**{f"{prefix}at__gte": start, f"{prefix}at__lt": end})
    if measure == "rated":
        return given
    if measure == "satisfied":
        return given & Q(**{f"{prefix}value__in": SATISFIED_VALUES})
    raise ValueError(f"unknown measure {measure!r}")


def dossiers_for(
    measure: str, scope: ii06a.Scope, period: Period, *, now: dt.datetime | None = None
) -> QuerySet:
    """Exactly the dossiers behind one figure of `scope` (same Q as the aggregate)."""
    now = now or timezone.now()
    if measure in RATING_MEASURES:
        queryset = scope.dossiers().filter(rating_q(measure, period, prefix="rating__"))
    else:
        queryset = ii06a.annotate_days(scope.dossiers()).filter(measure_q(measure, period, now=now))
    return queryset.select_related("procedure__field", "competent_agency", "receiving_agency").order_by(
        "received_at", "pk"
    )


# --- the groups and their points ---------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    numerator: str | None  # a measure, or None: the portal holds no data for it
    denominator: str | None
    scored: bool = True  # counts in its group's score (the others are shown for information)
    # from issue 19's records: no data for a period ending before SERVICE_INDEX_DIGITAL_DATA_SINCE
    digital: bool = False


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    max_points: int
    components: tuple[Component, ...]


# QĐ 766/QĐ-TTg, Phụ lục (five criteria, 100 points): "Công khai, minh bạch" 18, "Tiến độ, kết
# quả giải quyết" 20, "Mức độ hài lòng" 18 as published; "Cung cấp dịch vụ trực tuyến" split
# into online services 12 and online payment 10, "Số hóa hồ sơ" 22 — the breakdown commonly
# published, not checked against the primary appendix (docs/legal-sources.md). The components
# of online payment and digitisation (papers, results, reuse) and their exact definitions are
# our reading of the group names (see `_issue_19_q`), not the appendix's formulas.
GROUPS: tuple[Group, ...] = (
    Group(
        "publicity",
        _("Công khai, minh bạch"),
        18,
        (
            Component("procedures_published", _("TTHC được công bố, công khai đầy đủ, đúng hạn"), None, None),
            Component(
                "synced",
                _("Hồ sơ đồng bộ, công khai để theo dõi trên Cổng DVC quốc gia"),
                "synced",
                "received",
            ),
        ),
    ),
    Group(
        "progress",
        _("Tiến độ, kết quả giải quyết"),
        20,
        (
            Component("on_time", _("Hồ sơ giải quyết trước hạn, đúng hạn"), "on_time", "resolved"),
            Component(
                "overdue_apology",
                _("Hồ sơ quá hạn có văn bản xin lỗi"),
                "overdue_apology",
                "overdue",
                scored=False,
            ),
            Component(
                "overdue_no_apology",
                _("Hồ sơ quá hạn không có văn bản xin lỗi"),
                "overdue_no_apology",
                "overdue",
                scored=False,
            ),
        ),
    ),
    Group(
        "online",
        _("Dịch vụ công trực tuyến"),
        12,
        (
            Component(
                "online",
                _("Hồ sơ nộp trực tuyến / hồ sơ của thủ tục có DVC trực tuyến"),
                "online",
                "online_eligible",
            ),
        ),
    ),
    Group(
        "payment",
        _("Thanh toán trực tuyến"),
        10,
        (
            Component(
                "payment",
                _("Hồ sơ thanh toán phí, lệ phí trực tuyến / hồ sơ có phí, lệ phí phải nộp"),
                "paid_online",
                "fees_due",
                digital=True,
            ),
        ),
    ),
    Group(
        "digitisation",
        _("Số hóa hồ sơ"),
        22,
        (
            Component(
                "digitised",
                _("Hồ sơ có thành phần hồ sơ được số hóa / hồ sơ tiếp nhận"),
                "digitised",
                "received",
                digital=True,
            ),
            Component(
                "results_digitised",
                _("Kết quả giải quyết điện tử, được số hóa / hồ sơ có kết quả giải quyết"),
                "results_digitised",
                "results_issued",
                digital=True,
            ),
            Component(
                "reused",
                _("Hồ sơ tái sử dụng giấy tờ đã số hóa / hồ sơ có giấy tờ số hóa"),
                "reused",
                "digitised",
                digital=True,
            ),
        ),
    ),
    Group(
        "satisfaction",
        _("Mức độ hài lòng"),
        18,
        (Component("satisfied", _("Đánh giá hài lòng, rất hài lòng"), "satisfied", "rated"),),
    ),
)
MAX_POINTS = sum(group.max_points for group in GROUPS)  # 100


@dataclass
class ComponentResult:
    component: Component
    numerator: int | None
    denominator: int | None

    @property
    def has_data(self) -> bool:
        return self.component.numerator is not None and bool(self.denominator)

    @property
    def rate(self) -> float | None:
        """Share in [0, 1], or None: no data (never zero)."""
        return self.numerator / self.denominator if self.has_data else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(100 * self.rate, 1)


@dataclass
class GroupResult:
    group: Group
    components: list[ComponentResult]

    @property
    def score(self) -> float | None:
        """`max_points × rate` (the mean rate of the scored components with data); None when
        none has data."""
        rates = [c.rate for c in self.components if c.component.scored and c.rate is not None]
        if not rates:
            return None
        return round(self.group.max_points * sum(rates) / len(rates), 2)


@dataclass
class AgencyIndex:
    agency_id: int | None
    name: str
    counts: dict[str, int]
    groups: list[GroupResult] = field(default_factory=list)
    rank: int | None = None

    @property
    def total(self) -> float | None:
        scores = [g.score for g in self.groups if g.score is not None]
        return round(sum(scores), 2) if scores else None

    @property
    def max_available(self) -> int:
        return sum(g.group.max_points for g in self.groups if g.score is not None)

    @property
    def percent(self) -> float | None:
        """The total against the points of the groups with data (for the ranking)."""
        total = self.total
        return None if total is None else round(100 * total / self.max_available, 1)

    def percent_of(self, numerator: str, denominator: str) -> float | None:
        whole = self.counts[denominator]
        return round(100 * self.counts[numerator] / whole, 1) if whole else None

    @property
    def online_percent(self) -> float | None:
        """Online share as the report shows it: col 4 / (col 4 + col 5)."""
        return self.percent_of("received_online", "received")

    @property
    def satisfied_percent(self) -> float | None:
        return self.percent_of("satisfied", "rated")


def _recorded(component: Component, period: Period) -> bool:
    """Whether the portal recorded the component's data in `period`: issue 19's figures
    (online payment, digitisation) only from SERVICE_INDEX_DIGITAL_DATA_SINCE, so that a
    month before the portal could record them says "không có dữ liệu", not 0 %."""
    since = settings.SERVICE_INDEX_DIGITAL_DATA_SINCE
    return not (component.digital and since is not None and period.end < since)


def _score(agency_id, name, counts: dict[str, int], period: Period) -> AgencyIndex:
    groups = [
        GroupResult(
            group,
            [
                ComponentResult(
                    c,
                    counts[c.numerator] if c.numerator and _recorded(c, period) else None,
                    counts[c.denominator] if c.denominator and _recorded(c, period) else None,
                )
                for c in group.components
            ],
        )
        for group in GROUPS
    ]
    return AgencyIndex(agency_id=agency_id, name=name, counts=counts, groups=groups)


def _grouped_dossier_counts(period: Period, agency_field: str, now: dt.datetime) -> dict:
    """{agency id: {measure: count}} for dossiers grouped by `agency_field` (one query)."""
    measures = {
        m: Count("pk", filter=measure_q(m, period, now=now, within_total=True)) for m in DOSSIER_MEASURES
    }
    rows = (
        ii06a.annotate_days(Dossier.objects.all())
        .filter(ii06a.total_q(period))
        .order_by()
        .values(f"{agency_field}_id")
        .annotate(**measures)
    )
    return {row[f"{agency_field}_id"]: row for row in rows}


def _grouped_rating_counts(period: Period, agency_field: str) -> dict:
    key = f"dossier__{agency_field}_id"
    rows = (
        Rating.objects.filter(rating_q("rated", period))
        .order_by()
        .values(key)
        .annotate(rated=Count("pk"), satisfied=Count("pk", filter=rating_q("satisfied", period)))
    )
    return {row[key]: row for row in rows}


def _children(agencies: list[tuple[int, int | None]]) -> dict:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in agencies:
        children.setdefault(parent_id, []).append(pk)
    return children


def _tree(children: dict, root: int) -> set[int]:
    seen, stack = set(), [root]
    while stack:
        pk = stack.pop()
        if pk not in seen:
            seen.add(pk)
            stack.extend(children.get(pk, ()))
    return seen


@dataclass
class IndexTable:
    period: Period
    rows: list[AgencyIndex]  # ranked
    province: AgencyIndex
    computed_at: dt.datetime


def compute(
    period: Period, *, now: dt.datetime | None = None, agencies: list[Agency] | None = None
) -> IndexTable:
    """Every reporting unit's index for `period`, ranked (best first; units without any
    figure last), and the province's. Each unit counts as its II.06a report does: the
    dossiers it (or a unit below it) is competent for, or, for a one-stop centre, those it
    received (`selectors.report_agency_role`)."""
    now = now or timezone.now()
    agencies = list(selectors.reporting_agencies()) if agencies is None else agencies
    children = _children(list(Agency.objects.values_list("pk", "parent_id")))
    by_role = {}
    for role, agency_field in ii06a.AGENCY_ROLES.items():
        dossiers = _grouped_dossier_counts(period, agency_field, now)
        ratings = _grouped_rating_counts(period, agency_field)
        by_role[role] = (dossiers, ratings)

    def counts_over(role: str, ids) -> dict[str, int]:
        dossiers, ratings = by_role[role]
        counts = dict.fromkeys(MEASURES, 0)
        for pk in ids:
            for measure in DOSSIER_MEASURES:
                counts[measure] += dossiers.get(pk, {}).get(measure, 0)
            for measure in RATING_MEASURES:
                counts[measure] += ratings.get(pk, {}).get(measure, 0)
        return counts

    rows = []
    for agency in agencies:
        role = selectors.report_agency_role(agency)
        rows.append(_score(agency.pk, agency.name, counts_over(role, _tree(children, agency.pk)), period))
    competent_dossiers, competent_ratings = by_role[ii06a.DEFAULT_AGENCY_ROLE]
    province = _score(
        None,
        str(_("Toàn tỉnh")),
        counts_over(ii06a.DEFAULT_AGENCY_ROLE, set(competent_dossiers) | set(competent_ratings)),
        period,
    )
    ranked = sorted(rows, key=lambda r: (r.percent is None, -(r.percent or 0), -(r.total or 0), r.name))
    rank = 0
    for position, row in enumerate(ranked, start=1):
        if row.percent is not None:
            rank = position
            row.rank = rank
    return IndexTable(period=period, rows=ranked, province=province, computed_at=now)


def scope_of(agency: Agency | None) -> ii06a.Scope:
    """Whose dossiers an agency's figures count (as its II.06a report)."""
    return selectors.agency_scope(agency, agency_role=selectors.report_agency_role(agency))
