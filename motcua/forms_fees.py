"""Staff forms of the fee ledger (a payment at the counter, an exemption, a refund) and of
the electronic result's upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import dates

from .models import PaymentMethod


def _amount_field():
    return forms.DecimalField(
        label=_("Số tiền (đồng)"), min_value=1, max_digits=12, decimal_places=0, localize=False
    )


class FeePaymentForm(forms.Form):
    amount = _amount_field()
    method = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[
            (PaymentMethod.CASH, PaymentMethod.CASH.label),
            (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label),
        ],
    )
    receipt_number = forms.CharField(label=_("Số biên lai"), max_length=40)

    def call(self, service, **common):
        data = self.cleaned_data
        return service(
            amount=data["amount"], method=data["method"], receipt_number=data["receipt_number"], **common
        )


class FeeExemptionForm(forms.Form):
    amount = _amount_field()
    reason = forms.CharField(label=_("Lý do miễn, giảm (đối tượng, căn cứ)"), max_length=500)

    def call(self, service, **common):
        return service(amount=self.cleaned_data["amount"], reason=self.cleaned_data["reason"], **common)


class FeeRefundForm(FeeExemptionForm):
    reason = forms.CharField(label=_("Lý do hoàn trả"), max_length=500)


class ElectronicResultForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu kết quả"), max_length=60)
    issued_on = dates.PastDateField(label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Tệp kết quả (PDF)"))


# --- the citizen's and the gateway's requests (motcua.views.payments) ----------------------


class PayForm(forms.Form):
    """The tracking page's "pay online" button: the dossier's code."""

    ma = forms.CharField(max_length=40)


class GatewayCallbackForm(forms.Form):
    """The gateway's callback parameters, bounded (no NUL, no megabyte values) before the
    backend checks their signature."""

    reference = forms.CharField(max_length=32)
    amount = forms.CharField(max_length=16)
    transaction = forms.CharField(max_length=64)
    status = forms.CharField(max_length=8)
    time = forms.CharField(max_length=20)
    sig = forms.CharField(max_length=128)


class SandboxCheckoutForm(forms.Form):
    """The sandbox gateway's checkout request (signed by the portal) and the citizen's choice."""

    amount = forms.CharField(max_length=16)
    # the portal's own return address (checked against the host by the view)
    return_url = forms.CharField(max_length=500)
    sig = forms.CharField(max_length=128)
    ket_qua = forms.ChoiceField(choices=[("thanh-toan", "thanh-toan"), ("huy", "huy")], required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {**data.dict(), "return_url": data.get("return", "")}
        super().__init__(data, **kwargs)
