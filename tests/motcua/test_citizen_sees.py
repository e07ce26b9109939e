"""Issue 13 §3 for dossiers: the tracking page during a supplement (papers, reason, by when,
the clock stopped), the supplement form's reply date, and the receipt's one-line reason for
its appointment."""

import datetime as dt

import pytest
from django.urls import reverse

from motcua.forms_processing import SupplementRequestForm
from motcua.models import Status, SupplementRequest
from motcua.services import transitions as t
from motcua.tracking.selectors import appointment_summary
from tests.motcua.factories_processing import papers
from thutuc.calendar import TZ

from .factories_citizen import PIN, make_dossier
from .fixtures_processing import world  # noqa: F401  (fixture)
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_tracking_lists_the_missing_papers_and_stops_the_clock(client, world):  # noqa: F811
    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    reply_by = dt.datetime(2030, 3, 8, 16, 30, tzinfo=TZ)
    t.dossier_request_supplement(
        dossier=dossier,
        actor=world.specialist,
        items=papers("Tờ khai có chữ ký của người yêu cầu", "Bản sao giấy khai sinh"),
        reason="Tờ khai chưa có chữ ký",
        reply_due_at=reply_by,
    )
    dossier.refresh_from_db()
    page = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": "ABC234"}).content.decode()
    assert "Ông/bà cần bổ sung hồ sơ" in page
    assert "Tờ khai có chữ ký của người yêu cầu" in page and "Bản sao giấy khai sinh" in page
    assert "Tờ khai chưa có chữ ký" in page
    assert "Mang đến trước 16:30 ngày 08/03/2030" in page
    assert world.centre.name in page
    assert "Tạm dừng: chờ ông/bà bổ sung hồ sơ" in page
    # the old appointment is not shown as if it still held
    old_due = dossier.due_at.astimezone(TZ).strftime("%H:%M %d/%m/%Y")
    assert old_due not in page.replace("</strong>", "").replace("<strong>", "")
    assert "Vì sao hẹn trả vào ngày này?" not in page


def test_after_the_supplement_the_new_appointment_is_back(client, world):  # noqa: F811
    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    t.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
    )
    t.dossier_receive_supplement(dossier=dossier, actor=world.reception)
    page = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": "ABC234"}).content.decode()
    assert "Ông/bà cần bổ sung hồ sơ" not in page and "Vì sao hẹn trả vào ngày này?" in page


def test_supplement_form_left_blank_gives_the_citizen_15_days(world):  # noqa: F811
    """NĐ 118/2025 Điều 19 khoản 5: 15 days after the notice, then the dossier is closed."""
    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    paper = dossier.case.documents.first()
    data = {"reason": "Thiếu chữ ký", "extra_1": "Tờ khai", "extra_1_originals": "1"}
    blank = SupplementRequestForm(data, dossier=dossier)
    assert blank.is_valid(), blank.errors
    assert paper is None or f"item_{paper.pk}" in blank.fields
    request = blank.call(t.dossier_request_supplement, dossier=dossier, actor=world.specialist)
    assert request.reply_due_at - request.requested_at == dt.timedelta(days=15)
    assert request.items == [{"name": "Tờ khai", "originals": 1, "certified_copies": 0, "photocopies": 0}]


def test_supplement_reply_date_at_least_15_days_and_within_a_year(world):  # noqa: F811
    dossier = world.dossier()
    soon = (dt.datetime.now(TZ) + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    for value, message in (
        ("2020-01-01T09:00", "không sớm hơn 15 ngày"),
        (soon, "không sớm hơn 15 ngày"),
        ("9999-12-31T09:00", "không quá"),
    ):
        form = SupplementRequestForm(
            {"extra_1": "Tờ khai", "extra_1_originals": "1", "reason": "Thiếu", "reply_due_at": value},
            dossier=dossier,
        )
        assert not form.is_valid() and message in str(form.errors["reply_due_at"])
    assert not SupplementRequest.objects.exists()


def test_receipt_explains_its_appointment_in_one_line(db):
    """Received 14:30 Friday 13/02/2026, 5 working days over Tết 2026 (16–20/02)."""
    dossier = make_dossier(status=Status.RECEIVED)
    line = appointment_summary(dossier)
    assert line == (
        "5 ngày làm việc tính từ 14:30 13/02/2026; không tính thứ Bảy, Chủ nhật và "
        "16/02–20/02/2026 (Tết Nguyên Đán)"
    )


def test_printed_receipt_carries_the_line(client, db):
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role

    dossier = make_dossier(status=Status.RECEIVED)
    client.force_login(UserFactory(agency=dossier.receiving_agency, roles=[Role.RECEPTION]))
    text = " ".join(pdf_text(client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content).split())
    assert "(5 ngày làm việc tính từ 14:30 13/02/2026; không tính thứ Bảy, Chủ nhật và" in text
    assert "(Tết Nguyên Đán)" in text
    assert PIN not in text  # a reprint never shows the PIN
