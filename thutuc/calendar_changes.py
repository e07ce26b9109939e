"""What a working-calendar change sets off, said explicitly by the calendar's services.

The services of thutuc (`calendar_day_save`, `calendar_day_delete`, `calendar_days_delete`,
`calendar_import_makeup_days`, `agency_save`) know what they changed: they call
`announce([CalendarChange(agency_id, dates), ...])` inside their transaction. When it commits
(never for a rolled-back or refused change):

1. `forget_calendars()`: every process rebuilds the calendars it cached;
2. the Celery task named by `settings.CALENDAR_CHANGE_TASK` is enqueued with the changes
   (`motcua.tasks.apply_calendar_change`: recompute the open deadlines, reset the deadline
   scan's watermark, rescan — in that order, in one function). thutuc never imports the
   apps above it: the project's settings name the task.

If the broker cannot take the task (Redis down), it runs here instead, in the process that
made the change, so that a calendar change is never lost (docs/calendar.md). A write that
does not go through the services (a shell `CalendarDay.objects.create(...)`) announces
nothing: call the services.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .calendar_store import forget_calendars

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalendarChange:
    """The calendar of `agency_id` (None: the national one, i.e. every agency's) changed on
    `dates` (None: every day — the agency's office hours changed)."""

    agency_id: int | None
    dates: frozenset[dt.date] | None

    def as_message(self) -> dict:
        """JSON for the Celery message."""
        return {
            "agency_id": self.agency_id,
            "dates": None if self.dates is None else [day.isoformat() for day in sorted(self.dates)],
        }

    @classmethod
    def from_message(cls, message: dict) -> CalendarChange:
        dates = message.get("dates")
        return cls(
            agency_id=message.get("agency_id"),
            dates=None if dates is None else frozenset(dt.date.fromisoformat(day) for day in dates),
        )


def merge(changes: Iterable[CalendarChange]) -> list[CalendarChange]:
    """One change per agency scope (every day wins over some days), in a stable order."""
    merged: dict[int | None, frozenset[dt.date] | None] = {}
    for change in changes:
        if change.agency_id in merged:
            known = merged[change.agency_id]
            merged[change.agency_id] = None if known is None or change.dates is None else known | change.dates
        else:
            merged[change.agency_id] = change.dates
    return [CalendarChange(agency_id, dates) for agency_id, dates in sorted(merged.items(), key=_scope_order)]


def _scope_order(item) -> tuple:
    agency_id, _dates = item
    return (agency_id is not None, agency_id or 0)


def announce(changes: Iterable[CalendarChange]) -> None:
    """Call inside the transaction that makes the changes: after it commits, the cached
    calendars are forgotten and the deadlines follow (see the module docstring)."""
    merged = [change for change in merge(changes) if change.dates is None or change.dates]
    if merged:
        transaction.on_commit(lambda: _after_commit(merged))


def _after_commit(changes: list[CalendarChange]) -> None:
    forget_calendars()
    path = getattr(settings, "CALENDAR_CHANGE_TASK", "")
    if not path:
        return
    task = import_string(path)
    messages = [change.as_message() for change in changes]
    if task.app.conf.task_always_eager:
        task.delay(messages)  # the embedded run and the tests: in this process, like every task
        return
    try:
        task.delay(messages)
        return
    except Exception:
        logger.exception("calendar change: could not enqueue %s; running it in this process", path)
    try:
        task.apply(args=(messages,), throw=True)
    except Exception:
        logger.exception("calendar change: %s failed; deadlines of %s not recomputed", path, messages)
