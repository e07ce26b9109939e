"""Issue 13 §3 for dossiers: the tracking page during a supplement (papers, reason, by when,
the clock stopped), the supplement form's reply date, and the receipt's one-line reason for
its appointment."""

import datetime as dt

import pytest
from django.urls import reverse

from motcua.forms_processing import SUPPLEMENT_REPLY_WORKING_DAYS, SupplementRequestForm
from motcua.models import Status, SupplementRequest
from motcua.services import transitions as t
from motcua.tracking.selectors import appointment_summary
from thutuc import calendar_store
from thutuc.calendar import TZ

from .factories import DossierFactory
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_tracking_lists_the_missing_papers_and_stops_the_clock(client, world):  # noqa: F811
    dossier = world.dossier(processing=True, assignee=world.specialist)
    reply_by = dt.datetime(2030, 3, 8, 16, 30, tzinfo=TZ)
    t.dossier_request_supplement(
        dossier=dossier,
        actor=world.specialist,
        items=["Tờ khai có chữ ký của người yêu cầu", "Bản sao giấy khai sinh"],
        reason="Tờ khai chưa có chữ ký",
        reply_due_at=reply_by,
    )
    dossier.refresh_from_db()
    page = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": dossier.pin}).content.decode()
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
    dossier = world.dossier(processing=True, assignee=world.specialist)
    t.dossier_request_supplement(dossier=dossier, actor=world.specialist, items=["Tờ khai"], reason="Thiếu")
    t.dossier_receive_supplement(dossier=dossier, actor=world.reception)
    page = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": dossier.pin}).content.decode()
    assert "Ông/bà cần bổ sung hồ sơ" not in page and "Vì sao hẹn trả vào ngày này?" in page


def test_supplement_form_proposes_a_reply_date_and_uses_it_when_left_blank(world):  # noqa: F811
    dossier = world.dossier(processing=True, assignee=world.specialist)
    form = SupplementRequestForm(dossier=dossier)
    proposed = form.initial["reply_due_at"]
    work = calendar_store.get_calendar(world.centre)
    assert work.working_hours_between(dt.datetime.now(TZ), proposed) == pytest.approx(
        SUPPLEMENT_REPLY_WORKING_DAYS * 8, abs=0.1
    )
    blank = SupplementRequestForm({"items": "Tờ khai", "reason": "Thiếu chữ ký"}, dossier=dossier)
    assert blank.is_valid(), blank.errors
    request = blank.call(t.dossier_request_supplement, dossier=dossier, actor=world.specialist)
    assert request.reply_due_at is not None and request.reply_due_at > dt.datetime.now(TZ)


def test_supplement_reply_date_must_be_ahead_and_within_a_year(world):  # noqa: F811
    dossier = world.dossier()
    for value, message in (
        ("2020-01-01T09:00", "phải sau thời điểm hiện tại"),
        ("9999-12-31T09:00", "không quá"),
    ):
        form = SupplementRequestForm(
            {"items": "Tờ khai", "reason": "Thiếu", "reply_due_at": value}, dossier=dossier
        )
        assert not form.is_valid() and message in str(form.errors["reply_due_at"])
    assert not SupplementRequest.objects.exists()


def test_receipt_explains_its_appointment_in_one_line(db):
    """Received 14:30 Friday 13/02/2026, 5 working days over Tết 2026 (16–20/02)."""
    dossier = DossierFactory(over_tet=True, status=Status.RECEIVED)
    line = appointment_summary(dossier)
    assert line == (
        "5 ngày làm việc tính từ 14:30 13/02/2026; không tính thứ Bảy, Chủ nhật và "
        "16/02–20/02/2026 (Tết Nguyên Đán)"
    )


def test_printed_receipt_carries_the_line(client, db):
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role

    dossier = DossierFactory(over_tet=True, status=Status.RECEIVED)
    client.force_login(UserFactory(agency=dossier.receiving_agency, roles=[Role.RECEPTION]))
    text = " ".join(pdf_text(client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content).split())
    assert "(5 ngày làm việc tính từ 14:30 13/02/2026; không tính thứ Bảy, Chủ nhật và" in text
    assert "(Tết Nguyên Đán)" in text
    assert dossier.pin not in text  # a reprint never shows the PIN
