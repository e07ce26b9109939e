"""Messages to the applicant: wording, the tracking link, unaccented one-part SMS, and the
pipeline (recorded in the transaction, sent by Celery after commit, retried, sent once)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from core.sms import LocmemSmsBackend
from core.sms_text import SMS_MAX_LENGTH, gsm_length, to_sms_text, unaccent
from motcua.models import Notification, NotificationChannel, Outcome, ResultDelivery, Status
from motcua.notifications.applicant import KINDS, compose, notify_applicant
from tests.timeutil import local
from thutuc.calendar_store import get_calendar

from .factories import ADDRESS, EMAIL, FLAKY_SMS, ID_NUMBER, PHONE, DossierFactory, FlakySms

LONG_BASE_URL = "https://dichvucong.minhson.gov.vn"


def accepted_quietly():
    """A dossier accepted (14:30 13/02/2026, over Tết) from an applicant who left no e-mail or
    phone at the counter, so that its intake sent nothing; the object is then given the
    applicant's address and phone for the messages under test (the row keeps none)."""
    dossier = DossierFactory(over_tet=True, applicant_email="", applicant_phone="")
    dossier.applicant_email, dossier.applicant_phone = EMAIL, PHONE
    return dossier


@pytest.fixture(autouse=True)
def _outboxes(settings):
    settings.PUBLIC_BASE_URL = LONG_BASE_URL
    LocmemSmsBackend.outbox.clear()
    FlakySms.outbox.clear()
    yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hồ sơ đã được tiếp nhận", "Ho so da duoc tiep nhan"),
        ("ĐĂNG KÝ KHAI SINH", "DANG KY KHAI SINH"),
        ("Ủy ban nhân dân phường Trung Sơn", "Uy ban nhan dan phuong Trung Son"),
        ("Mã K7M2QX – hẹn “14:30”…", 'Ma K7M2QX - hen "14:30"...'),
        ("", ""),
    ],
)
def test_unaccent_keeps_case(text, expected):
    assert unaccent(text) == expected


def test_sms_text_is_gsm_and_counts_extension_characters():
    assert to_sms_text("Giá 100€ ✓") == "Gia 100€ ?"
    assert gsm_length("a€[") == 5


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pin", ["K7M2QX", None])
def test_every_sms_fits_one_part_and_is_unaccented(kind, pin):
    dossier = DossierFactory(over_tet=True, status=Status.PROCESSING)
    subject, body, sms = compose(dossier, kind, pin=pin)
    assert gsm_length(sms) <= SMS_MAX_LENGTH
    assert sms == to_sms_text(sms) and sms.isascii()
    assert dossier.code in sms and dossier.code in subject and dossier.code in body
    assert f"{LONG_BASE_URL}/tra-cuu/" in body
    staff = {event.actor.get_full_name() for event in dossier.events.all()}
    for secret in (ID_NUMBER, ADDRESS, *staff):
        assert secret not in body and secret not in sms


@pytest.mark.django_db
def test_accepted_message_carries_the_direct_link_when_the_pin_is_known():
    dossier = DossierFactory(over_tet=True, status=Status.RECEIVED)
    subject, body, sms = compose(dossier, "accepted", pin=dossier.pin)
    link = f"{LONG_BASE_URL}/tra-cuu/?ma={dossier.code}#pin={dossier.pin}"
    assert subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert link in body
    assert "Ngày hẹn trả kết quả: 14:30 27/02/2026." in body
    assert "lúc 14:30 13/02/2026" in body
    assert sms == f"HS {dossier.code} da tiep nhan, hen tra 14:30 27/02/2026. Tra cuu: {link}"
    # without the PIN (later messages) the link only prefills the code
    _subject, body, _sms = compose(dossier, "apology")
    assert f"{LONG_BASE_URL}/tra-cuu/?ma={dossier.code}" in body and "pin=" not in body


@pytest.mark.django_db
def test_result_ready_before_the_appointment_says_early():
    dossier = DossierFactory(over_tet=True, status=Status.RESULT_READY)
    assert dossier.finished_at < dossier.due_at
    subject, body, sms = compose(dossier, "result_ready")
    assert subject.endswith("đã có kết quả sớm hơn ngày hẹn")
    assert "sớm hơn ngày hẹn 14:30 27/02/2026" in body
    assert "som hon hen (27/02/2026)" in sms
    # on the due day, before the appointment's hour: on time, as the report counts it
    dossier.finished_at = dossier.due_at - dt.timedelta(hours=4)
    subject, body, sms = compose(dossier, "result_ready")
    assert "sớm" not in subject and "som" not in sms
    assert "Mời ông/bà mang giấy tiếp nhận hồ sơ đến" in body
    dossier.finished_at = dossier.due_at + dt.timedelta(hours=1)
    assert "sớm" not in compose(dossier, "result_ready")[0]
    # with an apology, judged against the statutory date, not the new one: after it, late
    # even before the new date; before it, early like any other result
    # approved 48 working hours after the hand-off (15:30 13/02), the statutory date passed
    approved = get_calendar().add_working_hours(local(2026, 2, 13, 15, 30), 48)
    apologised = DossierFactory(
        over_tet=True, status=Status.RESULT_READY, apology_days=3, finished_at=approved
    )
    assert apologised.original_due_at < apologised.finished_at < apologised.due_at
    assert "sớm" not in compose(apologised, "result_ready")[0]
    apologised.finished_at = apologised.original_due_at - dt.timedelta(days=3)
    assert compose(apologised, "result_ready")[0].endswith("sớm hơn ngày hẹn")


