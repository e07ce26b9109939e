"""Deadlines of accepted dossiers: recomputation, remaining working time, classification.

- The dossier deadline follows the working calendar of the *receiving* agency (the one that
  printed the appointment on the receipt); a routing step's deadline follows the calendar
  of the unit doing the step.
- The formula itself (processing time from receipt, recomputed after each complete
  supplement) is `thutuc.deadlines.statutory_due_at`, the one pure deadline module.
- `recompute_open_deadlines` re-applies it after a calendar change (connected to
  `thutuc.signals.calendar_changed` in `motcua.apps`). It leaves alone the dossiers waiting
  for a supplement (their clock is stopped; the deadline is recomputed on arrival) and the
  dossiers with an apology (their new date was promised to the citizen in writing).
- Classification: a finished dossier is early / on time / late by comparing **dates**
  (finish date vs due date, as the quarterly report Biểu II.06a counts); a routing step on
  the control sheet is late when it ended after its deadline **moment** (steps are often a
  few working hours long, so a date comparison would hide lateness), early when it ended on
  an earlier day than its deadline, on time otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thutuc import deadlines as rules
from thutuc.calendar import HOURS_PER_WORKING_DAY, TZ, WorkingCalendar
from thutuc.calendar_store import get_calendars

from ..models import Dossier, DossierEvent, EventAction
from ..models.dossier import CLOCK_RUNNING_STATUSES

RECOMPUTE_BATCH_SIZE = 500


def calendars_for(agencies: Iterable) -> dict[int | None, WorkingCalendar]:
    """Working calendars of several agencies (one query at most, see thutuc.calendar_store)."""
    return get_calendars(agencies)


def recompute_open_deadlines(
    *, agency_ids: Iterable[int] | None = None, dates: Iterable[dt.date] | None = None
) -> int:
    """Recompute `due_at` of open dossiers after a calendar change; returns how many changed.

    `agency_ids`: only dossiers received by these agencies (None: all). `dates`: the days
    that changed — a dossier whose deadline is before all of them cannot move, so it is not
    even read. Works in batches (rows locked per batch), one `bulk_update` and one
    `bulk_create` of RECOMPUTE_DEADLINE events per batch."""
    queryset = Dossier.objects.filter(
        status__in=CLOCK_RUNNING_STATUSES, apology__isnull=True, is_imported=False
    )
    if agency_ids is not None:
        queryset = queryset.filter(receiving_agency_id__in=list(agency_ids))
    dates = sorted(dates or ())
    if dates:
        queryset = queryset.filter(due_at__gte=dt.datetime.combine(dates[0], dt.time.min, TZ))
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    changed = 0
    now = timezone.now()
    for start in range(0, len(ids), RECOMPUTE_BATCH_SIZE):
        batch = ids[start : start + RECOMPUTE_BATCH_SIZE]
        with transaction.atomic():
            rows = list(
                Dossier.objects.select_for_update(of=("self",))
                .filter(pk__in=batch, status__in=CLOCK_RUNNING_STATUSES, apology__isnull=True)
                .select_related("case", "receiving_agency")
                .prefetch_related("supplement_requests")
            )
            calendars = calendars_for({d.receiving_agency_id: d.receiving_agency for d in rows}.values())
            updated, events = [], []
            for dossier in rows:
                new_due = rules.statutory_due_at(
                    calendars[dossier.receiving_agency_id],
                    case=dossier.case,
                    received_at=dossier.received_at,
                    supplements=dossier.supplement_requests.all(),
                )
                if new_due == dossier.due_at:
                    continue
                events.append(
                    DossierEvent(
                        dossier=dossier,
                        at=now,
                        action=EventAction.RECOMPUTE_DEADLINE,
                        status_before=dossier.status,
                        status_after=dossier.status,
                        due_at_before=dossier.due_at,
                        due_at_after=new_due,
                        note=_("Lịch làm việc thay đổi: hạn giải quyết được tính lại."),
                    )
                )
                dossier.due_at = dossier.original_due_at = new_due
                dossier.updated_at = now
                updated.append(dossier)
            Dossier.objects.bulk_update(updated, ["due_at", "original_due_at", "updated_at"])
            DossierEvent.objects.bulk_create(events)
            changed += len(updated)
    return changed


def on_calendar_changed(sender=None, *, agency_id=None, dates=(), **kwargs) -> int:
    """Receiver of thutuc.signals.calendar_changed (sent after the override is committed)."""
    return recompute_open_deadlines(agency_ids=None if agency_id is None else [agency_id], dates=dates)


# --- remaining time -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Remaining:
    """Working time left until a deadline (negative hours: overdue).

    A deadline whose moment has passed is overdue even when no working time has elapsed
    since (due at 17:00 on Friday, read on Saturday): it never reads "còn 0 phút"."""

    hours: Decimal
    due_at: dt.datetime | None = None
    past_due: bool = False

    @property
    def overdue(self) -> bool:
        return self.past_due or self.hours < 0

    def __str__(self) -> str:
        minutes = int((abs(Decimal(self.hours)) * 60).to_integral_value())
        if self.overdue:
            if minutes == 0 and self.due_at is not None:
                # past the moment, not yet a working minute late (evening, weekend, holiday)
                return _("quá hạn từ %s") % _moment(self.due_at)
            return _("quá hạn %s") % format_working_hours(abs(self.hours))
        if minutes == 0 and self.due_at is not None:
            return _("đến hạn lúc %s") % _moment(self.due_at)
        return _("còn %s") % format_working_hours(self.hours)


def _moment(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def format_working_hours(hours: Decimal) -> str:
    """8.0 → "1 ngày", 11 → "1 ngày 3 giờ", 0.5 → "30 phút" (1 working day = 8 hours)."""
    minutes = int((Decimal(hours) * 60).to_integral_value())
    days, minutes = divmod(minutes, HOURS_PER_WORKING_DAY * 60)
    whole_hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(_("%d ngày") % days)
    if whole_hours:
        parts.append(_("%d giờ") % whole_hours)
    if minutes and not days:
        parts.append(_("%d phút") % minutes)
    return " ".join(parts) or _("0 phút")


def remaining_working_time(due_at: dt.datetime, *, calendar: WorkingCalendar, now: dt.datetime) -> Remaining:
    return Remaining(calendar.working_hours_between(now, due_at), due_at=due_at, past_due=now >= due_at)


# --- classification -------------------------------------------------------------------------------

EARLY, ON_TIME, LATE = "early", "on_time", "late"
CLASS_LABELS = {
    EARLY: gettext_lazy("Trước hạn"),
    ON_TIME: gettext_lazy("Đúng hạn"),
    LATE: gettext_lazy("Quá hạn"),
}


def classify_finished(finished_at: dt.datetime, due_at: dt.datetime) -> str:
    """Early / on time / late of a finished dossier, by date (as the quarterly report counts).
    Pass `original_due_at`: a dossier with an apology still counts as late."""
    finished, due = finished_at.astimezone(TZ).date(), due_at.astimezone(TZ).date()
    if finished < due:
        return EARLY
    return ON_TIME if finished == due else LATE


def classify_step(ended_at: dt.datetime, step_due_at: dt.datetime) -> str:
    """A routing step: late after its deadline moment; early when it ended on an earlier day."""
    if ended_at > step_due_at:
        return LATE
    if ended_at.astimezone(TZ).date() < step_due_at.astimezone(TZ).date():
        return EARLY
    return ON_TIME
