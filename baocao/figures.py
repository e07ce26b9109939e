"""The other figures of the CCHC report: feedback and complaints, hotline, satisfaction,
channel shares — each a handful of SQL aggregates — and `report_payload`, the JSON that a
report shows, freezes at submission and renders to PDF/Excel."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from khieunai.models import CallOutcome, Feedback, FeedbackChannel, FeedbackKind, HotlineCall
from motcua.models import Rating, RatingValue
from thutuc.deadlines import EARLY, LATE, ON_TIME, finished_class_q

from . import ii06a
from .periods import Period, local_tz

PAYLOAD_SCHEMA = 1
# Target of the province's CCHC plan: more than 80 % of ratings satisfied or very satisfied.
SATISFACTION_TARGET_PERCENT = 80

FEEDBACK_MEASURES = ("received", "on_time", "late", "pending", "overdue")


def _agency_filter(scope: ii06a.Scope, field: str) -> Q:
    return Q() if scope.agency_ids is None else Q(**{f"{field}__in": scope.agency_ids})


def feedback_figures(scope: ii06a.Scope, period: Period, *, now=None) -> dict:
    """Feedback, complaints and denunciations received in the period, by kind and by channel:
    resolved on time / late (answer or closing day vs. due day) and still pending at the end
    of the period (within the deadline / overdue). No due date = no deadline = on time.
    A running period is read as of `now`: pending is overdue once its deadline has passed."""
    start, end = period.bounds()
    now = now or timezone.now()
    tz = local_tz()
    queryset = (
        Feedback.objects.filter(_agency_filter(scope, "agency"), received_at__gte=start, received_at__lt=end)
        .annotate(
            bc_done_at=Coalesce("answered_at", "closed_at"),
            bc_done_day=TruncDate(Coalesce("answered_at", "closed_at"), tzinfo=tz),
            bc_due_day=TruncDate("due_at", tzinfo=tz),
        )
        .order_by()
    )
    done = Q(bc_done_at__lt=end)
    not_done = Q(bc_done_at__isnull=True) | Q(bc_done_at__gte=end)
    no_due = Q(due_at__isnull=True)
    # early / on time / late: the one rule (thutuc.deadlines), early and on time together
    days = {"finish_day": "bc_done_day", "due_day": "bc_due_day", "always_on_time": no_due}
    if ii06a.is_running(period, now):
        within, past = Q(due_at__gte=now), Q(due_at__lt=now)
    else:
        within, past = Q(bc_due_day__gte=period.end), Q(bc_due_day__lt=period.end)
    measures = {
        "received": Count("pk"),
        "on_time": Count("pk", filter=done & finished_class_q((EARLY, ON_TIME), **days)),
        "late": Count("pk", filter=done & finished_class_q(LATE, **days)),
        "pending": Count("pk", filter=not_done & (no_due | within)),
        "overdue": Count("pk", filter=not_done & past),
    }
    by_kind = {row["kind"]: row for row in queryset.values("kind").annotate(**measures)}
    by_channel = {row["channel"]: row for row in queryset.values("channel").annotate(**measures)}

    def rows(choices, found):
        return [
            {
                "key": value,
                "label": str(label),
                **{m: found.get(value, {}).get(m, 0) for m in FEEDBACK_MEASURES},
            }
            for value, label in choices
        ]

    kind_rows = rows(FeedbackKind.choices, by_kind)
    return {
        "by_kind": kind_rows,
        "by_channel": rows(FeedbackChannel.choices, by_channel),
        "total": {m: sum(r[m] for r in kind_rows) for m in FEEDBACK_MEASURES},
    }


def hotline_figures(scope: ii06a.Scope, period: Period) -> dict:
    start, end = period.bounds()
    measures = {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(closed_at__isnull=False, closed_at__lt=end)),
    }
    measures.update({value: Count("pk", filter=Q(outcome=value)) for value in CallOutcome.values})
    counts = HotlineCall.objects.filter(
        _agency_filter(scope, "agency"), started_at__gte=start, started_at__lt=end
    ).aggregate(**measures)
    return {
        "total": counts["total"],
        "closed": counts["closed"],
        "by_outcome": [
            {"key": v, "label": str(label), "count": counts[v]} for v, label in CallOutcome.choices
        ],
    }


def satisfaction_figures(scope: ii06a.Scope, period: Period) -> dict:
    """Ratings given in the period on the scope's dossiers: count of each of the three values."""
    start, end = period.bounds()
    counts = Rating.objects.filter(
        _agency_filter(scope, f"dossier__{scope.agency_field}"), at__gte=start, at__lt=end
    ).aggregate(**{value: Count("pk", filter=Q(value=value)) for value in RatingValue.values})
    return {
        "counts": [{"key": v, "label": str(label), "count": counts[v]} for v, label in RatingValue.choices],
        "target_percent": SATISFACTION_TARGET_PERCENT,
    }


def report_payload(
    *, scope: ii06a.Scope, period: Period, title: str, agency: dict | None, is_centre: bool = True
) -> dict:
    """Every figure of a report, as plain JSON (ints and strings). `is_centre` names the
    receiving variant of the form (a one-stop centre, or a Bộ phận Một cửa)."""
    now = timezone.now()
    by_field = ii06a.compute(scope, period, grouping="field", now=now)
    by_unit = ii06a.compute(scope, period, grouping="unit", now=now)
    return {
        "schema": PAYLOAD_SCHEMA,
        "title": title,
        "agency": agency,
        "agency_role": scope.agency_role,
        "variant": ii06a.variant_title(scope.agency_role, is_centre=is_centre),
        "agency_ids": sorted(scope.agency_ids) if scope.agency_ids is not None else None,
        "period": period.as_dict(),
        "computed_at": now.isoformat(),
        "ii06a": {"field": by_field.as_dict(), "unit": by_unit.as_dict()},
        "feedback": feedback_figures(scope, period, now=now),
        "hotline": hotline_figures(scope, period),
        "satisfaction": satisfaction_figures(scope, period),
    }
