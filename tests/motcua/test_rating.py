"""Ratings: once per dossier, only after the result is returned, from the tracking page or
recorded by the counter on the citizen's behalf (reception role, own agency)."""

import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection

from motcua.models import DossierEvent, EventAction, Rating, RatingValue, Status
from motcua.services.rating import dossier_rate
from thutuc.accounts.roles import Role

from .factories import AgencyFactory, DossierFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- the service --------------------------------------------------------------------------


def test_rating_a_returned_dossier_writes_the_rating_and_one_event():
    dossier = DossierFactory(status=Status.RETURNED)
    rating = dossier_rate(dossier=dossier, value=RatingValue.VERY_SATISFIED, comment="  Cán bộ nhiệt tình.  ")
    assert rating.value == RatingValue.VERY_SATISFIED and rating.comment == "Cán bộ nhiệt tình."
    assert rating.recorded_by is None
    event = DossierEvent.objects.get(dossier=dossier, action=EventAction.RATE)
    assert event.actor is None and event.status_before == event.status_after == Status.RETURNED
    assert event.note == ""  # the comment stays in the rating, not in the staff history


def test_a_second_rating_is_refused_with_a_clear_message():
    dossier = DossierFactory(status=Status.RETURNED)
    dossier_rate(dossier=dossier, value=RatingValue.SATISFIED, comment="")
    with pytest.raises(ValidationError) as excinfo:
        dossier_rate(dossier=dossier, value=RatingValue.DISSATISFIED, comment="đổi ý")
    assert excinfo.value.code == "already_rated"
    assert "chỉ được đánh giá một lần" in excinfo.value.messages[0]
    assert Rating.objects.get(dossier=dossier).value == RatingValue.SATISFIED
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.RATE).count() == 1


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING, Status.RESULT_READY])
def test_rating_before_the_result_is_returned_is_refused(status):
    dossier = DossierFactory(status=status)
    with pytest.raises(ValidationError) as excinfo:
        dossier_rate(dossier=dossier, value=RatingValue.SATISFIED, comment="")
    assert excinfo.value.code == "not_returned"
    assert not Rating.objects.exists()


def test_a_bad_value_is_refused_and_nothing_is_saved():
    dossier = DossierFactory(status=Status.RETURNED)
    with pytest.raises(ValidationError):
        dossier_rate(dossier=dossier, value="tuyet-voi", comment="")
    assert not Rating.objects.exists()
    assert not DossierEvent.objects.filter(action=EventAction.RATE).exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ratings_give_one_rating_and_one_refusal():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes)")
    dossier = DossierFactory(status=Status.RETURNED)
    barrier = threading.Barrier(2)
    outcomes = []

    def rate(value):
        from django.db import connections

        try:
            barrier.wait()
            dossier_rate(dossier=dossier, value=value, comment="")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=rate, args=(v,)) for v in (RatingValue.SATISFIED, RatingValue.DISSATISFIED)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_rated", "ok"]
    assert Rating.objects.filter(dossier=dossier).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=EventAction.RATE).count() == 1


# --- the citizen, from the tracking page ---------------------------------------------------------


def test_the_rating_form_appears_only_after_the_result_is_returned(client):
    processing = DossierFactory(status=Status.RESULT_READY)
    returned = DossierFactory(status=Status.RETURNED)

    def page(dossier):
        return client.post("/tra-cuu/", {"ma": dossier.code, "pin": dossier.pin}).content.decode()

    assert "Gửi đánh giá" not in page(processing)
    assert "Gửi đánh giá" in page(returned)


