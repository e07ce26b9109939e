"""Reads of the baocao app: scopes, reports visible to a user, the Sở Nội vụ overview."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from thutuc.accounts.visibility import restrict_to_visible, sees_everything
from thutuc.models import Agency, AgencyLevel
from thutuc.models.agency import in_force_q

from . import ii06a
from .models import QuarterlyReport
from .periods import Period, quarter_period


def agency_tree_ids(agency_id: int) -> frozenset[int]:
    """The agency and every unit below it (one query; the tree is small)."""
    return _tree_and_last_end(agency_id)[0]


def _tree_and_last_end(agency_id: int) -> tuple[frozenset[int], dt.date | None]:
    """The agency with its units, and the last day of the latest agency a reorganisation
    ended (it names a successor), from one read of the agency table."""
    children: dict[int | None, list[int]] = {}
    last_end = None
    for pk, parent_id, successor_id, valid_to in Agency.objects.values_list(
        "pk", "parent_id", "successor_id", "valid_to"
    ):
        children.setdefault(parent_id, []).append(pk)
        if successor_id is not None and valid_to is not None and (last_end is None or valid_to > last_end):
            last_end = valid_to
    seen, stack = set(), [agency_id]
    while stack:
        pk = stack.pop()
        if pk not in seen:
            seen.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(seen), last_end


def agency_scope(agency: Agency | None, *, agency_role: str = ii06a.DEFAULT_AGENCY_ROLE) -> ii06a.Scope:
    """An agency with its units, or the whole province for None; with the last day of the
    latest reorganised agency, so that earlier periods count as they were (issue 18)."""
    if agency is None:
        ids = None
        last_end = Agency.objects.filter(successor__isnull=False).aggregate(last=Max("valid_to"))["last"]
    else:
        ids, last_end = _tree_and_last_end(agency.pk)
    return ii06a.Scope(agency_ids=ids, agency_role=agency_role, reorganised_until=last_end)


def report_agency_role(agency: Agency | None) -> str:
    """A one-stop centre reports the dossiers it received; any other agency the dossiers it
    is competent to resolve (the two variants of Biểu II.06a)."""
    if agency is not None and agency.level == AgencyLevel.ONE_STOP_CENTRE:
        return "receiving"
    return ii06a.DEFAULT_AGENCY_ROLE


def province_name() -> str:
    """ "tỉnh Minh Sơn": the province the portal serves, from its People's Committee."""
    name = (
        Agency.objects.filter(level=AgencyLevel.PROVINCE, is_active=True)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    if not name:
        return ""
    for prefix in ("Ủy ban nhân dân ", "UBND "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def reporting_agency_for(user) -> Agency | None:
    """The agency a leader reports for: their own, or the nearest parent with an identifier
    (a phòng has none and reports through its agency)."""
    agency = user.agency
    while agency is not None and not agency.code:
        agency = agency.parent
    return agency


def reporting_agencies(period: Period | None = None) -> QuerySet:
    """Units expected to report to Sở Nội vụ: agencies that can receive dossiers (they have an
    identifier), except the provincial People's Committee itself — in force today, or for
    `period` in the structure of that period: an agency that a reorganisation ended reports
    for the periods it existed in, its successor from its first day (issue 18)."""
    agencies = Agency.objects.filter(code__isnull=False)
    agencies = agencies.in_force() if period is None else agencies.in_force_during(period.start, period.end)
    return agencies.exclude(code="").exclude(level=AgencyLevel.PROVINCE).order_by("name")


def reports_visible_to(user) -> QuerySet:
    queryset = QuarterlyReport.objects.select_related("agency", "submitted_by", "reviewed_by", "created_by")
    return restrict_to_visible(queryset, user, field="agency")


def statistics_agencies(user) -> QuerySet:
    """Agencies a user may pick on the statistics page: those reporting today and those a
    reorganisation ended (their past periods stay readable)."""
    agencies = (
        Agency.objects.filter(code__isnull=False)
        .filter(in_force_q(timezone.localdate()) | Q(valid_to__isnull=False))
        .exclude(code="")
        .exclude(level=AgencyLevel.PROVINCE)
        .order_by("name")
    )
    if sees_everything(user):
        return agencies
    return restrict_to_visible(agencies, user, field="pk")


def overview(year: int, quarter: int) -> list[tuple[Agency, QuarterlyReport | None]]:
    """Every reporting unit with its report of the quarter (two queries)."""
    reports = {
        r.agency_id: r
        for r in QuarterlyReport.objects.filter(year=year, quarter=quarter).select_related("submitted_by")
    }
    period = quarter_period(year, quarter)
    return [(agency, reports.get(agency.pk)) for agency in reporting_agencies(period)]
