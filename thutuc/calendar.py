"""The working calendar: the one home of working-time arithmetic in the portal.

Pure logic: `WorkingCalendar` knows office hours, the national holidays (from the
`holidays` package, country "VN": lunar Tết and Giỗ Tổ, days in lieu, known swapped days
off) and the admin's overrides (extra day off / make-up working day), and does the sums.
It never reads the database: `thutuc.calendar_store.get_calendar(agency)` builds one from
the database in a single query and caches it. Deadline rules on top of it (the statutory
appointment, step deadlines, early / on time / late) live in `thutuc.deadlines`.

Semantics (DESIGN §5.3, docs/calendar.md):
- 1 working day = 8 working hours; default office hours 08:00–12:00 and 13:00–17:00.
- A start outside office hours moves to the next working moment.
- Adding a positive working time gives the *earliest* moment at which it has elapsed: one
  working day from Monday 08:00 is Monday 17:00; from Monday 10:00 it is Tuesday 10:00. The
  result therefore lies in (opening, closing] of an office period: it may be exactly 12:00
  or 17:00, never 08:00 or a moment when the office is closed.
- Zero working time: the start itself if it lies in an office period including its end
  ([opening, closing]), else the next working moment (so adding is associative: a + 0 = a).
- Calendar days: add whole (or fractional) days to the moment the clock starts; a result
  outside office hours (a non-working day, the lunch break, after closing) moves to the next
  working moment. Clock hours ("24 giờ") likewise, hours instead of days.
- Months ("4 tháng"): the same day of the month `n` months later (the last day of that month
  when it has no such day), the same time of day, then the next working moment (Bộ luật
  Dân sự 2015 Điều 147 khoản 2 and Điều 148: a term in months ends on the corresponding
  day of its last month, or that month's last day; a term ending on a day off ends on the
  next working day). Months are whole.
- A same-day cut-off (e.g. 15:00): received after it, the clock starts at the opening of
  the next working day; a zero time with a cut-off means "within the day": the end of
  office hours of the day the clock starts ("trong ngày; sau 15 giờ trả trong ngày làm việc
  tiếp theo").
- A make-up day (làm bù) is a full working day with the weekday office hours.
All datetimes must be aware; they are interpreted and returned in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation

import holidays

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

# DESIGN §5.3: one working day is 8 working hours. Civil servants work 8 hours a day, 40
# hours a week (Quyết định 188/1999/QĐ-TTg; Bộ luật Lao động 2019 Điều 105 caps a normal
# day at 8 hours), so an agency's Monday–Friday office hours must add up to exactly this.
HOURS_PER_WORKING_DAY = 8
DEFAULT_OFFICE_HOURS = "08:00-12:00,13:00-17:00"

# Weekly rest days (Bộ luật Lao động 2019 Điều 111: the employer fixes them; state offices
# rest on Saturday and Sunday, Quyết định 188/1999/QĐ-TTg). Saturday morning may be opened
# per agency.
SATURDAY, SUNDAY = 5, 6

# How far ahead to look for a working day before concluding that the calendar has none.
_SEARCH_LIMIT_DAYS = 3660
_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"
    MONTHS = "months"


Period = tuple[dt.time, dt.time]
_RANGE_RE = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*[-–]\s*(\d{1,2})[:hH](\d{2})\s*$")


def parse_hours(text: str) -> tuple[Period, ...]:
    """'08:00-12:00,13:00-17:00' -> ((08:00, 12:00), (13:00, 17:00)).

    Blank text gives no period. Raises ValueError with a Vietnamese message."""
    periods: list[Period] = []
    for chunk in (c.strip() for c in (text or "").split(",")):
        if not chunk:
            if text and text.strip():
                raise ValueError(f"thiếu khoảng giờ giữa hai dấu phẩy trong {text.strip()!r}")
            continue
        match = _RANGE_RE.match(chunk)
        if not match:
            raise ValueError(f"khoảng giờ {chunk!r} không đúng dạng HH:MM-HH:MM")
        h1, m1, h2, m2 = map(int, match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"giờ không hợp lệ trong {chunk!r} (giờ 00–23, phút 00–59)")
        start, end = dt.time(h1, m1), dt.time(h2, m2)
        if not start < end:
            raise ValueError(f"giờ bắt đầu phải trước giờ kết thúc: {chunk!r}")
        if periods and start < periods[-1][1]:
            raise ValueError(f"các khoảng giờ phải tăng dần, không chồng nhau: {chunk!r}")
        periods.append((start, end))
    return tuple(periods)


def period_hours(periods: Iterable[Period]) -> Decimal:
    """Total length of `periods` in hours."""
    seconds = sum(
        (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).total_seconds()
        for start, end in periods
    )
    return Decimal(int(seconds)) / Decimal(3600)


# --- the holidays package ---------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _national_holidays(year: int) -> holidays.HolidayBase:
    # One immutable-after-build object per year (no lazy expansion shared between threads).
    # The language is fixed: without it the package picks it from LANG/LC_ALL, and names
    # would come out in English on a server with LANG=C.UTF-8.
    return holidays.country_holidays("VN", years=year, language="vi")


def national_holiday_name(day: dt.date) -> str | None:
    """The package's (Vietnamese) name of the public holiday on `day`, if any."""
    day = _as_date(day)
    return _national_holidays(day.year).get(day)


