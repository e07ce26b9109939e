"""Pure rules of the catalogue: how a processing time and a fee read, how routing steps add
up, when a case can be received, and a paper's short name for print.

No ORM here: the admin, the Excel import, intake and the tests call these with plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..calendar import HOURS_PER_WORKING_DAY
from ..models.catalogue import TimeUnit

WORKING_UNITS = {TimeUnit.WORKING_DAYS.value, TimeUnit.WORKING_HOURS.value}
# Wall-clock units (the office's hours do not count): convertible among themselves at 24 h a day.
CLOCK_HOURS_PER_UNIT = {TimeUnit.CALENDAR_DAYS.value: Decimal(24), TimeUnit.HOURS.value: Decimal(1)}


def format_number(value) -> str:
    """Decimal(5.0) -> '5', Decimal('0.5') -> '0,5' (Vietnamese decimal comma)."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_duration(amount, unit: str) -> str:
    """'5 ngày làm việc', '4 giờ làm việc', '30 ngày', '24 giờ', '4 tháng'; '' when not stated."""
    if amount is None:
        return ""
    return f"{format_number(amount)} {TimeUnit(unit).label}"


def format_money(amount, currency: str = "VND") -> str:
    """8000 -> '8.000 đồng'; 10 USD -> '10 USD'."""
    number = f"{int(amount):,}".replace(",", ".")
    return f"{number} {'USD' if currency == 'USD' else 'đồng'}"


def format_fee_amount(amount, currency: str = "VND", per_unit: str = "", cap=None) -> str:
    """How a fee's amount reads (and is written in the Excel file): 'Miễn phí' for 0,
    '8.000 đồng', '2.000 đồng/trang, tối đa 200.000 đồng', '10 USD/bản'; '' without amount."""
    if amount is None:
        return ""
    if amount == 0 and not per_unit and cap is None:
        return str(_("Miễn phí"))
    text = format_money(amount, currency)
    if per_unit:
        text += f"/{per_unit}"
    if cap is not None:
        text += ", " + str(_("tối đa")) + " " + format_money(cap, currency)
    return text


def case_not_receivable_reason(processing_time) -> str:
    """Why a dossier of a case cannot be received now, or '' when it can. A case whose time
    is not stated has no statutory appointment (NĐ 61/2018/NĐ-CP Điều 18.3: the receipt
    states the date the result is returned), so the counter cannot accept it until the
    catalogue states one."""
    if processing_time is None:
        return str(
            _(
                "Thủ tục (trường hợp) này chưa có thời hạn giải quyết trong danh mục nên chưa tiếp nhận "
                "được hồ sơ: không thể hẹn ngày trả kết quả. Đề nghị quản trị danh mục bổ sung thời hạn "
                "theo văn bản công bố."
            )
        )
    return ""


def receipt_fee_line(fee: dict) -> str:
    """One fee of a case version (CaseVersion.fees) as the receipt prints it: 'Lệ phí 8.000
    đồng (thu khi nộp hồ sơ)'; a fee without amount prints its description, shortened."""
    from ..models.catalogue import FeeCollection, FeeKind

    kind = dict(FeeKind.choices).get(fee.get("kind"), "")
    text = fee.get("text") or _shorten(fee.get("description") or "", 160)
    collected = str(dict(FeeCollection.choices).get(fee.get("collected"), "")).lower()
    return f"{kind} {text}" + (f" ({collected})" if collected else "")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


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
    months = TimeUnit.MONTHS.value
    if months in units and units != {months}:
        raise ValidationError(
            _(
                "Không thể cộng tháng với ngày hoặc giờ: khi thời hạn tính theo tháng thì mọi bước cũng "
                "phải tính theo tháng."
            ),
            code="mixed_units",
        )
    clock_units = set(CLOCK_HOURS_PER_UNIT)
    if units & clock_units and not units <= clock_units:
        raise ValidationError(
            _(
                "Không thể cộng ngày theo lịch với ngày/giờ làm việc: khi thời hạn tính theo ngày "
                "(lịch) thì mọi bước cũng phải tính theo ngày, và ngược lại."
            ),
            code="mixed_units",
        )
    if units <= clock_units or units == {months}:
        # Wall-clock time: days and hours convert at 24 hours a day; months only add to months.
        per = CLOCK_HOURS_PER_UNIT.get if units != {months} else (lambda _unit: Decimal(1))
        steps_total = sum(a * per(u) for a, u in steps)
        expected = Decimal(str(total)) * per(total_unit)
        if steps_total != expected:
            shown = total_unit if all(u == total_unit for _a, u in steps) else TimeUnit.HOURS.value
            raise ValidationError(
                _("Tổng thời gian các bước là %(steps)s, khác thời hạn giải quyết %(total)s.")
                % {
                    "steps": format_duration(steps_total / per(shown), shown),
                    "total": format_duration(total, total_unit),
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
