import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Official agency identifier V1V2V3.Z1Z2.Y1Y2.MX1X2 (QĐ 20/2020/QĐ-TTg), e.g. 000.00.06.H56:
# three groups of digits, then a letter (H = province, G = ministry) and two digits.
AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")

validate_agency_code = RegexValidator(
    AGENCY_CODE_RE,
    _("Mã định danh phải có dạng V1V2V3.Z1Z2.Y1Y2.MX1X2, ví dụ 000.00.06.H56."),
    code="invalid_agency_code",
)


# --- office hours (thutuc.calendar) -------------------------------------------------------------


def validate_office_hours(value: str) -> None:
    """Monday–Friday office hours: blank (the default) or ranges adding up to one working day."""
    from django.core.exceptions import ValidationError

    from .calendar import HOURS_PER_WORKING_DAY, parse_hours, period_hours

    try:
        periods = parse_hours(value)
    except ValueError as exc:
        raise ValidationError(
            _("Giờ làm việc không hợp lệ: %(reason)s. Ví dụ đúng: 07:30-11:30,13:00-17:00."),
            code="invalid_office_hours",
            params={"reason": exc},
        ) from None
    if periods and period_hours(periods) != HOURS_PER_WORKING_DAY:
        raise ValidationError(
            _(
                "Tổng giờ làm việc từ thứ Hai đến thứ Sáu phải đúng %(expected)s giờ một ngày "
                "(một ngày làm việc = %(expected)s giờ); các khoảng giờ đã nhập cộng lại %(actual)s giờ."
            ),
            code="office_hours_not_one_day",
            params={"expected": HOURS_PER_WORKING_DAY, "actual": _format_hours(period_hours(periods))},
        )


def validate_saturday_hours(value: str) -> None:
    """Saturday office hours: blank (closed) or ranges of at most one working day."""
    from django.core.exceptions import ValidationError

    from .calendar import HOURS_PER_WORKING_DAY, parse_hours, period_hours

    try:
        periods = parse_hours(value)
    except ValueError as exc:
        raise ValidationError(
            _("Giờ làm việc thứ Bảy không hợp lệ: %(reason)s. Ví dụ đúng: 07:30-11:30."),
            code="invalid_saturday_hours",
            params={"reason": exc},
        ) from None
    if period_hours(periods) > HOURS_PER_WORKING_DAY:
        raise ValidationError(
            _("Giờ làm việc thứ Bảy không được quá %(expected)s giờ."),
            code="saturday_hours_too_long",
            params={"expected": HOURS_PER_WORKING_DAY},
        )


def _format_hours(hours) -> str:
    text = f"{hours:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
