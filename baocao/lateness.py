"""Lateness where it happened: the routing steps of a period, early / on time / late against
each step's own deadline, counted per unit and per officer ("rõ người, rõ việc").

A step is a hand-off of the dossier's history (`DossierEvent`, the control sheet's rows:
`motcua.selectors_processing.control_sheet_rows`) that carries a step deadline; it ends at
the dossier's next hand-off. The same rule as the control sheet (`classify_step`, by the
moment), in SQL (`thutuc.deadlines.step_class_q`); the unit is the one the step was handed
to (`unit_after`), the officer the one it was assigned to (`recipient`; none when it was
handed to the unit without naming one).

Counted in a period:
- ended: the step ended within the period — early / on time / late;
- running late: not ended by the end of the period (nor by now) and its deadline already
  passed (before the period's end, or before now for a running period).

One grouped query per table; the drill-down (`dossiers_for`) filters the steps with the same
conditions and lists their dossiers.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.models import Dossier, DossierEvent, EventAction
from motcua.selectors_processing import HAND_OFF_ACTIONS
from thutuc.deadlines import EARLY, LATE, ON_TIME, step_class_q

from .periods import Period, local_tz

MEASURES = ("ended", EARLY, ON_TIME, LATE, "running_late")
MEASURE_LABELS = {
    "ended": _("Bước đã kết thúc"),
    EARLY: _("Trước hạn"),
    ON_TIME: _("Đúng hạn"),
    LATE: _("Trễ hạn"),
    "running_late": _("Đang trễ hạn"),
}
# grouping -> (key, label, fallback label)
GROUPINGS = {
    "unit": ("unit_after_id", "unit_after__name", "unit_after__name"),
    "officer": ("recipient_id", "recipient__full_name", "recipient__username"),
}
# A step's own deadline: every hand-off but the return of the result, which closes the
# dossier (judged against the dossier's deadline, not a step's).
STEP_ACTIONS = tuple(a for a in HAND_OFF_ACTIONS if a != EventAction.RETURN_RESULT)


def steps(*, agency_ids: frozenset[int] | None, period: Period) -> QuerySet:
    """The steps of units in `agency_ids` (None: every unit) that may count in `period`:
    started before its end, on dossiers not finished before its start (a step cannot end
    after its dossier did), annotated with their end (the next hand-off) and its day."""
    start, end = period.bounds()
    tz = local_tz()
    next_hand_off = (
        DossierEvent.objects.filter(dossier_id=OuterRef("dossier_id"), action__in=HAND_OFF_ACTIONS)
        .filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
        .order_by("at", "pk")
        .values("at")[:1]
    )
    queryset = DossierEvent.objects.filter(
        action__in=STEP_ACTIONS,
        step_due_at__isnull=False,
        at__lt=end,
    ).filter(Q(dossier__finished_at__isnull=True) | Q(dossier__finished_at__gte=start))
    if agency_ids is not None:
        queryset = queryset.filter(unit_after_id__in=agency_ids)
    return queryset.annotate(
        lt_ended_at=Subquery(next_hand_off),
    ).annotate(
        lt_ended_day=TruncDate("lt_ended_at", tzinfo=tz),
        lt_due_day=TruncDate("step_due_at", tzinfo=tz),
    )


def measure_q(measure: str, period: Period, *, now: dt.datetime) -> Q:
    start, end = period.bounds()
    ended = Q(lt_ended_at__gte=start, lt_ended_at__lt=end)
    days = {
        "ended_at": "lt_ended_at",
        "due_at": "step_due_at",
        "ended_day": "lt_ended_day",
        "due_day": "lt_due_day",
    }
    horizon = min(end, now)
    if measure == "ended":
        return ended
    if measure in (EARLY, ON_TIME, LATE):
        return ended & step_class_q(measure, **days)
    if measure == "running_late":
        not_ended = Q(lt_ended_at__isnull=True) | Q(lt_ended_at__gte=horizon)
        return not_ended & Q(step_due_at__lt=horizon)
    raise ValueError(f"unknown measure {measure!r}")


def compute(*, agency_ids: frozenset[int] | None, period: Period, grouping: str, now=None) -> dict:
    """{"rows": [{"key", "label", measure: count…}], "total": {measure: count}} — one query."""
    now = now or timezone.now()
    key_field, label_field, fallback_field = GROUPINGS[grouping]
    counts = {m: Count("pk", filter=measure_q(m, period, now=now)) for m in MEASURES}
    rows = [
        {
            "key": row[key_field],
            "label": row[label_field] or row[fallback_field] or "",
            **{m: row[m] for m in MEASURES},
        }
        for row in steps(agency_ids=agency_ids, period=period)
        .order_by()
        .values(key_field, label_field, fallback_field)
        .annotate(**counts)
        .order_by(label_field, key_field)
        if any(row[m] for m in MEASURES)
    ]
    total = {m: sum(row[m] for row in rows) for m in MEASURES}
    for row in rows:
        row["cells"] = [(m, row[m]) for m in MEASURES]
    return {"rows": rows, "total": total, "total_cells": [(m, total[m]) for m in MEASURES]}


def dossiers_for(
    *,
    agency_ids: frozenset[int] | None,
    period: Period,
    measure: str,
    grouping: str | None = None,
    key: int | None = None,
    now=None,
) -> QuerySet:
    """The dossiers of the steps behind one count (a dossier once, however many steps)."""
    now = now or timezone.now()
    chosen = steps(agency_ids=agency_ids, period=period).filter(measure_q(measure, period, now=now))
    if grouping:
        key_field = GROUPINGS[grouping][0]
        chosen = chosen.filter(**{key_field: key})
    return (
        Dossier.objects.filter(pk__in=chosen.values("dossier_id"))
        .select_related("procedure__field", "competent_agency", "receiving_agency")
        .order_by("received_at", "pk")
    )
