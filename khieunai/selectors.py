"""Reads of the khieunai app: staff lists (scoped by agency, O(1) queries), the alerts
feed, public lists, the hotline day view and the citizen-reception register."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from core import dates
from thutuc.accounts.visibility import restrict_to_visible
from thutuc.calendar_store import get_calendar
from thutuc.deadlines import due_soon_limit

from .models import (
    EVENT_LABELS,
    OPEN_STATUSES,
    CallOutcome,
    CitizenReception,
    Feedback,
    FeedbackKind,
    HotlineCall,
)

# Agency paths a feedback is visible through: the receiving agency, or the unit handling it.
FEEDBACK_SCOPE = "agency|handling_unit"
HOTLINE_SCOPE = "agency|handler__agency"
RECEPTION_SCOPE = "agency|officer__agency"

DUE_FILTERS = ("overdue", "due_soon", "open")


def feedback_for_staff(user) -> QuerySet:
    return restrict_to_visible(Feedback.objects.all(), user, field=FEEDBACK_SCOPE).select_related(
        "agency", "handling_unit", "assignee"
    )


def feedback_list(
    user, *, kind: str = "", status: str = "", due: str = "", q: str = "", now=None
) -> QuerySet:
    now = now or timezone.now()
    qs = feedback_for_staff(user)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if due == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, next_due_at__lt=now)
    elif due == "due_soon":
        qs = qs.filter(
            status__in=OPEN_STATUSES,
            next_due_at__gte=now,
            # the one window of thutuc.deadlines, with the national calendar like the alerts
            next_due_at__lte=due_soon_limit(get_calendar(), now),
        )
    elif due == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if q:
        qs = qs.filter(Q(code__iexact=q.strip()) | Q(title__icontains=q.strip()))
    return qs.defer("content", "answer", "pin_hash").order_by("-received_at", "-pk")


def feedback_get_for_staff(user, code: str) -> Feedback:
    """One feedback the user may see; 404 for another agency's."""
    feedback = (
        feedback_for_staff(user)
        .select_related("related_dossier", "related_officer", "created_by", "forwarded_from__agency")
        .filter(code=code)
        .first()
    )
    if feedback is None:
        raise Http404
    return feedback


def feedback_events(feedback) -> list:
    events = list(feedback.events.select_related("actor").order_by("at", "pk"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


def feedback_due_soon_or_overdue(*, now: dt.datetime, until: dt.datetime) -> QuerySet:
    """Open feedback whose running deadline (classify / accept, or resolve) has passed or
    falls before `until` (the due-soon limit, `thutuc.deadlines.due_soon_limit`). For the
    staff alerts: the caller scopes it with `thutuc.accounts.visibility.restrict_to_visible(qs, user,
    field=FEEDBACK_SCOPE)` and may split it by the annotated `is_overdue`. Denunciation
    identities are not in the row's display.
    falls within `within_hours` of `now`. For the staff alerts: the caller scopes it with
    `thutuc.accounts.visibility.restrict_to_visible(qs, user, field=FEEDBACK_SCOPE)` and may split it by
    the annotated `is_overdue`. Denunciation identities are not in the row's display.

    A row whose dates lie outside the plausible range (stored before core.dates existed:
    year 1 cannot even be read back from PostgreSQL) is left out: `implausible_open_feedback`
    names those rows for the scan's log."""
    return (
        Feedback.objects.filter(
            dates.plausible("received_at"),
            dates.plausible("next_due_at"),
            status__in=OPEN_STATUSES,
            next_due_at__lte=until,
        )
        .select_related("agency", "handling_unit", "assignee")
        .annotate(is_overdue=Q(next_due_at__lt=now))
        .order_by("next_due_at", "pk")
    )


def implausible_open_feedback() -> QuerySet:
    """(pk, code) of the open cases a scan cannot use: a date outside the plausible range.
    Only these two columns are read, so the query itself never fails on such a date."""
    return (
        Feedback.objects.filter(status__in=OPEN_STATUSES, next_due_at__isnull=False)
        .exclude(dates.plausible("received_at") & dates.plausible("next_due_at"))
        .order_by("pk")
        .values_list("pk", "code")
    )


def published_answers() -> QuerySet:
    """Public list: only what the submitter agreed to publish; never denunciations."""
    return (
        Feedback.objects.filter(published_at__isnull=False, publish_answer=True)
        .exclude(kind=FeedbackKind.DENUNCIATION)
        .select_related("agency")
        .only("code", "kind", "public_title", "answer", "answered_at", "published_at", "agency__name")
        .order_by("-published_at", "-pk")
    )


# --- hotline --------------------------------------------------------------------------------------


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tz)
    return start, start + dt.timedelta(days=1)


def hotline_calls(user, *, start: dt.date, end: dt.date) -> QuerySet:
    """Calls from `start` to `end` inclusive, oldest first."""
    lo, _ = _day_bounds(start)
    _, hi = _day_bounds(end)
    return (
        restrict_to_visible(HotlineCall.objects.all(), user, field=HOTLINE_SCOPE)
        .filter(started_at__gte=lo, started_at__lt=hi)
        .select_related("agency", "handler", "feedback", "related_dossier")
        .order_by("started_at", "pk")
    )


def hotline_totals(calls: QuerySet) -> dict:
    """Totals by outcome in one SQL aggregate."""
    aggregates = {"total": Count("pk"), "duration": Sum("duration_seconds")}
    for outcome in CallOutcome:
        aggregates[outcome.value] = Count("pk", filter=Q(outcome=outcome))
    totals = calls.order_by().aggregate(**aggregates)
    totals["duration"] = totals["duration"] or 0
    totals["by_outcome"] = [(outcome.label, totals[outcome.value]) for outcome in CallOutcome]
    return totals


def hotline_call_for_staff(user, pk: int) -> HotlineCall:
    call = (
        restrict_to_visible(HotlineCall.objects.all(), user, field=HOTLINE_SCOPE)
        .select_related("agency", "feedback")
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404
    return call


# --- citizen reception ---------------------------------------------------------------------------


def reception_register(user, *, year: int) -> QuerySet:
    return (
        restrict_to_visible(CitizenReception.objects.all(), user, field=RECEPTION_SCOPE)
        .filter(year=year)
        .select_related("agency", "officer", "feedback")
        .order_by("agency__name", "number")
    )


def second_factors(code: str) -> list[str]:
    """The submitter's phone and ID number, asked (last 4 digits) while the code is protected
    after many wrong PINs (core.lookup_guard); [] for an unknown code."""
    row = Feedback.objects.filter(code=code).values_list("submitter_phone", "submitter_id_number").first()
    return [value for value in row or () if value]
