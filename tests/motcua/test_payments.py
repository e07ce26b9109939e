"""Online payment through the sandbox gateway (motcua.payments): the order, the checkout
page, the signed callback (idempotent; forged, replayed, altered or mismatched callbacks
refused in Vietnamese with nothing saved), the citizen's flow from the tracking page, and
`manage.py reconcile_payments`."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from motcua.models import (
    FeeEntry,
    FeeEntryKind,
    OnlinePayment,
    OnlinePaymentStatus,
    PaymentMethod,
    SandboxTransaction,
)
from motcua.payments import get_backend
from motcua.payments.base import PaymentError
from motcua.payments.sandbox import sign
from motcua.payments.service import payment_confirm, payment_start
from motcua.services import fees

from .factories import DossierFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(FeeEntry.objects.filter(kind=FeeEntryKind.PAYMENT).values_list("pk", flat=True)),
        list(OnlinePayment.objects.values_list("status", "gateway_transaction")),
    )


def paid_callback(dossier, **changes):
    payment = payment_start(dossier=dossier)
    params = get_backend().pay(reference=payment.reference, amount=payment.amount)
    params.update(changes)
    return payment, params


def test_a_signed_callback_records_one_online_payment_and_a_repeat_changes_nothing():
    dossier = DossierFactory()
    payment, params = paid_callback(dossier)
    first = payment_confirm(params=params)
    assert first.recorded and first.payment.status == OnlinePaymentStatus.PAID
    again = payment_confirm(params=dict(params))  # the server notice after the browser's return
    assert not again.recorded
    entries = FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT)
    assert [(e.method, e.amount, e.receipt_number) for e in entries] == [
        (PaymentMethod.ONLINE, Decimal(8000), params["transaction"])
    ]
    assert fees.ledger_of(dossier).paid_online == Decimal(8000) and fees.ledger_of(dossier).balance == 0


def _resigned(params, **changes):
    changed = {**params, **changes}
    changed["sig"] = sign(changed, ("reference", "amount", "transaction", "status", "time"))
    return changed


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda p: {**p, "sig": "0" * 64}, "không có chữ ký hợp lệ"),
        (lambda p: {**p, "amount": "1"}, "không có chữ ký hợp lệ"),  # altered, old signature
        (lambda p: {k: v for k, v in p.items() if k != "sig"}, "không có chữ ký hợp lệ"),
        (lambda p: {**p, "sig": ["a", "b"]}, "không có chữ ký hợp lệ"),
        (lambda p: {}, "không có chữ ký hợp lệ"),
        (lambda p: _resigned(p, amount="1000"), "khác số tiền của đơn thanh toán"),
        (lambda p: _resigned(p, amount="-5"), "Số tiền trong phản hồi"),
        (lambda p: _resigned(p, amount="abc"), "Số tiền trong phản hồi"),
        (lambda p: _resigned(p, time="99999999999999999999"), "không có chữ ký hợp lệ"),
        (
            lambda p: _resigned(p, time=str(int((timezone.now() - dt.timedelta(hours=2)).timestamp()))),
            "quá thời hạn",
        ),
        (lambda p: _resigned(p, reference="TTKHONGCO"), "Không có đơn thanh toán"),
    ],
)
def test_forged_altered_replayed_or_wrong_callbacks_are_refused_and_save_nothing(tamper, message):
    dossier = DossierFactory()
    _payment, params = paid_callback(dossier)
    before = snapshot()
    with pytest.raises(PaymentError, match=message):
        payment_confirm(params=tamper(params))
    assert snapshot() == before


def test_a_second_transaction_for_a_paid_order_is_refused():
    dossier = DossierFactory()
    payment, params = paid_callback(dossier)
    payment_confirm(params=params)
    second = get_backend().pay(reference=payment.reference, amount=payment.amount)
    before = snapshot()
    with pytest.raises(PaymentError, match="đã được thanh toán bằng giao dịch khác"):
        payment_confirm(params=second)
    assert snapshot() == before


def test_paying_when_nothing_is_due_is_refused_and_a_second_click_reuses_the_order():
    dossier = DossierFactory()
    first, second = payment_start(dossier=dossier), payment_start(dossier=dossier)
    assert first.pk == second.pk and first.amount == Decimal(8000)
    payment_confirm(params=get_backend().pay(reference=first.reference, amount=first.amount))
    with pytest.raises(fees.FeeError, match="không còn khoản phí, lệ phí nào phải nộp"):
        payment_start(dossier=dossier)
    assert OnlinePayment.objects.filter(dossier=dossier).count() == 1


def test_a_cancelled_payment_records_nothing_and_can_be_paid_again():
    dossier = DossierFactory()
    payment = payment_start(dossier=dossier)
    cancelled = get_backend().pay(reference=payment.reference, amount=payment.amount, succeed=False)
    assert not payment_confirm(params=cancelled).recorded
    payment.refresh_from_db()
    assert payment.status == OnlinePaymentStatus.FAILED and fees.ledger_of(dossier).paid == 0
    retry = payment_start(dossier=dossier)
    assert retry.pk != payment.pk
    assert payment_confirm(params=get_backend().pay(reference=retry.reference, amount=retry.amount)).recorded


def test_reconciliation_records_a_payment_whose_callback_was_lost():
    dossier = DossierFactory()
    lost = payment_start(dossier=dossier)
    get_backend().pay(reference=lost.reference, amount=lost.amount)  # the callback never arrives
    out = io.StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "chưa ghi nhận (chạy lại với --fix)" in out.getvalue() and fees.ledger_of(dossier).paid == 0
    out = io.StringIO()
    call_command("reconcile_payments", "--fix", stdout=out)
    assert (
        "[ĐÃ SỬA]" in out.getvalue() and "1 giao dịch được ghi nhận bổ sung, 0 chênh lệch" in out.getvalue()
    )
    assert fees.ledger_of(dossier).paid_online == Decimal(8000)
    out = io.StringIO()
    call_command("reconcile_payments", "--fix", stdout=out)  # a second run finds nothing more
    assert "0 giao dịch được ghi nhận bổ sung, 0 chênh lệch" in out.getvalue()
    assert FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT).count() == 1


def test_reconciliation_reports_a_double_charge_at_the_gateway():
    dossier = DossierFactory()
    payment, params = paid_callback(dossier)
    payment_confirm(params=params)
    SandboxTransaction.objects.create(
        transaction_id="SBXDOUBLE",
        reference=payment.reference,
        amount=payment.amount,
        succeeded=True,
        at=timezone.now(),
    )
    out = io.StringIO()
    call_command("reconcile_payments", "--fix", stdout=out)
    assert "SBXDOUBLE cho đơn đã thanh toán: cần hoàn trả" in out.getvalue()


# --- the citizen's flow over HTTP ----------------------------------------------------------


def test_the_citizen_pays_from_the_tracking_page_through_the_sandbox(client):
    dossier = DossierFactory()
    client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": dossier.pin})
    start = client.post(reverse("motcua:tracking_pay"), {"ma": dossier.code})
    assert start.status_code == 302 and start["Location"].startswith("/thanh-toan-thu-nghiem/")
    checkout = client.get(start["Location"])
    assert "8.000 đồng" in checkout.content.decode()
    query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    back = client.post(start["Location"], {**query, "ket_qua": "thanh-toan"})
    assert back.status_code == 302 and back["Location"].startswith("http://testserver/thanh-toan/ket-qua/?")
    result = client.get(back["Location"])
    assert result.status_code == 200 and "Đã thanh toán 8.000 đồng" in result.content.decode()
    server_notice = client.get(reverse("payment_notify"), parse_qs(urlsplit(back["Location"]).query))
    assert server_notice.content == b"OK"  # the same callback again: recorded once
    forged = client.get(reverse("payment_notify"), {"reference": "TT1", "sig": "x"})
    assert forged.status_code == 400 and "không có chữ ký hợp lệ" in forged.content.decode()
    tracking = client.get(reverse("motcua:tracking") + f"?ma={dossier.code}").content.decode()
    assert "Đã nộp đủ phí, lệ phí." in tracking
    assert FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT).count() == 1


def test_paying_needs_the_tracking_session_and_the_checkout_a_signed_order(client):
    dossier = DossierFactory()
    refused = client.post(reverse("motcua:tracking_pay"), {"ma": dossier.code})
    assert refused.status_code == 403 and "Phiên tra cứu đã hết hạn" in refused.content.decode()
    assert not OnlinePayment.objects.exists()
    payment = payment_start(dossier=dossier)
    forged = client.get(reverse("payment_sandbox", args=[payment.reference]) + "?amount=1&return=/&sig=x")
    assert forged.status_code == 400 and "Yêu cầu thanh toán không hợp lệ" in forged.content.decode()
    assert not SandboxTransaction.objects.exists()
    bad_callback = client.get(reverse("payment_return") + f"?reference={payment.reference}&amount=8000")
    assert bad_callback.status_code == 400 and "không có chữ ký hợp lệ" in bad_callback.content.decode()


def test_the_sandbox_page_does_not_exist_with_another_gateway(client, settings):
    settings.PAYMENT_BACKEND = "motcua.payments.base.PaymentBackend"
    assert client.get(reverse("payment_sandbox", args=["TT1"])).status_code == 404


def test_the_daily_task_records_lost_callbacks_and_is_declared_in_the_beat_schedule(settings):
    from motcua.celery import beat_schedule
    from motcua.tasks import reconcile_payments

    dossier = DossierFactory()
    lost = payment_start(dossier=dossier)
    get_backend().pay(reference=lost.reference, amount=lost.amount)
    assert reconcile_payments() == 0 and reconcile_payments() == 0  # twice: one row
    assert FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT).count() == 1
    assert beat_schedule(settings)["reconcile-payments"]["task"] == "motcua.tasks.reconcile_payments"
