"""The sandbox payment gateway's own transaction list (motcua.payments.sandbox): what a real
gateway keeps on its side and lists through its API, so that `manage.py reconcile_payments`
has something to compare the ledger with. Used only when PAYMENT_BACKEND is the sandbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxTransaction(models.Model):
    transaction_id = models.CharField(_("mã giao dịch"), max_length=64, unique=True)
    reference = models.CharField(_("mã đơn thanh toán"), max_length=32, db_index=True)
    amount = models.DecimalField(_("số tiền"), max_digits=14, decimal_places=0)
    succeeded = models.BooleanField(_("thành công"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("giao dịch cổng thanh toán thử nghiệm")
        verbose_name_plural = _("giao dịch cổng thanh toán thử nghiệm")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.transaction_id
