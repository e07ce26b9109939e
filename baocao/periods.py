"""Reporting periods (kỳ báo cáo) as data.

Legal basis: Nghị định 09/2019/NĐ-CP, Điều 12 khoản 4 — the figures of a quarterly report
run from the 15th of the month before the reporting period to the 14th of the last month
of the quarter (Q1 = 15/12 of the previous year → 14/03); the annual report runs from
15/12 of the previous year to 14/12. A new decree means editing the tables below.

Periods are inclusive by *day* in the portal's time zone (Asia/Ho_Chi_Minh): `bounds()`
turns them into [local midnight of the first day, local midnight after the last day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

# (year offset, month, day) of the first and the last day of each period, relative to the
# reporting year. NĐ 09/2019/NĐ-CP Điều 12.4.
QUARTER_RULES: dict[int, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    1: ((-1, 12, 15), (0, 3, 14)),
    2: ((0, 3, 15), (0, 6, 14)),
    3: ((0, 6, 15), (0, 9, 14)),
    4: ((0, 9, 15), (0, 12, 14)),
}
YEAR_RULE: tuple[tuple[int, int, int], tuple[int, int, int]] = ((-1, 12, 15), (0, 12, 14))
# NĐ 09/2019/NĐ-CP Điều 12 khoản 4: the monthly report runs from the 15th of the previous
# month to the 14th of the reporting month; the half-yearly one from 15/12 of the previous
# year to 14/06 (the second half: 15/06 → 14/12, the rest of the year's period).
HALF_YEAR_RULES = {1: ((-1, 12, 15), (0, 6, 14)), 2: ((0, 6, 15), (0, 12, 14))}

# Last month of each quarter: the month the report is due in.
QUARTER_LAST_MONTH = {1: 3, 2: 6, 3: 9, 4: 12}


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    year: int | None = None
    quarter: int | None = None  # None for the annual period and custom ranges
    month: int | None = None  # a calendar month (the service index, QĐ 766/QĐ-TTg)

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes at local midnight: every moment of the period's days."""
        tz = local_tz()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def label(self) -> str:
        if self.month:
            return _("Tháng %(m)s năm %(y)s") % {"m": self.month, "y": self.year}
        if self.quarter:
            return _("Quý %(q)s năm %(y)s") % {
                "q": ["I", "II", "III", "IV"][self.quarter - 1],
                "y": self.year,
            }
        if self.year:
            return _("Năm %(y)s") % {"y": self.year}
        return _("Từ %(a)s đến %(b)s") % {"a": f"{self.start:%d/%m/%Y}", "b": f"{self.end:%d/%m/%Y}"}

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "year": self.year,
            "quarter": self.quarter,
            **({"month": self.month} if self.month else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Period:
        return cls(
            start=dt.date.fromisoformat(data["start"]),
            end=dt.date.fromisoformat(data["end"]),
            year=data.get("year"),
            quarter=data.get("quarter"),
            month=data.get("month"),
        )


def _day(year: int, rule: tuple[int, int, int]) -> dt.date:
    offset, month, day = rule
    return dt.date(year + offset, month, day)


def quarter_period(year: int, quarter: int) -> Period:
    if quarter not in QUARTER_RULES:
        raise ValueError("quarter must be 1-4")
    first, last = QUARTER_RULES[quarter]
    return Period(start=_day(year, first), end=_day(year, last), year=year, quarter=quarter)


def year_period(year: int) -> Period:
    first, last = YEAR_RULE
    return Period(start=_day(year, first), end=_day(year, last), year=year)


def report_month_period(year: int, month: int) -> Period:
    """The monthly report's period (NĐ 09/2019 Điều 12.4): 15th of the previous month → 14th."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1-12")
    previous = dt.date(year - 1, 12, 15) if month == 1 else dt.date(year, month - 1, 15)
    return Period(start=previous, end=dt.date(year, month, 14), year=year, month=month)


def half_year_period(year: int, half: int) -> Period:
    """The half-yearly report's period (NĐ 09/2019 Điều 12.4)."""
    if half not in HALF_YEAR_RULES:
        raise ValueError("half must be 1 or 2")
    first, last = HALF_YEAR_RULES[half]
    return Period(start=_day(year, first), end=_day(year, last), year=year)


def month_period(year: int, month: int) -> Period:
    """A calendar month: the national service index (QĐ 766/QĐ-TTg) is published by month."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1-12")
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(start=dt.date(year, month, 1), end=following - dt.timedelta(days=1), year=year, month=month)


def custom_period(start: dt.date, end: dt.date) -> Period:
    return Period(start=start, end=end)


def quarter_of(day: dt.date) -> tuple[int, int]:
    """The (year, quarter) whose reporting period contains `day` (15/12 already belongs to
    Q1 of the next year)."""
    year = day.year + 1 if (day.month, day.day) >= (12, 15) else day.year
    for quarter in (1, 2, 3, 4):
        period = quarter_period(year, quarter)
        if period.start <= day <= period.end:
            return year, quarter
    raise AssertionError("the quarter rules leave a gap")  # pragma: no cover


def report_deadline(year: int, quarter: int) -> dt.date:
    """Day by which a unit sends its quarterly report to Sở Nội vụ (inclusive). The seed
    documents say "before the 20th of the quarter's last month"; each province confirms it
    in its reporting-regime decision, hence the setting."""
    day = getattr(settings, "REPORT_DEADLINE_DAY", 20)
    return dt.date(year, QUARTER_LAST_MONTH[quarter], day)
