"""The ledger side of online payment: start an order, confirm it from the gateway's signed
callback, reconcile with the gateway's transaction list.

A callback is refused with a Vietnamese `PaymentError` and nothing written when its
signature does not verify (forged or altered), when it is older than
PAYMENT_CALLBACK_MAX_AGE_MINUTES (an old callback sent again: the reconciliation settles
what really happened), when its amount differs from the order's, or when its transaction
already confirmed another order. The same callback received twice (the browser's return
and the server-to-server notice, a retry) confirms once: the order row is locked, the
second finds it paid by that very transaction and changes nothing. One confirmed order
writes exactly one ledger row (`FeeEntry.online_payment` is unique), recorded as paid
online (`PaymentMethod.ONLINE`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Dossier,
    FeeEntry,
    FeeEntryKind,
    OnlinePayment,
    OnlinePaymentStatus,
    PaymentMethod,
    Status,
)
from ..services.fees import FeeError, format_dong, nothing_due_error, summarise
from . import get_backend
from .base import GatewayTransaction, PaymentError


def payment_start(*, dossier: Dossier, now: dt.datetime | None = None) -> OnlinePayment:
    """An order for what is still due (the pending order for that amount when one exists,
    so that clicking twice does not open two orders)."""
    at = now or timezone.now()
    backend = get_backend()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status in (Status.WITHDRAWN, Status.STOPPED, Status.NOT_ACCEPTED):
            raise FeeError(_("Hồ sơ %s đã dừng giải quyết; không thanh toán trực tuyến được.") % dossier.code)
        ledger = summarise(FeeEntry.objects.filter(dossier=dossier))
        if ledger.balance == 0:
            raise nothing_due_error(dossier)
        pending = (
            OnlinePayment.objects.filter(
                dossier=dossier,
                status=OnlinePaymentStatus.PENDING,
                amount=ledger.balance,
                backend=backend.name,
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending
        payment = OnlinePayment(dossier=dossier, amount=ledger.balance, backend=backend.name, created_at=at)
        payment.full_clean(exclude=["dossier"])
        payment.save()
        return payment


def checkout_url(payment: OnlinePayment, *, return_url: str) -> str:
    return get_backend().checkout_url(
        reference=payment.reference, amount=payment.amount, return_url=return_url
    )


@dataclass(frozen=True)
class Confirmation:
    payment: OnlinePayment
    recorded: bool  # False: already recorded before (a repeated callback), or not a success


def payment_confirm(*, params, now: dt.datetime | None = None) -> Confirmation:
    """A callback from the gateway (browser return or server notice)."""
    gateway_transaction = get_backend().parse_callback(params)
    return payment_settle(gateway_transaction, now=now)


def _stale(gateway_transaction: GatewayTransaction, at: dt.datetime) -> bool:
    limit = dt.timedelta(minutes=settings.PAYMENT_CALLBACK_MAX_AGE_MINUTES)
    return at - gateway_transaction.at > limit or gateway_transaction.at - at > dt.timedelta(minutes=5)


def payment_settle(
    gateway_transaction: GatewayTransaction,
    *,
    now: dt.datetime | None = None,
    from_gateway_list: bool = False,
) -> Confirmation:
    """Record what the gateway reports for one order. `from_gateway_list`: read from the
    gateway's own list by the reconciliation (no age limit)."""
    at = now or timezone.now()
    t = gateway_transaction
    with transaction.atomic():
        payment = OnlinePayment.objects.select_for_update().filter(reference=t.reference).first()
        if payment is None:
            raise PaymentError(
                _("Không có đơn thanh toán %s; giao dịch không được ghi nhận.") % t.reference, code="unknown"
            )
        if payment.status == OnlinePaymentStatus.PAID:
            if payment.gateway_transaction == t.transaction_id:
                return Confirmation(payment, recorded=False)  # the same callback again
            raise PaymentError(
                _(
                    "Đơn thanh toán %s đã được thanh toán bằng giao dịch khác; "
                    "phản hồi này không được ghi nhận."
                )
                % payment.reference,
                code="already_paid",
            )
        if not from_gateway_list and _stale(t, at):
            raise PaymentError(
                _(
                    "Phản hồi thanh toán đã quá thời hạn %(minutes)s phút "
                    "(có thể là phản hồi cũ bị gửi lại); "
                    "giao dịch không được ghi nhận. Việc đối soát với cổng thanh toán sẽ kiểm tra lại."
                )
                % {"minutes": settings.PAYMENT_CALLBACK_MAX_AGE_MINUTES},
                code="stale",
            )
        if t.amount != payment.amount:
            raise PaymentError(
                _(
                    "Số tiền giao dịch (%(paid)s) khác số tiền của đơn thanh toán (%(due)s); "
                    "giao dịch không được ghi nhận."
                )
                % {"paid": format_dong(t.amount), "due": format_dong(payment.amount)},
                code="amount",
            )
        if OnlinePayment.objects.filter(gateway_transaction=t.transaction_id).exclude(pk=payment.pk).exists():
            raise PaymentError(
                _("Giao dịch %s đã được dùng cho một đơn thanh toán khác; phản hồi này không được ghi nhận.")
                % t.transaction_id,
                code="reused",
            )
        if not t.succeeded:
            if payment.status == OnlinePaymentStatus.PENDING:
                payment.status = OnlinePaymentStatus.FAILED
                payment.save(update_fields=["status"])
            return Confirmation(payment, recorded=False)
        payment.status = OnlinePaymentStatus.PAID
        payment.paid_at = t.at
        payment.gateway_transaction = t.transaction_id
        payment.save(update_fields=["status", "paid_at", "gateway_transaction"])
        FeeEntry.objects.create(
            dossier_id=payment.dossier_id,
            kind=FeeEntryKind.PAYMENT,
            label=_("Thanh toán trực tuyến"),
            amount=payment.amount,
            method=PaymentMethod.ONLINE,
            receipt_number=t.transaction_id,
            online_payment=payment,
            at=t.at,
        )
    return Confirmation(payment, recorded=True)


