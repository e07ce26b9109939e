"""Why an appointment falls on its date: a plain-Vietnamese explanation of a deadline.

Pure logic on top of `thutuc.calendar.WorkingCalendar` (no ORM): given where the clock
started and the processing time, it recomputes the deadline (`thutuc.deadlines`) and lists
what the count skipped (weekends, public holidays, extra days off) and the make-up
working days it counted. The citizen tracking page shows the result; the same object can
be printed on a receipt or read out by the hotline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import holidays
from django.utils.translation import gettext as _

from .calendar import HOURS_PER_WORKING_DAY, SATURDAY, TZ, Unit, WorkingCalendar
from .deadlines import processing_due_at

# Vietnamese names of the national holidays (the calendar itself only needs the dates).
_VI_HOLIDAY_NAMES = holidays.country_holidays("VN", language="vi")

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class DaysOff:
    """A run of consecutive days the office would normally open but is closed."""

    first: dt.date
    last: dt.date
    names: tuple[str, ...]

    def label(self) -> str:
        if self.first == self.last:
            days = self.first.strftime("%d/%m/%Y")
        elif self.first.year == self.last.year:
            days = f"{self.first:%d/%m}–{self.last:%d/%m/%Y}"
        else:
            days = f"{self.first:%d/%m/%Y}–{self.last:%d/%m/%Y}"
        return f"{days} ({'; '.join(self.names)})" if self.names else days


@dataclass(frozen=True)
class DeadlineExplanation:
    amount: Decimal
    unit: Unit
    received_at: dt.datetime
    counted_from: dt.datetime
    due_at: dt.datetime
    cutoff: dt.time | None = None
    saturday_open: bool = False
    days_off: tuple[DaysOff, ...] = ()
    make_up_days: tuple[dt.date, ...] = field(default_factory=tuple)

    @property
    def start_moved(self) -> bool:
        return self.counted_from != self.received_at

    def sentences(self) -> list[str]:
        """The explanation, one short sentence per fact, in the order a citizen asks."""
        lines = [
            _("Thời hạn giải quyết: %(duration)s.") % {"duration": format_duration(self.amount, self.unit)}
        ]
        received = format_moment(self.received_at)
        counted = format_moment(self.counted_from)
        if not self.start_moved:
            lines.append(_("Thời hạn được tính từ lúc tiếp nhận hồ sơ: %(moment)s.") % {"moment": counted})
        elif self.cutoff is not None and _after_cutoff(self.received_at, self.cutoff):
            lines.append(
                _(
                    "Hồ sơ được tiếp nhận lúc %(received)s, sau giờ chốt %(cutoff)s trong ngày, "
                    "nên thời hạn được tính từ %(counted)s."
                )
                % {"received": received, "cutoff": self.cutoff.strftime("%H:%M"), "counted": counted}
            )
        else:
            lines.append(
                _(
                    "Hồ sơ được tiếp nhận lúc %(received)s, ngoài giờ làm việc, "
                    "nên thời hạn được tính từ %(counted)s."
                )
                % {"received": received, "counted": counted}
            )
        if self.unit is Unit.CALENDAR_DAYS:
            lines.append(
                _(
                    "Thời hạn tính theo ngày dương lịch, kể cả ngày nghỉ; nếu ngày cuối cùng là ngày nghỉ "
                    "thì hẹn sang ngày làm việc tiếp theo."
                )
            )
        else:
            weekend = _("Chủ nhật, chiều thứ Bảy") if self.saturday_open else _("thứ Bảy, Chủ nhật")
            if self.days_off:
                lines.append(
                    _("Không tính %(weekend)s và các ngày nghỉ: %(days)s.")
                    % {"weekend": weekend, "days": ", ".join(d.label() for d in self.days_off)}
                )
            else:
                lines.append(
                    _("Không tính %(weekend)s; trong khoảng thời gian này không có ngày nghỉ lễ, Tết.")
                    % {"weekend": weekend}
                )
            if self.make_up_days:
                lines.append(
                    _("Có tính ngày làm bù: %(days)s.")
                    % {"days": ", ".join(format_day(day) for day in self.make_up_days)}
                )
            lines.append(
                _("Mỗi ngày làm việc gồm %(hours)s giờ làm việc trong giờ hành chính.")
                % {"hours": HOURS_PER_WORKING_DAY}
            )
        lines.append(_("Hẹn trả kết quả: %(moment)s.") % {"moment": format_moment(self.due_at)})
        return lines

    @property
    def text(self) -> str:
        return " ".join(self.sentences())

    def summary(self) -> str:
        """The explanation in one line, for the printed receipt: "5 ngày làm việc tính từ
        14:30 13/02/2026; không tính thứ Bảy, Chủ nhật và 16/02–20/02/2026 (Tết Nguyên Đán)"."""
        local = self.counted_from.astimezone(TZ)
        parts = [
            _("%(duration)s tính từ %(moment)s")
            % {"duration": format_duration(self.amount, self.unit), "moment": f"{local:%H:%M %d/%m/%Y}"}
        ]
        if self.start_moved:
            parts[0] += " " + _("(nhận ngoài giờ hoặc sau giờ chốt)")
        if self.unit is Unit.CALENDAR_DAYS:
            parts.append(_("tính cả ngày nghỉ; ngày cuối là ngày nghỉ thì hẹn sang ngày làm việc tiếp theo"))
        else:
            weekend = _("Chủ nhật, chiều thứ Bảy") if self.saturday_open else _("thứ Bảy, Chủ nhật")
            if self.days_off:
                parts.append(
                    _("không tính %(weekend)s và %(days)s")
                    % {"weekend": weekend, "days": ", ".join(d.label() for d in self.days_off)}
                )
            else:
                parts.append(_("không tính %(weekend)s") % {"weekend": weekend})
            if self.make_up_days:
                parts.append(
                    _("có tính ngày làm bù %(days)s")
                    % {"days": ", ".join(f"{day:%d/%m/%Y}" for day in self.make_up_days)}
                )
        return "; ".join(parts)