def is_national_holiday(day: dt.date) -> bool:
    day = _as_date(day)
    return day in _national_holidays(day.year)


def _substitution_pattern(table: holidays.HolidayBase) -> tuple[re.Pattern, str] | None:
    """The regex matching the package's "day off (substituted from <date>)" label, in the
    table's own language, and the strptime format of the date inside it."""
    label = getattr(table, "substituted_label", None)
    date_format = getattr(table, "substituted_date_format", None)
    translate = getattr(table, "tr", None)
    if not (label and date_format and translate):
        return None
    label, date_format = translate(label), translate(date_format)
    if label.count("%s") != 1:
        return None
    before, after = label.split("%s")
    return re.compile(re.escape(before) + r"(.+?)" + re.escape(after)), date_format


def package_makeup_days(years: Iterable[int]) -> dict[dt.date, dt.date | None]:
    """Make-up working days (làm bù) implied by the package's swapped days off in `years`:
    {make-up day: the day off it pays for (None if the package does not say)}.

    The package lists the swapped day off ("Ngày nghỉ (thay cho ngày 22/08/2026)") as a
    holiday but a lookup (`day in table`) never reports the make-up Saturday as working.
    The pairs come from the labels, parsed with the package's own label and date format
    (the English format is month/day/year: "05/04/2024" is 4 May); they are cross-checked
    with the package's `is_working_day`, and any make-up day it knows without a label
    (`weekend_workdays`) is added too."""
    wanted = set(years)
    if not wanted:
        return {}
    table = holidays.country_holidays("VN", years=range(min(wanted) - 1, max(wanted) + 2), language="vi")
    found: dict[dt.date, dt.date | None] = {}
    pattern = _substitution_pattern(table)
    if pattern is not None:
        regex, date_format = pattern
        for day_off in sorted(table):
            for name in table.get_list(day_off):
                match = regex.fullmatch(name)
                if not match:
                    continue
                try:
                    made_up = dt.datetime.strptime(match.group(1).strip(), date_format).date()
                except ValueError:
                    continue
                # A swap from a weekday is a moved holiday, not a make-up day.
                if made_up.year in wanted and made_up.weekday() >= SATURDAY and table.is_working_day(made_up):
                    found[made_up] = day_off
    for made_up in getattr(table, "weekend_workdays", ()):
        if made_up.year in wanted:
            found.setdefault(made_up, None)
    return dict(sorted(found.items()))


# --- helpers -------------------------------------------------------------------------------------


