"""The plausible range of every date a person types (issue 14 §2), in one place.

A date outside it is a typing slip or an attack, never a fact: `0001-01-01` accepted as the
receipt time of a complaint gave it the code PA-1-000001, and from then on the feedback scan
crashed on every run ("year -1 is out of range": PostgreSQL stores year 1 in +07 as 1 BC in
UTC, which Python cannot read back), the Excel export and the list's last page answered 500.
`9999-12-31` as a filter bound overflowed `date + 1 day` (500 on the register and statistics).

- Dates of things that happened (a receipt, a call, a citizen received): from
  `INPUT_DATE_EARLIEST` (settings; the one-stop mechanism began with QĐ 181/2003/QĐ-TTg, no
  agency's records go back before 2000) to now — never in the future.
- Bounds of a search or a report period, and deadlines set by hand: from
  `INPUT_DATE_EARLIEST` to `INPUT_DATE_LATEST` (31/12/2100 by default).
Year fields (register, statistics, report quarter) use the same years.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def earliest() -> dt.date:
    return settings.INPUT_DATE_EARLIEST


def latest() -> dt.date:
    return settings.INPUT_DATE_LATEST


def year_bounds() -> tuple[int, int]:
    return earliest().year, latest().year


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_current_timezone())


def earliest_moment() -> dt.datetime:
    return _start_of(earliest())


def latest_moment() -> dt.datetime:
    return _start_of(latest()) + dt.timedelta(days=1) - dt.timedelta(microseconds=1)


def _shown(day: dt.date) -> str:
    return formats.date_format(day, "d/m/Y")


DAY = _("Ngày")


def check_happened(value: dt.date | dt.datetime, *, what=DAY) -> None:
    """A date or moment of something that happened: not before INPUT_DATE_EARLIEST, not in
    the future. Raises a Vietnamese ValidationError."""
    if isinstance(value, dt.datetime):
        too_early, in_future = value < earliest_moment(), value > timezone.now()
    else:
        too_early, in_future = value < earliest(), value > timezone.localdate()
    if too_early:
        raise ValidationError(
            _("%(what)s không được trước %(day)s.") % {"what": capfirst(what), "day": _shown(earliest())},
            code="too_early",
        )
    if in_future:
        raise ValidationError(_("%(what)s không được ở tương lai.") % {"what": capfirst(what)}, code="future")


def check_in_range(value: dt.date | dt.datetime, *, what=DAY) -> None:
    """A search bound, a period or a deadline: between INPUT_DATE_EARLIEST and
    INPUT_DATE_LATEST."""
    if isinstance(value, dt.datetime):
        outside = not (earliest_moment() <= value <= latest_moment())
    else:
        outside = not (earliest() <= value <= latest())
    if outside:
        raise ValidationError(
            _("%(what)s phải trong khoảng từ %(start)s đến %(end)s.")
            % {"what": capfirst(what), "start": _shown(earliest()), "end": _shown(latest())},
            code="out_of_range",
        )


def plausible(field: str) -> Q:
    """Rows whose datetime `field` lies in the plausible range (for scans that must skip
    a row stored before these checks existed instead of crashing on it)."""
    return Q(**{f"{field}__gte": earliest_moment(), f"{field}__lte": latest_moment()})


# --- form fields ----------------------------------------------------------------------------------


class _Checked:
    check = staticmethod(check_in_range)

    def validate(self, value):
        super().validate(value)
        if value is not None:
            self.check(value, what=self.label or DAY)


class PastDateField(_Checked, forms.DateField):
    """The day something happened (not before INPUT_DATE_EARLIEST, not after today)."""

    check = staticmethod(check_happened)


class PastDateTimeField(_Checked, forms.DateTimeField):
    """The moment something happened (not before INPUT_DATE_EARLIEST, not in the future)."""

    check = staticmethod(check_happened)


class RangeDateField(_Checked, forms.DateField):
    """A search bound or a period's day (INPUT_DATE_EARLIEST to INPUT_DATE_LATEST)."""


class RangeDateTimeField(_Checked, forms.DateTimeField):
    """A moment set by hand, such as a new appointment (INPUT_DATE_EARLIEST to _LATEST)."""


class YearField(forms.IntegerField):
    """A year of the registers and reports (the years of the plausible range)."""

    def __init__(self, **kwargs):
        low, high = year_bounds()
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
        super().__init__(**kwargs)