# --- reconciliation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    reference: str
    text: str
    fixed: bool = False


def reconcile(*, since: dt.datetime, fix: bool = False, now: dt.datetime | None = None) -> list[Finding]:
    """Compare the orders since `since` with the gateway's transactions: an order paid at the
    gateway but still pending here (a lost callback) is settled when `fix`; a second
    successful transaction of an order paid already, a transaction of an unknown order, an
    order paid here without its transaction at the gateway, and orders pending with no
    transaction at all are reported."""
    findings: list[Finding] = []
    listed = get_backend().transactions(since=since)
    by_reference = {
        p.reference: p for p in OnlinePayment.objects.filter(reference__in={t.reference for t in listed})
    }
    seen: set[str] = set()
    for t in listed:
        seen.add(t.transaction_id)
        payment = by_reference.get(t.reference)
        if payment is None:
            findings.append(
                Finding(t.reference, _("giao dịch %s của một đơn không có trong hệ thống") % t.transaction_id)
            )
            continue
        if not t.succeeded:
            continue
        if payment.status != OnlinePaymentStatus.PAID:
            if fix:
                try:
                    payment_settle(t, now=now, from_gateway_list=True)
                except PaymentError as exc:
                    findings.append(Finding(t.reference, str(exc)))
                else:
                    payment.status = OnlinePaymentStatus.PAID
                    payment.gateway_transaction = t.transaction_id
                    findings.append(
                        Finding(
                            t.reference, _("đã thanh toán tại cổng, nay ghi vào sổ phí, lệ phí"), fixed=True
                        )
                    )
            else:
                findings.append(
                    Finding(t.reference, _("đã thanh toán tại cổng nhưng chưa ghi nhận (chạy lại với --fix)"))
                )
        elif payment.gateway_transaction != t.transaction_id:
            findings.append(
                Finding(
                    t.reference,
                    _("thêm một giao dịch thành công %s cho đơn đã thanh toán: cần hoàn trả")
                    % t.transaction_id,
                )
            )
    for payment in OnlinePayment.objects.filter(created_at__gte=since).exclude(
        reference__in=[f.reference for f in findings]
    ):
        if payment.status == OnlinePaymentStatus.PAID and payment.gateway_transaction not in seen:
            findings.append(
                Finding(
                    payment.reference,
                    _("đã ghi nhận nhưng cổng thanh toán không có giao dịch %s")
                    % payment.gateway_transaction,
                )
            )
        elif payment.status == OnlinePaymentStatus.PENDING and not any(
            t.reference == payment.reference for t in listed
        ):
            findings.append(Finding(payment.reference, _("đang chờ, cổng thanh toán chưa có giao dịch nào")))
    return findings
