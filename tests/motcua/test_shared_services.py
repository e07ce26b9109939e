"""PINs, PDF rendering and the notification pipeline shared by every feature."""

import pytest

from core import pins
from core.sms import LocmemSmsBackend
from motcua.models import Notification, NotificationChannel
from motcua.notifications import service
from motcua.tracking import links
from tests.motcua.factories import FLAKY_SMS, FlakySms


def test_pin_alphabet_and_hash_round_trip(settings):
    pin = pins.new_pin()
    assert len(pin) == pins.PIN_LENGTH and set(pin) <= set(pins.PIN_ALPHABET)
    digest = pins.hash_pin("000.00.06.H99-261123-0001", pin)
    assert pin not in digest
    assert pins.check_pin("000.00.06.H99-261123-0001", f" {pin.lower()} ", digest)
    assert not pins.check_pin("000.00.06.H99-261123-0002", pin, digest)  # bound to its code
    assert not pins.check_pin("000.00.06.H99-261123-0001", "AAAAAA" if pin != "AAAAAA" else "BBBBBB", digest)
    assert not pins.check_pin("000.00.06.H99-261123-0001", pin, "")


def test_tracking_url_is_absolute(settings):
    settings.PUBLIC_BASE_URL = "https://motcua.minhson.gov.vn/"
    # the PIN rides in the fragment: a browser never sends it to the server (issue 14 §3)
    assert links.tracking_url("A-1", "xy23") == "https://motcua.minhson.gov.vn/tra-cuu/?ma=A-1#pin=XY23"
    assert links.tracking_url("A-1") == "https://motcua.minhson.gov.vn/tra-cuu/?ma=A-1"


def test_a_sealed_pin_opens_only_for_its_code_key_and_age(settings):
    sealed = pins.seal("A-1", "K7M2QX")
    assert "K7M2QX" not in sealed and pins.unseal("A-1", sealed) == "K7M2QX"
    assert pins.unseal("A-2", sealed) == ""  # bound to the code
    assert pins.unseal("A-1", sealed[:-4] + "AAAA") == ""  # authenticated
    assert pins.unseal("A-1", "") == "" and pins.unseal("A-1", "garbage") == ""
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert pins.unseal("A-1", sealed) == ""  # keyed by SECRET_KEY


def test_a_message_is_stored_without_the_pin_and_completed_when_sent(settings):
    settings.PUBLIC_BASE_URL = "https://motcua.minhson.gov.vn"
    text = f"HS A-1 da tiep nhan. Tra cuu: {links.tracking_url('A-1', 'K7M2QX')}"
    stored = links.without_pin(text, "A-1", "K7M2QX")
    assert "K7M2QX" not in stored and stored.endswith("/tra-cuu/?ma=A-1")
    assert links.with_pin(stored, "A-1", "K7M2QX") == text
    assert links.with_pin(stored, "A-1", "") == stored


def test_render_pdf_with_vietnamese_text_and_qr(tmp_path):
    from django.template import engines

    from core.pdf import qr_svg, render_pdf

    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block body %}{% include "pdf/_header.html" %}'
        "<h1>Giấy tiếp nhận hồ sơ</h1>{{ qr|safe }}{% endblock %}"
    )
    assert "<svg" in qr_svg("https://example.test/tra-cuu/")
    html = template.render({"agency_name": "Ủy ban nhân dân phường Trung Sơn", "qr": qr_svg("x")})
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert render_pdf  # the shared helper is importable


@pytest.mark.django_db(transaction=True)
def test_notification_sent_once_and_deduplicated():
    LocmemSmsBackend.outbox.clear()
    message = {"kind": "accepted", "subject": "s", "body": "Hồ sơ đã tiếp nhận", "address": "0912345678"}
    first = service.notify(channel=NotificationChannel.SMS, **message, dedupe_key="k1")
    again = service.notify(channel=NotificationChannel.SMS, **message, dedupe_key="k1")
    assert again is None
    first.refresh_from_db()
    assert first.sent_at is not None and first.attempts == 1
    assert [m.to for m in LocmemSmsBackend.outbox] == ["0912345678"]
    assert service.send_now(first.pk) is True  # already sent: nothing more goes out
    assert len(LocmemSmsBackend.outbox) == 1


@pytest.mark.django_db
def test_failed_send_is_recorded_then_delivered_once_on_retry(settings):
    settings.SMS_BACKEND = FLAKY_SMS
    FlakySms.outbox.clear()
    FlakySms.failures_left = 1
    notification = Notification.objects.create(
        channel=NotificationChannel.SMS, kind="accepted", subject="s", body="b", address="0987654321"
    )
    assert service.send_now(notification.pk) is False
    notification.refresh_from_db()
    assert notification.sent_at is None and "gateway timeout" in notification.last_error
    assert service.send_now(notification.pk) is True
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.attempts == 2
    assert len(FlakySms.outbox) == 1
