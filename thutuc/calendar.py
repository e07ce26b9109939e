"""The working calendar: the one home of working-time arithmetic in the portal.

Pure logic: `WorkingCalendar` knows office hours, the national holidays (from the
`holidays` package, country "VN": lunar Tết and Giỗ Tổ, days in lieu, known swapped days
off) and the admin's overrides (extra day off / make-up working day), and does the sums.
`get_calendar(agency)` builds one from the database in a single query; the module-level
functions below are the public API used by every other part of the portal.

Semantics (DESIGN §5.3):
- 1 working day = 8 working hours; default office hours 08:00–12:00 and 13:00–17:00.
- A start outside office hours moves to the next working moment.
- Adding working time gives the *earliest* moment at which it has elapsed: one working
  day from Monday 08:00 is Monday 17:00; from Monday 10:00 it is Tuesday 10:00.
- Calendar days: add days; a result on a non-working day moves to the next working day.
- A same-day cut-off (e.g. 15:00): received after it → counted from the next working day.
All datetimes are aware and interpreted in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import holidays

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_WORKING_DAY = 8
DEFAULT_OFFICE_HOURS = "08:00-12:00,13:00-17:00"

# Weekly rest days (Bộ luật Lao động 2019 Điều 111: the employer fixes them; state
# offices rest on Saturday and Sunday, Saturday morning may be opened per agency).
SATURDAY, SUNDAY = 5, 6


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


Period = tuple[dt.time, dt.time]
_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(text: str) -> tuple[Period, ...]:
    """'08:00-12:00,13:00-17:00' -> ((08:00, 12:00), (13:00, 17:00)). Raises ValueError."""
    periods: list[Period] = []
    for chunk in filter(None, (c.strip() for c in (text or "").split(","))):
        match = _RANGE_RE.match(chunk)
        if not match:
            raise ValueError(f"khoảng giờ không hợp lệ: {chunk!r}")
        h1, m1, h2, m2 = map(int, match.groups())
        start, end = dt.time(h1, m1), dt.time(h2, m2)
        if not start < end:
            raise ValueError(f"giờ bắt đầu phải trước giờ kết thúc: {chunk!r}")
        if periods and start < periods[-1][1]:
            raise ValueError(f"các khoảng giờ phải tăng dần, không chồng nhau: {chunk!r}")
        periods.append((start, end))
    return tuple(periods)


_VN_HOLIDAYS = holidays.country_holidays("VN")  # expands to any year on lookup


def national_holiday_name(day: dt.date) -> str | None:
    return _VN_HOLIDAYS.get(day)


def _as_hours(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class WorkingCalendar:
    weekday_hours: tuple[Period, ...] = field(default_factory=lambda: parse_hours(DEFAULT_OFFICE_HOURS))
    saturday_hours: tuple[Period, ...] = ()
    extra_days_off: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()

    # --- days ------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.periods(day))

    def periods(self, day: dt.date) -> tuple[Period, ...]:
        """Office hours of `day`, empty on a day off."""
        if day in self.extra_working_days:
            # A make-up day (làm bù) is a full working day, whatever its weekday.
            return self.weekday_hours
        if day in self.extra_days_off or day in _VN_HOLIDAYS:
            return ()
        weekday = day.weekday()
        if weekday < SATURDAY:
            return self.weekday_hours
        if weekday == SATURDAY:
            return self.saturday_hours
        return ()

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day += dt.timedelta(days=1)
        for _ in range(3660):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("không tìm thấy ngày làm việc nào trong 10 năm")

    def _intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        return [
            (dt.datetime.combine(day, start, TZ), dt.datetime.combine(day, end, TZ))
            for start, end in self.periods(day)
        ]

    # --- moments ---------------------------------------------------------------------
    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself if the office is open then, else the next opening."""
        moment = _local(moment)
        day = moment.date()
        for start, end in self._intervals(day):
            if moment < end:
                return max(moment, start)
        first = self._intervals(self.next_working_day(day))[0][0]
        return first

    def is_working_moment(self, moment: dt.datetime) -> bool:
        moment = _local(moment)
        return any(start <= moment < end for start, end in self._intervals(moment.date()))

    def add_working_hours(self, start: dt.datetime, hours) -> dt.datetime:
        """Earliest moment at which `hours` working hours have elapsed since `start`."""
        remaining = dt.timedelta(hours=float(_as_hours(hours)))
        if remaining < dt.timedelta(0):
            raise ValueError("thời gian cộng thêm không được âm")
        moment = self.next_working_moment(start)
        if remaining == dt.timedelta(0):
            return moment
        day = moment.date()
        while True:
            for begin, end in self._intervals(day):
                if end <= moment:
                    continue
                begin = max(begin, moment)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)
            moment = self._intervals(day)[0][0]

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> Decimal:
        """Working hours elapsed from `start` to `end` (negative if `end` is earlier)."""
        start, end = _local(start), _local(end)
        if end < start:
            return -self.working_hours_between(end, start)
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            for begin, finish in self._intervals(day):
                lo, hi = max(begin, start), min(finish, end)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return Decimal(total.total_seconds()) / Decimal(3600)

    def apply_cutoff(self, start: dt.datetime, cutoff: dt.time | None) -> dt.datetime:
        """Received after the same-day cut-off → counted from the next working day's opening."""
        start = self.next_working_moment(start)
        if cutoff is not None and start.timetz().replace(tzinfo=None) > cutoff:
            return self._intervals(self.next_working_day(start.date()))[0][0]
        return start

    def due_at(self, start: dt.datetime, amount, unit: str, *, cutoff: dt.time | None = None) -> dt.datetime:
        unit = Unit(unit)
        amount = _as_hours(amount)
        if amount < 0:
            raise ValueError("thời hạn không được âm")
        begin = self.apply_cutoff(start, cutoff)
        if unit is Unit.WORKING_HOURS:
            return self.add_working_hours(begin, amount)
        if unit is Unit.WORKING_DAYS:
            return self.add_working_hours(begin, amount * HOURS_PER_WORKING_DAY)
        # Calendar days: whole days later, moved to a working moment if the office is closed.
        result = begin + dt.timedelta(days=float(amount))
        if not self.is_working_day(result.date()):
            return self._intervals(self.next_working_day(result.date()))[0][0]
        return self.next_working_moment(result)


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("cần thời điểm có múi giờ (aware datetime)")
    return moment.astimezone(TZ)


