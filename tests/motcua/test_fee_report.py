"""The accountant's list and Excel of fees collected per receiving agency and period
(/mot-cua/phi-le-phi/): SQL aggregates, only the agencies the user sees, an access-log row
per export, a bounded number of queries."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.payments import get_backend
from motcua.payments.service import payment_confirm, payment_start
from motcua.services import fees
from thutuc.models import AccessLog

from ..factories import UserFactory
from .factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected():
    counter_paid = DossierFactory()
    officer = counter_paid.received_by
    fees.fee_record_payment(
        dossier=counter_paid, amount=8000, method="cash", receipt_number="BL-1", actor=officer
    )
    fees.fee_refund(dossier=counter_paid, amount=3000, reason="Rút một phần", actor=officer)
    online = DossierFactory(receiving_agency=counter_paid.receiving_agency)
    payment = payment_start(dossier=online)
    payment_confirm(params=get_backend().pay(reference=payment.reference, amount=payment.amount))
    other = DossierFactory()  # another agency's counter
    fees.fee_record_payment(
        dossier=other, amount=8000, method="transfer", receipt_number="BL-X", actor=other.received_by
    )
    return counter_paid, online, other


def test_the_list_sums_per_agency_what_the_user_sees(client, collected, django_assert_max_num_queries):
    counter_paid, online, other = collected
    client.force_login(counter_paid.received_by)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("motcua:fee_report"))
    assert page.status_code == 200
    (row,) = page.context["summary"]
    assert (
        row["collected"],
        row["online"],
        row["counter"],
        row["refunded"],
        row["net"],
        row["payments"],
    ) == (
        Decimal(16000),
        Decimal(8000),
        Decimal(8000),
        Decimal(3000),
        Decimal(13000),
        2,
    )
    html = page.content.decode()
    assert counter_paid.code in html and online.code in html and other.code not in html
    assert (
        client.get(reverse("motcua:fee_report") + f"?co_quan={other.receiving_agency_id}").status_code == 404
    )


def test_the_excel_lists_every_row_of_the_period_with_refunds_negative(client, collected):
    counter_paid, online, _other = collected
    client.force_login(counter_paid.received_by)
    response = client.get(reverse("motcua:fee_report_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[1] in (counter_paid.code, online.code)]
    assert sorted(row[6] for row in rows) == [-3000, 8000, 8000]
    assert {row[4] for row in rows} >= {"Thanh toán trực tuyến", "Tiền mặt tại bộ phận một cửa"}
    assert AccessLog.objects.filter(action="export", row_count=3).count() == 1
    bad = client.get(reverse("motcua:fee_report_xlsx") + "?tu_ngay=2026-13-45")
    assert bad.status_code == 400


def test_roles_without_the_permission_are_refused(client, collected):
    client.force_login(UserFactory(roles=["Chuyên viên xử lý"]))
    assert client.get(reverse("motcua:fee_report")).status_code == 403
    assert client.get(reverse("motcua:fee_report_xlsx")).status_code == 403
