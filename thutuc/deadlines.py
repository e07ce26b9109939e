"""The deadline rules of the portal, in one pure module.

No ORM and no cache here: the caller passes a `WorkingCalendar` (built by
`thutuc.calendar_store`, or by hand in a test) and plain objects that carry the fields the
rule reads (a `ProcedureCase`, a `ProcedureStep`, a `SupplementRequest`, or anything with
the same attributes). Every part of the portal that needs one of these answers calls this
module: intake and the state machine (motcua), the catalogue page and the "why this date"
explanation (thutuc), the deadline scans (motcua, khieunai).

- `processing_due_at` / `case_due_at`: the statutory appointment of a procedure case, its
  processing time counted from the moment the clock starts, with the case's same-day
  cut-off (DESIGN §5.3, docs/calendar.md).
- `statutory_due_at`: the same after the complete supplements of a dossier, each by the
  policy in force when it arrived (restart: from zero at that moment, NĐ 61/2018/NĐ-CP
  Điều 19.4; pause: shifted by the working time spent waiting).
- `step_due_at`: a routing step's own deadline, its allotment counted from the hand-off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from .calendar import WorkingCalendar

CLOCK_RESTART, CLOCK_PAUSE = "restart", "pause"


class ProcessingTerms(Protocol):
    """What a procedure case says about its time (thutuc.models.ProcedureCase)."""

    processing_time: Decimal
    processing_unit: str
    cutoff_time: dt.time | None


class StepTerms(Protocol):
    """What a routing step says about its time (thutuc.models.ProcedureStep)."""

    allotted_time: Decimal
    allotted_unit: str


class Supplement(Protocol):
    """A supplement request of a dossier (motcua.models.SupplementRequest)."""

    requested_at: dt.datetime
    fulfilled_at: dt.datetime | None
    clock_policy: str


# --- the statutory appointment -------------------------------------------------------------------


def processing_due_at(
    calendar: WorkingCalendar, start: dt.datetime, *, amount, unit: str, cutoff: dt.time | None = None
) -> dt.datetime:
    """The appointment for a processing time of `amount` `unit` whose clock starts at
    `start` (a receipt, or a complete supplement that restarts the clock), with the
    same-day `cutoff` of the case. The one formula of the statutory deadline."""
    return calendar.due_at(start, amount, unit, cutoff=cutoff)


def case_due_at(calendar: WorkingCalendar, case: ProcessingTerms, start: dt.datetime) -> dt.datetime:
    """The appointment of `case` if its clock starts at `start` (the receipt printed at the
    counter, the date the catalogue page promises to whoever files now)."""
    return processing_due_at(
        calendar, start, amount=case.processing_time, unit=case.processing_unit, cutoff=case.cutoff_time
    )


def statutory_due_at(
    calendar: WorkingCalendar,
    *,
    case: ProcessingTerms,
    received_at: dt.datetime,
    supplements: Iterable[Supplement] = (),
) -> dt.datetime:
    """The statutory deadline of a dossier of `case` received at `received_at`, after its
    fulfilled `supplements` (the others are ignored), in the order they arrived."""
    due = case_due_at(calendar, case, received_at)
    fulfilled = sorted((s for s in supplements if s.fulfilled_at), key=lambda s: s.fulfilled_at)
    for supplement in fulfilled:
        if supplement.clock_policy == CLOCK_PAUSE:
            waited = calendar.working_hours_between(supplement.requested_at, supplement.fulfilled_at)
            due = calendar.add_working_hours(due, max(waited, Decimal(0)))
        else:  # restart (NĐ 61/2018/NĐ-CP Điều 19.4)
            due = case_due_at(calendar, case, supplement.fulfilled_at)
    return due


# --- routing steps ---------------------------------------------------------------------------------


def step_due_at(calendar: WorkingCalendar, step: StepTerms, start: dt.datetime) -> dt.datetime:
    """A routing step's deadline: its allotment counted from `start` (the hand-off) with the
    calendar the caller chose (the unit doing the step)."""
    return calendar.due_at(start, step.allotted_time, step.allotted_unit)
