"""What a working-calendar change does to the dossiers: one function, in this order.

Called by the Celery task `motcua.tasks.apply_calendar_change`, which the calendar's
services enqueue after their commit (thutuc/calendar_changes.py, docs/calendar.md):

1. recompute the deadlines of the open dossiers the change can move
   (`deadlines.recompute_open_deadlines`, per agency scope and from the first changed day);
2. reset the deadline scan's watermark: a new holiday or make-up day moves the scan's
   thresholds themselves, so the scan must read everything again;
3. rescan now, not at the next beat tick: the alerts about the old deadlines are resolved
   and those about the new ones recorded. A scan running meanwhile holds the watermark's
   lock; step 2 waits for it, and step 3 then reads the deadlines committed in step 1.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from thutuc.calendar_changes import CalendarChange

from ..alerts.scan import reset_scan_watermark, scan_deadlines
from .deadlines import recompute_open_deadlines

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalendarChangeResult:
    moved: int  # dossiers whose deadline moved
    full_scan: bool
    alerts_created: int
    alerts_resolved: int


def calendar_change_apply(*, changes: Iterable[CalendarChange]) -> CalendarChangeResult:
    """Recompute, reset the watermark, rescan (see the module docstring). Safe to run twice."""
    moved = 0
    for change in changes:
        moved += recompute_open_deadlines(
            agency_ids=None if change.agency_id is None else [change.agency_id], dates=change.dates
        )
    reset_scan_watermark()
    scan = scan_deadlines()
    logger.info(
        "calendar change: %s deadlines moved, %s alerts recorded, %s resolved",
        moved,
        scan.created,
        scan.resolved,
    )
    return CalendarChangeResult(
        moved=moved, full_scan=scan.full, alerts_created=scan.created, alerts_resolved=scan.resolved
    )
