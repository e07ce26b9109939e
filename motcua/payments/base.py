"""The payment gateway interface (VNPay, the national portal's PayGov and the like all work
this way): the citizen is sent to the gateway's checkout page for one order (reference,
amount), the gateway sends a signed callback (through the citizen's browser and server to
server), and it lists its transactions for the daily reconciliation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError


class PaymentError(ValidationError):
    """A callback or a payment refused (Vietnamese message; nothing was recorded)."""

    def __str__(self) -> str:
        return " ".join(self.messages)


@dataclass(frozen=True)
class GatewayTransaction:
    """One transaction as the gateway reports it (a verified callback or its list)."""

    reference: str
    transaction_id: str
    amount: Decimal
    succeeded: bool
    at: dt.datetime


class PaymentBackend:
    name = "base"

    def checkout_url(self, *, reference: str, amount: Decimal, return_url: str) -> str:
        """Where to send the citizen to pay order `reference`."""
        raise NotImplementedError

    def parse_callback(self, params: Mapping[str, str]) -> GatewayTransaction:
        """The transaction a callback reports, after checking its signature; PaymentError
        when it is missing, malformed or forged."""
        raise NotImplementedError

    def transactions(self, *, since: dt.datetime) -> list[GatewayTransaction]:
        """The gateway's own list of transactions since a moment (reconciliation)."""
        raise NotImplementedError
