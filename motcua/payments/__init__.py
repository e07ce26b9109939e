"""Online payment of a dossier's fees through a payment gateway.

`base.PaymentBackend` is the interface a gateway's backend implements (where to send the
citizen, how to read and verify its signed callback, its list of transactions); the one in
use is `settings.PAYMENT_BACKEND` (`get_backend()`). `sandbox.SandboxBackend` behaves like a
real gateway on this machine: its own checkout page, HMAC-signed callbacks, its own
transaction list. `service` holds the ledger side: start a payment, confirm it from a
callback (idempotent, forged or replayed callbacks refused), reconcile with the gateway.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentBackend


def get_backend() -> PaymentBackend:
    return import_string(settings.PAYMENT_BACKEND)()


def sandbox_enabled() -> bool:
    from .sandbox import SandboxBackend

    return isinstance(get_backend(), SandboxBackend)
