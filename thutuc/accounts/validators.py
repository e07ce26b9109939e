"""Password rules of staff accounts (AUTH_PASSWORD_VALIDATORS)."""

from django.utils.translation import gettext_lazy as _


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
