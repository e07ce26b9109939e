"""Simultaneous callbacks and clicks on one dossier's fees (PostgreSQL only: SQLite has no
row locks): one ledger row each time, the others change nothing or are refused."""

import pytest
from django.db import connection

from motcua.models import FeeEntry, FeeEntryKind, OnlinePayment, OnlinePaymentStatus
from motcua.payments import get_backend
from motcua.payments.base import PaymentError
from motcua.payments.service import payment_confirm, payment_start
from motcua.services import fees
from tests.concurrency import at_once, raised

from .factories import DossierFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_the_same_callback_twice_at_once_records_one_payment():
    dossier = DossierFactory()
    payment = payment_start(dossier=dossier)
    params = get_backend().pay(reference=payment.reference, amount=payment.amount)
    results = at_once([lambda: payment_confirm(params=dict(params)) for _ in range(4)])
    assert not raised(results), results
    assert sorted(r.recorded for r in results) == [False, False, False, True]
    assert FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT).count() == 1
    payment.refresh_from_db()
    assert payment.status == OnlinePaymentStatus.PAID and payment.gateway_transaction == params["transaction"]


def test_two_transactions_of_one_order_at_once_record_one():
    dossier = DossierFactory()
    payment = payment_start(dossier=dossier)
    first = get_backend().pay(reference=payment.reference, amount=payment.amount)
    second = get_backend().pay(reference=payment.reference, amount=payment.amount)
    results = at_once([lambda: payment_confirm(params=first), lambda: payment_confirm(params=second)])
    errors = raised(results)
    assert len(errors) == 1 and isinstance(errors[0], PaymentError), results
    assert "giao dịch khác" in str(errors[0])
    assert FeeEntry.objects.filter(dossier=dossier, kind=FeeEntryKind.PAYMENT).count() == 1


def test_two_counter_clicks_at_once_record_one_payment():
    dossier = DossierFactory()
    officer = dossier.received_by
    results = at_once(
        [
            lambda n=n: fees.fee_record_payment(
                dossier=dossier, amount=8000, method="cash", receipt_number=f"BL-{n}", actor=officer
            )
            for n in range(3)
        ]
    )
    errors = raised(results)
    assert len(errors) == 2 and all("không còn khoản phí" in str(e) for e in errors), results
    assert fees.ledger_of(dossier).paid == 8000


def test_two_orders_started_at_once_are_one():
    dossier = DossierFactory()
    results = at_once([lambda: payment_start(dossier=dossier) for _ in range(3)])
    assert not raised(results), results
    assert OnlinePayment.objects.filter(dossier=dossier).count() == 1