def _as_date(day) -> dt.date:
    if isinstance(day, dt.datetime):
        return _local(day).date()
    if not isinstance(day, dt.date):
        raise TypeError(f"cần một ngày (datetime.date), nhận được {type(day).__name__}")
    return day


def _local(moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"cần một thời điểm (datetime.datetime), nhận được {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            "cần thời điểm có múi giờ (aware datetime, Asia/Ho_Chi_Minh); "
            "dùng django.utils.timezone.now() hoặc datetime(..., tzinfo=thutuc.calendar.TZ)"
        )
    return moment.astimezone(TZ)


def _as_amount(value) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(f"thời hạn không hợp lệ: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"thời hạn không hợp lệ: {value!r}")
    if amount < 0:
        raise ValueError("thời hạn không được âm")
    return amount


def _hours_to_timedelta(hours: Decimal) -> dt.timedelta:
    # Exact for any amount with a whole number of microseconds; rounded up otherwise so that a
    # positive amount never becomes zero.
    micro = (hours * _MICROSECONDS_PER_HOUR).to_integral_value(rounding=ROUND_CEILING)
    return dt.timedelta(microseconds=int(micro))


def _parse_cutoff(cutoff) -> dt.time | None:
    if cutoff is None or isinstance(cutoff, dt.time):
        return cutoff.replace(tzinfo=None) if cutoff is not None else None
    match = re.fullmatch(r"\s*(\d{1,2})[:hH](\d{2})\s*", str(cutoff))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"giờ chốt không hợp lệ: {cutoff!r}")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _periods_length(periods: Iterable[Period]) -> dt.timedelta:
    """Office time of one day with these periods (no daylight saving in Asia/Ho_Chi_Minh)."""
    anchor = dt.date(2000, 1, 3)
    return sum(
        (dt.datetime.combine(anchor, end) - dt.datetime.combine(anchor, start) for start, end in periods),
        dt.timedelta(0),
    )


