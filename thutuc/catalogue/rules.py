"""Pure rules of the catalogue: how a processing time reads, and how routing steps add up.

No ORM here: the admin, the Excel import and the tests all call these with plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..calendar import HOURS_PER_WORKING_DAY
from ..models.catalogue import TimeUnit

WORKING_UNITS = {TimeUnit.WORKING_DAYS.value, TimeUnit.WORKING_HOURS.value}


def format_number(value) -> str:
    """Decimal(5.0) -> '5', Decimal('0.5') -> '0,5' (Vietnamese decimal comma)."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_duration(amount, unit: str) -> str:
    """'5 ngày làm việc', '4 giờ làm việc', '30 ngày'."""
    if amount is None:
        return ""
    return f"{format_number(amount)} {TimeUnit(unit).label}"


def working_hours(amount, unit: str) -> Decimal:
    """Working time in hours (1 working day = 8 working hours, DESIGN §5.3)."""
    amount = Decimal(str(amount))
    if unit == TimeUnit.WORKING_DAYS:
        return amount * HOURS_PER_WORKING_DAY
    if unit == TimeUnit.WORKING_HOURS:
        return amount
    raise ValueError(unit)


def validate_step_allotments(total, total_unit: str, steps: Iterable[tuple[object, str]]) -> None:
    """The steps' allotted times must add up exactly to the case's processing time.

    `steps` are (allotted_time, allotted_unit) pairs. Working days and working hours are
    converted at 8 hours a day; calendar days cannot be mixed with working time. No
    steps at all is allowed (the routing is optional). Raises ValidationError."""
    steps = [(Decimal(str(amount)), unit) for amount, unit in steps if amount is not None and unit]
    if not steps or total is None:
        return
    units = {unit for _amount, unit in steps} | {total_unit}
    calendar = TimeUnit.CALENDAR_DAYS.value
    if calendar in units and units != {calendar}:
        raise ValidationError(
            _(
                "Không thể cộng ngày theo lịch với ngày/giờ làm việc: khi thời hạn tính theo ngày "
                "(lịch) thì mọi bước cũng phải tính theo ngày, và ngược lại."
            ),
            code="mixed_units",
        )
    if units == {calendar}:
        steps_total, expected = sum(a for a, _u in steps), Decimal(str(total))
        if steps_total != expected:
            raise ValidationError(
                _("Tổng thời gian các bước là %(steps)s, khác thời hạn giải quyết %(total)s.")
                % {
                    "steps": format_duration(steps_total, calendar),
                    "total": format_duration(expected, calendar),
                },
                code="steps_total",
            )
        return
    steps_hours = sum(working_hours(a, u) for a, u in steps)
    expected_hours = working_hours(total, total_unit)
    if steps_hours != expected_hours:
        raise ValidationError(
            _(
                "Tổng thời gian các bước là %(steps)s, khác thời hạn giải quyết %(total)s "
                "(%(hours)s; 1 ngày làm việc = 8 giờ)."
            )
            % {
                "steps": format_duration(steps_hours, TimeUnit.WORKING_HOURS),
                "total": format_duration(total, total_unit),
                "hours": format_duration(expected_hours, TimeUnit.WORKING_HOURS),
            },
            code="steps_total",
        )
