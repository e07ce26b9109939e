# ruff: noqa: F811  (the `world` fixture is imported, then requested by name)
"""One plain test per bug the bad-input fuzzing found (issue 9), so that each stays fixed
even if the hypothesis examples change."""

import io

import pytest
from django.core import signing
from openpyxl import Workbook

from core.params import id_param, text_param
from core.xlsx import FormulaInFile, check_no_formulas
from khieunai import antispam
from khieunai.services import find_dossier
from tests.khieunai.factories import (
    counter_feedback_form,
    hotline_form,
    log_call,
    reception_form,
    submit_feedback,
)
from tests.motcua.factories import CaseFactory
from thutuc.models import Agency, User


def test_params_helpers():
    assert id_param("12") == 12 and id_param(" 7 ") == 7
    for bad in ("abc", "²", "١٢", "1.5", "-1", "0", "", None, "\x00", str(2**63), "9" * 12_000):
        assert id_param(bad) is None
    assert text_param(" a\x00b ") == "ab" and len(text_param("x" * 500)) == 200


def test_intake_with_a_non_numeric_case_id_is_a_400(province, client):
    """Was a 500 (ValueError), then a 404; the case id now goes through IntakeQuery's IdField
    (issue 14 §5): 400 with the reason. An id of no case of the procedure stays a 404."""
    case = CaseFactory()
    case.procedure.receiving_agencies.add(Agency.objects.get(code="000.00.06.H99"))
    client.force_login(User.objects.get(username="tiepnhan"))
    for value in ("abc", "1.5", "²", "99999999999999999999"):
        response = client.get("/mot-cua/tiep-nhan/", {"thu_tuc": case.procedure.code, "truong_hop": value})
        assert response.status_code == 400 and "Mã số không hợp lệ" in response.content.decode()
    response = client.get("/mot-cua/tiep-nhan/", {"thu_tuc": case.procedure.code, "truong_hop": "999999"})
    assert response.status_code == 404


def test_hotline_day_out_of_range_is_a_400_saying_why(province, client):
    """Was a 500 (OverflowError), then a silent fall back to today; now the day goes through
    the page's query form (issue 14 §5) and the answer says which range is allowed."""
    client.force_login(User.objects.get(username="giamdoc"))
    for day in ("9999-12-31", "0001-01-01"):
        response = client.get("/duong-day-nong/", {"ngay": day})
        assert response.status_code == 400
        assert "Ngày phải trong khoảng từ 01/01/2000 đến 31/12/2100" in response.content.decode()
        assert client.get("/duong-day-nong/xuat-excel/", {"tu": day, "den": day}).status_code == 400


def test_drill_down_key_with_a_superscript_digit_is_404(province, client):
    client.force_login(User.objects.get(username="sonoivu"))
    query = {"kind": "year", "year": "2026", "grouping": "field", "role": "competent", "col": "3"}
    assert client.get("/bao-cao/thong-ke/ho-so/", {**query, "key": "²"}).status_code == 404


def test_signed_token_with_a_non_numeric_time_is_invalid():
    assert antispam.token_problem(signing.dumps({"t": "abc"}, salt=antispam.TOKEN_SALT)) == "invalid"
    assert antispam.token_problem(signing.dumps({"t": None}, salt=antispam.TOKEN_SALT)) == "invalid"


def test_public_form_without_token_says_why(province, client):
    response = client.post("/phan-anh/", {"kind": "feedback", "title": "Tiêu đề", "content": "Nội dung"})
    assert response.status_code == 200
    assert "Phiên nhập đã hết hạn" in response.content.decode()


def test_hotline_outcome_and_dossier_code_errors_are_shown(province, client):
    client.force_login(User.objects.get(username="chuyenvien"))
    html = client.post("/duong-day-nong/", hotline_form(outcome=None, dossier_code="X" * 40)).content.decode()
    assert 'id="id_outcome_error"' in html and 'id="id_dossier_code_error"' in html


def test_login_field_errors_are_shown(province, client):
    html = client.post("/dang-nhap/", {"username": "", "password": ""}).content.decode()
    assert 'id="id_username_error"' in html and 'id="id_password_error"' in html


