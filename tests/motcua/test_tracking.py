"""The public tracking page: code + PIN, the QR link, neutral errors, rate limits, privacy."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from core import ratelimit
from motcua.models import Status
from motcua.tracking.masking import mask_name
from tests.factories import AgencyFactory
from tests.timeutil import local
from thutuc.calendar_store import get_calendar

from .factories import ADDRESS, EMAIL, ID_NUMBER, PHONE, STAFF_NOTE, DossierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
URL = "/tra-cuu/"
NEUTRAL = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập"
BLOCKED = "Ông/bà đã nhập sai quá nhiều lần"


def _post(client, code, pin, ip="203.0.113.7"):
    return client.post(URL, {"ma": code, "pin": pin}, REMOTE_ADDR=ip)


def test_url_name_and_form_page(client):
    assert reverse("motcua:tracking") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mã hồ sơ" in html and "Mã tra cứu" in html
    assert "no-store" in response["Cache-Control"]


def test_code_only_prefills_the_form(client):
    response = client.get(URL, {"ma": "000.00.06.H99-260213-0001"})
    assert 'value="000.00.06.H99-260213-0001"' in response.content.decode()
    assert NEUTRAL not in response.content.decode()


def test_lookup_by_code_and_pin_shows_the_dossier(client):
    dossier = DossierFactory(over_tet=True, processing=True)
    response = _post(client, dossier.code, dossier.pin.lower())  # PIN typed in lower case with the code
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "Đăng ký khai sinh" in html
    assert "Đang giải quyết" in html and "mã trạng thái trên Cổng Dịch vụ công quốc gia: 4" in html
    assert "14:30 13/02/2026" in html  # received
    assert "14:30 27/02/2026" in html  # appointment: 5 working days, Tết skipped
    assert "16/02–20/02/2026 (Tết Nguyên Đán)" in html
    assert "Hồ sơ được tiếp nhận tại" in html and "Hồ sơ được chuyển đến" in html
    assert "Nguyễn V** A*" in html


def test_code_with_spaces_is_accepted(client):
    dossier = DossierFactory(over_tet=True, processing=True)
    response = _post(client, f"  {dossier.code.lower()} ", f"{dossier.pin[:3]} {dossier.pin[3:]}")
    assert dossier.code in response.content.decode()


def test_qr_link_keeps_the_pin_in_the_fragment_and_the_server_never_reads_it_from_the_query(client):
    """Issue 14 §3: the QR link is /tra-cuu/?ma=CODE#pin=PIN; the browser sends only the
    path and ?ma= (static/js/tracking-pin.js posts the PIN). A PIN in the query string no
    longer opens the dossier by itself."""
    from motcua.tracking.links import tracking_url

    dossier = DossierFactory(over_tet=True, processing=True)
    url = tracking_url(dossier.code, dossier.pin)
    assert url.endswith(f"/tra-cuu/?ma={dossier.code}#pin={dossier.pin}")
    sent_by_a_browser = url[url.index("/tra-cuu/") : url.index("#")]
    response = client.get(sent_by_a_browser)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert f'value="{dossier.code}"' in html and "data-tracking-form" in html
    assert "js/tracking-pin.js" in html and "Quá trình giải quyết" not in html
    legacy = client.get(URL, {"ma": dossier.code, "pin": dossier.pin}).content.decode()
    assert "Quá trình giải quyết" not in legacy and dossier.pin not in legacy


def test_unknown_code_and_wrong_pin_get_the_same_neutral_message(client):
    dossier = DossierFactory(over_tet=True, processing=True)
    wrong_pin = _post(client, dossier.code, "AAAAAA")
    unknown = _post(client, "000.00.06.H99-260213-9999", dossier.pin)

    def strip(response):
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'value="[^"]*"', "", html)

    assert wrong_pin.status_code == unknown.status_code == 200
    assert NEUTRAL in wrong_pin.content.decode()
    assert strip(wrong_pin) == strip(unknown)  # the same page, bar the echoed input
    assert dossier.code not in strip(wrong_pin)


def test_unknown_code_still_computes_a_pin_hash(client, monkeypatch):
    from core import pins

    calls = []
    original = pins.hash_pin
    monkeypatch.setattr(pins, "hash_pin", lambda code, pin: calls.append(code) or original(code, pin))
    _post(client, "KHONG-CO-MA-NAY", "ABCDEF")
    assert calls == ["KHONG-CO-MA-NAY"]


def test_empty_fields_get_errors_next_to_the_field_and_do_not_count(client):
    response = _post(client, "", "")
    html = response.content.decode()
    assert "Vui lòng nhập mã hồ sơ." in html and "Vui lòng nhập mã tra cứu." in html
    assert not ratelimit.is_blocked(ratelimit.Counter("tracking_address", "203.0.113.7"))


def test_rate_limit_per_address(client, settings):
    dossier = DossierFactory(over_tet=True, processing=True)
    for n in range(10):
        response = _post(client, f"000.00.06.H99-260213-{n:04d}", "ZZZZZZ")
        assert NEUTRAL in response.content.decode()
    blocked = _post(client, dossier.code, dossier.pin)  # even the right PIN: the address is blocked
    assert blocked.status_code == 429
    assert BLOCKED in blocked.content.decode()
    assert dossier.code not in blocked.content.decode().split("</h1>")[1].split("<form")[0]
    # another address is not affected
    other = _post(client, dossier.code, dossier.pin, ip="198.51.100.20")
    assert other.status_code == 200 and "Quá trình giải quyết" in other.content.decode()


VERIFY = "Để bảo vệ hồ sơ, vui lòng nhập thêm 4 chữ số cuối"


def test_wrong_pins_from_strangers_protect_the_code_but_never_lock_the_owner_out(client):
    """Issue 14 §6: five wrong PINs from anywhere refused the rightful owner for 15 minutes
    (codes are sequential: a day's dossiers could be locked). Now the code is protected: the
    lookup also asks for the last 4 digits of the phone or ID number written at filing."""
    dossier = DossierFactory(over_tet=True, processing=True)  # applicant's phone 0912345678
    for n in range(5):
        _post(client, dossier.code, "ZZZZZZ", ip=f"198.51.100.{n}")
    asked = _post(client, dossier.code, dossier.pin, ip="192.0.2.50")  # the owner, a fresh address
    html = asked.content.decode()
    assert asked.status_code == 200 and VERIFY in html and 'name="xac_minh"' in html
    assert "Quá trình giải quyết" not in html
    wrong_digits = client.post(
        "/tra-cuu/", {"ma": dossier.code, "pin": dossier.pin, "xac_minh": "1111"}, REMOTE_ADDR="192.0.2.50"
    )
    assert NEUTRAL in wrong_digits.content.decode()
    owner = client.post(
        "/tra-cuu/", {"ma": dossier.code, "pin": dossier.pin, "xac_minh": "5678"}, REMOTE_ADDR="192.0.2.50"
    )
    assert owner.status_code == 200 and "Quá trình giải quyết" in owner.content.decode()
    # a guesser must now find the PIN and the digits: the right PIN alone opens nothing
    assert VERIFY in _post(client, dossier.code, dossier.pin, ip="192.0.2.51").content.decode()
    # the same fresh address can still look up another dossier as before
    other = DossierFactory(over_tet=True, processing=True)
    assert "Quá trình giải quyết" in _post(client, other.code, other.pin, ip="192.0.2.50").content.decode()


def test_unknown_codes_are_protected_too_and_slowed_down(client, settings):
    settings.TRACKING_SLOW_SECONDS = 60
    code = "000.00.06.H99-260213-4242"
    for n in range(5):
        _post(client, code, "ZZZZZZ", ip=f"198.51.100.{n}")
    assert VERIFY in _post(client, code, "ZZZZZZ", ip="192.0.2.9").content.decode()
    data = {"ma": code, "pin": "ZZZZZZ", "xac_minh": "1234"}
    first = client.post("/tra-cuu/", data, REMOTE_ADDR="192.0.2.9")
    assert first.status_code == 200 and NEUTRAL in first.content.decode()
    assert client.post("/tra-cuu/", data, REMOTE_ADDR="192.0.2.10").status_code == 429  # one a minute


def test_success_does_not_count_and_resets_nothing(client):
    dossier = DossierFactory(over_tet=True, processing=True)
    for n in range(9):
        _post(client, f"000.00.06.H99-260213-{n:04d}", "ZZZZZZ")
    for _ in range(3):  # successes neither count...
        assert _post(client, dossier.code, dossier.pin).status_code == 200
    assert not ratelimit.is_blocked(ratelimit.Counter("tracking_address", "203.0.113.7"))
    _post(client, "000.00.06.H99-260213-0099", "ZZZZZZ")  # ...nor wash the 9 earlier failures away
    assert _post(client, dossier.code, dossier.pin).status_code == 429


def test_ipv6_addresses_count_per_64_network(rf):
    first = rf.get(URL, REMOTE_ADDR="2001:db8:1:2::1")
    second = rf.get(URL, REMOTE_ADDR="2001:db8:1:2:aaaa::9")
    assert ratelimit.client_address(first) == ratelimit.client_address(second) == "2001:db8:1:2::/64"


def test_proxy_header_used_only_when_configured(rf, settings):
    request = rf.get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.99")
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert ratelimit.client_address(request) == "203.0.113.99"


def test_no_personal_data_or_staff_names_or_notes_in_the_page(client):
    dossier = DossierFactory(over_tet=True, status=Status.RETURNED, note=STAFF_NOTE)
    response = _post(client, dossier.code, dossier.pin)
    html = response.content.decode()
    staff = {event.actor.get_full_name() for event in dossier.events.all()}  # reception, leader
    for secret in (ID_NUMBER, PHONE, EMAIL, ADDRESS, STAFF_NOTE, *staff, "Nguyễn Văn An"):
        assert secret not in html
    header_text = " ".join(f"{k}: {v}" for k, v in response.items())
    for secret in (ID_NUMBER, PHONE, dossier.pin, dossier.code, "Nguyễn"):
        assert secret not in header_text


def test_apology_shows_the_original_and_new_appointment(client):
    dossier = DossierFactory(over_tet=True, processing=True, apology_days=2)
    html = _post(client, dossier.code, dossier.pin).content.decode()
    assert "Ngày hẹn ban đầu" in html and "14:30 27/02/2026" in html
    assert "14:30 03/03/2026" in html  # two working days later
    assert "xin lỗi" in html


def handed_on(working_hours: int):
    """`working_hours` after the hand-off (15:30 13/02/2026, an hour after the receipt)."""
    return get_calendar().add_working_hours(local(2026, 2, 13, 15, 30), working_hours)


def test_result_early_as_the_report_counts_it(client):
    early = DossierFactory(over_tet=True, status=Status.RETURNED)
    assert "sớm hơn ngày hẹn" in _post(client, early.code, early.pin).content.decode()
    # after the statutory date, before the apology's new one: late, never "early"
    late = DossierFactory(over_tet=True, status=Status.RETURNED, apology_days=3, finished_at=handed_on(48))
    assert late.original_due_at < late.finished_at < late.due_at
    html = _post(client, late.code, late.pin).content.decode()
    assert "Hồ sơ đã có kết quả." in html and "sớm hơn ngày hẹn" not in html
    # on the due day, before the appointment's hour: on time
    same_day = DossierFactory(over_tet=True, status=Status.RETURNED, finished_at=handed_on(35))
    assert same_day.finished_at.date() == same_day.due_at.date() and same_day.finished_at < same_day.due_at
    html = _post(client, same_day.code, same_day.pin).content.decode()
    assert "Hồ sơ đã có kết quả." in html and "sớm hơn ngày hẹn" not in html


def test_query_count_is_constant(client, django_assert_max_num_queries):
    small = DossierFactory(over_tet=True, status=Status.RETURNED)
    big = DossierFactory(over_tet=True, processing=True, apology_days=1)
    big_pin = big.pin
    # thirty more hand-offs within the unit: a long timeline
    from motcua.services import transitions as t
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role

    officers = [UserFactory(agency=big.current_unit, roles=[Role.SPECIALIST]) for _ in range(2)]
    leader = UserFactory(agency=big.current_unit, roles=[Role.LEADER])
    for n in range(30):
        big = t.dossier_transfer(dossier=big, actor=leader, recipient=officers[n % 2], now=handed_on(n + 1))
    big = t.dossier_approve(dossier=big, actor=leader, now=handed_on(31))
    big = t.dossier_return_result(
        dossier=big, actor=big.received_by, collected_by_name="An", now=handed_on(32)
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        _post(client, small.code, small.pin)
    with CaptureQueriesContext(connection) as big_queries:
        _post(client, big.code, big_pin)
    assert len(small_queries) == len(big_queries)
    # dossier (with agency, apology, rating, electronic result), its case version, its history,
    # the agency's calendar, the fee ledger's rows (issue 19); outside a test's transaction the
    # version and the calendar are read from memory once committed
    # (test_the_case_version_is_read_once_committed)
    with django_assert_max_num_queries(5):
        _post(client, big.code, big_pin)


@pytest.mark.django_db(transaction=True)
def test_the_case_version_is_read_once_committed(client):
    """Case versions never change: outside a transaction the tracking page reads its
    dossier's version once per process, then from memory."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thutuc.catalogue import versions

    dossier = DossierFactory(status=Status.RETURNED)
    versions._VERSIONS.pop(dossier.case_version_id, None)

    def version_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert "dossier-heading" in _post(client, dossier.code, dossier.pin).content.decode()
        return sum('FROM "thutuc_caseversion"' in q["sql"] for q in captured.captured_queries)

    assert version_queries() == 1
    assert version_queries() == 0
    assert versions.committed_case_version(dossier.case_version_id).pk == dossier.case_version_id


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("Trần Thị Thu Hương", "Trần T** T** H****"),
        ("Lê An", "Lê A*"),
        ("Đỗ", "Đ*"),
        ("A", "A*"),
        ("  Phạm   Minh  ", "Phạm M***"),
        ("", ""),
        ("Công ty TNHH Minh Sơn", "Công t* T*** M*** S**"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_public_nav_and_home_card_lead_to_tracking(client):
    html = client.get("/").content.decode()
    assert 'href="/tra-cuu/"' in html
    assert 'action="/tra-cuu/"' in html and 'name="pin"' in html


def test_counters_live_in_the_shared_cache_redis(client):
    """With Redis every process sees the same counters (db 3: never the app's 0–2)."""
    import redis

    url = "redis://127.0.0.1:63799/3"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:63799")
    prefix = "citizen-tests"  # only our own keys are touched: other helpers share this server
    # override_settings, not the settings fixture: LocMem is back before the autouse
    # fixture's cache.clear() runs, which must never flush a shared Redis database.
    redis_cache = override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
    )
    other = redis.Redis.from_url(url)  # a second "process": its own connection to the same Redis

    def forget():
        for key in other.scan_iter(f"{prefix}:*"):
            other.delete(key)

    forget()
    try:
        with redis_cache:
            dossier = DossierFactory(over_tet=True, processing=True)
            for _ in range(5):
                _post(client, dossier.code, "ZZZZZZ", ip="198.51.100.77")
            assert any(b"ratelimit:tracking_code:" in key for key in other.scan_iter(f"{prefix}:*"))
            assert VERIFY in _post(client, dossier.code, dossier.pin, ip="192.0.2.1").content.decode()
    finally:
        forget()


def test_explanation_uses_the_receiving_agency_calendar_like_the_deadline(client):
    """The appointment was computed with the receiving agency's calendar (open on Saturday
    mornings here); the explanation must reproduce it, not the competent agency's."""
    from motcua.tracking.selectors import explain_appointment

    counter = AgencyFactory(saturday_hours="07:30-11:30")
    competent = AgencyFactory()  # weekdays only
    dossier = DossierFactory(
        over_tet=True, processing=True, receiving_agency=counter, case__procedure__competent_agency=competent
    )
    explanation = explain_appointment(dossier, events=[])
    assert explanation.computed is not None
    assert explanation.computed.due_at == dossier.due_at
    assert "chiều thứ Bảy" in " ".join(explanation.sentences)