# --- formatting --------------------------------------------------------------------------


def format_day(day: dt.date) -> str:
    """'thứ Sáu 13/02/2026'."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}"


def format_moment(moment: dt.datetime) -> str:
    """'14:30 thứ Sáu 13/02/2026' (local time)."""
    local = moment.astimezone(TZ)
    return f"{local:%H:%M} {format_day(local.date())}"


def format_duration(amount, unit: str) -> str:
    amount = Decimal(str(amount))
    number = f"{amount.normalize():f}".replace(".", ",")
    words = {
        Unit.WORKING_DAYS: _("ngày làm việc"),
        Unit.WORKING_HOURS: _("giờ làm việc"),
        Unit.CALENDAR_DAYS: _("ngày"),
    }
    return f"{number} {words[Unit(unit)]}"


def holiday_label(name: str) -> str:
    """Group the several names of one holiday ('Mùng hai Tết Nguyên Đán', '29 Tết') under
    the name people use, and turn '(nghỉ bù)' into words."""
    if "Tết Nguyên Đán" in name or name.endswith(" Tết"):
        return "Tết Nguyên Đán"
    if name.endswith("(nghỉ bù)"):
        return _("nghỉ bù %(holiday)s") % {"holiday": name.removesuffix("(nghỉ bù)").strip()}
    return name


def _after_cutoff(moment: dt.datetime, cutoff: dt.time) -> bool:
    return moment.astimezone(TZ).time() > cutoff


# --- the arithmetic of the explanation --------------------------------------------------------


def _normally_open(calendar: WorkingCalendar, day: dt.date) -> bool:
    weekday = day.weekday()
    return weekday < SATURDAY or (weekday == SATURDAY and bool(calendar.saturday_hours))


def _only_closed_between(calendar: WorkingCalendar, before: dt.date, after: dt.date) -> bool:
    day = before + dt.timedelta(days=1)
    while day < after:
        if _normally_open(calendar, day) or calendar.is_working_day(day):
            return False
        day += dt.timedelta(days=1)
    return True


def skipped_and_added_days(
    calendar: WorkingCalendar,
    first: dt.date,
    last: dt.date,
    *,
    day_names: Mapping[dt.date, str] | None = None,
) -> tuple[tuple[DaysOff, ...], tuple[dt.date, ...]]:
    """Days in [first, last] on which the office is closed although it normally opens
    (grouped in runs of consecutive days, with their names), and make-up working days."""
    day_names = day_names or {}
    runs: list[DaysOff] = []
    make_up: list[dt.date] = []
    day = first
    while day <= last:
        open_today = calendar.is_working_day(day)
        if _normally_open(calendar, day) and not open_today:
            name = day_names.get(day) or _VI_HOLIDAY_NAMES.get(day) or _("ngày nghỉ theo quyết định")
            label = holiday_label(name)
            previous = runs[-1] if runs else None
            if previous and previous.last == day - dt.timedelta(days=1):
                names = previous.names if label in previous.names else (*previous.names, label)
                runs[-1] = DaysOff(previous.first, day, names)
            elif previous and label in previous.names and _only_closed_between(calendar, previous.last, day):
                # The same holiday on both sides of a weekend (Tết): one run.
                runs[-1] = DaysOff(previous.first, day, previous.names)
            else:
                runs.append(DaysOff(day, day, (label,)))
        elif open_today and not _normally_open(calendar, day):
            make_up.append(day)
        day += dt.timedelta(days=1)
    return tuple(runs), tuple(make_up)


def explain_deadline(
    calendar: WorkingCalendar,
    *,
    received_at: dt.datetime,
    amount,
    unit: str,
    cutoff: dt.time | None = None,
    day_names: Mapping[dt.date, str] | None = None,
) -> DeadlineExplanation:
    """Recompute the deadline of `amount` `unit` from `received_at` and explain it.

    `day_names` names the extra days off entered by the administrator (their reason);
    national holidays are named from the `holidays` package in Vietnamese."""
    unit = Unit(unit)
    counted_from = calendar.apply_cutoff(received_at, cutoff)
    due = processing_due_at(calendar, received_at, amount=amount, unit=unit, cutoff=cutoff)
    days_off, make_up = skipped_and_added_days(
        calendar, received_at.astimezone(TZ).date(), due.astimezone(TZ).date(), day_names=day_names
    )
    return DeadlineExplanation(
        amount=Decimal(str(amount)),
        unit=unit,
        received_at=received_at.astimezone(TZ),
        counted_from=counted_from,
        due_at=due,
        cutoff=cutoff,
        saturday_open=bool(calendar.saturday_hours),
        days_off=days_off if unit is not Unit.CALENDAR_DAYS else (),
        make_up_days=make_up if unit is not Unit.CALENDAR_DAYS else (),
    )
