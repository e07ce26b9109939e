"""The fee ledger of a dossier (motcua.models.fees): plain functions, one per fact.

Every write locks the dossier row first (`select_for_update`), reads the balance under the
lock and writes one append-only `FeeEntry`: two officers recording the same cash payment at
once give one row and one refusal ("không còn khoản phí nào phải nộp"). Amounts are whole
đồng. A refusal is a `FeeError` with a Vietnamese message and writes nothing.

The lines due come from the case version the dossier was received under (the terms frozen
at intake, thutuc.models.case_versions): each fee line with an amount in đồng and no
per-unit rate is due as stated ("Lệ phí 8.000 đồng (thu khi nộp hồ sơ)"); a line priced
per page, by area or in a foreign currency has no amount the portal can compute, and is
added by staff when they ask for the financial obligation (`fee_add_due`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thutuc.catalogue.rules import receipt_fee_line

from ..models import Dossier, FeeEntry, FeeEntryKind, PaymentMethod, Status

MAX_AMOUNT = Decimal("999999999999")
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")


class FeeError(ValidationError):
    """A ledger write refused (Vietnamese message, nothing written)."""

    def __str__(self) -> str:
        return " ".join(self.messages)


def format_dong(amount: Decimal) -> str:
    """'8.000 đồng' (Vietnamese thousands separator)."""
    return f"{amount:,.0f}".replace(",", ".") + " đồng"


@dataclass
class Ledger:
    entries: list[FeeEntry] = field(default_factory=list)
    due: Decimal = Decimal(0)
    exempted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    paid_online: Decimal = Decimal(0)

    @property
    def balance(self) -> Decimal:
        """Still to pay (never below zero: an overpayment is `refundable`)."""
        return max(self.due - self.exempted - self.paid + self.refunded, Decimal(0))

    @property
    def refundable(self) -> Decimal:
        return self.paid - self.refunded

    @property
    def is_empty(self) -> bool:
        return not self.entries


def summarise(entries) -> Ledger:
    ledger = Ledger(entries=list(entries))
    for entry in ledger.entries:
        if entry.kind == FeeEntryKind.DUE:
            ledger.due += entry.amount
        elif entry.kind == FeeEntryKind.EXEMPTION:
            ledger.exempted += entry.amount
        elif entry.kind == FeeEntryKind.PAYMENT:
            ledger.paid += entry.amount
            if entry.method == PaymentMethod.ONLINE:
                ledger.paid_online += entry.amount
        elif entry.kind == FeeEntryKind.REFUND:
            ledger.refunded += entry.amount
    return ledger


def ledger_of(dossier: Dossier) -> Ledger:
    """The dossier's ledger in one query."""
    return summarise(FeeEntry.objects.filter(dossier=dossier).select_related("actor").order_by("at", "pk"))


def ledgers_of(dossier_ids) -> dict[int, Ledger]:
    """{dossier id: its ledger} for many dossiers in one query ("Hồ sơ của tôi"); a dossier
    without rows gets an empty ledger."""
    ids = list(dossier_ids)
    rows: dict[int, list[FeeEntry]] = {pk: [] for pk in ids}
    for entry in FeeEntry.objects.filter(dossier_id__in=ids).order_by("at", "pk"):
        rows[entry.dossier_id].append(entry)
    return {pk: summarise(entries) for pk, entries in rows.items()}


def may_pay_online(dossier: Dossier, ledger: Ledger) -> bool:
    """Whether the citizen is offered "Thanh toán trực tuyến": something is due and the
    dossier is not stopped (payments.service.payment_start checks again under a lock)."""
    return ledger.balance > 0 and dossier.status not in (
        Status.WITHDRAWN,
        Status.STOPPED,
        Status.NOT_ACCEPTED,
    )


def computable_amount(fee: dict) -> Decimal | None:
    """The amount due of one fee line of a case version, or None when the portal cannot
    compute it (no amount, a per-unit rate, a currency other than đồng)."""
    if fee.get("amount") in (None, "") or fee.get("per_unit") or (fee.get("currency") or "VND") != "VND":
        return None
    amount = Decimal(str(fee["amount"]))
    return amount if amount > 0 else None


def ledger_open(*, dossier: Dossier, at: dt.datetime, actor=None) -> list[FeeEntry]:
    """At intake (inside its transaction): one line due per fee line of the dossier's case
    version that has an amount in đồng."""
    rows = [
        FeeEntry(
            dossier=dossier,
            kind=FeeEntryKind.DUE,
            fee_kind=fee.get("kind") or "",
            label=receipt_fee_line(fee)[:500],
            catalogue_line=index,
            amount=amount,
            at=at,
            actor=actor,
        )
        for index, fee in enumerate(dossier.case_version.fees or [])
        if (amount := computable_amount(fee)) is not None
    ]
    return FeeEntry.objects.bulk_create(rows) if rows else []


# --- checks -------------------------------------------------------------------------------


def clean_amount(value, *, allow_zero: bool = False) -> Decimal:
    if isinstance(value, str):
        value = value.strip()
        if _GROUPED.fullmatch(value):  # "8.000" as Vietnamese write it
            value = value.replace(".", "")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise FeeError(_("Số tiền không hợp lệ: nhập số đồng, không có phần lẻ.")) from None
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise FeeError(_("Số tiền không hợp lệ: nhập số đồng, không có phần lẻ."))
    if amount < 0 or (amount == 0 and not allow_zero):
        raise FeeError(_("Số tiền phải lớn hơn 0 đồng."))
    if amount > MAX_AMOUNT:
        raise FeeError(_("Số tiền quá lớn."))
    return amount


