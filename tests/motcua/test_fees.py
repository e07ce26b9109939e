"""The fee ledger (motcua.services.fees): lines due at intake from the case version's fee
lines, exemptions with their reason, counter payments, refunds; append-only; the staff
dossier page and the citizen tracking page show it; the transitions write it."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from core.models.append_only import AppendOnlyError
from motcua.models import EventAction, FeeEntry, FeeEntryKind, PaymentMethod, Status
from motcua.services import fees
from motcua.services import transitions as t
from thutuc.models import ProcedureFee
from thutuc.models.catalogue import FeeCollection, FeeKind

from ..factories import UserFactory
from .factories import CaseFactory, DossierFactory

pytestmark = pytest.mark.django_db


def kinds(dossier):
    return [(e.kind, e.amount) for e in fees.ledger_of(dossier).entries]


def test_intake_writes_one_line_due_per_fee_line_with_an_amount_in_dong():
    case = CaseFactory(fees=[])
    ProcedureFee.objects.create(
        case=case, kind=FeeKind.FEE, amount=Decimal("50000"), collected=FeeCollection.BEFORE
    )
    ProcedureFee.objects.create(
        case=case, kind=FeeKind.CHARGE, amount=Decimal("8000"), collected=FeeCollection.AFTER
    )
    # no amount the portal can compute: per page, a description only, in USD, free
    ProcedureFee.objects.create(case=case, kind=FeeKind.FEE, amount=Decimal("2000"), per_unit="trang")
    ProcedureFee.objects.create(case=case, kind=FeeKind.FEE, description="Theo diện tích")
    ProcedureFee.objects.create(case=case, kind=FeeKind.FEE, amount=Decimal("10"), currency="USD")
    ProcedureFee.objects.create(case=case, kind=FeeKind.CHARGE, amount=Decimal("0"))
    dossier = DossierFactory(case=case)
    entries = fees.ledger_of(dossier).entries
    assert [(e.kind, e.fee_kind, e.amount, e.catalogue_line) for e in entries] == [
        (FeeEntryKind.DUE, FeeKind.FEE, Decimal("50000"), 0),
        (FeeEntryKind.DUE, FeeKind.CHARGE, Decimal("8000"), 1),
    ]
    assert entries[0].label == "Phí 50.000 đồng (thu khi nộp hồ sơ)"
    assert "thu khi trả kết quả" in entries[1].label
    assert fees.ledger_of(dossier).balance == Decimal("58000")


def test_payment_exemption_refund_and_the_balance():
    dossier = DossierFactory()  # the factory's case: lệ phí 8.000 đồng
    officer = dossier.received_by
    fees.fee_exempt(dossier=dossier, amount="3.000", reason="Người có công với cách mạng", actor=officer)
    ledger = fees.ledger_of(dossier)
    assert (ledger.due, ledger.exempted, ledger.balance) == (Decimal(8000), Decimal(3000), Decimal(5000))
    entry = fees.fee_record_payment(
        dossier=dossier,
        amount=Decimal(5000),
        method=PaymentMethod.CASH,
        receipt_number=" BL 0001 ",
        actor=officer,
    )
    assert (entry.receipt_number, entry.actor, entry.method) == ("BL 0001", officer, PaymentMethod.CASH)
    assert fees.ledger_of(dossier).balance == 0
    fees.fee_refund(dossier=dossier, amount=Decimal(5000), reason="Rút hồ sơ", actor=officer)
    ledger = fees.ledger_of(dossier)
    assert (ledger.paid, ledger.refunded, ledger.refundable, ledger.balance) == (
        Decimal(5000),
        Decimal(5000),
        Decimal(0),
        Decimal(5000),
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount=9000, method="cash", receipt_number="B1", actor=u
            ),
            "vượt quá số còn phải nộp",
        ),
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount=8000, method="cash", receipt_number=" ", actor=u
            ),
            "số biên lai",
        ),
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount=8000, method="online", receipt_number="B", actor=u
            ),
            "tiền mặt hoặc chuyển khoản",
        ),
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount="8,5", method="cash", receipt_number="B", actor=u
            ),
            "Số tiền không hợp lệ",
        ),
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount="-1", method="cash", receipt_number="B", actor=u
            ),
            "lớn hơn 0",
        ),
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount="NaN", method="cash", receipt_number="B", actor=u
            ),
            "Số tiền không hợp lệ",
        ),
        (
            lambda d, u: fees.fee_record_payment(
                dossier=d, amount="1e30", method="cash", receipt_number="B", actor=u
            ),
            "quá lớn",
        ),
        (lambda d, u: fees.fee_exempt(dossier=d, amount=1000, reason="  ", actor=u), "lý do miễn, giảm"),
        (
            lambda d, u: fees.fee_exempt(dossier=d, amount=9000, reason="Hộ nghèo", actor=u),
            "lớn hơn số còn phải nộp",
        ),
        (
            lambda d, u: fees.fee_refund(dossier=d, amount=1, reason="Rút", actor=u),
            "lớn hơn số đã nộp chưa hoàn",
        ),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(call, message):
    dossier = DossierFactory()
    before = kinds(dossier)
    with pytest.raises(fees.FeeError, match=message):
        call(dossier, dossier.received_by)
    assert kinds(dossier) == before


def test_paying_twice_is_refused_and_a_receipt_number_is_used_once():
    dossier, other = DossierFactory(), DossierFactory()
    officer = dossier.received_by
    fees.fee_record_payment(dossier=dossier, amount=8000, method="cash", receipt_number="BL-7", actor=officer)
    with pytest.raises(fees.FeeError, match="không còn khoản phí, lệ phí nào phải nộp"):
        fees.fee_record_payment(
            dossier=dossier, amount=8000, method="cash", receipt_number="BL-8", actor=officer
        )
    if other.receiving_agency_id == dossier.receiving_agency_id:
        with pytest.raises(fees.FeeError, match="BL-7 đã được ghi nhận"):
            fees.fee_record_payment(
                dossier=other, amount=8000, method="cash", receipt_number="BL-7", actor=officer
            )
    assert FeeEntry.objects.filter(kind=FeeEntryKind.PAYMENT).count() == 1


def test_the_ledger_is_append_only():
    dossier = DossierFactory()
    entry = fees.ledger_of(dossier).entries[0]
    entry.amount = Decimal(1)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        FeeEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        FeeEntry.objects.filter(pk=entry.pk).delete()


def test_the_payment_transitions_write_the_ledger_not_only_the_note(world):
    from .test_transitions import processing

    dossier = processing(world)
    due_before = fees.ledger_of(dossier).due
    dossier = t.dossier_request_payment(dossier=dossier, actor=world.specialist, amount=Decimal("50000"))
    ledger = fees.ledger_of(dossier)
    assert ledger.due == due_before + 50000
    dossier = t.dossier_receive_payment(dossier=dossier, actor=world.reception, receipt_number="BL-0012")
    ledger = fees.ledger_of(dossier)
    assert ledger.balance == 0
    payment = [e for e in ledger.entries if e.kind == FeeEntryKind.PAYMENT][0]
    assert (payment.receipt_number, payment.amount) == ("BL-0012", due_before + 50000)


def test_a_withdrawal_refunds_through_the_ledger_at_most_what_was_paid():
    dossier = DossierFactory(status=Status.PROCESSING)
    leader = UserFactory(agency=dossier.receiving_agency, roles=["Lãnh đạo đơn vị"])
    with pytest.raises(t.TransitionError, match="lớn hơn số đã nộp chưa hoàn"):
        t.dossier_withdraw(dossier=dossier, actor=leader, reason="Đơn đề nghị", fees_to_refund=Decimal(8000))
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and fees.ledger_of(dossier).refunded == 0
    fees.fee_record_payment(dossier=dossier, amount=8000, method="cash", receipt_number="BL-1", actor=leader)
    dossier = t.dossier_withdraw(
        dossier=dossier,
        actor=leader,
        reason="Đơn đề nghị",
        fees_to_refund=Decimal(8000),
        refund_note="Tiền mặt",
    )
    refund = [e for e in fees.ledger_of(dossier).entries if e.kind == FeeEntryKind.REFUND]
    assert [(r.amount, r.reason) for r in refund] == [
        (Decimal(8000), "Dừng giải quyết theo yêu cầu của người nộp. Tiền mặt")
    ]
    assert dossier.events.filter(action=EventAction.WITHDRAW).count() == 1


# --- pages ---------------------------------------------------------------------------------


def test_the_counter_records_a_cash_payment_on_the_dossier_page(client):
    dossier = DossierFactory()
    client.force_login(dossier.received_by)
    page = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert "Lệ phí 8.000 đồng (thu khi nộp hồ sơ)" in page and "Còn phải nộp: 8.000 đồng" in page
    url = reverse("motcua:dossier_fee", args=[dossier.code, "nop"])
    bad = client.post(
        url, {"fee-nop-amount": "9000", "fee-nop-method": "cash", "fee-nop-receipt_number": "B-1"}
    )
    assert bad.status_code == 409 and "vượt quá số còn phải nộp" in bad.content.decode()
    done = client.post(
        url, {"fee-nop-amount": "8000", "fee-nop-method": "cash", "fee-nop-receipt_number": "B-1"}
    )
    assert done.status_code == 302
    page = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert "Còn phải nộp: 0 đồng" in page and "B-1" in page


def test_another_agencys_officer_cannot_record_a_payment(client):
    dossier = DossierFactory()
    stranger = UserFactory(roles=["Cán bộ một cửa"])
    client.force_login(stranger)
    response = client.post(
        reverse("motcua:dossier_fee", args=[dossier.code, "nop"]),
        {"fee-nop-amount": "8000", "fee-nop-method": "cash", "fee-nop-receipt_number": "B-1"},
    )
    assert response.status_code == 404
    assert fees.ledger_of(dossier).paid == 0


def test_the_tracking_page_shows_the_fees_without_staff_names(client):
    dossier = DossierFactory()
    fees.fee_record_payment(
        dossier=dossier, amount=3000, method="cash", receipt_number="BL-9", actor=dossier.received_by
    )
    page = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": dossier.pin}).content.decode()
    assert "Phí, lệ phí" in page and "Còn phải nộp: 5.000 đồng" in page and "BL-9" in page
    assert "Thanh toán trực tuyến" in page
    assert dossier.received_by.get_full_name() not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_raw_sql_cannot_rewrite_the_ledger_on_postgresql():
    dossier = DossierFactory()
    for statement in ("UPDATE motcua_feeentry SET amount = 1", "DELETE FROM motcua_feeentry"):
        with (
            pytest.raises(DatabaseError, match="append-only history cannot be edited or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert fees.ledger_of(dossier).due == Decimal(8000)