@pytest.mark.django_db
def test_result_by_post_and_refused_wording():
    dossier = DossierFactory(
        over_tet=True,
        status=Status.RESULT_READY,
        outcome=Outcome.REFUSED,
        result_delivery=ResultDelivery.POST,
        delivery_address="Số 3 phố Hàng Bè",
    )
    _subject, body, sms = compose(dossier, "result_ready")
    assert "bưu chính công ích" in body and "Ket qua gui qua buu dien" in sms
    sent = list(Notification.objects.values_list("pk", flat=True))  # on the way: receipt, refusal
    assert notify_applicant(dossier, "result_ready") == 2
    assert set(Notification.objects.exclude(pk__in=sent).values_list("subject", flat=True)) == {
        f"Hồ sơ {dossier.code} không được giải quyết"
    }


@pytest.mark.django_db
def test_an_electronic_result_is_announced_on_the_national_portal_nd118_art22_3():
    """NĐ 118/2025/NĐ-CP Điều 22 khoản 3 (the electronic result on the national portal) and
    Điều 19 khoản 6 (the apology promises the delivery the applicant chose): nobody is asked
    to come to the counter."""
    dossier = DossierFactory(over_tet=True, status=Status.RESULT_READY)
    dossier.result_delivery = ResultDelivery.ONLINE
    _subject, body, sms = compose(dossier, "result_ready")
    assert "Cổng Dịch vụ công quốc gia" in body and "mang giấy tiếp nhận" not in body
    assert "Cong DVC quoc gia" in sms and "tai bo phan mot cua" not in sms
    _subject, body, _sms = compose(dossier, "apology")
    assert "Kết quả điện tử được trả trên Cổng Dịch vụ công quốc gia" in body and "được trả tại" not in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_recorded_in_the_transaction_and_sent_after_commit(kind):
    dossier = accepted_quietly()
    with transaction.atomic():
        assert notify_applicant(dossier, kind, pin=dossier.pin) == 2
        rows = list(Notification.objects.filter(dossier=dossier, kind=kind))
        assert {row.channel for row in rows} == {NotificationChannel.EMAIL, NotificationChannel.SMS}
        assert all(row.sent_at is None for row in rows)  # nothing leaves before the commit
        assert mail.outbox == [] and LocmemSmsBackend.outbox == []
    rows = list(Notification.objects.filter(dossier=dossier, kind=kind))
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows)
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert [message.to for message in LocmemSmsBackend.outbox] == [PHONE]
    assert LocmemSmsBackend.outbox[0].body.isascii()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing():
    dossier = accepted_quietly()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_applicant(dossier, "apology")
        raise RuntimeError("the transition failed")
    assert not Notification.objects.exists()
    assert mail.outbox == [] and LocmemSmsBackend.outbox == []


@pytest.mark.django_db(transaction=True)
def test_gateway_failure_is_retried_and_delivered_once(settings):
    from celery.exceptions import Retry

    from motcua.tasks import resend_unsent_notifications, send_notification

    settings.SMS_BACKEND = FLAKY_SMS
    FlakySms.failures_left = 2
    dossier = accepted_quietly()
    with transaction.atomic():
        notify_applicant(dossier, "supplement_requested")
    # The after-commit send failed: recorded with its error, not lost, e-mail unaffected.
    sms = Notification.objects.get(dossier=dossier, channel=NotificationChannel.SMS)
    assert sms.sent_at is None and sms.attempts == 1 and "gateway timeout" in sms.last_error
    assert Notification.objects.get(dossier=dossier, channel=NotificationChannel.EMAIL).sent_at
    # The task asks Celery for a retry with back-off while the gateway still fails...
    with pytest.raises(Retry):
        send_notification.apply(args=[sms.pk], throw=True)
    # ...and the periodic safety net re-sends what is still unsent after 10 minutes.
    Notification.objects.filter(pk=sms.pk).update(created_at=sms.created_at - dt.timedelta(minutes=11))
    assert resend_unsent_notifications.apply().get() == 1
    sms.refresh_from_db()
    assert sms.sent_at is not None and sms.attempts == 3 and sms.last_error == ""
    assert len(FlakySms.outbox) == 1
    # a late duplicate retry sends nothing more
    assert send_notification.apply(args=[sms.pk]).get() is True
    assert resend_unsent_notifications.apply().get() == 0
    assert len(FlakySms.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_same_moment_twice_is_sent_once_and_a_new_date_is_a_new_message():
    dossier = accepted_quietly()
    assert notify_applicant(dossier, "apology") == 2
    assert notify_applicant(dossier, "apology") == 0  # a rerun, a double click
    assert len(LocmemSmsBackend.outbox) == 1
    dossier.due_at += dt.timedelta(days=2)
    assert notify_applicant(dossier, "apology") == 2
    assert len(LocmemSmsBackend.outbox) == 2


@pytest.mark.django_db
def test_no_address_no_message_and_unknown_kind_refused():
    dossier = accepted_quietly()
    dossier.applicant_email = ""
    assert notify_applicant(dossier, "accepted") == 1
    assert Notification.objects.get().channel == NotificationChannel.SMS
    with pytest.raises(ValueError):
        compose(dossier, "birthday")
