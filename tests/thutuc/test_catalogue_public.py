"""Public catalogue: diacritic-insensitive search, filters, detail page with the appointment date."""

import datetime as dt

import pytest
from django.urls import reverse

from thutuc import calendar_store
from thutuc.calendar import TZ
from thutuc.catalogue import views
from thutuc.models import Agency, Procedure, ProcedureCase

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def codes(response):
    return [p.code for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "khai sin",
        "  dang   KY khai sinh ",
        "1.001193",
    ],
)
def test_search_ignores_diacritics_case_and_partial_words(catalogue, client, query):
    response = client.get(reverse("thutuc:procedure_list"), {"q": query})
    assert response.status_code == 200
    assert "1.001193" in codes(response)
    assert "1.000656" not in codes(response)  # khai tử does not match "khai sinh"


def test_search_words_in_any_order(catalogue, client):
    response = client.get(reverse("thutuc:procedure_list"), {"q": "xay dung giay phep"})
    assert set(codes(response)) == {"1.009794", "1.009795", "1.009796"}


def test_filters_by_field_and_level(catalogue, client):
    procedure = Procedure.objects.get(code="2.000488")
    response = client.get(
        reverse("thutuc:procedure_list"), {"linh_vuc": procedure.field_id, "cap": "province"}
    )
    assert codes(response) == ["2.000488"]
    response = client.get(
        reverse("thutuc:procedure_list"), {"linh_vuc": procedure.field_id, "cap": "commune"}
    )
    assert codes(response) == []
    assert "Không tìm thấy thủ tục phù hợp" in response.content.decode()


def test_inactive_procedures_are_hidden(catalogue, client):
    Procedure.objects.filter(code="1.001193").update(is_active=False)
    assert "1.001193" not in codes(client.get(reverse("thutuc:procedure_list"), {"q": "khai sinh"}))
    assert client.get(reverse("thutuc:procedure_detail", args=["1.001193"])).status_code == 404


def test_list_is_paginated_and_constant_in_queries(catalogue, client, django_assert_max_num_queries):
    for _ in range(30):
        CaseFactory()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("thutuc:procedure_list"))
    assert len(response.context["page"].object_list) == views.PAGE_SIZE
    assert response.context["page"].paginator.num_pages == 4
    first = client.get(reverse("thutuc:procedure_list"), {"q": "thu nghiem"})
    assert first.context["page"].paginator.count == 30
    assert "?q=thu+nghiem&amp;page=2" in first.content.decode()  # the search is kept across pages


def test_detail_shows_papers_fees_time_result_and_where_to_file(catalogue, client):
    response = client.get(reverse("thutuc:procedure_detail", args=["2.000815"]))
    page = response.content.decode()
    assert "Chứng thực bản sao từ bản chính" in page
    assert "4 giờ làm việc" in page and "hồ sơ nhận sau 15:00" in page
    assert "Bản sao cần chứng thực" in page
    assert "2.000 đồng" in page and "Thu khi nộp hồ sơ" in page
    assert "Nghị định số 23/2015/NĐ-CP" in page
    trung_son = Agency.objects.get(code="000.17.22.H99")
    assert trung_son.address in page and trung_son.phone in page


def test_detail_lists_cases_with_their_own_time(catalogue, client):
    page = client.get(reverse("thutuc:procedure_detail", args=["2.000488"])).content.decode()
    assert "Trường hợp 1" in page and "Trường hợp 2" in page
    assert "10 ngày làm việc" in page and "15 ngày làm việc" in page
    assert "200.000 đồng" in page


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (dt.datetime(2026, 11, 23, 10, 0, tzinfo=TZ), "2.000488"),  # Monday morning, 10 working days
        (dt.datetime(2026, 11, 27, 16, 30, tzinfo=TZ), "2.000815"),  # Friday after the 15:00 cut-off
        (dt.datetime(2026, 12, 31, 9, 0, tzinfo=TZ), "1.001978"),  # calendar days over New Year
    ],
)
def test_appointment_date_is_due_at_from_now(catalogue, client, monkeypatch, now, code):
    monkeypatch.setattr(views, "clock", lambda: now)
    response = client.get(reverse("thutuc:procedure_detail", args=[code]))
    procedure = Procedure.objects.get(code=code)
    agency = Agency.objects.filter(received_procedures=procedure).order_by("level", "name").first()
    for case, shown in zip(procedure.cases.order_by("order"), response.context["cases"], strict=True):
        expected = calendar_store.due_at(
            now, case.processing_time, case.processing_unit, agency=agency, cutoff=case.cutoff_time
        )
        assert shown.appointment == expected
        local = expected.astimezone(TZ)
        assert f"{local:%H:%M} ngày {local:%d/%m/%Y}" in response.content.decode()


def test_appointment_after_cutoff_is_the_next_working_day(catalogue, client, monkeypatch):
    friday_evening = dt.datetime(2026, 11, 27, 16, 30, tzinfo=TZ)
    monkeypatch.setattr(views, "clock", lambda: friday_evening)
    response = client.get(reverse("thutuc:procedure_detail", args=["2.000815"]))
    [case] = response.context["cases"]
    assert case.appointment.astimezone(TZ).date() == dt.date(2026, 11, 30)  # Monday


def test_detail_is_constant_in_queries(catalogue, client, django_assert_max_num_queries):
    case = ProcedureCase.objects.get(procedure__code="1.001193", order=1)
    with django_assert_max_num_queries(14):
        client.get(reverse("thutuc:procedure_detail", args=["1.001193"]))
    for n in range(5):
        case.documents.create(name=f"Giấy tờ thêm {n}")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("thutuc:procedure_detail", args=["1.001193"]))
    assert "Giấy tờ thêm 4" in response.content.decode()


def test_home_page_has_a_search_form_and_nav_link(catalogue, client):
    page = client.get("/").content.decode()
    assert 'action="/thu-tuc/"' in page and 'name="q"' in page
    assert 'href="/thu-tuc/"' in page
