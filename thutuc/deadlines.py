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
- `statutory_due_at`: the same after the complete supplement of a dossier: counted again
  from the start at the moment it arrived (NĐ 118/2025/NĐ-CP Điều 19 khoản 5: "tính lại
  từ đầu"); a supplement recorded under the former `pause` setting keeps its rule.
- `step_due_at`: a routing step's own deadline, its allotment counted from the hand-off.
- `transfer_due_at`: when the counter must have handed a paper dossier to the competent
  agency (NĐ 118/2025 Điều 18 khoản 2, Điều 20 khoản 1 điểm a).
- `supplement_close_at`: when a dossier still waiting for its supplement is closed (Điều 19
  khoản 5); `apology_in_time`: whether an apology with a request for more time was issued
  early enough (Điều 19 khoản 6).
- `classify_finished`: early / on time / late of a finished case, by date (as the
  statistics form counts), and `finished_class_q`, the same rule as a query condition for
  the reports; `classify_step` for a routing step (by the moment).
- `due_soon_limit`: the one "due soon" window, in working hours.

The arithmetic never touches the database. The one query-building function returns a `Q`
for the reports, written beside the Python rule it mirrors
(tests/baocao/test_deadline_agreement.py holds the two together).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from .calendar import HOURS_PER_WORKING_DAY, TZ, WorkingCalendar

# How a complete supplement moves the clock (SupplementRequest.clock_policy, stored when it
# arrives). NĐ 118/2025/NĐ-CP Điều 19 khoản 5: "Thời hạn giải quyết được tính lại từ đầu sau
# khi nhận đủ hồ sơ" — every supplement now restarts the clock. `pause` (shifted by the
# working time spent waiting) is no longer applied to a new supplement: it stays readable for
# the supplements recorded under the former setting DOSSIER_SUPPLEMENT_CLOCK=pause, so that
# a recomputation (a calendar change) never moves their deadlines.
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
        if supplement.clock_policy == CLOCK_PAUSE:  # recorded before NĐ 118/2025 applied
            waited = calendar.working_hours_between(supplement.requested_at, supplement.fulfilled_at)
            due = calendar.add_working_hours(due, max(waited, Decimal(0)))
        else:  # restart: NĐ 118/2025/NĐ-CP Điều 19 khoản 5 ("tính lại từ đầu")
            due = case_due_at(calendar, case, supplement.fulfilled_at)
    return due


# --- transfer to the competent agency ----------------------------------------------------------
# NĐ 118/2025/NĐ-CP Điều 18 khoản 2: a dossier received at the counter goes to the competent
# agency the same working day, or "vào đầu giờ ngày làm việc tiếp theo" when it was received
# after 15:00. Điều 20 khoản 1 điểm a: to an agency of another administrative level, the paper
# dossier goes "trong không quá 01 ngày làm việc kể từ khi tiếp nhận hồ sơ".
TRANSFER_CUTOFF = dt.time(15, 0)
# "At the start of the next working day" read as: within its first working hour.
TRANSFER_NEXT_MORNING_HOURS = Decimal(1)


def transfer_due_at(
    calendar: WorkingCalendar, received_at: dt.datetime, *, across_levels: bool
) -> dt.datetime:
    """The moment by which the counter must have handed the dossier received at
    `received_at` to the competent agency: one working day after receipt across
    administrative levels (Điều 20 khoản 1 điểm a); otherwise the close of the working day
    of receipt, or the first working hour of the next working day when received after
    15:00 or on a day off (Điều 18 khoản 2). 15:00 exactly is still the same day."""
    if across_levels:
        return calendar.add_working_hours(received_at, HOURS_PER_WORKING_DAY)
    local = received_at.astimezone(TZ)
    day = local.date()
    if calendar.is_working_day(day) and local.time() <= TRANSFER_CUTOFF:
        return calendar.end_of_working_day(day)
    morning = calendar.next_working_moment(
        dt.datetime.combine(calendar.next_working_day(day), dt.time.min, TZ)
    )
    return calendar.add_working_hours(morning, TRANSFER_NEXT_MORNING_HOURS)


# --- supplement not brought: the dossier is closed ------------------------------------------
# NĐ 118/2025/NĐ-CP Điều 19 khoản 5: "Sau 15 ngày kể từ khi thông báo hoặc theo thời hạn quy
# định của pháp luật chuyên ngành, nếu tổ chức, cá nhân không hoàn thành việc hoàn thiện hồ
# sơ, … Bộ phận Một cửa thực hiện đóng hồ sơ". Days, not working days.
SUPPLEMENT_CLOSE_AFTER_DAYS = 15


def supplement_close_at(requested_at: dt.datetime, reply_due_at: dt.datetime | None = None) -> dt.datetime:
    """When a dossier still waiting for the supplement requested at `requested_at` is
    closed: 15 days after the request, or the later date a sector law gives
    (`reply_due_at`, written on form 02)."""
    floor = requested_at + dt.timedelta(days=SUPPLEMENT_CLOSE_AFTER_DAYS)
    return max(floor, reply_due_at) if reply_due_at is not None else floor


# --- apology and request for more time ------------------------------------------------------
# NĐ 118/2025/NĐ-CP Điều 19 khoản 6: "trong thời hạn chậm nhất 01 ngày trước ngày hết hạn"
# the competent agency writes to the one-stop and apologises to the applicant; counted in
# days (the date of issue against the due date), the day before being the working day before.


def apology_last_day(calendar: WorkingCalendar, due_at: dt.datetime) -> dt.date:
    """The last day on which an apology for a dossier due at `due_at` is in time: the
    working day before the due date."""
    day = _local_date(due_at) - dt.timedelta(days=1)
    for _ in range(3660):
        if calendar.is_working_day(day):
            return day
        day -= dt.timedelta(days=1)
    raise ValueError("no working day found in ten years")


def apology_in_time(calendar: WorkingCalendar, issued_at: dt.datetime, due_at: dt.datetime) -> bool:
    """Whether an apology issued at `issued_at` respects Điều 19 khoản 6 for a dossier due
    at `due_at`: issued on the working day before the due date at the latest."""
    return _local_date(issued_at) <= apology_last_day(calendar, due_at)


# --- routing steps ---------------------------------------------------------------------------------


def step_due_at(calendar: WorkingCalendar, step: StepTerms, start: dt.datetime) -> dt.datetime:
    """A routing step's deadline: its allotment counted from `start` (the hand-off) with the
    calendar the caller chose (the unit doing the step)."""
    return calendar.due_at(start, step.allotted_time, step.allotted_unit)


# --- early / on time / late -----------------------------------------------------------------------
# One rule for every place that says it: the result SMS and e-mail, the citizen's timeline,
# the control sheet, the worklists, Biểu II.06a (columns 8, 9, 10) and the feedback figures.

EARLY, ON_TIME, LATE = "early", "on_time", "late"
CLASS_LABELS = {
    EARLY: gettext_lazy("Trước hạn"),
    ON_TIME: gettext_lazy("Đúng hạn"),
    LATE: gettext_lazy("Quá hạn"),
}


def classify_finished(finished_at: dt.datetime, due_at: dt.datetime, *, always_on_time: bool = False) -> str:
    """Early / on time / late of a finished case, by **date** in the portal's time zone, as
    the statistics form Biểu II.06a counts its columns "trước hạn", "đúng hạn", "quá hạn"
    (docs/baocao.md): finished on an earlier day than the due date is early, on the due date
    on time (whatever the hour: a result at 10:00 on the due day is on time, not early), on
    a later day late.

    `due_at` is the statutory deadline (`Dossier.original_due_at`: an apology moves the
    appointment, not the deadline the case is judged against). `always_on_time`: a case
    counted on time whatever the dates (a dossier withdrawn or stopped, processing ended on
    the applicant's side; a feedback without a deadline). `finished_class_q` is the same
    rule in SQL."""
    if always_on_time:
        return ON_TIME
    finished, due = _local_date(finished_at), _local_date(due_at)
    if finished < due:
        return EARLY
    return ON_TIME if finished == due else LATE


def finished_class_q(verdicts: str | Iterable[str], *, finish_day: str, due_day: str, always_on_time: Q) -> Q:
    """`classify_finished` as a condition on a queryset whose `finish_day` and `due_day` are
    local dates (`TruncDate(..., tzinfo=TZ)` annotations): the rows classified as one of
    `verdicts`. `always_on_time` is the condition of the cases counted on time whatever the
    dates."""
    by_date = {
        EARLY: Q(**{f"{finish_day}__lt": F(due_day)}),
        ON_TIME: Q(**{finish_day: F(due_day)}),
        LATE: Q(**{f"{finish_day}__gt": F(due_day)}),
    }
    wanted = [verdicts] if isinstance(verdicts, str) else list(verdicts)
    dated = Q()
    for verdict in wanted:
        dated |= by_date[verdict]
    if ON_TIME in wanted:
        return always_on_time | dated
    return ~always_on_time & dated


def classify_step(ended_at: dt.datetime, step_due_at: dt.datetime) -> str:
    """A routing step on the control sheet: late when it ended after its deadline **moment**
    (steps are often a few working hours long: comparing dates would hide lateness), early
    when it ended on an earlier day than its deadline, on time otherwise."""
    if ended_at > step_due_at:
        return LATE
    if _local_date(ended_at) < _local_date(step_due_at):
        return EARLY
    return ON_TIME


def step_class_q(verdict: str, *, ended_at: str, due_at: str, ended_day: str, due_day: str) -> Q:
    """`classify_step` as a condition on a queryset of steps whose `ended_at` / `due_at` are
    moments and `ended_day` / `due_day` their local dates (TruncDate annotations): late past
    the deadline moment, early on an earlier day, on time otherwise
    (tests/baocao/test_lateness.py holds the two together)."""
    late = Q(**{f"{ended_at}__gt": F(due_at)})
    early = Q(**{f"{ended_day}__lt": F(due_day)})
    if verdict == LATE:
        return late
    if verdict == EARLY:
        return ~late & early
    if verdict == ON_TIME:
        return ~late & ~early
    raise ValueError(f"unknown verdict {verdict!r}")


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(TZ).date()


# --- due soon --------------------------------------------------------------------------------------
# One window for every "due soon": the dossier and feedback alerts, the worklists' filter and
# colour, the feedback list's filter. In working hours, so that a weekend or a holiday inside
# it stretches it (Friday 16:00 + one working day = Monday 16:00).


def due_soon_hours() -> Decimal:
    """The window, in working hours: `ALERT_DUE_SOON_WORKING_HOURS` (8 = one working day)."""
    from django.conf import settings

    return Decimal(str(settings.ALERT_DUE_SOON_WORKING_HOURS))


def due_soon_limit(calendar: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """The latest deadline that is "due soon" at `now` (one not yet passed, that is)."""
    return calendar.add_working_hours(now, due_soon_hours())


# --- online filings (NĐ 118/2025/NĐ-CP Điều 17 khoản 2) --------------------------------------------
# A dossier filed on the national portal waits in the receiving counter's online inbox until
# an officer accepts it, asks for a supplement or refuses it. Its processing clock starts at
# acceptance (Điều 17 khoản 3), not at the filing.

# "Trong vòng 02 giờ kể từ khi Cổng Dịch vụ công quốc gia phản hồi cho tổ chức, cá nhân, Hệ
# thống thông tin giải quyết thủ tục hành chính ... có thông báo với cán bộ ... tiếp nhận":
# the decree says two hours (not working hours): the system tells the staff, whatever the time.
ONLINE_ALERT_HOURS = 2
# "không muộn hơn 08 (tám) giờ làm việc kể từ khi Hệ thống thông tin giải quyết thủ tục hành
# chính tiếp nhận hồ sơ" (Điều 17 khoản 2 điểm c): accepted, or a supplement asked for.
ONLINE_DECISION_WORKING_HOURS = 8


# The online inbox's "due soon": its whole allowance is the general window (8 working hours),
# which would call every filing due soon on arrival; it warns in the last quarter instead.
ONLINE_DUE_SOON_WORKING_HOURS = 2


def online_due_soon_limit(calendar: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """The latest decision deadline of a waiting online filing that is "due soon" at `now`."""
    return calendar.add_working_hours(now, Decimal(ONLINE_DUE_SOON_WORKING_HOURS))


def online_alert_due_at(submitted_at: dt.datetime) -> dt.datetime:
    """The latest moment the reception staff must be told of an online filing acknowledged
    by the national portal at `submitted_at` (Điều 17 khoản 2: within 02 hours)."""
    return submitted_at + dt.timedelta(hours=ONLINE_ALERT_HOURS)


def online_decision_due_at(calendar: WorkingCalendar, arrived_at: dt.datetime) -> dt.datetime:
    """The latest moment the counter must accept, ask for a supplement or refuse an online
    filing that reached the system at `arrived_at`: 08 working hours of the receiving
    counter's calendar (Điều 17 khoản 2 điểm c)."""
    return calendar.add_working_hours(arrived_at, Decimal(ONLINE_DECISION_WORKING_HOURS))
