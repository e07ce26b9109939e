"""Deadlines of accepted dossiers: recomputation, remaining working time, classification.

- The dossier deadline follows the working calendar of the *receiving* agency (the one that
  printed the appointment on the receipt); a routing step's deadline follows the calendar
  of the unit doing the step.
- The formula itself (processing time from receipt, recomputed after each complete
  supplement) is `thutuc.deadlines.statutory_due_at`, the one pure deadline module.
- `recompute_open_deadlines` re-applies it after a calendar change (the first step of
  `motcua.services.calendar_change.calendar_change_apply`). It leaves alone the dossiers waiting
  for a supplement (their clock is stopped; the deadline is recomputed on arrival) and the
  dossiers with an apology (their new date was promised to the citizen in writing).
- Classification: `classify_dossier` feeds a finished dossier to the one rule,
  `thutuc.deadlines.classify_finished` (dates, as Biểu II.06a counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thutuc import deadlines as rules
from thutuc.calendar import HOURS_PER_WORKING_DAY, TZ, WorkingCalendar
from thutuc.calendar_store import get_calendars

from ..models import Dossier, DossierEvent, EventAction
from ..models.dossier import CLOCK_RUNNING_STATUSES, ENDED_BY_APPLICANT_STATUSES

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
                .select_related("case_version", "receiving_agency")
                .prefetch_related("supplement_requests")
            )
            calendars = calendars_for({d.receiving_agency_id: d.receiving_agency for d in rows}.values())
            updated, events = [], []
            for dossier in rows:
                new_due = rules.statutory_due_at(
                    calendars[dossier.receiving_agency_id],
                    case=dossier.case_version,
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
# The rule is thutuc.deadlines.classify_finished (by date, as Biểu II.06a counts); this is
# the one place that picks a dossier's inputs for it.


def classify_dossier(dossier: Dossier, *, finished_at: dt.datetime | None = None) -> str:
    """Early / on time / late of a finished dossier: its finish (or `finished_at`, e.g. the
    moment a result is being announced) against its statutory deadline `original_due_at`
    (a dossier with an apology is judged against the date it would have been due); a
    withdrawn or stopped dossier counts as on time."""
    return rules.classify_finished(
        finished_at or dossier.finished_at,
        dossier.original_due_at,
        always_on_time=dossier.status in ENDED_BY_APPLICANT_STATUSES,
    )
