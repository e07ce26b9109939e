"""A stand-in for the task a calendar change enqueues (settings.CALENDAR_CHANGE_TASK), so that
thutuc's own tests see what its services announce without the apps above it. A real Celery
task, run in-process like every task of the test run (eager)."""

from celery import shared_task

from thutuc.calendar_changes import CalendarChange

received: list[tuple[int | None, frozenset | None]] = []


@shared_task(name="tests.thutuc.record_calendar_change")
def record_calendar_change(changes: list[dict]) -> None:
    received.extend(
        (change.agency_id, change.dates) for change in (CalendarChange.from_message(m) for m in changes)
    )