def _text(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _locked_ledger(dossier: Dossier) -> Ledger:
    return summarise(FeeEntry.objects.filter(dossier=dossier).order_by("at", "pk"))


def _write(**fields) -> FeeEntry:
    entry = FeeEntry(**fields)
    entry.full_clean(exclude=["dossier", "actor", "online_payment"])
    entry.save()
    return entry


# --- the writes ---------------------------------------------------------------------------


def fee_add_due(
    *, dossier: Dossier, amount, label: str, actor=None, now: dt.datetime | None = None
) -> FeeEntry:
    """A further amount due (the financial obligation asked for by staff: a fee priced per
    unit, a tax)."""
    amount = clean_amount(amount)
    label = _text(label, 500) or _("Nghĩa vụ tài chính")
    with transaction.atomic():
        dossier = _locked(dossier)
        return _write(
            dossier=dossier,
            kind=FeeEntryKind.DUE,
            label=label,
            amount=amount,
            at=now or timezone.now(),
            actor=actor,
        )


def fee_exempt(*, dossier: Dossier, amount, reason: str, actor, now: dt.datetime | None = None) -> FeeEntry:
    """An exemption or reduction (miễn, giảm) with its reason, at most what is still due."""
    amount = clean_amount(amount)
    reason = _text(reason, 500)
    if not reason:
        raise FeeError(_("Ghi lý do miễn, giảm phí, lệ phí (đối tượng, căn cứ)."))
    with transaction.atomic():
        dossier = _locked(dossier)
        ledger = _locked_ledger(dossier)
        if amount > ledger.balance:
            raise FeeError(
                _("Số tiền miễn, giảm (%(amount)s) lớn hơn số còn phải nộp (%(balance)s).")
                % {"amount": format_dong(amount), "balance": format_dong(ledger.balance)}
            )
        return _write(
            dossier=dossier,
            kind=FeeEntryKind.EXEMPTION,
            label=_("Miễn, giảm"),
            amount=amount,
            reason=reason,
            at=now or timezone.now(),
            actor=actor,
        )


def nothing_due_error(dossier: Dossier) -> FeeError:
    return FeeError(
        _("Hồ sơ %s không còn khoản phí, lệ phí nào phải nộp.") % dossier.code, code="nothing_due"
    )


def fee_record_payment(
    *,
    dossier: Dossier,
    amount,
    method: str,
    receipt_number: str,
    actor,
    now: dt.datetime | None = None,
) -> FeeEntry:
    """A payment taken at the counter (cash or transfer), with the receipt's number."""
    amount = clean_amount(amount)
    if method not in (PaymentMethod.CASH, PaymentMethod.TRANSFER):
        raise FeeError(_("Chọn hình thức nộp: tiền mặt hoặc chuyển khoản."))
    receipt_number = _text(receipt_number, 40)
    if not receipt_number:
        raise FeeError(_("Nhập số biên lai thu phí, lệ phí."))
    with transaction.atomic():
        dossier = _locked(dossier)
        ledger = _locked_ledger(dossier)
        if ledger.balance == 0:
            raise nothing_due_error(dossier)
        if amount > ledger.balance:
            raise FeeError(
                _("Số tiền nộp (%(amount)s) vượt quá số còn phải nộp (%(balance)s).")
                % {"amount": format_dong(amount), "balance": format_dong(ledger.balance)}
            )
        if FeeEntry.objects.filter(
            kind=FeeEntryKind.PAYMENT,
            receipt_number=receipt_number,
            dossier__receiving_agency_id=dossier.receiving_agency_id,
        ).exists():
            raise FeeError(_("Biên lai số %s đã được ghi nhận cho một khoản nộp khác.") % receipt_number)
        return _write(
            dossier=dossier,
            kind=FeeEntryKind.PAYMENT,
            label=_("Nộp phí, lệ phí"),
            amount=amount,
            method=method,
            receipt_number=receipt_number,
            at=now or timezone.now(),
            actor=actor,
        )


def fee_refund(*, dossier: Dossier, amount, reason: str, actor, now: dt.datetime | None = None) -> FeeEntry:
    """Money given back (e.g. the stop at the applicant's request, NĐ 118/2025/NĐ-CP Điều 21
    khoản 1), at most what was paid and not yet refunded."""
    amount = clean_amount(amount)
    reason = _text(reason, 500)
    if not reason:
        raise FeeError(_("Ghi lý do hoàn trả phí, lệ phí."))
    with transaction.atomic():
        dossier = _locked(dossier)
        ledger = _locked_ledger(dossier)
        if amount > ledger.refundable:
            raise FeeError(
                _("Số tiền hoàn trả (%(amount)s) lớn hơn số đã nộp chưa hoàn (%(paid)s).")
                % {"amount": format_dong(amount), "paid": format_dong(ledger.refundable)}
            )
        return _write(
            dossier=dossier,
            kind=FeeEntryKind.REFUND,
            label=_("Hoàn trả phí, lệ phí"),
            amount=amount,
            reason=reason,
            at=now or timezone.now(),
            actor=actor,
        )
