"""Issue 14 §3: a receipt's PIN is stored only as a hash. The attack found it in the
notification bodies (756 SMS, 196 e-mails), in the web server's access log (the QR code's
GET) and in session data. Here a dossier is taken in at the counter, its receipt printed, the
citizen opens the QR link in Chromium; the PIN (read off the officer's page) must then be in
the messages that went out and nowhere in the database, the session store or the access log.
The same for the PIN of a feedback sent online."""

import json
import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection
from django.test import Client
from django.test.testcases import QuietWSGIRequestHandler

from core import pins
from core.sms import LocmemSmsBackend
from motcua.models import Dossier
from motcua.tracking import links
from tests.khieunai.factories import feedback_form
from tests.motcua.factories import CaseFactory, intake_form, reception_officer
from tests.motcua.test_intake_views import URL as INTAKE_URL

pytestmark = pytest.mark.django_db(transaction=True)


def database_text() -> str:
    """Every value of every table, as text (what a dump of the database would show)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def session_text() -> str:
    """The session store: the raw rows and what they decode to."""
    rows = list(Session.objects.all())
    assert rows, "no session was stored: the check would prove nothing"
    return "\n".join(row.session_data + json.dumps(row.get_decoded(), default=str) for row in rows)


def _shown_pin(html: str) -> str:
    return re.search(r'<strong class="pin"[^>]*>([^<]+)</strong>', html).group(1)


@pytest.fixture
def access_log(monkeypatch, caplog):
    """The live server's request log, as `runserver` writes it (the test server is quiet)."""
    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    caplog.set_level(logging.INFO, logger="django.server")
    return lambda: "\n".join(r.getMessage() for r in caplog.records if r.name == "django.server")


@pytest.mark.browser
def test_a_receipt_pin_is_sent_but_stored_nowhere(live_server, page, settings, access_log):
    cache.clear()
    settings.PUBLIC_BASE_URL = live_server.url
    LocmemSmsBackend.outbox = []
    officer = reception_officer()
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    counter = Client()
    counter.force_login(officer)  # a real session row in the database
    response = counter.post(INTAKE_URL, intake_form(case, applicant_email="an.nguyen@example.vn"))
    assert response.status_code == 302
    pin = _shown_pin(counter.get(response["Location"]).content.decode())
    dossier = Dossier.objects.get()
    assert pins.check_pin(dossier.code, pin, dossier.pin_hash)
    assert counter.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf").status_code == 200

    # the citizen scans the receipt's QR code: the dossier opens, the PIN never reaches the server
    page.goto(links.tracking_url(dossier.code, pin))
    page.get_by_role("heading", name=f"Hồ sơ {dossier.code}").wait_for()
    assert pin not in page.url

    # the messages went out with the direct link (the PIN in its fragment) ...
    assert f"#pin={pin}" in mail.outbox[0].body
    assert f"#pin={pin}" in LocmemSmsBackend.outbox[0].body
    # ... and the PIN is nowhere else
    log = access_log()
    assert "/tra-cuu/" in log and "POST /tra-cuu/" in log  # the log did record the lookup
    assert pin not in log
    assert pin not in session_text()
    assert pin not in database_text()


def test_a_feedback_pin_is_shown_once_and_stored_nowhere(client, settings):
    from thutuc import demo
    from thutuc.models import Agency

    demo.seed(catalogue=False)
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    justice = Agency.objects.get(code="000.00.11.H99")
    data = feedback_form(
        justice,
        submitter_phone=None,
        submitter_address=None,
        submitter_email="binh.pham@example.vn",
        email_receipt="on",
    )
    assert client.post("/phan-anh/", data).status_code == 302
    stored_meanwhile = session_text()
    page = client.get("/phan-anh/da-gui/").content.decode()
    pin = page.split('data-testid="pin">')[1].split("<")[0]
    assert len(pin) == pins.PIN_LENGTH
    tracked = client.post(
        "/phan-anh/tra-cuu/", {"code": page.split('data-testid="code">')[1].split("<")[0], "pin": pin}
    )
    assert tracked.status_code == 200
    assert pin not in stored_meanwhile and pin not in session_text()
    assert pin not in database_text()
    # the one copy that leaves the server is the e-mail the citizen asked for on the form
    assert [message.to for message in mail.outbox if pin in message.body] == [["binh.pham@example.vn"]]
