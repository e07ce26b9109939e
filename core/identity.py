"""What a person's name, phone number and identity number may look like (issue 14 §5).

The intake accepted a name made only of zero-width or control characters, and anything at
all as a phone or identity number; the receipt, the register and the SMS then carried it.
These fields check the value and keep it as typed (trimmed, names in Unicode NFC).

Rules and their sources:
- Phone (Vietnam): a mobile number has 10 digits starting with 03, 05, 07, 08 or 09 (QĐ
  798/QĐ-BTTTT 2018, the 11 → 10 digit change); a landline has 11 digits starting with 02,
  area code included (QĐ 2036/QĐ-BTTTT 2016, the area codes 02x). "+84" may replace the
  leading 0; spaces, dots, dashes and brackets between digits are allowed.
- Personal identity number (số định danh cá nhân, printed on the CCCD / thẻ căn cước): 12
  digits (NĐ 137/2015/NĐ-CP Điều 13; Luật Căn cước 2023). The 9-digit CMND expired on
  31/12/2024 (Luật Căn cước 2023 Điều 46 khoản 2).
- Tax code (mã số thuế) of an organisation: 10 digits, or 10 digits, "-" and 3 digits for a
  dependent unit, e.g. 0101234567-001 (Thông tư 105/2020/TT-BTC Điều 5); since 01/07/2025
  a person or household business uses the 12-digit identity number as tax code (Thông tư
  86/2024/TT-BTC), which is also accepted.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode categories never part of a name: control, format (zero-width, bidi overrides, BOM),
# private use, surrogates, unassigned; line and paragraph separators.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}

MOBILE_RE = re.compile(r"0[35789]\d{8}")
LANDLINE_RE = re.compile(r"02\d{9}")
PHONE_SEPARATORS_RE = re.compile(r"[\s.\-()]")
PERSONAL_ID_RE = re.compile(r"\d{12}")
TAX_CODE_RE = re.compile(r"\d{10}(-\d{3})?|\d{12}")


def validate_name(value: str) -> None:
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in value):
        raise ValidationError(
            _("Tên có ký tự điều khiển hoặc ký tự ẩn (không nhìn thấy); hãy gõ lại."),
            code="hidden_characters",
        )
    if not any(unicodedata.category(ch).startswith("L") for ch in value):
        raise ValidationError(_("Tên phải có chữ cái."), code="no_letter")


def phone_digits(value: str) -> str | None:
    """The national form (0…) of a Vietnamese phone number, or None."""
    text = PHONE_SEPARATORS_RE.sub("", value)
    if text.startswith("+84"):
        text = "0" + text[3:]
    if text.isascii() and (MOBILE_RE.fullmatch(text) or LANDLINE_RE.fullmatch(text)):
        return text
    return None


def validate_phone(value: str) -> None:
    if phone_digits(value) is None:
        raise ValidationError(
            _(
                "Số điện thoại không hợp lệ: di động 10 số (03, 05, 07, 08, 09…), cố định 11 số "
                "(02…), có thể bắt đầu bằng +84."
            ),
            code="invalid_phone",
        )


def validate_personal_id(value: str) -> None:
    if not (value.isascii() and PERSONAL_ID_RE.fullmatch(value)):
        raise ValidationError(
            _("Số định danh cá nhân (số CCCD, thẻ căn cước) gồm đúng 12 chữ số."), code="invalid_personal_id"
        )


def validate_tax_code(value: str) -> None:
    if not (value.isascii() and TAX_CODE_RE.fullmatch(value)):
        raise ValidationError(
            _(
                "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
                "(ví dụ 0101234567-001), hoặc số định danh cá nhân 12 chữ số."
            ),
            code="invalid_tax_code",
        )


class NameField(forms.CharField):
    """A person's or an organisation's name: letters required, no hidden characters, NFC."""

    default_validators = [validate_name]

    def to_python(self, value):
        return unicodedata.normalize("NFC", super().to_python(value))


class PhoneField(forms.CharField):
    default_validators = [validate_phone]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)


class PersonalIdField(forms.CharField):
    """12 digits; spaces typed between groups of digits are dropped."""

    default_validators = [validate_personal_id]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return re.sub(r"\s", "", super().to_python(value))