def test_django_messages_have_vietnamese(province, client):
    client.force_login(User.objects.get(username="giamdoc"))
    html = client.post("/tiep-cong-dan/them/", {"citizen_name": "An\x00"}).content.decode()
    assert "Không được chứa ký tự rỗng (NUL)." in html


def test_nul_in_a_path_or_a_dossier_check_is_not_found(world, client):
    client.force_login(User.objects.get(username="giamdoc"))
    assert client.get("/thu-tuc/a\x00b/").status_code == 404
    assert client.get("/mot-cua/ho-so/\x00/").status_code == 404
    assert find_dossier("A\x00") is None
    assert client.get("/duong-day-nong/kiem-tra-ho-so/", {"ma": "\x00"}).json()["found"] is False


def test_formula_cells_are_refused_on_import():
    book = Workbook()
    book.active.append(["a", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(FormulaInFile, match="B1"):
        check_no_formulas(out)


# --- issue 14 §2: every date a person types has a plausible range ---------------------------------


@pytest.mark.parametrize(
    ("typed", "error"),
    [("0001-01-01T00:00", "không được trước 01/01/2000"), ("9999-12-31T23:59", "không được ở tương lai")],
)
def test_feedback_entry_refuses_an_implausible_receipt_time(province, client, typed, error):
    """Before: year 1 was accepted (code PA-1-000001) and broke the scan for everyone."""
    from khieunai.models import Feedback

    client.force_login(User.objects.get(username="tiepnhan"))
    response = client.post("/khieu-nai/vao-so/", counter_feedback_form(received_at=typed))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("year", ["0001", "1999", "9999"])
def test_hotline_and_reception_refuse_implausible_dates(province, client, year):
    from khieunai.models import CitizenReception, HotlineCall

    client.force_login(User.objects.get(username="chuyenvien"))
    response = client.post("/duong-day-nong/", hotline_form(started_at=f"{year}-01-01T08:00"))
    assert response.status_code == 400 and 'id="id_started_at_error"' in response.content.decode()
    response = client.post("/tiep-cong-dan/them/", reception_form(received_on=f"{year}-01-01"))
    assert response.status_code == 200 and 'id="id_received_on_error"' in response.content.decode()
    assert not HotlineCall.objects.exists() and not CitizenReception.objects.exists()


def test_services_refuse_implausible_dates_too(province):
    """The services check again (a call turned into feedback, a script, a later form)."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from khieunai import services

    agency = Agency.objects.get(code="000.00.11.H99")
    year_one = dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as error:
        submit_feedback(agency, channel="counter", title="T", content="C", received_at=year_one)
    assert "received_at" in error.value.message_dict
    officer = User.objects.get(username="chuyenvien")
    with pytest.raises(ValidationError):
        log_call(officer, started_at=year_one)
    with pytest.raises(ValidationError):
        services.citizen_reception_record(
            agency=officer.agency,
            received_on=dt.date(9999, 1, 1),
            citizen_name="An",
            address="x",
            content="c",
            outcome="o",
            actor=officer,
        )


# --- issue 14 §5: query parameters and export formats ----------------------------------------------

STATS_9999 = {
    "kind": "custom",
    "date_from": "9999-12-01",
    "date_to": "9999-12-31",
    "grouping": "field",
    "role": "competent",
}


OUT_OF_RANGE = "phải trong khoảng từ 01/01/2000 đến 31/12/2100"


def _page_refuses_the_dates(world, client, username, url, query):
    """With one dossier in the world, `username` opens `url?query`: the page (200) says the
    dates are out of range instead of a server error."""
    world.dossier()
    client.force_login(User.objects.get(username=username))
    page = client.get(url, query)
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()


@pytest.mark.parametrize(
    "query", [{"den_ngay": "9999-12-31"}, {"tu_ngay": "0001-01-01"}, {"tu_ngay": "9999-12-31"}]
)
def test_register_with_an_extreme_date(world, client, query):
    """Before: 500 (OverflowError) on the page and the PDF. Now the page shows the field's
    error and the exports answer 400 saying why."""
    _page_refuses_the_dates(world, client, "tiepnhan", "/mot-cua/so-theo-doi/", query)
    for export in ("/mot-cua/so-theo-doi/so-theo-doi.xlsx", "/mot-cua/so-theo-doi/so-theo-doi.pdf"):
        response = client.get(export, query)
        assert response.status_code == 400
        assert OUT_OF_RANGE in response.content.decode()


def test_statistics_with_year_9999_dates(world, client):
    """Before: 500 on the table, the drill-down (HTML and Excel) and both exports."""
    _page_refuses_the_dates(world, client, "sonoivu", "/bao-cao/thong-ke/", STATS_9999)
    for fmt in ("", "xlsx"):
        query = {**STATS_9999, "col": "3", **({"format": fmt} if fmt else {})}
        assert client.get("/bao-cao/thong-ke/ho-so/", query).status_code == 404
    for fmt in ("pdf", "xlsx"):
        assert client.post(f"/bao-cao/thong-ke/xuat/{fmt}/", STATS_9999).status_code == 404


def test_unknown_export_formats_are_not_found(world, client):
    """Before: 500 (the service's ValidationError) for `abc` and `docx`."""
    from baocao import services as report_services
    from baocao.models import ReportExport

    leader = User.objects.get(username="lanhdao")
    report = report_services.report_create(agency=leader.agency, year=2026, quarter=1, actor=leader)
    client.force_login(leader)
    year = {"kind": "year", "year": "2026", "grouping": "field", "role": "competent"}
    for fmt in ("abc", "docx", "PDF", "pdf.exe"):
        assert client.post(f"/bao-cao/thong-ke/xuat/{fmt}/", year).status_code == 404
        assert client.post(f"/bao-cao/quy/{report.pk}/xuat/{fmt}/").status_code == 404
    assert not ReportExport.objects.exists()


def test_list_parameters_out_of_range_say_why(world, client):
    """Page numbers, ids and choices of the lists go through a form: 400 with the reason."""
    client.force_login(User.objects.get(username="lanhdao"))
    for url, query, reason in [
        ("/mot-cua/", {"trang": "abc"}, "Trang (trang)"),
        ("/mot-cua/", {"trang": "0"}, "Trang (trang)"),
        ("/mot-cua/", {"ds": "khong-co"}, "Danh sách (ds)"),
        ("/mot-cua/", {"thu-tuc": "²"}, "Thủ tục (thu-tuc)"),
        ("/mot-cua/thong-bao/", {"trang": "1e9"}, "Trang (trang)"),
        ("/khieu-nai/", {"trang": "-1"}, "Trang (trang)"),
        ("/khieu-nai/", {"xuat": "csv"}, "Xuất (xuat)"),
        ("/khieu-nai/", {"q": "x" * 101}, "Mã đơn, tiêu đề (q)"),
        ("/tiep-cong-dan/", {"nam": "99999"}, "Năm (nam)"),
        ("/thu-tuc/", {"page": "1.5"}, "Trang (page)"),
    ]:
        response = client.get(url, query)
        assert response.status_code == 400, (url, query)
        assert reason in response.content.decode(), (url, query)


def test_feedback_and_reception_check_phones_ids_and_names(province, client):
    """The same fields as the intake's (core.identity) on the khieunai forms."""

    from khieunai.models import CitizenReception, Feedback

    client.force_login(User.objects.get(username="tiepnhan"))
    base = counter_feedback_form()
    for field, value in [
        ("submitter_phone", "gọi sau"),
        ("submitter_id_number", "12345"),
        ("submitter_name", "\u200b\u200b"),
    ]:
        html = client.post("/khieu-nai/vao-so/", {**base, field: value}).content.decode()
        assert f'id="id_{field}_error"' in html, field
    entry = reception_form(citizen_name="\x07", citizen_id_number="0012030045")
    html = client.post("/tiep-cong-dan/them/", entry).content.decode()
    assert 'id="id_citizen_name_error"' in html and 'id="id_citizen_id_number_error"' in html
    assert not Feedback.objects.exists() and not CitizenReception.objects.exists()
