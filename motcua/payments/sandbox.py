"""The sandbox gateway: a payment gateway that runs inside this portal, for the embedded
run, the tests and staff training. It behaves like a real one: the checkout request is
signed, the checkout page is its own (/thanh-toan-thu-nghiem/<reference>/, routed only when
this backend is configured), the callback is signed with HMAC-SHA256 under
PAYMENT_SANDBOX_SECRET, and it keeps its own transaction list (SandboxTransaction) that
`manage.py reconcile_payments` reads. No money moves."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .base import GatewayTransaction, PaymentBackend, PaymentError

SUCCESS = "00"
CANCELLED = "24"
CALLBACK_FIELDS = ("reference", "amount", "transaction", "status", "time")


def _secret() -> bytes:
    return settings.PAYMENT_SANDBOX_SECRET.encode()


def sign(params: Mapping[str, str], fields) -> str:
    message = "&".join(f"{name}={params.get(name, '')}" for name in sorted(fields))
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()


def _signature_ok(params: Mapping[str, str], fields) -> bool:
    given = params.get("sig") or ""
    # bytes: compare_digest refuses str with non-ASCII characters (a forged value may hold any)
    return isinstance(given, str) and hmac.compare_digest(given.encode(), sign(params, fields).encode())


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        raise PaymentError(_("Số tiền trong phản hồi của cổng thanh toán không hợp lệ.")) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        raise PaymentError(_("Số tiền trong phản hồi của cổng thanh toán không hợp lệ."))
    return amount


def forged_error() -> PaymentError:
    return PaymentError(
        _("Phản hồi thanh toán không có chữ ký hợp lệ của cổng thanh toán; giao dịch không được ghi nhận."),
        code="forged",
    )


class SandboxBackend(PaymentBackend):
    name = "sandbox"

    # --- the portal's side -------------------------------------------------------------

    def checkout_url(self, *, reference: str, amount: Decimal, return_url: str) -> str:
        order = {"amount": f"{amount:.0f}", "return": return_url, "reference": reference}
        query = urlencode({"amount": order["amount"], "return": return_url, "sig": sign(order, order)})
        return reverse("payment_sandbox", args=[reference]) + "?" + query

    def parse_callback(self, params: Mapping[str, str]) -> GatewayTransaction:
        if any(not isinstance(params.get(name), str) or not params.get(name) for name in CALLBACK_FIELDS):
            raise forged_error()
        if not _signature_ok(params, CALLBACK_FIELDS):
            raise forged_error()
        try:
            at = dt.datetime.fromtimestamp(int(params["time"]), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise forged_error() from None
        return GatewayTransaction(
            reference=params["reference"][:32],
            transaction_id=params["transaction"][:64],
            amount=_amount(params["amount"]),
            succeeded=params["status"] == SUCCESS,
            at=at,
        )

    def transactions(self, *, since: dt.datetime) -> list[GatewayTransaction]:
        from ..models import SandboxTransaction

        return [
            GatewayTransaction(t.reference, t.transaction_id, t.amount, t.succeeded, t.at)
            for t in SandboxTransaction.objects.filter(at__gte=since).order_by("at", "pk")
        ]

    # --- the gateway's side (its checkout page) ------------------------------------------

    def checkout_request_ok(self, *, reference: str, amount: str, return_url: str, sig: str) -> bool:
        order = {"amount": amount, "return": return_url, "reference": reference}
        return _signature_ok({**order, "sig": sig}, order)

    def pay(self, *, reference: str, amount: Decimal, succeed: bool = True, now=None) -> dict[str, str]:
        """The citizen confirmed (or cancelled) on the checkout page: the gateway records its
        transaction and returns the signed callback parameters."""
        from ..models import SandboxTransaction

        at = now or timezone.now()
        transaction = SandboxTransaction.objects.create(
            transaction_id="SBX" + secrets.token_hex(8).upper(),
            reference=reference,
            amount=amount,
            succeeded=succeed,
            at=at,
        )
        return self.callback_params(transaction)

    def callback_params(self, transaction) -> dict[str, str]:
        params = {
            "reference": transaction.reference,
            "amount": f"{transaction.amount:.0f}",
            "transaction": transaction.transaction_id,
            "status": SUCCESS if transaction.succeeded else CANCELLED,
            "time": str(int(transaction.at.timestamp())),
        }
        params["sig"] = sign(params, CALLBACK_FIELDS)
        return params
