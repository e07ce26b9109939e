"""Working calendars from the database: loading and caching.

`thutuc.calendar` does the arithmetic (pure, no ORM); this module builds a `WorkingCalendar`
for an agency from its office hours and the administrator's overrides (`CalendarDay`), in
one query, and keeps the built calendars per process under a version token that every
committed calendar change replaces (`forget_calendars`, called by the calendar services,
thutuc/calendar_changes.py). The module-level `due_at`, `is_working_day`, ... are the
calendar's arithmetic on the calendar of an agency (or a calendar already built).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Iterable
from decimal import Decimal

from .calendar import WorkingCalendar, build_calendar

# Calendars are read by every intake and every page that shows a deadline, and change a few
# times a year. A built calendar is kept per process, under a version token held in the shared
# cache (Redis in production) that every committed calendar change replaces
# (`forget_calendars`, after commit), and for at most CALENDAR_CACHE_SECONDS whatever
# happens (a deployment without a shared cache). Reads inside a transaction bypass it: they
# must see the transaction's own, uncommitted overrides.
CALENDAR_CACHE_SECONDS = 300
_VERSION_KEY = "thutuc:calendar-version"
_built: dict[tuple, tuple[str, float, tuple[WorkingCalendar, dict[dt.date, str]]]] = {}


def _calendar_version() -> str | None:
    """The shared version token, or None when the cache cannot be read (no caching then)."""
    from django.core.cache import cache

    try:
        token = cache.get(_VERSION_KEY)
        if token is None:
            cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
            token = cache.get(_VERSION_KEY)
    except Exception:  # the cache server is down: read the database, never fail a request
        return None
    return token


def forget_calendars(**kwargs) -> None:
    """Every process rebuilds its calendars (after a committed calendar change, a migration)."""
    from django.core.cache import cache

    _built.clear()
    # if the cache is down, other processes fall back on CALENDAR_CACHE_SECONDS
    with contextlib.suppress(Exception):
        cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _cache_key(agency) -> tuple:
    if agency is None:
        return (None, "", "")
    return (agency.pk, agency.office_hours or "", agency.saturday_hours or "")


def get_calendars(agencies: Iterable) -> dict[int | None, WorkingCalendar]:
    """Working calendars of several agencies (and the national one under None), from the
    process cache or ONE query for the overrides of those missing (list pages must not run
    one query per row or per agency)."""
    return {pk: entry[0] for pk, entry in _calendar_entries(agencies).items()}


def get_calendar(agency=None) -> WorkingCalendar:
    """The calendar of `agency` (or the national one): cached, or one query for the overrides."""
    return get_calendar_and_day_names(agency)[0]


def get_calendar_and_day_names(agency=None) -> tuple[WorkingCalendar, dict[dt.date, str]]:
    """The calendar of `agency` and the administrator's reason for each extra day off
    (what the citizen's "why this date" explanation names)."""
    return _calendar_entries([agency] if agency is not None else [])[agency.pk if agency else None]


def _calendar_entries(agencies: Iterable) -> dict[int | None, tuple[WorkingCalendar, dict[dt.date, str]]]:
    from django.db import connection
    from django.db.models import Q

    from .models import CalendarDay

    agencies = {a.pk: a for a in agencies if a is not None}
    version = None if connection.in_atomic_block else _calendar_version()
    moment = time.monotonic()
    result: dict[int | None, tuple[WorkingCalendar, dict[dt.date, str]]] = {}
    missing: list = []
    for agency in [None, *agencies.values()]:
        hit = _built.get(_cache_key(agency)) if version else None
        if hit and hit[0] == version and moment - hit[1] < CALENDAR_CACHE_SECONDS:
            result[agency.pk if agency else None] = hit[2]
        else:
            missing.append(agency)
    if not missing:
        return result
    ids = [a.pk for a in missing if a is not None]
    rows = CalendarDay.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=ids)).values_list(
        "date", "kind", "reason", "agency_id"
    )
    national: dict[dt.date, tuple[str, str]] = {}
    own: dict[int, dict[dt.date, tuple[str, str]]] = {}
    for day, kind, reason, agency_id in rows:
        (national if agency_id is None else own.setdefault(agency_id, {}))[day] = (kind, reason)
    for agency in missing:
        # An agency's own override wins over a national one on the same date.
        merged = {**national, **(own.get(agency.pk, {}) if agency else {})}
        calendar = build_calendar(
            office_hours=getattr(agency, "office_hours", "") or "",
            saturday_hours=getattr(agency, "saturday_hours", "") or "",
            overrides=[(day, kind) for day, (kind, _reason) in merged.items()],
        )
        names = {day: reason for day, (kind, reason) in merged.items() if kind == "day_off"}
        result[agency.pk if agency else None] = (calendar, names)
        if version:
            _built[_cache_key(agency)] = (version, moment, (calendar, names))
    return result


# --- public API -------------------------------------------------------------------------------


def due_at(
    start: dt.datetime, amount, unit: str, *, agency=None, cutoff: dt.time | None = None, calendar=None
) -> dt.datetime:
    """Deadline of `amount` `unit` ("working_days" | "working_hours" | "calendar_days")
    counted from `start` with the working calendar of `agency` (or a prebuilt `calendar`,
    to recompute many deadlines with one query)."""
    return (calendar or get_calendar(agency)).due_at(start, amount, unit, cutoff=cutoff)


def is_working_day(day: dt.date, *, agency=None, calendar=None) -> bool:
    return (calendar or get_calendar(agency)).is_working_day(day)


def next_working_moment(moment: dt.datetime, *, agency=None, calendar=None) -> dt.datetime:
    return (calendar or get_calendar(agency)).next_working_moment(moment)


def working_hours_between(start: dt.datetime, end: dt.datetime, *, agency=None, calendar=None) -> Decimal:
    return (calendar or get_calendar(agency)).working_hours_between(start, end)