# --- building calendars from the database -------------------------------------------------


def build_calendar(
    *, office_hours: str = "", saturday_hours: str = "", overrides: Iterable[tuple[dt.date, str]] = ()
) -> WorkingCalendar:
    """A calendar from an agency's hours and (date, kind) overrides, kind in
    {"day_off", "working_day"}."""
    days_off, working = set(), set()
    for day, kind in overrides:
        (working if kind == "working_day" else days_off).add(day)
    return WorkingCalendar(
        weekday_hours=parse_hours(office_hours or DEFAULT_OFFICE_HOURS),
        saturday_hours=parse_hours(saturday_hours),
        extra_days_off=frozenset(days_off),
        extra_working_days=frozenset(working),
    )


def get_calendar(agency=None) -> WorkingCalendar:
    """The calendar of `agency` (or the national one): one query for the overrides."""
    from django.db.models import Q

    from .models import CalendarDay

    scope = Q(agency__isnull=True)
    if agency is not None:
        scope |= Q(agency=agency)
    # An agency's own override wins over a national one on the same date.
    rows = sorted(
        CalendarDay.objects.filter(scope).values_list("date", "kind", "agency_id"),
        key=lambda row: row[2] is not None,
    )
    merged: dict[dt.date, str] = {}
    for day, kind, _agency_id in rows:
        merged[day] = kind
    return build_calendar(
        office_hours=getattr(agency, "office_hours", "") or "",
        saturday_hours=getattr(agency, "saturday_hours", "") or "",
        overrides=merged.items(),
    )


# --- public API -------------------------------------------------------------------------------


def due_at(
    start: dt.datetime, amount, unit: str, *, agency=None, cutoff: dt.time | None = None
) -> dt.datetime:
    """Deadline of `amount` `unit` ("working_days" | "working_hours" | "calendar_days")
    counted from `start` with the working calendar of `agency`."""
    return get_calendar(agency).due_at(start, amount, unit, cutoff=cutoff)


def is_working_day(day: dt.date, *, agency=None) -> bool:
    return get_calendar(agency).is_working_day(day)


def next_working_moment(moment: dt.datetime, *, agency=None) -> dt.datetime:
    return get_calendar(agency).next_working_moment(moment)


def working_hours_between(start: dt.datetime, end: dt.datetime, *, agency=None) -> Decimal:
    return get_calendar(agency).working_hours_between(start, end)