# --- the calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingCalendar:
    weekday_hours: tuple[Period, ...] = field(default_factory=lambda: parse_hours(DEFAULT_OFFICE_HOURS))
    saturday_hours: tuple[Period, ...] = ()
    extra_days_off: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()

    def __post_init__(self):
        if not self.weekday_hours:
            raise ValueError("lịch làm việc phải có giờ làm việc từ thứ Hai đến thứ Sáu")
        overlap = self.extra_days_off & self.extra_working_days
        if overlap:
            raise ValueError(f"một ngày không thể vừa nghỉ vừa làm việc: {sorted(overlap)}")

    # --- days ------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.periods(day))

    def periods(self, day: dt.date) -> tuple[Period, ...]:
        """Office hours of `day`, empty on a day off."""
        day = _as_date(day)
        if day in self.extra_working_days:
            # A make-up day (làm bù) is a full working day, whatever its weekday.
            return self.weekday_hours
        if day in self.extra_days_off or is_national_holiday(day):
            return ()
        weekday = day.weekday()
        if weekday < SATURDAY:
            return self.weekday_hours
        if weekday == SATURDAY:
            return self.saturday_hours
        return ()

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day = _as_date(day)
        for _ in range(_SEARCH_LIMIT_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("không tìm thấy ngày làm việc nào trong 10 năm")

    def _intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        return [
            (dt.datetime.combine(day, start, TZ), dt.datetime.combine(day, end, TZ))
            for start, end in self.periods(day)
        ]

    def _opening(self, day: dt.date) -> dt.datetime:
        """Opening of the first working day on or after `day`."""
        intervals = self._intervals(day) or self._intervals(self.next_working_day(day))
        return intervals[0][0]

    def end_of_working_day(self, day: dt.date) -> dt.datetime:
        """Closing time of `day` (which must be a working day)."""
        intervals = self._intervals(_as_date(day))
        if not intervals:
            raise ValueError(f"{day:%d/%m/%Y} không phải ngày làm việc")
        return intervals[-1][1]

    # --- moments ---------------------------------------------------------------------
    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself if the office is open then, else the next opening."""
        moment = _local(moment)
        day = moment.date()
        for start, end in self._intervals(day):
            if moment < end:
                return max(moment, start)
        return self._opening(self.next_working_day(day))

    def _on_duty(self, moment: dt.datetime) -> dt.datetime:
        """`moment` if it lies in an office period including its closing time, else the next
        opening (the answer to "add zero working time")."""
        moment = _local(moment)
        day = moment.date()
        for start, end in self._intervals(day):
            if moment <= end:
                return max(moment, start)
        return self._opening(self.next_working_day(day))

    def is_working_moment(self, moment: dt.datetime) -> bool:
        """Is the office open at `moment` (opening included, closing excluded)?"""
        moment = _local(moment)
        return any(start <= moment < end for start, end in self._intervals(moment.date()))

    def add_working_hours(self, start: dt.datetime, hours) -> dt.datetime:
        """Earliest moment at which `hours` working hours have elapsed since `start`."""
        hours = _as_amount(hours)
        if hours == 0:
            return self._on_duty(start)
        remaining = _hours_to_timedelta(hours)
        moment = self.next_working_moment(start)
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
            # Skip whole working days at once when the remainder covers them.
            day = self.next_working_day(day)
            full_day = sum((end - begin for begin, end in self._intervals(day)), dt.timedelta(0))
            while remaining > full_day:
                remaining -= full_day
                day = self.next_working_day(day)
                full_day = sum((end - begin for begin, end in self._intervals(day)), dt.timedelta(0))
            moment = self._intervals(day)[0][0]

    def add_working_days(self, start: dt.datetime, days) -> dt.datetime:
        return self.add_working_hours(start, _as_amount(days) * HOURS_PER_WORKING_DAY)

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> Decimal:
        """Working hours elapsed from `start` to `end` (negative if `end` is earlier)."""
        start, end = _local(start), _local(end)
        if end < start:
            return -self.working_hours_between(end, start)
        first, last = start.date(), end.date()
        total = dt.timedelta(0)
        # The first and last days are partial: clip their office periods to [start, end].
        for day in {first, last}:
            for begin, finish in self._intervals(day):
                lo, hi = max(begin, start), min(finish, end)
                if hi > lo:
                    total += hi - lo
        # The whole days in between are counted without walking them one by one (an
        # overdue dossier of three years ago is ~1,100 days away): see _whole_days_length.
        if (last - first).days > 1:
            total += self._whole_days_length(first + dt.timedelta(days=1), last - dt.timedelta(days=1))
        micro = (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds
        return Decimal(micro) / _MICROSECONDS_PER_HOUR

    def _whole_days_length(self, first: dt.date, last: dt.date) -> dt.timedelta:
        """Total office time of the days `first`..`last` (inclusive): the regular week
        counted arithmetically, then corrected on the few exceptional days (national
        holidays, extra days off, make-up days) — the same answer as summing periods(day).
        The corrections are summed per year once per calendar (calendars are cached per
        process, see thutuc.calendar_store), then read by bisection."""
        regular = self._regular_week
        days = (last - first).days + 1
        weeks, rest = divmod(days, 7)
        total = sum(regular, dt.timedelta(0)) * weeks
        for offset in range(rest):
            total += regular[(first.weekday() + offset) % 7]
        for year in range(first.year, last.year + 1):
            exceptional, prefix = self._year_corrections(year)
            lo = bisect.bisect_left(exceptional, max(first, dt.date(year, 1, 1)))
            hi = bisect.bisect_right(exceptional, min(last, dt.date(year, 12, 31)))
            total += prefix[hi] - prefix[lo]
        return total

    @functools.cached_property
    def _regular_week(self) -> list[dt.timedelta]:
        """Office time of each weekday (Monday = 0) outside any exception."""
        return [_periods_length(self.weekday_hours)] * SATURDAY + [
            _periods_length(self.saturday_hours),
            dt.timedelta(0),
        ]

    @functools.cached_property
    def _corrections(self) -> dict[int, tuple[list[dt.date], list[dt.timedelta]]]:
        return {}

    def _year_corrections(self, year: int) -> tuple[list[dt.date], list[dt.timedelta]]:
        """The exceptional days of `year`, sorted, and the running sum of their difference
        from a regular day (prefix[i] = sum over the first i days)."""
        cached = self._corrections.get(year)
        if cached is None:
            extra = {d for d in self.extra_days_off | self.extra_working_days if d.year == year}
            exceptional = sorted(extra | set(_national_holidays(year)))
            prefix = [dt.timedelta(0)]
            for day in exceptional:
                difference = _periods_length(self.periods(day)) - self._regular_week[day.weekday()]
                prefix.append(prefix[-1] + difference)
            cached = self._corrections[year] = (exceptional, prefix)
        return cached

    def apply_cutoff(self, start: dt.datetime, cutoff: dt.time | None) -> dt.datetime:
        """The moment the clock starts: the next working moment; if that is after the
        same-day cut-off, the opening of the following working day."""
        cutoff = _parse_cutoff(cutoff)
        begin = self.next_working_moment(start)
        if cutoff is not None and begin.time() > cutoff:
            return self._opening(self.next_working_day(begin.date()))
        return begin

    def due_at(self, start: dt.datetime, amount, unit: str, *, cutoff: dt.time | None = None) -> dt.datetime:
        """Deadline of `amount` `unit` counted from `start` (see the module docstring)."""
        unit = Unit(unit)
        amount = _as_amount(amount)
        start = _local(start)
        if amount == 0:
            if cutoff is not None:
                # "Trong ngày": by the end of the day the clock starts.
                return self.end_of_working_day(self.apply_cutoff(start, cutoff).date())
            return self._on_duty(start)
        begin = self.apply_cutoff(start, cutoff)
        if unit is Unit.WORKING_HOURS:
            return self.add_working_hours(begin, amount)
        if unit is Unit.WORKING_DAYS:
            return self.add_working_hours(begin, amount * HOURS_PER_WORKING_DAY)
        if unit is Unit.MONTHS:
            return self.next_working_moment(add_months(begin, amount))
        # Calendar days or clock hours: that much wall-clock time later, then the next
        # moment the office is open.
        hours = amount * 24 if unit is Unit.CALENDAR_DAYS else amount
        return self.next_working_moment(begin + _hours_to_timedelta(hours))


def add_months(moment: dt.datetime, months) -> dt.datetime:
    """The same day and time `months` later, or the last day of that month when it has no
    such day (Bộ luật Dân sự 2015 Điều 147 khoản 2). Whole months only."""
    months = Decimal(str(months))
    if months != months.to_integral_value():
        raise ValueError(f"thời hạn tính theo tháng phải là số nguyên: {months}")
    index = moment.year * 12 + moment.month - 1 + int(months)
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


# --- building a calendar from an agency's hours and overrides -------------------------------------


def build_calendar(
    *, office_hours: str = "", saturday_hours: str = "", overrides: Iterable[tuple[dt.date, str]] = ()
) -> WorkingCalendar:
    """A calendar from an agency's hours and (date, kind) overrides, kind in
    {"day_off", "working_day"}; a later pair for the same date wins."""
    merged: dict[dt.date, str] = {}
    for day, kind in overrides:
        if kind not in ("day_off", "working_day"):
            raise ValueError(f"loại ngày điều chỉnh không hợp lệ: {kind!r}")
        merged[day] = kind
    return WorkingCalendar(
        weekday_hours=parse_hours(office_hours or DEFAULT_OFFICE_HOURS),
        saturday_hours=parse_hours(saturday_hours),
        extra_days_off=frozenset(day for day, kind in merged.items() if kind == "day_off"),
        extra_working_days=frozenset(day for day, kind in merged.items() if kind == "working_day"),
    )