def test_citizen_rates_once_from_the_tracking_page(client):
    dossier = DossierFactory(status=Status.RETURNED)
    data = {"ma": dossier.code, "pin": dossier.pin, "value": RatingValue.SATISFIED, "comment": "Nhanh gọn."}
    response = client.post("/tra-cuu/danh-gia/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in html
    assert "Đã ghi nhận đánh giá: Hài lòng" in html and "Gửi đánh giá" not in html
    assert "no-store" in response["Cache-Control"]
    rating = Rating.objects.get(dossier=dossier)
    assert rating.comment == "Nhanh gọn." and rating.recorded_by is None
    again = client.post("/tra-cuu/danh-gia/", {**data, "value": RatingValue.DISSATISFIED})
    assert again.status_code == 409
    assert "Mỗi hồ sơ chỉ được đánh giá một lần" in again.content.decode()
    assert Rating.objects.get(dossier=dossier).value == RatingValue.SATISFIED


def test_citizen_rating_without_a_choice_re_renders_with_the_comment(client):
    dossier = DossierFactory(status=Status.RETURNED)
    response = client.post("/tra-cuu/danh-gia/", {"ma": dossier.code, "pin": dossier.pin, "comment": "Tốt"})
    html = response.content.decode()
    assert "Vui lòng chọn mức độ hài lòng." in html and "Tốt</textarea>" in html
    assert not Rating.objects.exists()


def test_citizen_rating_with_a_wrong_pin_is_neutral_and_counted(client):
    dossier = DossierFactory(status=Status.RETURNED)
    for _ in range(5):
        response = client.post(
            "/tra-cuu/danh-gia/", {"ma": dossier.code, "pin": "ZZZZZZ", "value": RatingValue.DISSATISFIED}
        )
        assert "Không tìm thấy hồ sơ" in response.content.decode()
    # the code is now protected (issue 14 §6): the right PIN alone rates nothing
    protected = client.post(
        "/tra-cuu/danh-gia/", {"ma": dossier.code, "pin": dossier.pin, "value": RatingValue.DISSATISFIED}
    )
    assert "4 chữ số cuối" in protected.content.decode()
    assert not Rating.objects.exists()


def test_rating_endpoint_accepts_only_post(client):
    assert client.get("/tra-cuu/danh-gia/").status_code == 405


# --- the counter, on the citizen's behalf ---------------------------------------------------------


@pytest.fixture
def centre():
    return AgencyFactory(name="Trung tâm Phục vụ hành chính công")


def _url(dossier):
    return f"/mot-cua/ho-so/{dossier.code}/danh-gia/"


def test_reception_officer_records_a_rating_for_the_citizen(client, centre):
    officer = UserFactory(agency=centre, roles=[Role.RECEPTION], full_name="Nguyễn Thị Hồng Nhung")
    dossier = DossierFactory(receiving_agency=centre, status=Status.RETURNED)
    client.force_login(officer)
    page = client.get(_url(dossier))
    assert page.status_code == 200 and "Ghi nhận đánh giá" in page.content.decode()
    response = client.post(_url(dossier), {"value": RatingValue.DISSATISFIED, "comment": "Phải chờ lâu."})
    assert response.status_code == 302 and response["Location"] == _url(dossier)
    rating = Rating.objects.get(dossier=dossier)
    assert rating.recorded_by == officer and rating.value == RatingValue.DISSATISFIED
    assert DossierEvent.objects.get(dossier=dossier, action=EventAction.RATE).actor == officer
    html = client.get(_url(dossier)).content.decode()
    assert "Hồ sơ đã được đánh giá: Không hài lòng" in html and "Nguyễn Thị Hồng Nhung" in html
    # a second rating is refused with the message next to the form
    again = client.post(_url(dossier), {"value": RatingValue.SATISFIED})
    assert again.status_code == 400 and "chỉ được đánh giá một lần" in again.content.decode()


def test_counter_cannot_rate_a_dossier_not_yet_returned(client, centre):
    client.force_login(UserFactory(agency=centre, roles=[Role.RECEPTION]))
    dossier = DossierFactory(receiving_agency=centre, status=Status.PROCESSING)
    assert "chỉ được đánh giá sau khi đã trả kết quả" in client.get(_url(dossier)).content.decode()
    response = client.post(_url(dossier), {"value": RatingValue.SATISFIED})
    assert response.status_code == 400 and not Rating.objects.exists()


def test_bad_input_re_renders_with_an_error(client, centre):
    client.force_login(UserFactory(agency=centre, roles=[Role.RECEPTION]))
    dossier = DossierFactory(receiving_agency=centre, status=Status.RETURNED)
    response = client.post(_url(dossier), {"comment": "chưa chọn"})
    html = response.content.decode()
    assert response.status_code == 400 and "Vui lòng chọn mức độ hài lòng." in html and "chưa chọn" in html


def test_another_agencys_dossier_is_404(client, centre):
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.RECEPTION]))
    dossier = DossierFactory(receiving_agency=centre, status=Status.RETURNED)
    assert client.get(_url(dossier)).status_code == 404
    assert client.post(_url(dossier), {"value": RatingValue.SATISFIED}).status_code == 404
    assert not Rating.objects.exists()


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER, Role.HOME_AFFAIRS])
def test_other_roles_are_forbidden(client, centre, role):
    client.force_login(UserFactory(agency=centre, roles=[role]))
    dossier = DossierFactory(receiving_agency=centre, status=Status.RETURNED)
    assert client.post(_url(dossier), {"value": RatingValue.SATISFIED}).status_code == 403
    assert not Rating.objects.exists()


def test_anonymous_is_sent_to_login(client, centre):
    dossier = DossierFactory(receiving_agency=centre, status=Status.RETURNED)
    response = client.get(_url(dossier))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_unknown_code_is_404(client, centre):
    client.force_login(UserFactory(agency=centre, roles=[Role.RECEPTION]))
    assert client.get("/mot-cua/ho-so/KHONG-CO/danh-gia/").status_code == 404
