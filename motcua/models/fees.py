"""The fee ledger of a dossier (phí, lệ phí): what is due, exempted, paid and refunded.

One append-only row per fact (`FeeEntry`): the lines due are written at intake from the fee
lines of the case version the dossier was received under (a catalogue fee line with an
amount in đồng), or when staff ask for a financial obligation; an exemption names its
reason; a payment says when, how (cash or transfer at the counter, online through the
payment gateway) and its receipt number; a refund (the stop at the applicant's request, NĐ
118/2025/NĐ-CP Điều 21 khoản 1) its reason. Nothing is edited: a mistake is corrected by a
further row. The balance is a sum over the rows (motcua.services.fees.ledger_of).

An `OnlinePayment` is one attempt to pay through the gateway (motcua.payments): pending
until the gateway's signed callback (or the reconciliation) confirms it; the confirmed
payment writes exactly one ledger row (`FeeEntry.online_payment` is unique)."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.append_only import AppendOnlyModel

from .dossier import Dossier


class FeeEntryKind(models.TextChoices):
    DUE = "due", _("Phải nộp")
    EXEMPTION = "exemption", _("Miễn, giảm")
    PAYMENT = "payment", _("Đã nộp")
    REFUND = "refund", _("Hoàn trả")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt tại bộ phận một cửa")
    TRANSFER = "transfer", _("Chuyển khoản")
    ONLINE = "online", _("Thanh toán trực tuyến")


class OnlinePaymentStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ cổng thanh toán xác nhận")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")


def _new_reference() -> str:
    return "TT" + secrets.token_hex(10).upper()


class OnlinePayment(models.Model):
    """One payment order sent to the gateway, identified by `reference` (the order id the
    gateway sends back). `gateway_transaction` is unique: one gateway transaction confirms
    one order, never two."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="online_payments"
    )
    reference = models.CharField(_("mã đơn thanh toán"), max_length=32, unique=True, default=_new_reference)
    amount = models.DecimalField(
        _("số tiền (đồng)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(1)]
    )
    backend = models.CharField(_("cổng thanh toán"), max_length=40)
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=OnlinePaymentStatus.choices,
        default=OnlinePaymentStatus.PENDING,
    )
    gateway_transaction = models.CharField(
        _("mã giao dịch của cổng"), max_length=64, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thanh toán trực tuyến")
        verbose_name_plural = _("thanh toán trực tuyến")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="online_payment_status_at")]

    def __str__(self):
        return self.reference


class FeeEntry(AppendOnlyModel):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="fee_entries"
    )
    kind = models.CharField(_("loại bút toán"), max_length=10, choices=FeeEntryKind.choices)
    # The fee line it concerns: phí or lệ phí, and how the receipt prints it ("Lệ phí 8.000
    # đồng (thu khi nộp hồ sơ)"); the position of the line in the case version's fees, when it
    # came from the catalogue.
    fee_kind = models.CharField(_("phí hay lệ phí"), max_length=8, blank=True)
    label = models.CharField(_("nội dung"), max_length=500)
    catalogue_line = models.PositiveSmallIntegerField(_("dòng phí trong danh mục"), null=True, blank=True)
    amount = models.DecimalField(
        _("số tiền (đồng)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    method = models.CharField(_("hình thức nộp"), max_length=10, choices=PaymentMethod.choices, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    online_payment = models.OneToOneField(
        OnlinePayment,
        verbose_name=_("thanh toán trực tuyến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entry",
    )
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("bút toán phí, lệ phí")
        verbose_name_plural = _("sổ phí, lệ phí")
        ordering = ["dossier", "at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="fee_entry_kind_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:,.0f} – {self.label}"
