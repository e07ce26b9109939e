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


class MinimumLengthValidator:
    """Django's length rule, with the message in Vietnamese (Django ships none for it)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        from django.core.exceptions import ValidationError

        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
