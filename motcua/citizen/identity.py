"""Who the citizen is: an identity provider behind one small interface.

The portal's own provider signs a citizen in with a one-time code sent by SMS or e-mail
through the existing delivery backends (motcua.notifications): the code is six digits, kept
only as a keyed hash (HMAC with SECRET_KEY, bound to the contact), valid for
`CITIZEN_CODE_MINUTES`, used once, void after `CITIZEN_CODE_MAX_TRIES` wrong tries or when a
newer code is sent; sending and typing are rate limited (core.ratelimit). The message itself
is stored with the code as a slot and the code sealed (core.pins), filled in at send time:
the database never holds the code in clear.

A VNeID / national-portal provider (OpenID Connect) replaces it through the setting
`CITIZEN_IDENTITY_PROVIDER`: it returns the same `CitizenIdentity` (with `id_number` set,
since VNeID verifies the personal identification number) to `session.sign_in`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core import pins
from core.identity import phone_digits
from core.ratelimit import Counter, client_address, hit, window_minutes

from ..models import CitizenLoginCode, ContactKind, NotificationChannel

CODE_DIGITS = 6


@dataclass(frozen=True)
class CitizenIdentity:
    """What a provider verified. `phone`/`email`: a contact proven by a code; `id_number`:
    the personal identification number, only when the provider verified it (VNeID)."""

    provider: str
    phone: str = ""
    email: str = ""
    id_number: str = ""

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data) -> CitizenIdentity | None:
        if not isinstance(data, dict):
            return None
        try:
            identity = cls(
                **{key: str(data.get(key) or "") for key in ("provider", "phone", "email", "id_number")}
            )
        except TypeError:
            return None
        return identity if (identity.phone or identity.email or identity.id_number) else None

    @property
    def masked(self) -> str:
        """'09******78', 'an***@example.vn': shown on pages and written in logs."""
        if self.phone:
            return self.phone[:2] + "*" * (len(self.phone) - 4) + self.phone[-2:]
        if self.email:
            local, _sep, domain = self.email.partition("@")
            return f"{local[:2]}***@{domain}"
        return self.id_number[:3] + "*" * 6 + self.id_number[-3:]


@dataclass(frozen=True)
class Contact:
    kind: str  # ContactKind
    address: str


def parse_contact(value: str) -> Contact:
    """A Vietnamese mobile number (national form 0…) or an e-mail address (lower case)."""
    text = (value or "").strip()
    phone = phone_digits(text)
    if phone and phone.startswith("0") and not phone.startswith("02"):
        return Contact(ContactKind.PHONE, phone)
    if "@" in text and len(text) <= 254:
        try:
            validate_email(text)
        except ValidationError:
            pass
        else:
            return Contact(ContactKind.EMAIL, text.lower())
    raise ValidationError(
        _("Nhập số điện thoại di động (10 số, ví dụ 0912345678) hoặc địa chỉ thư điện tử hợp lệ."),
        code="contact",
    )


class IdentityProvider:
    """The interface: a provider signs a citizen in and hands a `CitizenIdentity` to
    `motcua.citizen.session.sign_in`. `uses_code`: the sign-in page asks for a contact and a
    code (this portal's provider); a redirecting provider (VNeID) sends the citizen to
    `start_url(request)` and completes in its own callback view."""

    name = "base"
    uses_code = False

    def start_url(self, request) -> str:  # pragma: no cover - interface
        raise NotImplementedError


def _hash(contact: Contact, code: str) -> str:
    return salted_hmac(
        "motcua.citizen-code", f"{contact.kind}:{contact.address}:{code}", algorithm="sha256"
    ).hexdigest()


class OneTimeCodeProvider(IdentityProvider):
    name = "otp"
    uses_code = True

    def send_code(self, *, contact: Contact, request, now: dt.datetime | None = None) -> CitizenLoginCode:
        """Send a new code to `contact` (the earlier unused ones become void). Raises
        ValidationError (Vietnamese) when too many codes were asked for."""
        from ..notifications.service import notify

        if hit(
            Counter("citizen_code_contact", f"{contact.kind}:{contact.address}"),
            Counter("citizen_code_address", client_address(request)),
        ):
            raise ValidationError(
                _("Đã gửi quá nhiều mã đăng nhập. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": window_minutes("citizen_code_contact")},
                code="rate_limited",
            )
        now = now or timezone.now()
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        minutes = settings.CITIZEN_CODE_MINUTES
        with transaction.atomic():
            CitizenLoginCode.objects.filter(
                kind=contact.kind, address=contact.address, used_at__isnull=True, expires_at__gt=now
            ).update(expires_at=now)
            row = CitizenLoginCode.objects.create(
                kind=contact.kind,
                address=contact.address,
                code_hash=_hash(contact, code),
                created_at=now,
                expires_at=now + dt.timedelta(minutes=minutes),
            )
            slot = pins.PIN_SLOT
            if contact.kind == ContactKind.PHONE:
                channel = NotificationChannel.SMS
                body = (
                    f"Ma dang nhap Cong dich vu cong: {slot}. Hieu luc {minutes} phut. Khong dua ma cho ai."
                )
            else:
                channel = NotificationChannel.EMAIL
                body = _(
                    "Mã đăng nhập Cổng dịch vụ công của ông/bà: %(slot)s\n\n"
                    "Mã có hiệu lực %(minutes)s phút và chỉ dùng được một lần. "
                    "Không cung cấp mã cho người khác.\n"
                    "Nếu ông/bà không yêu cầu mã này, hãy bỏ qua thư."
                ) % {"slot": slot, "minutes": minutes}
            notify(
                channel=channel,
                kind="citizen_login_code",
                subject=_("Mã đăng nhập Cổng dịch vụ công"),
                body=body,
                address=contact.address,
                reference=f"citizen-code:{row.pk}",
                dedupe_key=f"citizen-code:{row.pk}",
                sealed_pin=pins.seal("citizen-code", code),
            )
        return row

    def verify_code(
        self, *, contact: Contact, code: str, request, now: dt.datetime | None = None
    ) -> CitizenIdentity:
        """The identity proven by `code`, or ValidationError (Vietnamese). A right code is
        used up; a wrong one counts, and voids the code at the limit."""
        if hit(Counter("citizen_verify_address", client_address(request))):
            raise ValidationError(
                _("Nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                % {"minutes": window_minutes("citizen_verify_address")},
                code="rate_limited",
            )
        now = now or timezone.now()
        typed = "".join((code or "").split())
        wrong = ValidationError(
            _("Mã đăng nhập không đúng hoặc đã hết hạn. Kiểm tra lại, hoặc yêu cầu gửi mã mới."), code="code"
        )
        with transaction.atomic():
            row = (
                CitizenLoginCode.objects.select_for_update()
                .filter(kind=contact.kind, address=contact.address, used_at__isnull=True, expires_at__gt=now)
                .order_by("-created_at", "-pk")
                .first()
            )
            if row is None:
                raise wrong
            if typed.isdigit() and constant_time_compare(_hash(contact, typed), row.code_hash):
                row.used_at = now
                row.save(update_fields=["used_at"])
                return CitizenIdentity(
                    provider=self.name,
                    phone=contact.address if contact.kind == ContactKind.PHONE else "",
                    email=contact.address if contact.kind == ContactKind.EMAIL else "",
                )
            row.failed_attempts += 1
            if row.failed_attempts >= settings.CITIZEN_CODE_MAX_TRIES:
                row.expires_at = now
            row.save(update_fields=["failed_attempts", "expires_at"])
        raise wrong


def get_provider() -> IdentityProvider:
    return import_string(settings.CITIZEN_IDENTITY_PROVIDER)()
