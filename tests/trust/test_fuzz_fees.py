"""Hostile values sent to the fee ledger's forms, the electronic result's upload, the pay
button, the payment gateway's callback and the sandbox's checkout page: never a server
error, a Vietnamese error next to the field, and nothing saved half-way (issue 19)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from motcua.models import (
    ElectronicResult,
    FeeEntry,
    OnlinePayment,
    ResultDelivery,
    SandboxTransaction,
    Status,
)
from motcua.payments import get_backend
from motcua.payments.service import payment_start
from motcua.services import fees
from tests.motcua.factories import DossierFactory

from .fuzz import check_change, row_counts
from .fuzz_strategies import examples, hostile_value, mutation

LEDGER = [FeeEntry, OnlinePayment, SandboxTransaction]

FEE_FORMS = {
    "nop": (
        {"amount": "8000", "method": "cash", "receipt_number": "BL-0001"},
        {"amount": "number", "method": "choice", "receipt_number": "text"},
    ),
    "mien-giam": ({"amount": "1000", "reason": "Hộ nghèo"}, {"amount": "number", "reason": "text"}),
    "hoan-tra": ({"amount": "1000", "reason": "Rút hồ sơ"}, {"amount": "number", "reason": "text"}),
}


@pytest.mark.parametrize("what", sorted(FEE_FORMS))
def test_fee_forms_survive_hostile_values(db, client, what):
    valid, kinds = FEE_FORMS[what]

    @examples(20)
    @given(change=mutation(kinds))
    def run(change):
        dossier = DossierFactory()
        officer = dossier.received_by
        if what == "hoan-tra":
            fees.fee_record_payment(
                dossier=dossier, amount=8000, method="cash", receipt_number="BL-X", actor=officer
            )
        client.force_login(officer)

        def one_more_row(response, before, after):
            assert after["motcua.FeeEntry"] == before["motcua.FeeEntry"] + 1

        check_change(
            client,
            reverse("motcua:dossier_fee", args=[dossier.code, what]),
            valid,
            change,
            kinds=kinds,
            prefix=f"fee-{what}",
            models=LEDGER,
            form_key="bound_form",
            on_success=one_more_row,
        )

    run()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_result_upload_survives_hostile_values(db, client, settings):
    kinds = {"number": "text", "issued_on": "date"}

    @examples(20)
    @given(change=mutation(kinds), content=st.sampled_from([PDF, b"", b"MZ\x90", PDF[:20]]))
    def run(change, content):
        dossier = DossierFactory(status=Status.RESULT_READY, result_delivery=ResultDelivery.ONLINE)
        client.force_login(dossier.received_by)
        base = {"number": "125/QĐ-UBND", "issued_on": "2026-01-05"}
        data = {f"ket-qua-{k}": v for k, v in {**base, **change}.items() if v is not None}
        data["ket-qua-file"] = SimpleUploadedFile("kq.pdf", content, content_type="application/pdf")
        before = row_counts([ElectronicResult])
        response = client.post(reverse("motcua:result_upload", args=[dossier.code]), data)
        assert response.status_code in (302, 400, 409)
        saved = ElectronicResult.objects.filter(dossier=dossier).first()
        if response.status_code == 302:
            assert saved is not None and saved.file.read() == PDF
        else:
            assert row_counts([ElectronicResult]) == before
            html = response.content.decode()
            for errors in response.context["bound_form"].errors.values():
                assert all(e in html or "&" in e for e in errors)

    run()


@examples(30)
@given(ma=hostile_value("text"))
def test_pay_button_survives_hostile_values(db, client, ma):
    before = row_counts(LEDGER)
    response = client.post(reverse("motcua:tracking_pay"), {"ma": ma})
    assert response.status_code == 403 and "Phiên tra cứu đã hết hạn" in response.content.decode()
    assert row_counts(LEDGER) == before


CALLBACK = {
    "reference": "text",
    "amount": "number",
    "transaction": "text",
    "status": "text",
    "time": "number",
}


def test_gateway_callback_survives_hostile_values(db, client):
    dossier = DossierFactory()
    payment = payment_start(dossier=dossier)
    genuine = get_backend().pay(reference=payment.reference, amount=payment.amount)

    @examples(40)
    @given(
        change=mutation({**CALLBACK, "sig": "text"}),
        name=st.sampled_from(["payment_return", "payment_notify"]),
    )
    def run(change, name):
        data = {k: v for k, v in {**genuine, **change}.items() if v is not None}
        before = (
            row_counts(LEDGER),
            list(OnlinePayment.objects.values_list("status", "gateway_transaction")),
        )
        response = client.get(reverse(name), data)
        assert response.status_code == 400
        assert "không" in response.content.decode()  # a Vietnamese refusal
        after = (row_counts(LEDGER), list(OnlinePayment.objects.values_list("status", "gateway_transaction")))
        assert after == before

    run()


def test_sandbox_checkout_survives_hostile_values(db, client):
    dossier = DossierFactory()
    payment = payment_start(dossier=dossier)
    url = get_backend().checkout_url(
        reference=payment.reference, amount=payment.amount, return_url="/thanh-toan/ket-qua/"
    )
    path, query = url.split("?", 1)
    from urllib.parse import parse_qsl

    genuine = dict(parse_qsl(query))
    kinds = {"amount": "number", "return": "text", "sig": "text", "ket_qua": "choice"}

    @examples(30)
    @given(change=mutation(kinds), method=st.sampled_from(["get", "post"]))
    def run(change, method):
        data = {k: v for k, v in {**genuine, **change}.items() if v is not None}
        before = row_counts(LEDGER)
        response = getattr(client, method)(path, data)
        assert response.status_code in (200, 302, 400)
        if response.status_code == 400:
            assert "Yêu cầu thanh toán không hợp lệ" in response.content.decode()
            assert row_counts(LEDGER) == before

    run()
